package io.cairn.stack.alloc;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The result of {@link Allocator#verify()}: what the on-disk structure says about free and live space, and every
 * problem found (problems are collected, never thrown).
 *
 * @param kind             the allocator kind: {@code "linear"}, {@code "first-fit"}, {@code "slab"},
 *                         {@code "checked-slab"}, {@code "ghost-tree"}
 * @param stackBytes       the stack's payload length when verified
 * @param freeBytes        bytes reachable as free space through the allocator's free structure (payload bytes
 *                         of free blocks, not counting per-block overhead)
 * @param largestFreeBlock the largest single allocation the free structure could serve without growing
 * @param liveBytes        bytes of live allocations (their backing blocks) where the structure records them;
 *                         empty where it cannot (linear, slab)
 * @param unaccounted      bytes neither free nor live nor metadata, i.e. leaked by a crash; empty where the
 *                         structure cannot tell a leak from a live block
 * @param problems         structural problems found, in the order found; empty when the structure is valid
 */
public record AllocatorReport(String kind, long stackBytes, long freeBytes, long largestFreeBlock,
        OptionalLong liveBytes, OptionalLong unaccounted, List<String> problems) {

    public AllocatorReport {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(liveBytes, "liveBytes");
        Objects.requireNonNull(unaccounted, "unaccounted");
        problems = List.copyOf(problems);
    }

    /** Whether the structure is valid: no problem was found. A leak is not a structural problem. */
    public boolean structureValid() {
        return problems.isEmpty();
    }

    /** Whether the structure is valid and no byte is known to be leaked. */
    public boolean isClean() {
        return structureValid() && unaccounted.orElse(0) == 0;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        out.append("allocator:          ").append(kind).append('\n');
        out.append("stack bytes:        ").append(stackBytes).append('\n');
        out.append("free bytes:         ").append(freeBytes).append('\n');
        out.append("largest free block: ").append(largestFreeBlock).append('\n');
        out.append("live bytes:         ").append(known(liveBytes)).append('\n');
        out.append("unaccounted bytes:  ").append(known(unaccounted)).append('\n');
        out.append("structure:          ").append(structureValid() ? "valid" : "INVALID").append('\n');
        for (String problem : problems) {
            out.append("  problem: ").append(problem).append('\n');
        }
        return out.toString();
    }

    private static String known(OptionalLong value) {
        return value.isPresent() ? Long.toString(value.getAsLong()) : "unknown";
    }
}
