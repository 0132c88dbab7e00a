package io.cairn.stack.alloc;

import io.cairn.stack.BStack;
import java.io.IOException;

/** The shared allocator suite ({@link AllocatorContract}) for the aligned slab allocator. */
class AlignedSlabContractTest extends AllocatorContract {

    /** Makes aligned slab allocators; public for the SIGKILL child. */
    public static final class Factory implements AllocatorFactory {
        @Override
        public String name() {
            return "aligned slab";
        }

        @Override
        public Allocator create(BStack stack) throws IOException {
            return SlabAllocator.create(stack, 4096, 4096);
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
