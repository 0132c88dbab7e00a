package io.cairn.bench.alloc;

import io.cairn.stack.BStack;
import io.cairn.stack.alloc.Allocator;
import io.cairn.stack.alloc.Allocators;
import io.cairn.stack.alloc.CheckedSlabAllocator;
import io.cairn.stack.alloc.FirstFitAllocator;
import io.cairn.stack.alloc.GhostTreeAllocator;
import io.cairn.stack.alloc.LinearAllocator;
import io.cairn.stack.alloc.SegregatedAllocator;
import io.cairn.stack.alloc.SlabAllocator;
import java.io.IOException;

/**
 * The allocators the benchmarks compare. Slabs use 1024-byte blocks (the checked slab 1032, so both serve
 * 1..1024-byte requests from one block).
 */
public enum AllocatorKind {
    LINEAR, FIRST_FIT, SLAB, CHECKED_SLAB, GHOST_TREE, SEGREGATED;

    static final long SLAB_BLOCK = 1024;

    /** A new allocator over an empty stack. */
    Allocator create(BStack stack) throws IOException {
        return switch (this) {
            case LINEAR -> LinearAllocator.open(stack);
            case FIRST_FIT -> FirstFitAllocator.open(stack);
            case SLAB -> SlabAllocator.create(stack, SLAB_BLOCK);
            case CHECKED_SLAB -> CheckedSlabAllocator.create(stack, SLAB_BLOCK + 8);
            case GHOST_TREE -> GhostTreeAllocator.open(stack);
            case SEGREGATED -> SegregatedAllocator.open(stack);
        };
    }

    /** Reopens what {@link #create} wrote: through the front door, except the linear allocator (no magic). */
    Allocator open(BStack stack) throws IOException {
        return this == LINEAR ? LinearAllocator.open(stack) : Allocators.open(stack);
    }
}
