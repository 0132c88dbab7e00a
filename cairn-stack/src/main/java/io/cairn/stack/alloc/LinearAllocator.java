package io.cairn.stack.alloc;

import io.cairn.stack.BStack;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A bump allocator: every allocation is appended at the stack's tail, and only the tail allocation can be freed
 * (discarded) or resized. The stack has no header, so any stack can be used; freeing anything but the tail is a
 * no-op (the bytes stay until the stack is discarded).
 *
 * <p><b>Crash behaviour.</b> Every operation is at most one stack call, so it inherits the stack's atomicity:
 * <table>
 * <caption>operation, stack calls, what a crash can leave</caption>
 * <tr><th>operation</th><th>stack calls</th><th>crash leaves</th></tr>
 * <tr><td>alloc / allocBulk</td><td>{@code extend}</td><td>before or after</td></tr>
 * <tr><td>dealloc / deallocBulk of the tail run</td><td>{@code tryDiscard}</td><td>before or after</td></tr>
 * <tr><td>dealloc elsewhere</td><td>none</td><td>nothing to lose (the region was never reclaimable)</td></tr>
 * <tr><td>realloc of the tail</td><td>{@code tryExtendZeros} or {@code tryDiscard}</td><td>before or after</td></tr>
 * </table>
 *
 * <p><b>Threads.</b> Tail operations are compare-and-act calls on the stack ({@code tryExtendZeros},
 * {@code tryDiscard}); a {@code realloc} that loses the tail to another thread throws
 * {@link UnsupportedOperationException}, a {@code dealloc} that loses it leaves the region in place.
 */
public final class LinearAllocator extends AbstractAllocator implements BulkAllocator {

    private LinearAllocator(BStack stack) {
        super(stack);
    }

    /** Manages {@code stack} as a bump allocator; its existing bytes are kept as they are. */
    public static LinearAllocator open(BStack stack) {
        return new LinearAllocator(stack);
    }

    @Override
    long maxLength() {
        return MAX_PAYLOAD;
    }

    @Override
    Slice allocate(long length) throws IOException {
        return handle(stack.extend(length), length);
    }

    /** Frees {@code slice} if it is the tail allocation (one discard); otherwise does nothing. */
    @Override
    void free(Slice slice) throws IOException {
        checkInStack(slice);
        stack.tryDiscard(slice.end(), slice.length());
    }

    /**
     * Resizes the tail allocation in place.
     *
     * @throws UnsupportedOperationException if {@code slice} is not (or no longer) the tail allocation
     */
    @Override
    Slice resize(Slice slice, long newLength) throws IOException {
        checkInStack(slice);
        long delta = newLength - slice.length();
        boolean done = delta == 0
                || (delta > 0 ? stack.tryExtendZeros(slice.end(), delta) : stack.tryDiscard(slice.end(), -delta));
        if (!done) {
            throw new UnsupportedOperationException("a linear allocator resizes only the tail allocation; " + slice
                    + " ends before the stack's tail " + stack.length());
        }
        return handle(slice.offset(), newLength);
    }

    /** One {@code extend} for all lengths; the slices are contiguous, in order. */
    @Override
    public List<Slice> allocBulk(long... lengths) throws IOException {
        Objects.requireNonNull(lengths, "lengths");
        checkOpen();
        return carve(stack.extend(bulkBacking(lengths, length -> length)), lengths, length -> length);
    }

    /**
     * Frees the slices that form a contiguous run ending at the stack's tail with one discard; the others stay
     * in place, as with {@link #dealloc}.
     */
    @Override
    public void deallocBulk(Collection<Slice> slices) throws IOException {
        List<long[]> runs = contiguousRuns(slices, slice -> {
            checkInStack(slice);
            return slice.length();
        });
        if (runs.isEmpty()) {
            return;
        }
        long[] last = runs.getLast();
        long end = last[0] + last[1];
        stack.tryDiscard(end, last[1]);
    }

    /** A linear stack has no structure: any range inside the stack can be an allocation. */
    @Override
    public Slice slice(long offset, long length) throws IOException {
        checkOpen();
        if (offset == 0 && length == 0) {
            return nullSlice();
        }
        if (offset < 0 || length < 0 || offset > stack.length() - length) {
            throw new IllegalArgumentException("slice [" + offset + ", +" + length + ") is outside the stack's "
                    + stack.length() + " bytes");
        }
        return handle(offset, length);
    }

    /** Nothing to check but the stack: live and leaked bytes are indistinguishable without metadata. */
    @Override
    AllocatorReport inspect() throws IOException {
        return new AllocatorReport("linear", stack.length(), 0, 0, OptionalLong.empty(), OptionalLong.empty(),
                List.of());
    }

    private void checkInStack(Slice slice) throws IOException {
        if (slice.end() > stack.length()) {
            throw new IllegalArgumentException("slice " + slice + " ends past the stack's " + stack.length()
                    + " bytes");
        }
    }
}
