package io.cairn.stack.alloc;

import io.cairn.stack.BStack;
import java.io.IOException;

/** The shared allocator suite ({@link AllocatorContract}) for the checked slab allocator. */
class CheckedSlabContractTest extends AllocatorContract {

    /** Makes checked slab allocators; public for the SIGKILL child. */
    public static final class Factory implements AllocatorFactory {
        @Override
        public String name() {
            return "checked slab";
        }

        @Override
        public Allocator create(BStack stack) throws IOException {
            return CheckedSlabAllocator.create(stack, 64);
        }

        @Override
        public Allocator open(BStack stack) throws IOException {
            return CheckedSlabAllocator.open(stack);
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
