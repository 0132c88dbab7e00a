package io.cairn.stack.alloc;

import io.cairn.stack.BStack;
import java.io.IOException;

/** The shared allocator suite ({@link AllocatorContract}) for the first-fit allocator. */
class FirstFitContractTest extends AllocatorContract {

    /** Makes first-fit allocators; public for the SIGKILL child. */
    public static final class Factory implements AllocatorFactory {
        @Override
        public String name() {
            return "first-fit";
        }

        @Override
        public Allocator create(BStack stack) throws IOException {
            return FirstFitAllocator.open(stack);
        }

        @Override
        public Allocator open(BStack stack) throws IOException {
            return FirstFitAllocator.open(stack);
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
