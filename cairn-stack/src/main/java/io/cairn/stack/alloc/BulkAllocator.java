package io.cairn.stack.alloc;

import java.io.IOException;
import java.util.Collection;
import java.util.List;

/**
 * An allocator that serves many allocations with one underlying allocation and frees many with one merged
 * release: fewer stack calls (and syncs) than a loop of single calls, and all or nothing.
 */
public interface BulkAllocator extends Allocator {

    /**
     * Allocates one zeroed slice per length, in the same order, as one underlying allocation: after a crash
     * either all of them exist or none does. A zero length yields the null slice.
     *
     * @throws IllegalArgumentException if a length is negative or the total is unsupported
     */
    List<Slice> allocBulk(long... lengths) throws IOException;

    /**
     * Frees all {@code slices}, given in any order, as one merged release. Every handle is validated before
     * anything changes: one bad handle (foreign, a view, or repeated) rejects the whole call.
     *
     * @throws IllegalArgumentException if any slice is not a live handle of this allocator or appears twice
     */
    void deallocBulk(Collection<Slice> slices) throws IOException;
}
