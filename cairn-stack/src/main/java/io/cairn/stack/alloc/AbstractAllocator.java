package io.cairn.stack.alloc;

import io.cairn.stack.BStack;
import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.FormatHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongUnaryOperator;

/**
 * What every allocator in this package shares: the owned stack, the close protocol, the {@link Allocator}
 * contract of {@code alloc}/{@code realloc}/{@code dealloc}/{@code verify} (held once here as template methods;
 * implementations override only the {@link #allocate}, {@link #free}, {@link #resize} and {@link #inspect} hooks),
 * the handle-origin check, the lock that serialises multi-call structure changes, the header checks of
 * {@code create} and {@code open} (so each format fails the same way with the same messages), and little-endian
 * field access and alignment math.
 *
 * <p>The public methods are not {@code final}: javac bridges only non-final ones into the public subclasses, and
 * without a bridge, reflection through a subclass ({@code getMethod("alloc", long.class)}) cannot call them.
 */
abstract class AbstractAllocator implements Allocator {
    /** Largest range a single {@code byte[]} can hold. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** A payload length no stack reaches (file offsets stay below {@link Long#MAX_VALUE}): the bound of every request. */
    static final long MAX_PAYLOAD = Long.MAX_VALUE - 64;
    /** Largest buffer one free-chain write uses. */
    private static final long CHAIN_CHUNK = 16 << 20;
    /** Largest buffer one zeroing write, copy or zero check uses. */
    static final int IO_CHUNK = 1 << 20;

    final BStack stack;
    /** Serialises operations that change the allocator's structure with more than one stack call. */
    final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closed;
    /** The I/O error that stopped structure changes (see {@link #changing}), or null; guarded by the lock. */
    private IOException failure;

    AbstractAllocator(BStack stack) {
        this.stack = Objects.requireNonNull(stack, "stack");
    }

    @Override
    public BStack stack() {
        checkOpen();
        return stack;
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                stack.close();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Checks the arguments, then hands a positive length to {@link #allocate}; {@code 0} is the null slice. */
    @Override
    public Slice alloc(long length) throws IOException {
        checkOpen();
        checkLength(length, "length");
        return length == 0 ? nullSlice() : allocate(length);
    }

    /**
     * Checks the handle and the length, then dispatches: the null slice is an {@link #alloc}, a zero length a
     * {@link #free} returning the null slice, anything else a {@link #resize}.
     */
    @Override
    public Slice realloc(Slice slice, long newLength) throws IOException {
        checkHandle(slice, "slice");
        checkLength(newLength, "newLength");
        if (slice.isNull()) {
            return alloc(newLength);
        }
        if (newLength == 0) {
            free(slice);
            return nullSlice();
        }
        return resize(slice, newLength);
    }

    /** Checks the handle, then hands anything but the null slice (a no-op) to {@link #free}. */
    @Override
    public void dealloc(Slice slice) throws IOException {
        checkHandle(slice, "slice");
        if (!slice.isNull()) {
            free(slice);
        }
    }

    /**
     * Builds the report under the lock, so it sees no structure change half done, and checks the open state under
     * it too, so a concurrent {@link #close} cannot close the stack while {@link #inspect} reads it.
     */
    @Override
    public AllocatorReport verify() throws IOException {
        lock.lock();
        try {
            checkOpen();
            return inspect();
        } finally {
            lock.unlock();
        }
    }

    /** The report of {@link #verify()}; the caller holds the lock and has checked the open state. */
    abstract AllocatorReport inspect() throws IOException;

    /** Allocates {@code length > 0} zeroed bytes (arguments and the open state already checked). */
    abstract Slice allocate(long length) throws IOException;

    /**
     * Frees {@code slice}, a non-null handle of this instance not yet checked against the structure: the hook
     * checks it, under the lock its change takes where a concurrent change could make the answer stale.
     */
    abstract void free(Slice slice) throws IOException;

    /**
     * Resizes {@code slice} (a non-null handle of this instance, validated by the hook as in {@link #free}) to
     * {@code newLength > 0}; returns the handle that replaces it.
     */
    abstract Slice resize(Slice slice, long newLength) throws IOException;

    /** A structure change run by {@link #changing}. */
    @FunctionalInterface
    interface Change<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code change} under the lock. An {@link IOException} from it stops every later change (see
     * {@link #beginChange}): a change of several stack calls may have been cut between two of them, a state that
     * recovery repairs on the next open but that the running instance must not build on.
     */
    final <T> T changing(Change<T> change) throws IOException {
        lock.lock();
        try {
            return change.run();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Checks, inside {@link #changing}, that the structure may change: open, writable, and not stopped by an
     * earlier I/O error.
     */
    final void beginChange() throws IOException {
        checkOpen();
        if (stack.isReadOnly()) {
            throw new UnsupportedOperationException(stack.path() + " is open read-only");
        }
        if (failure != null) {
            throw new IOException(this + " stopped after an I/O error and must be reopened", failure);
        }
    }

    /** Throws {@link IllegalStateException} once closed. */
    final void checkOpen() {
        if (closed) {
            throw new IllegalStateException(getClass().getSimpleName() + " over " + stack.path() + " is closed");
        }
    }

    /**
     * Checks that {@code slice} is a handle this instance made (not a view, not another instance's), before any
     * change. Range and structure checks are the implementation's.
     */
    final Slice checkHandle(Slice slice, String name) {
        Objects.requireNonNull(slice, name);
        checkOpen();
        if (slice.owner() != this) {
            throw new IllegalArgumentException(name + " " + slice + " was made by another allocator instance");
        }
        if (slice.isView()) {
            throw new IllegalArgumentException(name + " " + slice + " is a sub-slice view, not an allocation handle");
        }
        return slice;
    }

    /**
     * Rejects a non-empty stack for {@code create} of {@code type}: the layout starts at payload offset 0, so bytes
     * already there belong to something else, or to an allocator to {@code open}.
     */
    static void requireEmpty(BStack stack, Class<? extends Allocator> type) throws IOException {
        if (!stack.isEmpty()) {
            throw new IllegalArgumentException("stack " + stack.path() + " is not empty (" + stack.length()
                    + " bytes); use " + type.getSimpleName() + ".open");
        }
    }

    /**
     * The length of the stack {@code open} of {@code type} reads; an empty one is the caller's mistake (nothing
     * was created there), not damage.
     */
    static long requireExisting(BStack stack, Class<? extends Allocator> type) throws IOException {
        long length = stack.length();
        if (length == 0) {
            throw new IllegalArgumentException("stack " + stack.path() + " is empty; use " + type.getSimpleName()
                    + ".create");
        }
        return length;
    }

    /** Rejects a block size for {@code create} outside {@code [min, MAX_ARRAY]}: a block is read as one array. */
    static void checkBlockSize(long blockSize, long min) {
        if (blockSize < min || blockSize > MAX_ARRAY) {
            throw new IllegalArgumentException("blockSize must be in [" + min + ", " + MAX_ARRAY + "]: " + blockSize);
        }
    }

    /**
     * Reads the first {@code headerSize} bytes of an existing allocator of {@code format} and checks them with the
     * shared header check: a shorter stack or another magic at {@code magicOffset} is a
     * {@link CorruptedStoreException}, a version this code does not read a
     * {@link io.cairn.stack.FormatVersionException}.
     */
    static byte[] readHeader(BStack stack, FormatHeader format, long magicOffset, long headerSize)
            throws IOException {
        format.checkSize(stack.path(), stack.length(), headerSize);
        byte[] header = stack.get(0, headerSize);
        format.check(stack.path(), magicOffset, header, (int) magicOffset);
        return header;
    }

    /**
     * The largest allocation this allocator can describe: its backing (rounding and per-block overhead included)
     * stays at most {@link #MAX_PAYLOAD}, so the arithmetic on it cannot overflow.
     */
    abstract long maxLength();

    /** Rejects a negative length, or one above {@link #maxLength()}, before any change. */
    final void checkLength(long length, String name) {
        if (length < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + length);
        }
        if (length > maxLength()) {
            throw new IllegalArgumentException(name + " " + length + " is larger than the largest allocation of "
                    + getClass().getSimpleName() + ", " + maxLength() + " bytes");
        }
    }

    /** Validates a rebuilt handle against the structure, under the lock. */
    @FunctionalInterface
    interface LiveCheck {
        void check(Slice candidate) throws IOException;
    }

    /** The bytes of the stack a live handle occupies; may reject the handle. */
    @FunctionalInterface
    interface Backing {
        long bytes(Slice slice) throws IOException;
    }

    /**
     * The front half of every bulk free: checks each handle, drops null slices, sorts the rest by offset and
     * merges adjacent ones into runs {@code {offset, bytes}} of their backing. A slice given twice or overlapping
     * another is an {@link IllegalArgumentException}, raised before anything changes.
     */
    final List<long[]> contiguousRuns(Collection<Slice> slices, Backing backing) throws IOException {
        Objects.requireNonNull(slices, "slices");
        List<Slice> sorted = new ArrayList<>(slices.size());
        for (Slice slice : slices) {
            if (!checkHandle(slice, "slice").isNull()) {
                sorted.add(slice);
            }
        }
        sorted.sort(Comparator.comparingLong(Slice::offset));
        List<long[]> runs = new ArrayList<>();
        for (Slice slice : sorted) {
            long bytes = backing.bytes(slice);
            long[] last = runs.isEmpty() ? null : runs.getLast();
            long lastEnd = last == null ? Long.MIN_VALUE : last[0] + last[1];
            if (slice.offset() < lastEnd) {
                throw new IllegalArgumentException("slice " + slice + " overlaps or repeats another slice of the"
                        + " same call");
            }
            if (slice.offset() == lastEnd) {
                last[1] += bytes;
            } else {
                runs.add(new long[] {slice.offset(), bytes});
            }
        }
        return runs;
    }

    /**
     * The shared body of {@link #slice(long, long)}: {@code (0, 0)} is the null slice, anything else becomes a
     * handle only once {@code check} (run under the lock) accepts it.
     */
    final Slice rebuild(long offset, long length, LiveCheck check) throws IOException {
        checkOpen();
        if (offset == 0 && length == 0) {
            return nullSlice();
        }
        Slice candidate = Slice.of(this, offset, length);
        lock.lock();
        try {
            check.check(candidate);
        } finally {
            lock.unlock();
        }
        return candidate;
    }

    /** Zeroes the bytes a grow inside the same backing exposes: they may hold an older, longer allocation's. */
    final void zeroGrowth(Slice slice, long newLength) throws IOException {
        zeroRange(slice.end(), newLength - slice.length());
    }

    /** Zeroes {@code n} bytes at {@code offset} in writes of at most {@link #IO_CHUNK} bytes. */
    final void zeroRange(long offset, long n) throws IOException {
        for (long done = 0; done < n; done += IO_CHUNK) {
            stack.zero(offset + done, Math.min(IO_CHUNK, n - done));
        }
    }

    /** Copies {@code n} bytes from payload offset {@code from} to {@code to} in writes of at most {@link #IO_CHUNK}. */
    final void copy(long from, long to, long n) throws IOException {
        for (long done = 0; done < n; done += IO_CHUNK) {
            stack.set(to + done, stack.get(from + done, from + done + Math.min(IO_CHUNK, n - done)));
        }
    }

    /** Reads {@code n} bytes at payload offset {@code from} into {@code into[at, at + n)}; nothing when {@code n == 0}. */
    final void readInto(long from, byte[] into, int at, long n) throws IOException {
        if (n > 0) {
            stack.getInto(from, ByteBuffer.wrap(into, at, (int) n));
        }
    }

    /** The offset of the first non-zero byte in {@code [from, to)}, or -1 if all are zero; reads in chunks. */
    final long firstNonZero(long from, long to) throws IOException {
        for (long at = from; at < to; at += IO_CHUNK) {
            byte[] chunk = stack.get(at, Math.min(to, at + IO_CHUNK));
            for (int i = 0; i < chunk.length; i++) {
                if (chunk[i] != 0) {
                    return at + i;
                }
            }
        }
        return -1;
    }

    /**
     * The total backing of a bulk allocation, each length rounded by {@code backing}; rejects, by index, a length
     * {@link #checkLength} rejects and a total above {@link #MAX_PAYLOAD}.
     */
    final long bulkBacking(long[] lengths, LongUnaryOperator backing) {
        long total = 0;
        for (int i = 0; i < lengths.length; i++) {
            checkLength(lengths[i], "lengths[" + i + "]");
            long bytes = backing.applyAsLong(lengths[i]);
            if (bytes > MAX_PAYLOAD - total) {
                throw new IllegalArgumentException("lengths total more than " + MAX_PAYLOAD + " bytes of backing at "
                        + "lengths[" + i + "] = " + lengths[i]);
            }
            total += bytes;
        }
        return total;
    }

    /** Cuts consecutive handles from {@code at}, one per length (null slices for zero lengths). */
    final List<Slice> carve(long at, long[] lengths, LongUnaryOperator backing) {
        List<Slice> out = new ArrayList<>(lengths.length);
        for (long length : lengths) {
            out.add(length == 0 ? nullSlice() : handle(at, length));
            at += backing.applyAsLong(length);
        }
        return out;
    }

    final Slice handle(long offset, long length) {
        return Slice.of(this, offset, length);
    }

    final Slice nullSlice() {
        return Slice.nullOf(this);
    }

    final long readLong(long offset) throws IOException {
        byte[] b = new byte[8];
        stack.getInto(offset, b);
        return getLong(b, 0);
    }

    final void writeLong(long offset, long value) throws IOException {
        stack.set(offset, longBytes(value));
    }

    /**
     * Links {@code count} contiguous blocks of {@code blockSize} bytes from {@code first} into a free chain:
     * each block's pointer at {@code linkAt} names its successor, the last names {@code next}; bytes between the
     * pointers become zero. Written back to front in bounded chunks; returns {@code first}, the new chain head.
     * The caller publishes the head afterwards, so a crash before that only leaks the blocks.
     */
    final long chainBlocks(long first, long count, long blockSize, int linkAt, long next) throws IOException {
        long perChunk = Math.max(1, CHAIN_CHUNK / blockSize);
        for (long end = count; end > 0; end -= perChunk) {
            long from = Math.max(0, end - perChunk);
            long n = end - from;
            byte[] chain = new byte[arraySize((n - 1) * blockSize + linkAt + 8, "a free-list chain")];
            for (long i = 0; i < n; i++) {
                putLong(chain, (int) (i * blockSize) + linkAt, i == n - 1 ? next : first + (from + i + 1) * blockSize);
            }
            stack.set(first + from * blockSize, chain);
            next = first + from * blockSize;
        }
        return next;
    }

    static long getLong(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(at);
    }

    static void putLong(byte[] b, int at, long value) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at, value);
    }

    static int getInt(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(at);
    }

    static void putInt(byte[] b, int at, int value) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
    }

    static byte[] longBytes(long value) {
        byte[] b = new byte[8];
        putLong(b, 0, value);
        return b;
    }

    static boolean isPowerOfTwo(long value) {
        return value > 0 && (value & (value - 1)) == 0;
    }

    /** {@code value} rounded up to a multiple of {@code alignment} (a power of two); overflow is rejected. */
    static long alignUp(long value, long alignment) {
        long mask = alignment - 1;
        long aligned = (value + mask) & ~mask;
        if (aligned < value) {
            throw new IllegalArgumentException(value + " cannot be aligned to " + alignment + " without overflow");
        }
        return aligned;
    }

    /** {@code ceil(value / divisor)} for non-negative values. */
    static long ceilDiv(long value, long divisor) {
        return Math.ceilDiv(value, divisor);
    }

    /** Bounds a buffer size taken from an operation or from disk before allocating it. */
    static int arraySize(long n, String what) {
        if (n < 0 || n > MAX_ARRAY) {
            throw new IllegalArgumentException(what + " of " + n + " bytes does not fit in one buffer (max "
                    + MAX_ARRAY + ")");
        }
        return (int) n;
    }

    /** A stored checksum, as corruption errors show it. */
    static String crc(int value) {
        return String.format("CRC32C %08x", value);
    }

    /** A raw 8-byte word read from the arena, as corruption errors show it. */
    static String word(long value) {
        return "0x" + Long.toHexString(value);
    }

    /** A corruption error with its fields: {@code what} at payload {@code offset} was {@code found}, not {@code expected}. */
    final CorruptedStoreException corrupted(long offset, String what, String expected, String found) {
        return new CorruptedStoreException(stack.path(), offset, what, expected, found);
    }
}
