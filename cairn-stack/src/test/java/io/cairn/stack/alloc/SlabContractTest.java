package io.cairn.stack.alloc;

import io.cairn.stack.BStack;
import java.io.IOException;

/** The shared allocator suite ({@link AllocatorContract}) for the slab allocator. */
class SlabContractTest extends AllocatorContract {

    /** Makes slab allocators; public for the SIGKILL child. */
    public static final class Factory implements AllocatorFactory {
        @Override
        public String name() {
            return "slab";
        }

        @Override
        public Allocator create(BStack stack) throws IOException {
            return SlabAllocator.create(stack, 64);
        }

        @Override
        public Allocator open(BStack stack) throws IOException {
            return SlabAllocator.open(stack);
        }
    }

    @Override
    AllocatorFactory factory() {
        return new Factory();
    }
}
