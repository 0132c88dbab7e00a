package io.cairn.stack.alloc;

import io.cairn.stack.BStack;
import java.io.IOException;

/** The shared allocator suite ({@link AllocatorContract}) for the ghost-tree allocator. */
class GhostTreeContractTest extends AllocatorContract {

    /** Makes ghost-tree allocators; public for the SIGKILL child. */
    public static final class Factory implements AllocatorFactory {
        @Override
        public String name() {
            return "ghost-tree";
        }

        @Override
        public Allocator create(BStack stack) throws IOException {
            return GhostTreeAllocator.open(stack);
        }

        @Override
        public Allocator open(BStack stack) throws IOException {
            return GhostTreeAllocator.open(stack);
        }

        /** Detected while the block is still free (it overlaps a tree node), not once it is handed out again. */
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
