package io.cairn.stack.alloc;

import io.cairn.stack.BStack;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A persistent allocator: it owns a {@link BStack} and hands out regions of its payload as {@link Slice}s that
 * survive restarts.
 *
 * <p><b>Contract.</b> {@link #alloc} returns zeroed, durable memory; {@code alloc(0)} returns the null slice
 * {@code (0, 0)} without I/O. {@link #realloc} and {@link #dealloc} accept only handles this allocator instance
 * made (from {@code alloc}, {@code realloc} or {@link #slice(long, long)}); a handle of another instance, a
 * {@linkplain Slice#subslice sub-slice view} or a forged handle is rejected with {@link IllegalArgumentException}
 * before anything changes. The null slice is accepted: {@code realloc} of it is an {@code alloc}, {@code dealloc}
 * of it does nothing.
 *
 * <p><b>After a restart</b> the caller rebuilds handles with {@link #slice(long, long)} from the offset and length
 * it stored (or {@link #slice(byte[])} from {@link Slice#toBytes()}): a persistent allocator whose allocations
 * cannot be freed after a restart would be useless.
 *
 * <p><b>Crashes</b> leave at most a leak (documented per implementation), never a damaged structure or a damaged
 * live allocation. <b>Threads:</b> every implementation is safe for concurrent use.
 *
 * <p>{@link #close()} closes the stack; it is idempotent, and every other method then throws
 * {@link IllegalStateException}.
 */
public interface Allocator extends AutoCloseable {

    /** The stack this allocator manages (owned by the allocator: closing the allocator closes it). */
    BStack stack();

    /**
     * Allocates {@code length} zeroed bytes, durable before this returns.
     *
     * @throws IllegalArgumentException if {@code length} is negative or larger than this allocator supports
     */
    Slice alloc(long length) throws IOException;

    /**
     * Resizes an allocation, keeping its first {@code min(old, new)} bytes; bytes beyond the old length read as
     * zeros. The returned handle replaces {@code slice}, which must not be used again (it may have moved).
     * {@code newLength == 0} frees the allocation and returns the null slice.
     *
     * @throws IllegalArgumentException if {@code slice} is not a live handle of this allocator, or
     *                                  {@code newLength} is negative or unsupported
     */
    Slice realloc(Slice slice, long newLength) throws IOException;

    /**
     * Frees an allocation. The handle must not be used again.
     *
     * @throws IllegalArgumentException if {@code slice} is not a handle of this allocator (and, where the
     *                                  structure can tell, if it is already free)
     */
    void dealloc(Slice slice) throws IOException;

    /**
     * A full consistency check of the on-disk structure. Problems are listed in the report, never thrown; only
     * an I/O failure throws.
     */
    AllocatorReport verify() throws IOException;

    /**
     * Rebuilds the handle of a live allocation, typically after a reopen, from its stored offset and length. The
     * handle is usable for I/O, {@link #realloc} and {@link #dealloc}. {@code (0, 0)} gives the null slice.
     *
     * @throws IllegalArgumentException if the structure shows the range cannot be a live allocation (out of
     *                                  bounds, misaligned, inside a free block where detectable)
     */
    Slice slice(long offset, long length) throws IOException;

    /** {@link #slice(long, long)} from the 16 bytes of {@link Slice#toBytes()}. */
    default Slice slice(byte[] serialized) throws IOException {
        Objects.requireNonNull(serialized, "serialized");
        if (serialized.length != Slice.SERIALIZED_SIZE) {
            throw new IllegalArgumentException("a serialized slice has " + Slice.SERIALIZED_SIZE
                    + " bytes, got " + serialized.length);
        }
        ByteBuffer buf = ByteBuffer.wrap(serialized).order(ByteOrder.LITTLE_ENDIAN);
        return slice(buf.getLong(0), buf.getLong(8));
    }

    /** Closes the stack. Idempotent. */
    @Override
    void close() throws IOException;
}
