package io.cairn.stack.alloc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A region {@code [offset, offset + length)} of an allocator's stack payload: the handle of one allocation, or a
 * {@linkplain #subslice view} into one.
 *
 * <p>A slice remembers the allocator instance that made it, so {@link Allocator#realloc} and
 * {@link Allocator#dealloc} can reject handles of another instance. Two slices are equal when they come from the
 * same allocator instance and cover the same range with the same kind (handle or view). Handles do not survive
 * a restart as objects: store {@link #offset()} and {@link #length()} (or {@link #toBytes()}) and rebuild the
 * handle with {@link Allocator#slice(long, long)}.
 *
 * <p>Every write is one durable stack write. Ranges are checked against the slice, never the stack: a write
 * past the end of the slice is an {@link IndexOutOfBoundsException}, except {@link #write(byte[])}, which
 * writes as much as fits.
 */
public final class Slice {
    /** Size of {@link #toBytes()}: offset u64 LE, then length u64 LE. */
    public static final int SERIALIZED_SIZE = 16;
    /** Largest range a single {@code byte[]} can hold. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final Allocator owner;
    private final long offset;
    private final long length;
    private final boolean view;

    private Slice(Allocator owner, long offset, long length, boolean view) {
        this.owner = owner;
        this.offset = offset;
        this.length = length;
        this.view = view;
    }

    /** A handle made by {@code owner}; allocators call this only for ranges they know to be live. */
    static Slice of(Allocator owner, long offset, long length) {
        Objects.requireNonNull(owner, "owner");
        if (offset < 0 || length < 0 || offset + length < 0) {
            throw new IllegalArgumentException("slice [" + offset + ", +" + length + ") is not a valid range");
        }
        return new Slice(owner, offset, length, false);
    }

    /** The null slice {@code (0, 0)} of {@code owner}. */
    static Slice nullOf(Allocator owner) {
        return of(owner, 0, 0);
    }

    /** The allocator instance that made this slice. */
    Allocator owner() {
        return owner;
    }

    /** Whether this is a sub-range view rather than an allocation handle; views cannot be resized or freed. */
    boolean isView() {
        return view;
    }

    /** The payload offset of the first byte. */
    public long offset() {
        return offset;
    }

    /** The number of bytes. */
    public long length() {
        return length;
    }

    /** The payload offset just past the last byte. */
    public long end() {
        return offset + length;
    }

    /** Whether this is the null slice {@code (0, 0)} that {@code alloc(0)} returns. */
    public boolean isNull() {
        return offset == 0 && length == 0;
    }

    /** The whole slice. */
    public byte[] read() throws IOException {
        checkArray(length);
        return owner.stack().get(offset, end());
    }

    /** Reads the first {@code min(dst.length, length())} bytes into {@code dst}; returns how many. */
    public int readInto(byte[] dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        int n = (int) Math.min(dst.length, length);
        if (n == dst.length) {
            owner.stack().getInto(offset, dst);
        } else {
            byte[] part = owner.stack().get(offset, offset + n);
            System.arraycopy(part, 0, dst, 0, n);
        }
        return n;
    }

    /** Fills {@code dst} from slice position {@code start}. */
    public void readRange(long start, byte[] dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        checkRange(start, dst.length, "readRange");
        owner.stack().getInto(offset + start, dst);
    }

    /** Writes the first {@code min(data.length, length())} bytes of {@code data} at the start; returns how many. */
    public int write(byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        int n = (int) Math.min(data.length, length);
        owner.stack().set(offset, n == data.length ? data : Arrays.copyOf(data, n));
        return n;
    }

    /** Writes all of {@code data} at slice position {@code start}. */
    public void writeRange(long start, byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        checkRange(start, data.length, "writeRange");
        owner.stack().set(offset + start, data);
    }

    /** Overwrites the whole slice with zeros. */
    public void zero() throws IOException {
        owner.stack().zero(offset, length);
    }

    /** Overwrites {@code n} bytes from slice position {@code start} with zeros. */
    public void zeroRange(long start, long n) throws IOException {
        checkRange(start, n, "zeroRange");
        owner.stack().zero(offset + start, n);
    }

    /**
     * A view of {@code [start, end)} of this slice, for I/O only: it cannot be passed to {@code realloc} or
     * {@code dealloc}. The whole range returns this slice.
     */
    public Slice subslice(long start, long end) {
        if (start < 0 || end < start || end > length) {
            throw new IndexOutOfBoundsException("subslice [" + start + ", " + end + ") outside [0, " + length
                    + "] or reversed");
        }
        if (start == 0 && end == length) {
            return this;
        }
        return new Slice(owner, offset + start, end - start, true);
    }

    /** A stream over the slice's bytes, from its start. */
    public InputStream newInputStream() {
        return new SliceInputStream(this);
    }

    /**
     * A stream that writes the slice from its start; each write is one durable stack write (wrap it in a buffer
     * to batch). Writing past the end of the slice throws an {@link IOException} and writes nothing.
     */
    public OutputStream newOutputStream() {
        return new SliceOutputStream(this);
    }

    /** The 16-byte serialisation: offset u64 LE, then length u64 LE (the reference's layout). */
    public byte[] toBytes() {
        return ByteBuffer.allocate(SERIALIZED_SIZE).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(offset).putLong(length).array();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Slice other && other.owner == owner && other.offset == offset
                && other.length == length && other.view == view;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(offset) * 31 + Long.hashCode(length) + System.identityHashCode(owner);
    }

    @Override
    public String toString() {
        return (view ? "SliceView[" : "Slice[") + offset + ", +" + length + "]";
    }

    private void checkRange(long start, long n, String op) {
        if (start < 0 || n < 0 || start > length || n > length - start) {
            throw new IndexOutOfBoundsException(op + " of " + n + " bytes at " + start + " outside the slice's "
                    + length + " bytes");
        }
    }

    private static void checkArray(long n) {
        if (n > MAX_ARRAY) {
            throw new IllegalArgumentException("a slice of " + n + " bytes does not fit in a byte[]; use readRange");
        }
    }

    /** Reads a slice sequentially. */
    private static final class SliceInputStream extends InputStream {
        private final Slice slice;
        private long position;

        SliceInputStream(Slice slice) {
            this.slice = slice;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            long left = slice.length - position;
            if (left <= 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            byte[] chunk = new byte[n];
            slice.readRange(position, chunk);
            System.arraycopy(chunk, 0, b, off, n);
            position += n;
            return n;
        }

        @Override
        public long skip(long n) {
            long skipped = Math.max(0, Math.min(n, slice.length - position));
            position += skipped;
            return skipped;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, slice.length - position);
        }
    }

    /** Writes a slice sequentially; refuses to write past its end. */
    private static final class SliceOutputStream extends OutputStream {
        private final Slice slice;
        private long position;

        SliceOutputStream(Slice slice) {
            this.slice = slice;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len > slice.length - position) {
                throw new IOException("writing " + len + " bytes at position " + position + " overflows the slice's "
                        + slice.length + " bytes");
            }
            slice.writeRange(position, Arrays.copyOfRange(b, off, off + len));
            position += len;
        }
    }
}
