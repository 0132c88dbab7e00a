package io.cairn.stack.alloc;

import io.cairn.stack.BStack;
import java.io.IOException;

/** The shared allocator suite ({@link AllocatorContract}) for the segregated-fit allocator. */
class SegregatedContractTest extends AllocatorContract {

    /** Makes segregated allocators; public for the SIGKILL child. */
    public static final class Factory implements AllocatorFactory {
        @Override
        public String name() {
            return "segregated";
        }

        @Override
        public Allocator create(BStack stack) throws IOException {
            return SegregatedAllocator.open(stack);
        }

        @Override
        public Allocator open(BStack stack) throws IOException {
            return SegregatedAllocator.open(stack);
        }

        @Override
        public boolean detectsDoubleFree() {
            return true;
        }
    }

    @Override
    AllocatorFactory factory() {
        return new Factory();
    }
}
