package io.cairn.stack.alloc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A wrapper that checks every allocation and release against the regions it has handed out and taken back, for
 * tests and debugging (the reference's {@code DebugCheckingAllocator}). It catches what an allocator's own
 * structure may not show:
 * <ul>
 *   <li>an allocation that overlaps a live one (an allocator bug): {@link IllegalStateException};</li>
 *   <li>a double free, a partial free, a free that spans several allocations, a resize of a handle that is no
 *       longer live: {@link IllegalArgumentException}, thrown before the inner allocator is called.</li>
 * </ul>
 * Every message names both regions as payload offsets {@code [start, end)}.
 *
 * <p>The tracking lives in memory only, for the life of the wrapper: after a reopen, handles rebuilt through
 * {@link #slice(long, long)} are tracked from then on. Freed regions are remembered (and forgotten piece by piece
 * as they are handed out again), so a stale handle is caught even where the allocator's structure cannot tell
 * (a slab's double free, a ghost tree's). Each call holds the wrapper's lock around the inner call, which
 * serialises the inner allocator; memory grows with the number of regions.
 */
public class CheckingAllocator extends AbstractAllocator {
    private final AbstractAllocator inner;
    /** Live regions by start: the inner handle of each. */
    private final NavigableMap<Long, Slice> live = new TreeMap<>();
    /** Freed regions by start: their end. Disjoint. */
    private final NavigableMap<Long, Long> freed = new TreeMap<>();

    private CheckingAllocator(AbstractAllocator inner) {
        super(inner.stack);
        this.inner = inner;
    }

    /** Wraps {@code inner}, which the wrapper then owns (closing it closes {@code inner}). */
    public static Allocator wrap(Allocator inner) {
        Objects.requireNonNull(inner, "inner");
        return inner instanceof BulkAllocator bulk ? wrap(bulk) : new CheckingAllocator(internal(inner));
    }

    /** Wraps a bulk allocator; bulk calls are checked like the single calls they replace. */
    public static BulkAllocator wrap(BulkAllocator inner) {
        Objects.requireNonNull(inner, "inner");
        return new Bulk(internal(inner), inner);
    }

    /** Every allocator makes its slices through this package, so every one is an {@link AbstractAllocator}. */
    private static AbstractAllocator internal(Allocator inner) {
        if (!(inner instanceof AbstractAllocator allocator)) {
            throw new IllegalArgumentException(inner + " is not an allocator of " + Allocator.class.getPackageName());
        }
        return allocator;
    }

    @Override
    long maxLength() {
        return inner.maxLength();
    }

    @Override
    Slice allocate(long length) throws IOException {
        lock.lock();
        try {
            return adopt(inner.alloc(length));
        } finally {
            lock.unlock();
        }
    }

    @Override
    void free(Slice slice) throws IOException {
        lock.lock();
        try {
            Slice old = liveHandle(slice, "free");
            inner.dealloc(old);
            release(old);
        } finally {
            lock.unlock();
        }
    }

    @Override
    Slice resize(Slice slice, long newLength) throws IOException {
        lock.lock();
        try {
            Slice old = liveHandle(slice, "realloc");
            Slice resized = inner.realloc(old, newLength);
            release(old);
            if (resized.offset() == old.offset()) {
                // Resized in place: the bytes it no longer covers stay with the block, not free.
                forgetFreed(old.offset(), Math.max(old.end(), resized.end()));
            }
            return adopt(resized);
        } finally {
            lock.unlock();
        }
    }

    @Override
    AllocatorReport inspect() throws IOException {
        return inner.verify();
    }

    /**
     * Rebuilds a handle through the inner allocator and tracks it. A range that overlaps a tracked live
     * allocation without being it, or overlaps a region freed through this wrapper, is rejected.
     */
    @Override
    public Slice slice(long offset, long length) throws IOException {
        return rebuild(offset, length, candidate -> {
            if (length == 0) {
                throw new IllegalArgumentException("a zero-length handle at " + offset + " cannot be checked");
            }
            Slice same = live.get(offset);
            if (same != null && same.length() == length) {
                return;
            }
            requireUnfreed(candidate, "rebuilt");
            List<Slice> clash = liveOverlapping(candidate.offset(), candidate.end());
            if (!clash.isEmpty()) {
                throw new IllegalArgumentException("rebuilt " + range(candidate) + " overlaps the live allocation "
                        + range(clash.getFirst()));
            }
            live.put(offset, inner.slice(offset, length));
        });
    }

    /** Closes the inner allocator, and so the stack. */
    @Override
    public void close() throws IOException {
        try {
            inner.close();
        } finally {
            super.close();
        }
    }

    @Override
    public String toString() {
        return "CheckingAllocator[" + inner + "]";
    }

    // ---------------------------------------------------------------- tracking (caller holds the lock)

    /** Tracks a region the inner allocator just handed out; returns the wrapper's handle for it. */
    final Slice adopt(Slice made) {
        if (made.isNull()) {
            return nullSlice();
        }
        List<Slice> clash = liveOverlapping(made.offset(), made.end());
        if (!clash.isEmpty()) {
            throw new IllegalStateException(inner + " handed out " + range(made) + ", which overlaps the live "
                    + "allocation " + range(clash.getFirst()));
        }
        forgetFreed(made.offset(), made.end());
        live.put(made.offset(), made);
        return handle(made.offset(), made.length());
    }

    /**
     * The inner handle of the live allocation {@code slice} (a non-null handle of this wrapper) names, checked
     * before anything changes: part of one live allocation is a partial free, several of them a spanning free, a
     * region freed earlier a double free.
     */
    final Slice liveHandle(Slice slice, String call) {
        Slice same = live.get(slice.offset());
        if (same != null && same.length() == slice.length()) {
            return same;
        }
        List<Slice> clash = liveOverlapping(slice.offset(), slice.end());
        if (clash.size() == 1) {
            throw new IllegalArgumentException("partial " + call + " of " + range(slice) + ": the live allocation "
                    + "it overlaps is " + range(clash.getFirst()));
        }
        if (clash.size() > 1) {
            throw new IllegalArgumentException(call + " of " + range(slice) + " spans the live allocations "
                    + range(clash.getFirst()) + " and " + range(clash.get(1))
                    + (clash.size() > 2 ? " and " + (clash.size() - 2) + " more" : ""));
        }
        requireUnfreed(slice, "double " + call + " of");
        throw new IllegalArgumentException(call + " of " + range(slice) + ", which is no allocation this wrapper "
                + "handed out or rebuilt");
    }

    /** Moves a live region the inner allocator took back to the freed regions. */
    final void release(Slice old) {
        if (live.remove(old.offset(), old)) {
            freed.put(old.offset(), old.end());
        }
    }

    private void requireUnfreed(Slice slice, String what) {
        Map.Entry<Long, Long> last = freed.lowerEntry(slice.end());
        if (last != null && last.getValue() > slice.offset()) {
            throw new IllegalArgumentException(what + " " + range(slice) + ": it overlaps [" + last.getKey() + ", "
                    + last.getValue() + "), freed earlier");
        }
    }

    /** Live regions overlapping {@code [start, end)}, in address order. */
    private List<Slice> liveOverlapping(long start, long end) {
        List<Slice> out = new ArrayList<>();
        Map.Entry<Long, Slice> first = live.floorEntry(start);
        if (first != null && first.getValue().end() > start) {
            out.add(first.getValue());
        }
        out.addAll(live.subMap(start, false, end, false).values());
        return out;
    }

    /** Drops {@code [start, end)} from the freed regions, keeping the parts of them outside it. */
    private void forgetFreed(long start, long end) {
        Map.Entry<Long, Long> first = freed.lowerEntry(start);
        if (first != null && first.getValue() > start) {
            freed.put(first.getKey(), start);
            if (first.getValue() > end) {
                freed.put(end, first.getValue());
            }
        }
        for (Map.Entry<Long, Long> e : new ArrayList<>(freed.subMap(start, true, end, false).entrySet())) {
            freed.remove(e.getKey());
            if (e.getValue() > end) {
                freed.put(end, e.getValue());
            }
        }
    }

    private static String range(Slice slice) {
        return "[" + slice.offset() + ", " + slice.end() + ")";
    }

    /** The wrapper of a bulk allocator: a bulk call is checked as the single calls it replaces. */
    private static final class Bulk extends CheckingAllocator implements BulkAllocator {
        private final BulkAllocator bulk;

        Bulk(AbstractAllocator inner, BulkAllocator bulk) {
            super(inner);
            this.bulk = bulk;
        }

        @Override
        public List<Slice> allocBulk(long... lengths) throws IOException {
            Objects.requireNonNull(lengths, "lengths");
            checkOpen();
            lock.lock();
            try {
                List<Slice> made = bulk.allocBulk(lengths);
                List<Slice> out = new ArrayList<>(made.size());
                for (Slice slice : made) {
                    out.add(adopt(slice));
                }
                return out;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void deallocBulk(Collection<Slice> slices) throws IOException {
            Objects.requireNonNull(slices, "slices");
            lock.lock();
            try {
                List<Slice> handles = new ArrayList<>(slices.size());
                for (Slice slice : slices) {
                    if (!checkHandle(slice, "slice").isNull()) {
                        Slice handle = liveHandle(slice, "free");
                        if (handles.contains(handle)) {
                            throw new IllegalArgumentException("deallocBulk names " + range(handle) + " twice");
                        }
                        handles.add(handle);
                    }
                }
                bulk.deallocBulk(handles);
                handles.forEach(this::release);
            } finally {
                lock.unlock();
            }
        }
    }
}
