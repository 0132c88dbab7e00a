package io.cairn.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A persistent, crash-safe binary stack in a single file: bytes are pushed at the tail, popped from the tail,
 * and read or overwritten anywhere below the committed length.
 *
 * <p><b>Format.</b> The reference bstack 0.1/0.2 format ({@link BStackFormat}): a 16-byte header holding the
 * magic and the committed length {@code clen}, then the payload. Offsets in this API are logical: offset 0 is
 * file byte 16.
 *
 * <p><b>Durability.</b> Under {@link Durability#SYNC} every mutation is forced (fdatasync) before it returns,
 * with exactly one force per mutation. Appends write the data and then {@code clen}; shrinking writes
 * {@code clen} and then truncates, so a crash at any point leaves a file that open repairs to the state before
 * or after the operation: open sets the length to {@code min(clen, fileSize - 16)} and makes the file agree.
 * {@link #pushAll} commits many records with one force, all or none.
 *
 * <p><b>Failures.</b> When a write fails, the mutation is rolled back (the overwritten bytes, the size and
 * {@code clen} restored from memory) and the stack stays usable. When a force fails, or a rollback fails, the
 * durable state is unknown: the handle is failed, every later mutation throws an {@link IOException}, and the
 * file must be reopened (a failed fsync is never retried).
 *
 * <p><b>Crash limits of the format.</b> An in-place overwrite ({@link #set}, {@link #zero}, {@link #swap},
 * {@link #cas}, {@link #process}) and a tail replacement that rewrites committed bytes ({@link #atrunc},
 * {@link #splice}, {@link #replace}) are single writes: a power failure in the middle of the write can leave
 * part of the new bytes on disk, because the 16-byte reference header has no room for a journal. Appends,
 * pops, discards, extends and {@link #pushAll} have no such window.
 *
 * <p><b>Concurrency.</b> Safe for many threads: reads are positional and run in parallel with each other;
 * mutations are serialised and exclude reads while they run, so a reader only ever sees committed bytes.
 * The file is locked: exclusively by a writer, shared by {@linkplain #openReadOnly read-only} handles.
 */
public final class BStack implements AutoCloseable {
    private static final byte[] EMPTY = new byte[0];
    /** Largest range a single {@code byte[]} result may hold. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** The buffer of a {@linkplain #push(InputStream) streamed push}. */
    private static final int STREAM_BUFFER = 1 << 20;

    private final StorageFile file;
    private final boolean readOnly;
    private final boolean sync;
    private final boolean forceOnClose;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final ByteBuffer clenBuffer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN); // write lock
    private volatile long length;
    /** The handle's lifecycle; changed only under the write lock, read anywhere. */
    private volatile State state = State.OPEN;
    /** The error that failed the handle; set with {@link State#FAILED}, under the write lock. */
    private IOException firstFailure;

    /** The explicit lifecycle of a handle. */
    private enum State {
        /** Usable. */
        OPEN,
        /**
         * A force or a rollback failed: what is durable is unknown. Every call but {@link #close} throws
         * {@link StoreFailedException} carrying the first error; reopening the file recovers it.
         */
        FAILED,
        /** Closed: every call but {@link #close} throws {@link IllegalStateException}. */
        CLOSED
    }
    private final BStackCheck opened;

    private BStack(StorageFile file, boolean readOnly, Durability durability, BStackCheck opened) {
        this.file = file;
        this.readOnly = readOnly;
        this.sync = durability == Durability.SYNC;
        this.forceOnClose = durability == Durability.ASYNC;
        this.opened = opened;
        this.length = opened.recoveredLength();
    }

    /** Opens (creating if missing) a durable, writable stack at {@code path}. */
    public static BStack open(Path path) throws IOException {
        return open(path, BStackOptions.defaults());
    }

    /** Opens an existing stack read-only: a shared lock, every mutation rejected. */
    public static BStack openReadOnly(Path path) throws IOException {
        return open(path, BStackOptions.defaults().withReadOnly(true));
    }

    /**
     * Opens a stack. A writable open creates a missing file, takes an exclusive lock (failing at once with
     * {@link StoreLockedException} if anyone holds the file), writes the header of an empty file, and repairs a
     * torn tail: the length becomes {@code min(clen, fileSize - 16)}. A read-only open takes a shared lock and
     * applies the same rule in memory without writing.
     *
     * @throws CorruptedStoreException if the file has 1 to 15 bytes or a foreign magic
     */
    public static BStack open(Path path, BStackOptions options) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        StorageFile file = options.io().openLocked(path,
                options.readOnly() ? StorageIo.OpenMode.READ_ONLY : StorageIo.OpenMode.READ_WRITE_CREATE);
        try {
            BStackCheck found = recover(file, options);
            return new BStack(file, options.readOnly(), options.durability(), found);
        } catch (IOException | RuntimeException e) {
            try {
                file.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Reads a stack file's header without changing the file and reports what a writable open would repair. Takes
     * a shared lock for the duration, so it fails with {@link StoreLockedException} while a writer holds the file.
     *
     * @throws CorruptedStoreException if the file has 1 to 15 bytes or a foreign magic
     */
    public static BStackCheck check(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        try (StorageFile file = StorageIo.fileSystem().openLocked(path, StorageIo.OpenMode.READ_ONLY)) {
            return inspect(file);
        }
    }

    /** Validates the header; the length is {@code min(clen, fileSize - 16)}, clen being unsigned on disk. */
    private static BStackCheck inspect(StorageFile file) throws IOException {
        long size = file.size();
        if (size == 0) {
            return new BStackCheck(file.path(), 0, "", 0, 0);
        }
        BStackFormat.HEADER.checkSize(file.path(), size, BStackFormat.HEADER_SIZE);
        byte[] header = new byte[BStackFormat.HEADER_SIZE];
        file.read(0, ByteBuffer.wrap(header));
        String version = BStackFormat.HEADER.check(file.path(), 0, header, 0).toString();
        long clen = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getLong(BStackFormat.CLEN_OFFSET);
        long available = size - BStackFormat.HEADER_SIZE;
        long length = Long.compareUnsigned(clen, available) < 0 ? clen : available;
        return new BStackCheck(file.path(), size, version, clen, length);
    }

    /**
     * Validates the header and brings the file to a consistent length; returns what it found. A torn push leaves
     * the file longer than clen, a torn pop shorter: both become {@code min(clen, fileSize - 16)}.
     */
    private static BStackCheck recover(StorageFile file, BStackOptions options) throws IOException {
        BStackCheck found = inspect(file);
        boolean writable = !options.readOnly();
        boolean force = options.durability() == Durability.SYNC;
        if (writable && !found.isConsistent()) {
            ByteBuffer header = ByteBuffer.allocate(BStackFormat.HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            if (found.needsHeader()) {
                // One write, so an interrupted creation leaves an empty file (a new stack), never a short header.
                file.write(0, header.put(BStackFormat.MAGIC).putLong(0).flip());
            } else {
                file.truncate(BStackFormat.HEADER_SIZE + found.recoveredLength());
                file.write(BStackFormat.CLEN_OFFSET, header.putLong(0, found.recoveredLength()).limit(8));
            }
            if (force) {
                file.force();
            }
        }
        return found;
    }

    /**
     * What open found in the file before it changed anything. When it is neither {@linkplain
     * BStackCheck#isConsistent consistent} nor {@linkplain BStackCheck#needsHeader empty}, a writable open repaired
     * the file as the check describes (cut a torn tail, lowered {@code clen}), so a tool can say what it repaired.
     */
    public BStackCheck opened() {
        return opened;
    }

    /** The stack's file. */
    public Path path() {
        return file.path();
    }

    /** Whether this handle rejects mutations. */
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * The committed payload length in bytes.
     *
     * @throws StoreFailedException if the handle failed
     */
    public long length() throws IOException {
        checkUsable();
        return length;
    }

    /** Whether the payload is empty. */
    public boolean isEmpty() throws IOException {
        return length() == 0;
    }

    // ---------------------------------------------------------------- appends

    /** Appends {@code data}; returns the offset it starts at (the old length). Empty data: no I/O. */
    public long push(byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        return push(ByteBuffer.wrap(data));
    }

    /** Appends the remaining bytes of {@code data} (its position is not moved); returns their offset. */
    public long push(ByteBuffer data) throws IOException {
        Objects.requireNonNull(data, "data");
        beginMutation();
        try {
            long offset = length;
            if (data.hasRemaining()) {
                commitTail(offset, data.duplicate(), 0, null);
            }
            return offset;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Appends everything {@code in} yields up to its end as one record; returns its offset. The bytes are written
     * past the committed length as they arrive, so memory stays bounded by one buffer whatever the size, and are
     * committed at the end with one length write and one force: a crash, a failed read or a failed write leaves
     * the stack as it was. The stack is locked for writing (and reading) until {@code in} ends.
     */
    public long push(InputStream in) throws IOException {
        Objects.requireNonNull(in, "in");
        beginMutation();
        try {
            long offset = length;
            long end = offset;
            ByteBuffer buffer = ByteBuffer.allocate(STREAM_BUFFER);
            try {
                for (int n; (n = in.read(buffer.array(), 0, STREAM_BUFFER)) >= 0; ) {
                    if (end + n > BStackFormat.MAX_LENGTH) {
                        throw new IllegalArgumentException("length would exceed " + BStackFormat.MAX_LENGTH + " bytes");
                    }
                    file.write(BStackFormat.HEADER_SIZE + end, buffer.clear().limit(n));
                    end += n;
                }
            } catch (IOException | RuntimeException e) {
                if (end > offset) {
                    IOException cause = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
                    IOException thrown = rollbackTail(cause, offset, offset, null);
                    if (thrown != cause) {
                        throw thrown; // the rollback failed too: the handle is failed
                    }
                }
                throw e;
            }
            if (end > offset) {
                commitTail(end, null, 0, null); // the streamed bytes already sit past the length: keep them
            }
            return offset;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Appends all {@code records} contiguously and commits them with a single force: after a crash either all
     * of them are present or none. Returns each record's offset, in order.
     */
    public long[] pushAll(List<byte[]> records) throws IOException {
        Objects.requireNonNull(records, "records");
        long total = 0;
        for (int i = 0; i < records.size(); i++) {
            byte[] r = records.get(i);
            if (r == null) {
                throw new NullPointerException("records contains null at index " + i);
            }
            total += r.length;
            if (total > MAX_ARRAY) {
                throw new IllegalArgumentException("records total more than " + MAX_ARRAY + " bytes: " + total);
            }
        }
        ByteBuffer all = ByteBuffer.allocate((int) total);
        long[] offsets = new long[records.size()];
        beginMutation();
        try {
            long at = length;
            for (int i = 0; i < offsets.length; i++) {
                offsets[i] = at;
                byte[] r = records.get(i);
                all.put(r);
                at += r.length;
            }
            if (total > 0) {
                commitTail(length, all.flip(), 0, null);
            }
            return offsets;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Appends {@code n} zero bytes; returns their offset. {@code n == 0} is a no-op. */
    public long extend(long n) throws IOException {
        requireNonNegative(n, "n");
        beginMutation();
        try {
            long offset = length;
            if (n > 0) {
                commitTail(offset, null, n, null);
            }
            return offset;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Appends {@code data} only if the length is {@code expectedLength}; returns whether it did. */
    public boolean tryExtend(long expectedLength, byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        beginMutation();
        try {
            if (length != expectedLength) {
                return false;
            }
            if (data.length > 0) {
                commitTail(length, ByteBuffer.wrap(data), 0, null);
            }
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Appends {@code n} zero bytes only if the length is {@code expectedLength}; returns whether it did. */
    public boolean tryExtendZeros(long expectedLength, long n) throws IOException {
        requireNonNegative(n, "n");
        beginMutation();
        try {
            if (length != expectedLength) {
                return false;
            }
            if (n > 0) {
                commitTail(length, null, n, null);
            }
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------- removals

    /** Removes and returns the last {@code n} bytes. {@code n == 0} returns an empty array. */
    public byte[] pop(int n) throws IOException {
        requireNonNegative(n, "n");
        beginMutation();
        try {
            checkTailCount(n, "pop");
            if (n == 0) {
                return EMPTY;
            }
            long keep = length - n;
            byte[] tail = readRange(keep, n);
            commitTail(keep, null, 0, null);
            return tail;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes the last {@code buf.length} bytes into {@code buf}. An empty buffer is a no-op. */
    public void popInto(byte[] buf) throws IOException {
        Objects.requireNonNull(buf, "buf");
        beginMutation();
        try {
            if (buf.length == 0) {
                return;
            }
            checkTailCount(buf.length, "popInto");
            long keep = length - buf.length;
            file.read(BStackFormat.HEADER_SIZE + keep, ByteBuffer.wrap(buf));
            commitTail(keep, null, 0, null);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes the last {@code n} bytes without reading them. {@code n == 0} is a no-op. */
    public void discard(long n) throws IOException {
        requireNonNegative(n, "n");
        beginMutation();
        try {
            checkTailCount(n, "discard");
            if (n > 0) {
                commitTail(length - n, null, 0, null);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Removes the last {@code n} bytes only if the length is {@code expectedLength}; returns whether it did. A
     * length mismatch returns false even when {@code n} exceeds the length.
     */
    public boolean tryDiscard(long expectedLength, long n) throws IOException {
        requireNonNegative(n, "n");
        beginMutation();
        try {
            if (length != expectedLength) {
                return false;
            }
            checkTailCount(n, "tryDiscard");
            if (n > 0) {
                commitTail(length - n, null, 0, null);
            }
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------- tail replacement

    /** Cuts {@code n} bytes off the tail and appends {@code data}, as one mutation. */
    public void atrunc(long n, byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        requireNonNegative(n, "n");
        beginMutation();
        try {
            checkTailCount(n, "atrunc");
            replaceTail(n, old -> data);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Like {@link #atrunc}, returning the removed tail. */
    public byte[] splice(long n, byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        requireNonNegative(n, "n");
        beginMutation();
        try {
            checkTailCount(n, "splice");
            return replaceTail(n, old -> data);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Like {@link #splice}, moving the removed tail into {@code removed} (whose length is the count removed).
     */
    public void spliceInto(byte[] removed, byte[] data) throws IOException {
        Objects.requireNonNull(removed, "removed");
        Objects.requireNonNull(data, "data");
        beginMutation();
        try {
            checkTailCount(removed.length, "spliceInto");
            byte[] old = replaceTail(removed.length, tail -> data);
            System.arraycopy(old, 0, removed, 0, old.length);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Reads the last {@code n} bytes, and replaces them with what {@code f} returns (longer, shorter or equal),
     * as one mutation. {@code f} is called even for {@code n == 0}, under the stack's lock: keep it short.
     */
    public void replace(long n, UnaryOperator<byte[]> f) throws IOException {
        Objects.requireNonNull(f, "f");
        requireNonNegative(n, "n");
        beginMutation();
        try {
            checkTailCount(n, "replace");
            replaceTail(n, f);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Replaces the last {@code n} bytes with {@code newTail} of a copy of them; returns the removed bytes. */
    private byte[] replaceTail(long n, UnaryOperator<byte[]> newTail) throws IOException {
        checkArraySize(n);
        byte[] old = readRange(length - n, (int) n);
        byte[] data = Objects.requireNonNull(newTail.apply(old.clone()), "replacement tail");
        if (n > 0 || data.length > 0) {
            commitTail(length - n, ByteBuffer.wrap(data), 0, old);
        }
        return old;
    }

    // ---------------------------------------------------------------- in-place writes

    /** Overwrites bytes at {@code offset} with {@code data}; never changes the length. Empty data is a no-op. */
    public void set(long offset, byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        beginMutation();
        try {
            if (data.length == 0) {
                return;
            }
            checkRange(offset, data.length, "set");
            overwrite(offset, data, readRange(offset, data.length));
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Overwrites {@code n} bytes at {@code offset} with zeros; never changes the length. */
    public void zero(long offset, long n) throws IOException {
        requireNonNegative(n, "n");
        beginMutation();
        try {
            if (n == 0) {
                return;
            }
            checkRange(offset, n, "zero");
            checkArraySize(n);
            overwrite(offset, new byte[(int) n], readRange(offset, (int) n));
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Overwrites bytes at {@code offset} with {@code data} and returns what was there. */
    public byte[] swap(long offset, byte[] data) throws IOException {
        Objects.requireNonNull(data, "data");
        beginMutation();
        try {
            if (data.length == 0) {
                return EMPTY;
            }
            checkRange(offset, data.length, "swap");
            byte[] old = readRange(offset, data.length);
            overwrite(offset, data, old);
            return old;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Writes {@code replacement} at {@code offset} only if the bytes there equal {@code expected}. Unequal array
     * lengths return false; two empty arrays return true; nothing is written on a mismatch.
     */
    public boolean cas(long offset, byte[] expected, byte[] replacement) throws IOException {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(replacement, "replacement");
        beginMutation();
        try {
            if (expected.length != replacement.length) {
                return false;
            }
            if (expected.length == 0) {
                return true;
            }
            checkRange(offset, expected.length, "cas");
            byte[] current = readRange(offset, expected.length);
            if (!Arrays.equals(current, expected)) {
                return false;
            }
            overwrite(offset, replacement, current);
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Reads {@code [start, end)}, lets {@code f} change the bytes in place, and writes them back, as one mutation.
     * An empty range calls {@code f} with an empty array and writes nothing.
     */
    public void process(long start, long end, Consumer<byte[]> f) throws IOException {
        Objects.requireNonNull(f, "f");
        beginMutation();
        try {
            checkStartEnd(start, end, "process");
            byte[] old = readRange(start, (int) (end - start));
            byte[] work = old.clone();
            f.accept(work);
            if (work.length > 0) {
                overwrite(start, work, old);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------- reads

    /** The bytes {@code [offset, length)}; {@code offset == length} gives an empty array. */
    public byte[] peek(long offset) throws IOException {
        lock.readLock().lock();
        try {
            checkUsable();
            long len = length;
            if (offset < 0 || offset > len) {
                throw new IndexOutOfBoundsException("peek offset " + offset + " outside [0, " + len + "]");
            }
            checkArraySize(len - offset);
            return readRange(offset, (int) (len - offset));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Fills {@code buf} from {@code offset}. An empty buffer is a no-op, before any check. */
    public void peekInto(long offset, byte[] buf) throws IOException {
        getInto(offset, buf);
    }

    /** The bytes {@code [start, end)}; {@code start == end} gives an empty array. */
    public byte[] get(long start, long end) throws IOException {
        lock.readLock().lock();
        try {
            checkUsable();
            checkStartEnd(start, end, "get");
            return readRange(start, (int) (end - start));
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Fills {@code buf} with the bytes at {@code [start, start + buf.length)}. An empty buffer is a no-op. */
    public void getInto(long start, byte[] buf) throws IOException {
        Objects.requireNonNull(buf, "buf");
        getInto(start, ByteBuffer.wrap(buf));
    }

    /** Fills the remaining space of {@code dst} with the bytes from {@code start}, advancing its position. */
    public void getInto(long start, ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        lock.readLock().lock();
        try {
            checkUsable();
            if (!dst.hasRemaining()) {
                return;
            }
            checkRange(start, dst.remaining(), "getInto");
            file.read(BStackFormat.HEADER_SIZE + start, dst);
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---------------------------------------------------------------- adapters

    /** A stream of the payload from {@code offset} to the length at the time of each read. */
    public InputStream newInputStream(long offset) {
        checkOpen();
        requireNonNegative(offset, "offset");
        return new BStackInputStream(this, offset);
    }

    /**
     * A read-only seekable channel over the payload: reads return -1 at the end, seeking past the end is allowed,
     * a negative position is rejected, writes throw {@link java.nio.channels.NonWritableChannelException}.
     */
    public SeekableByteChannel newReadChannel() {
        checkOpen();
        return new BStackReadChannel(this);
    }

    /** A stream whose every {@code write} is one durable {@link #push}; wrap it in a buffer to batch. */
    public OutputStream newOutputStream() {
        checkOpen();
        return new BStackOutputStream(this);
    }

    /** Reads up to {@code dst.remaining()} bytes at {@code offset}, bounded by the length; -1 at or past the end. */
    int readAvailable(long offset, ByteBuffer dst) throws IOException {
        lock.readLock().lock();
        try {
            checkUsable();
            long available = length - offset;
            if (available <= 0) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), available);
            ByteBuffer slice = dst.slice(dst.position(), n);
            file.read(BStackFormat.HEADER_SIZE + offset, slice);
            dst.position(dst.position() + n);
            return n;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Forces every mutation made so far to stable storage (one fdatasync). Under {@link Durability#SYNC} each
     * mutation already did; under {@link Durability#ASYNC} and {@link Durability#NONE} this is how a caller
     * chooses when to pay for durability (a write-ahead log forces once per group of appends). A failed force
     * fails the handle, as any failed force does.
     */
    public void sync() throws IOException {
        beginMutation();
        try {
            file.force();
        } catch (IOException e) {
            throw fail(e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Releases the file and its lock, forcing first under {@link Durability#ASYNC} (a clean close loses nothing).
     * Idempotent; every other method then throws {@link IllegalStateException}.
     */
    @Override
    public void close() throws IOException {
        refuseNesting("close");
        lock.writeLock().lock();
        try {
            if (state == State.CLOSED) {
                return;
            }
            boolean force = forceOnClose && !readOnly && state == State.OPEN;
            state = State.CLOSED;
            try {
                if (force) {
                    file.force();
                }
            } finally {
                file.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "BStack[" + file.path() + ", length=" + length + (readOnly ? ", read-only" : "") + "]";
    }

    // ---------------------------------------------------------------- machinery

    /**
     * Takes the write lock and checks the handle may mutate; the caller unlocks. A callback of this stack
     * ({@link #replace}, {@link #process}) runs under the write lock, which is re-entrant: a mutation from inside
     * one would change the bytes the outer operation is about to commit, so it is refused before anything changes.
     */
    private void beginMutation() throws IOException {
        refuseNesting("a mutation");
        lock.writeLock().lock();
        try {
            checkUsable();
            if (readOnly) {
                throw new UnsupportedOperationException(file.path() + " is open read-only");
            }
        } catch (IOException | RuntimeException e) {
            lock.writeLock().unlock();
            throw e;
        }
    }

    private void refuseNesting(String what) {
        if (lock.isWriteLockedByCurrentThread()) {
            throw new IllegalStateException(what + " of " + file.path() + " from inside a callback of the same"
                    + " stack (replace, process) is refused: the outer operation holds the stack");
        }
    }

    /**
     * The one way the length changes: keep {@code [0, keep)}, then write {@code tail} (may be null), then
     * {@code zeros} zero bytes, and commit the new length with one force. Growing writes the data before
     * {@code clen}; shrinking writes {@code clen} before truncating, so open's {@code min(clen, size - 16)} rule
     * recovers either state. {@code overwritten} holds the old bytes {@code [keep, length)} when the tail
     * rewrites committed bytes, for rollback.
     */
    private void commitTail(long keep, ByteBuffer tail, long zeros, byte[] overwritten) throws IOException {
        long oldLength = length;
        long tailBytes = tail == null ? 0 : tail.remaining();
        long newLength = keep + tailBytes + zeros;
        if (newLength < 0 || newLength > BStackFormat.MAX_LENGTH) {
            throw new IllegalArgumentException("length would exceed " + BStackFormat.MAX_LENGTH + " bytes");
        }
        boolean forcing = false;
        try {
            if (tailBytes > 0) {
                file.write(BStackFormat.HEADER_SIZE + keep, tail);
            }
            if (zeros > 0) {
                // The file ends at the old length (an invariant of open and of every mutation), so writing the
                // last byte leaves a hole that reads as zeros.
                file.write(BStackFormat.HEADER_SIZE + newLength - 1, ByteBuffer.allocate(1));
            }
            if (newLength < oldLength) {
                writeClen(newLength);
                file.truncate(BStackFormat.HEADER_SIZE + newLength);
            } else {
                writeClen(newLength);
            }
            if (sync) {
                forcing = true;
                file.force();
            }
            length = newLength;
        } catch (IOException e) {
            if (forcing) {
                throw fail(e);
            }
            throw rollbackTail(e, keep, oldLength, overwritten);
        }
    }

    /**
     * Restores the old tail after a failed write; returns what to throw: {@code cause} when the rollback
     * worked, a {@link StoreFailedException} when it failed too (the file is then in an unknown state).
     */
    private IOException rollbackTail(IOException cause, long keep, long oldLength, byte[] overwritten) {
        try {
            if (overwritten != null && overwritten.length > 0) {
                file.write(BStackFormat.HEADER_SIZE + keep, ByteBuffer.wrap(overwritten));
            }
            if (file.size() < BStackFormat.HEADER_SIZE + oldLength) {
                throw new IOException("cannot restore " + (BStackFormat.HEADER_SIZE + oldLength - file.size())
                        + " truncated bytes");
            }
            file.truncate(BStackFormat.HEADER_SIZE + oldLength);
            writeClen(oldLength);
            if (sync) {
                file.force();
            }
            return cause;
        } catch (IOException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
            return fail(cause);
        }
    }

    /** Overwrites committed bytes in place; {@code old} restores them if a write fails. */
    private void overwrite(long offset, byte[] data, byte[] old) throws IOException {
        try {
            file.write(BStackFormat.HEADER_SIZE + offset, ByteBuffer.wrap(data));
        } catch (IOException e) {
            try {
                file.write(BStackFormat.HEADER_SIZE + offset, ByteBuffer.wrap(old));
            } catch (IOException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
                throw fail(e);
            }
            throw e;
        }
        if (sync) {
            try {
                file.force();
            } catch (IOException e) {
                throw fail(e);
            }
        }
    }

    private void writeClen(long value) throws IOException {
        clenBuffer.clear();
        clenBuffer.putLong(0, value);
        file.write(BStackFormat.CLEN_OFFSET, clenBuffer);
    }

    /**
     * Moves the handle to {@link State#FAILED} (the durable state is unknown until the file is reopened) and
     * returns the exception to throw. Under the write lock.
     */
    private StoreFailedException fail(IOException cause) {
        if (state == State.OPEN) {
            state = State.FAILED;
            firstFailure = cause;
        }
        return new StoreFailedException(file.path(), firstFailure);
    }

    private byte[] readRange(long offset, int n) throws IOException {
        if (n == 0) {
            return EMPTY;
        }
        byte[] out = new byte[n];
        file.read(BStackFormat.HEADER_SIZE + offset, ByteBuffer.wrap(out));
        return out;
    }

    /** Rejects use after close. */
    private void checkOpen() {
        if (state == State.CLOSED) {
            throw new IllegalStateException("BStack " + file.path() + " is closed");
        }
    }

    /** Rejects use after close, and any use of a failed handle. */
    private void checkUsable() throws StoreFailedException {
        State current = state;
        checkOpen();
        if (current == State.FAILED) {
            throw new StoreFailedException(file.path(), firstFailure);
        }
    }

    private void checkTailCount(long n, String op) {
        if (n > length) {
            throw new IndexOutOfBoundsException(op + " of " + n + " bytes from a stack of " + length + " bytes");
        }
    }

    private void checkRange(long offset, long n, String op) {
        long len = length;
        if (offset < 0 || offset > len || n > len - offset) {
            throw new IndexOutOfBoundsException(op + " of " + n + " bytes at offset " + offset
                    + " outside the stack's " + len + " bytes");
        }
    }

    private void checkStartEnd(long start, long end, String op) {
        long len = length;
        if (start < 0 || end < start || end > len) {
            throw new IndexOutOfBoundsException(op + " range [" + start + ", " + end + ") outside [0, " + len
                    + "] or reversed");
        }
        checkArraySize(end - start);
    }

    private static void checkArraySize(long n) {
        if (n > MAX_ARRAY) {
            throw new IllegalArgumentException("a range of " + n + " bytes does not fit in a byte[]; use getInto");
        }
    }

    private static void requireNonNegative(long n, String name) {
        if (n < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + n);
        }
    }
}
