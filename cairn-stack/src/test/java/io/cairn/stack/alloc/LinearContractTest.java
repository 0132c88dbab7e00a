package io.cairn.stack.alloc;

import io.cairn.stack.BStack;
import java.io.IOException;

/** The shared allocator suite ({@link AllocatorContract}) for the linear allocator. */
class LinearContractTest extends AllocatorContract {

    /** Makes linear allocators; public for the SIGKILL child. */
    public static final class Factory implements AllocatorFactory {
        @Override
        public String name() {
            return "linear";
        }

        @Override
        public Allocator create(BStack stack) throws IOException {
            return LinearAllocator.open(stack);
        }

        @Override
        public Allocator open(BStack stack) throws IOException {
            return LinearAllocator.open(stack);
        }

        @Override
        public boolean reallocatesOnlyTail() {
            return true;
        }
    }

    @Override
    AllocatorFactory factory() {
        return new Factory();
    }
}
