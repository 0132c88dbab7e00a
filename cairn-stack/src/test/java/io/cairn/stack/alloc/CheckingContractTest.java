package io.cairn.stack.alloc;

import io.cairn.stack.BStack;
import java.io.IOException;

/** The shared allocator suite ({@link AllocatorContract}) through the checking wrapper, over a segregated allocator. */
class CheckingContractTest extends AllocatorContract {

    /** Makes checked segregated allocators; public for the SIGKILL child. */
    public static final class Factory implements AllocatorFactory {
        @Override
        public String name() {
            return "checking(segregated)";
        }

        @Override
        public Allocator create(BStack stack) throws IOException {
            return CheckingAllocator.wrap(SegregatedAllocator.open(stack));
        }

        @Override
        public Allocator open(BStack stack) throws IOException {
            return CheckingAllocator.wrap(SegregatedAllocator.open(stack));
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
