package io.cairn.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A persistent, crash-safe binary stack in a single file: bytes are pushed at the tail, popped from the tail,
 * and read or overwritten anywhere below the committed length.
 *
 * <p><b>Formats.</b> The reference bstack's, byte for byte ({@link StackFormat}): new files are 0.4 (32-byte
 * header with a write-in-progress journal, {@link BStackFormatV04}); 0.1/0.2 files (16-byte header,
 * {@link BStackFormatV02}) open as they are, and {@link BStackOptions#withFormat} creates one for old readers.
 * {@link #migrate} converts a 0.2 file to 0.4. Offsets in this API are logical: offset 0 is the first payload
 * byte, whatever the header size.
 *
 * <p><b>Durability.</b> Under {@link Durability#SYNC} every mutation is forced (fdatasync) before it returns.
 * Appends write the data and then {@code clen}; removals write {@code clen} and then cut the file; open brings a
 * torn tail to {@code min(clen, payload on disk)}. Force counts (SYNC): push, pushAll, extend, pop, discard, resize
 * and any write inside one 256-byte block of the file: 1; on 0.4 a journaled in-place write, a length-changing tail
 * replacement and {@link #setBatched}: 4; on 0.2 every mutation: 1. {@link Durability#ASYNC} forces only on
 * {@link #sync()}, close, and the journal's ordering barriers (a journaled write stays atomic);
 * {@link Durability#NONE} never forces.
 *
 * <p><b>Crash limits per format.</b> On a 0.4 file every mutation is atomic across a crash (a SIGKILL or a power
 * failure): reopening finds the state before or after it, never a mix, because in-place and length-changing
 * writes go through the journal (Set, Repeat, Copy, MultiWrite, SpliceGrow/Shrink) and open replays or rolls it
 * back ({@link Recovery}). This assumes, as the reference does, that a write inside one aligned 256-byte block
 * cannot tear. On a 0.2 file appends and removals are atomic, but an in-place write ({@link #set}, {@link #zero},
 * {@link #repeat}, {@link #copy}, {@link #swap}, {@link #cas}, {@link #process}, {@link #setBatched}) and the
 * rewritten part of a tail replacement ({@link #atrunc}, {@link #splice}, {@link #replace}) are plain writes:
 * a crash during one can leave a mix of old and new bytes. {@link #writeUnjournaled} is never atomic, by design.
 *
 * <p><b>Failures.</b> The handle's state is explicit: OPEN, INTERRUPTED, FAILED, CLOSED. When a write fails on a
 * 0.4 file, the handle is INTERRUPTED: the file holds what a crash there would leave, reads throw
 * {@link InterruptedWriteException}, and the next write (or {@link #recover()}) first runs open's recovery. On a
 * 0.2 file a failed write is undone at once from memory. When a force fails, or an undo fails, the durable state
 * is unknown: the handle is FAILED and every later call throws {@link StoreFailedException} with the first error,
 * until the file is reopened (a failed fsync is never retried).
 *
 * <p><b>Concurrency.</b> Safe for many threads: reads are positional and run in parallel with each other;
 * mutations are serialised and exclude reads while they run, so a reader only ever sees committed bytes. A
 * callback ({@link #replace}, {@link #process}) runs under the write lock and must not mutate the same stack
 * (refused with {@link IllegalStateException}). The file is locked: exclusively by a writer, shared by
 * {@linkplain #openReadOnly read-only} handles, against this and other processes, Cairn's or the reference's.
 */
public final class BStack implements AutoCloseable {
    private static final byte[] EMPTY = new byte[0];
    /** Largest range a single {@code byte[]} result may hold. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final StorageFile file;
    private final StackFormat format;
    private final boolean readOnly;
    private final boolean forceOnClose;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final StackState state;
    private final StackWriter writer;
    /** Largest committed length: file offsets, and a journal's stage past the payload, stay in a long. */
    private final long maxLength;
    private final BStackCheck opened;

    private BStack(StorageFile file, StackFormat format, boolean readOnly, Durability durability, BStackCheck opened) {
        this.file = file;
        this.format = format;
        this.readOnly = readOnly;
        this.forceOnClose = durability == Durability.ASYNC;
        this.opened = opened;
        this.state = new StackState(file.path(), opened.recoveredLength());
        this.writer = StackWriter.of(format, file, state, durability);
        this.maxLength = Long.MAX_VALUE / 2 - format.headerSize();
    }

    /** Opens (creating if missing) a durable, writable stack at {@code path}; a new file is 0.4. */
    public static BStack open(Path path) throws IOException {
        return open(path, BStackOptions.defaults());
    }

    /** Opens an existing stack read-only: a shared lock, every mutation rejected. */
    public static BStack openReadOnly(Path path) throws IOException {
        return open(path, BStackOptions.defaults().withReadOnly(true));
    }

    /**
     * Opens a stack. A writable open creates a missing file, takes an exclusive lock (failing at once with
     * {@link StoreLockedException} if anyone holds the file), writes the header of an empty file in the
     * {@linkplain BStackOptions#format() options' format}, and runs recovery: a torn tail is cut, an interrupted
     * 0.4 journaled write is finished or undone. A read-only open takes a shared lock and applies the length rule
     * in memory without writing; it refuses a file whose journal needs a replay.
     *
     * @throws CorruptedStoreException    if the file is shorter than its header or has a foreign magic
     * @throws FormatVersionException     if the file is a BStack version other than 0.1/0.2 and 0.4
     * @throws InterruptedWriteException  (read-only) if an interrupted write must be replayed first
     */
    public static BStack open(Path path, BStackOptions options) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        StorageFile file = options.io().openLocked(path,
                options.readOnly() ? StorageIo.OpenMode.READ_ONLY : StorageIo.OpenMode.READ_WRITE_CREATE);
        try {
            return recoverOnOpen(file, options);
        } catch (IOException | RuntimeException e) {
            try {
                file.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static BStack recoverOnOpen(StorageFile file, BStackOptions options) throws IOException {
        boolean barriers = options.durability() != Durability.NONE;
        long size = file.size();
        if (size == 0) {
            if (!options.readOnly()) {
                // One write, so an interrupted creation leaves an empty file (a new stack), never a short header.
                file.write(0, ByteBuffer.allocate(options.format().headerSize()).put(options.format().magic()).clear());
                if (barriers) {
                    file.force();
                }
            }
            return new BStack(file, options.format(), options.readOnly(), options.durability(), emptyFile(file.path()));
        }
        StackHeader header = StackHeader.read(file, size);
        Recovery recovery = Recovery.plan(header, file);
        BStackCheck found = found(header, recovery);
        if (options.readOnly()) {
            if (recovery.replays()) {
                throw new InterruptedWriteException(file.path(), recovery.description()
                        + "; open it for writing once to replay it", null);
            }
        } else if (recovery.changesFile()) {
            // Recovery's forces are barriers under ASYNC too: an unforced replay could be overtaken by its disarm.
            recovery.apply(file, barriers ? file::force : () -> { });
        }
        return new BStack(file, header.format(), options.readOnly(), options.durability(), found);
    }

    /** What open or {@link #check} finds in an empty file. */
    private static BStackCheck emptyFile(Path path) {
        return new BStackCheck(path, 0, null, "", 0, 0, 0, 0, "write the header of an empty stack");
    }

    /** What open or {@link #check} finds in a file with a header, and what recovery does about it. */
    private static BStackCheck found(StackHeader header, Recovery recovery) {
        return new BStackCheck(header.path(), header.fileSize(), header.format(), header.version().toString(),
                header.clen(), header.wipPtr(), header.wipAux(), recovery.finalLength(), recovery.description());
    }

    /**
     * Reads a stack file's header without changing the file and reports what a writable open would do. Takes
     * a shared lock for the duration, so it fails with {@link StoreLockedException} while a writer holds the file.
     *
     * @throws CorruptedStoreException if the file is shorter than its header or has a foreign magic
     * @throws FormatVersionException  if the file is a BStack version this code does not read
     */
    public static BStackCheck check(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        try (StorageFile file = StorageIo.fileSystem().openLocked(path, StorageIo.OpenMode.READ_ONLY)) {
            long size = file.size();
            if (size == 0) {
                return emptyFile(path);
            }
            StackHeader header = StackHeader.read(file, size);
            return found(header, Recovery.plan(header, file));
        }
    }

    /**
     * Converts a 0.1/0.2 file to 0.4 in place, as the reference's {@code migrate} does, so its in-place writes
     * become crash-atomic; returns false, changing nothing, if the file already is 0.4 (or is empty, which opens as
     * a new 0.4 stack). The payload is copied unchanged ({@code clen} bounded by the file, as open's recovery
     * bounds it) into the sibling {@code <file>.migrating}, which is forced and then renamed over the original, and
     * the directory is forced: a crash at any point leaves the intact original or the finished new file at the
     * path. Holds the file's exclusive lock throughout, so it fails with {@link StoreLockedException} while the
     * stack is open anywhere. A file created by {@code SlabAllocator.create} with an alignment above 16 keeps its
     * bytes but not its arena's alignment (the header grows by 16 bytes).
     *
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws CorruptedStoreException           if the file is not a stack
     * @throws FormatVersionException            if it is a BStack version this code does not read
     */
    public static boolean migrate(Path path) throws IOException {
        return migrate(path, StorageIo.fileSystem());
    }

    /** {@link #migrate(Path)} through the given I/O seam (for fault injection). */
    public static boolean migrate(Path path, StorageIo io) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(io, "io");
        try (StorageFile original = io.openLocked(path, StorageIo.OpenMode.READ_WRITE)) {
            long size = original.size();
            if (size == 0) {
                return false;
            }
            StackHeader header = StackHeader.read(original, size);
            if (header.format() == StackFormat.V0_4) {
                return false;
            }
            Path sibling = path.resolveSibling(path.getFileName() + ".migrating");
            StorageFile copy = io.openLocked(sibling, StorageIo.OpenMode.READ_WRITE_CREATE);
            try {
                try (copy) {
                    writeMigrated(original, header.boundedLength(), copy);
                }
                io.atomicMove(sibling, path);
            } catch (IOException | RuntimeException e) {
                try {
                    io.deleteIfExists(sibling);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            io.syncDirectory(path.toAbsolutePath().getParent());
            return true;
        }
    }

    /** Writes a 0.4 file holding {@code original}'s first {@code length} payload bytes into {@code copy}, forced. */
    private static void writeMigrated(StorageFile original, long length, StorageFile copy) throws IOException {
        copy.truncate(0);
        ByteBuffer header = ByteBuffer.allocate(BStackFormatV04.HEADER_SIZE).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        copy.write(0, header.put(BStackFormatV04.MAGIC).putLong(length).putLong(0).putLong(0).flip());
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(RangeIo.CHUNK, Math.max(1, length)));
        for (long done = 0; done < length; ) {
            int take = (int) Math.min(chunk.capacity(), length - done);
            original.read(BStackFormatV02.HEADER_SIZE + done, chunk.clear().limit(take));
            copy.write(BStackFormatV04.HEADER_SIZE + done, chunk.flip());
            done += take;
        }
        copy.force();
    }

    /**
     * What open found in the file before it changed anything. When it is neither {@linkplain
     * BStackCheck#isConsistent consistent} nor {@linkplain BStackCheck#needsHeader empty}, a writable open repaired
     * the file as the check describes (cut a torn tail or a journal's stage, lowered {@code clen}, finished or
     * undone an interrupted write), so a tool can say what it repaired.
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

    /** The file's format (an existing file keeps its own; a new one gets the options'). */
    public StackFormat format() {
        return format;
    }

    /**
     * The committed payload length in bytes.
     *
     * @throws StoreFailedException       if the handle failed
     * @throws InterruptedWriteException  if a failed write awaits its replay
     */
    public long length() throws IOException {
        state.checkReadable();
        return state.length();
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
            long offset = state.length();
            if (data.hasRemaining()) {
                grow(offset, data.remaining(), List.of(new StackWriter.Piece(offset, data.duplicate())));
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
     * the stack as it was (on 0.4 a failed write leaves the handle interrupted until recovery cuts the bytes). The
     * stack is locked for writing (and reading) until {@code in} ends.
     */
    public long push(InputStream in) throws IOException {
        Objects.requireNonNull(in, "in");
        beginMutation();
        try {
            long offset = state.length();
            writer.appendStream(in, maxLength);
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
            long start = state.length();
            long at = start;
            for (int i = 0; i < offsets.length; i++) {
                offsets[i] = at;
                byte[] r = records.get(i);
                all.put(r);
                at += r.length;
            }
            if (total > 0) {
                grow(start, total, List.of(new StackWriter.Piece(start, all.flip())));
            }
            return offsets;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Appends {@code n} zero bytes (a hole in the file); returns their offset. {@code n == 0} is a no-op. */
    public long extend(long n) throws IOException {
        return extendSparse(n, Map.of());
    }

    /**
     * Grows the stack by {@code n} bytes in one length change, writing only {@code writes} (relative offset in
     * {@code [0, n)} to bytes) and leaving the rest zero (a hole in the file); returns the old length. The writes
     * must not overlap; empty ones are ignored. One force, as {@link #extend}.
     */
    public long extendSparse(long n, Map<Long, byte[]> writes) throws IOException {
        requireNonNegative(n, "n");
        List<StackWriter.Piece> relative = pieces(writes, "writes");
        if (!relative.isEmpty() && relative.getLast().offset() > n - relative.getLast().data().remaining()) {
            StackWriter.Piece last = relative.getLast();
            throw new IndexOutOfBoundsException("extendSparse write of " + last.data().remaining() + " bytes at "
                    + last.offset() + " outside the " + n + " bytes the stack grows by");
        }
        beginMutation();
        try {
            long offset = state.length();
            if (n > 0) {
                List<StackWriter.Piece> absolute = new ArrayList<>(relative.size());
                for (StackWriter.Piece piece : relative) {
                    absolute.add(new StackWriter.Piece(offset + piece.offset(), piece.data()));
                }
                grow(offset, n, absolute);
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
            if (state.length() != expectedLength) {
                return false;
            }
            if (data.length > 0) {
                grow(expectedLength, data.length, List.of(new StackWriter.Piece(expectedLength, ByteBuffer.wrap(data))));
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
            if (state.length() != expectedLength) {
                return false;
            }
            if (n > 0) {
                grow(expectedLength, n, List.of());
            }
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Makes the length {@code newLength}: grows with zeros (a hole, as {@link #extend}) or cuts the tail (as
     * {@link #discard}); returns the old length. The same length is a no-op without I/O.
     */
    public long resize(long newLength) throws IOException {
        requireNonNegative(newLength, "newLength");
        return changeLength(newLength, true);
    }

    /** Grows the stack with zeros to at least {@code minLength} (never shrinks it); returns the old length. */
    public long ensure(long minLength) throws IOException {
        requireNonNegative(minLength, "minLength");
        return changeLength(minLength, false);
    }

    private long changeLength(long target, boolean mayShrink) throws IOException {
        beginMutation();
        try {
            long old = state.length();
            if (target > old) {
                grow(old, target - old, List.of());
            } else if (target < old && mayShrink) {
                writer.commitLength(target, target, List.of(), null);
            }
            return old;
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
            long keep = state.length() - n;
            byte[] tail = readRange(keep, n);
            writer.commitLength(keep, keep, List.of(), null);
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
            long keep = state.length() - buf.length;
            file.read(format.headerSize() + keep, ByteBuffer.wrap(buf));
            writer.commitLength(keep, keep, List.of(), null);
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
                long keep = state.length() - n;
                writer.commitLength(keep, keep, List.of(), null);
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
            if (state.length() != expectedLength) {
                return false;
            }
            checkTailCount(n, "tryDiscard");
            if (n > 0) {
                writer.commitLength(expectedLength - n, expectedLength - n, List.of(), null);
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
     * as one mutation. {@code f} is called even for {@code n == 0}, under the stack's lock: keep it short, and do
     * not mutate this stack from it.
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
        byte[] old = readRange(state.length() - n, (int) n);
        byte[] data = Objects.requireNonNull(newTail.apply(old.clone()), "replacement tail");
        if (data.length > maxLength - (state.length() - n)) {
            throw new IllegalArgumentException("length would exceed " + maxLength + " bytes");
        }
        if (n > 0 || data.length > 0) {
            writer.replaceTail(old, data);
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
            writer.overwrite(offset, data);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Overwrites several disjoint ranges ({@code writes}: offset to bytes) as one mutation, all or none: on a 0.4
     * file one journal (MultiWrite, 4 forces) however many ranges. Empty writes are ignored; overlapping ones are
     * rejected before anything is written. A single effective write is a {@link #set}.
     */
    public void setBatched(Map<Long, byte[]> writes) throws IOException {
        List<StackWriter.Piece> pieces = pieces(writes, "writes");
        long staged = 0;
        for (StackWriter.Piece piece : pieces) {
            staged += 2L * Long.BYTES + piece.data().remaining();
            if (staged > MAX_ARRAY) {
                throw new IllegalArgumentException("setBatched stages more than " + MAX_ARRAY + " bytes: " + staged);
            }
        }
        beginMutation();
        try {
            for (StackWriter.Piece piece : pieces) {
                checkRange(piece.offset(), piece.data().remaining(), "setBatched");
            }
            if (pieces.size() == 1) {
                writer.overwrite(pieces.getFirst().offset(), pieces.getFirst().data().array());
            } else if (pieces.size() > 1) {
                writer.overwriteAll(pieces);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Overwrites {@code n} bytes at {@code offset} with zeros; never changes the length. */
    public void zero(long offset, long n) throws IOException {
        repeat(offset, new byte[] {0}, n);
    }

    /**
     * Overwrites {@code count} back-to-back copies of {@code pattern} from {@code offset}; never changes the
     * length. On a 0.4 file the journal stages only the pattern and the count (Repeat), whatever the range.
     */
    public void repeat(long offset, byte[] pattern, long count) throws IOException {
        Objects.requireNonNull(pattern, "pattern");
        requireNonNegative(count, "count");
        if (pattern.length == 0 && count > 0) {
            throw new IllegalArgumentException("pattern must not be empty when count is " + count);
        }
        if (pattern.length > 0 && count > Long.MAX_VALUE / pattern.length) {
            throw new IllegalArgumentException("count " + count + " of a " + pattern.length
                    + "-byte pattern overflows a length");
        }
        long total = count * pattern.length;
        beginMutation();
        try {
            if (total == 0) {
                return;
            }
            checkRange(offset, total, "repeat");
            writer.fill(offset, pattern.clone(), count);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Copies {@code n} bytes from {@code from} to {@code to} inside the payload (the ranges may overlap); never
     * changes the length. {@code n == 0} or {@code from == to} does nothing once the ranges are checked.
     */
    public void copy(long from, long to, long n) throws IOException {
        requireNonNegative(n, "n");
        beginMutation();
        try {
            checkRange(from, n, "copy source");
            checkRange(to, n, "copy target");
            if (n > 0 && from != to) {
                writer.copy(from, to, n);
            }
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
            writer.overwrite(offset, data.clone());
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
            if (!Arrays.equals(readRange(offset, expected.length), expected)) {
                return false;
            }
            writer.overwrite(offset, replacement.clone());
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Reads {@code [start, end)}, lets {@code f} change the bytes in place, and writes them back, as one mutation.
     * An empty range calls {@code f} with an empty array and writes nothing. {@code f} runs under the stack's lock
     * and must not mutate this stack.
     */
    public void process(long start, long end, Consumer<byte[]> f) throws IOException {
        Objects.requireNonNull(f, "f");
        beginMutation();
        try {
            checkStartEnd(start, end, "process");
            byte[] work = readRange(start, (int) (end - start));
            f.accept(work);
            if (work.length > 0) {
                writer.overwrite(start, work);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Writes {@code data} back to back from {@code offset}, inside the payload, with <b>no journal and no
     * force</b>: the shadow-write primitive for ranges that no committed structure references yet (a checkpoint
     * writes whole frames into free slots this way, then calls {@link #sync()} once and publishes them with one
     * small journaled write). One positional write per buffer and, with the caller's {@code sync()}, one fdatasync:
     * no staging, no copy beyond what the channel makes of a heap buffer (a direct buffer goes straight to the
     * kernel). A crash can leave any mix of old and new bytes in the range, on either format; a failed write leaves
     * the range unknown and the handle usable. The buffers' positions are not moved.
     */
    public void writeUnjournaled(long offset, ByteBuffer... data) throws IOException {
        Objects.requireNonNull(data, "data");
        long total = 0;
        for (int i = 0; i < data.length; i++) {
            Objects.requireNonNull(data[i], "data[" + i + "]");
            total += data[i].remaining();
        }
        beginMutation();
        try {
            if (total > 0) {
                checkRange(offset, total, "writeUnjournaled");
                writer.writeUnjournaled(offset, data);
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
            state.checkReadable();
            long len = state.length();
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
            state.checkReadable();
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
            state.checkReadable();
            if (!dst.hasRemaining()) {
                return;
            }
            checkRange(start, dst.remaining(), "getInto");
            file.read(format.headerSize() + start, dst);
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---------------------------------------------------------------- adapters

    /** A stream of the payload from {@code offset} to the length at the time of each read. */
    public InputStream newInputStream(long offset) {
        state.checkNotClosed();
        requireNonNegative(offset, "offset");
        return new BStackInputStream(this, offset);
    }

    /**
     * A read-only seekable channel over the payload: reads return -1 at the end, seeking past the end is allowed,
     * a negative position is rejected, writes throw {@link java.nio.channels.NonWritableChannelException}.
     */
    public SeekableByteChannel newReadChannel() {
        state.checkNotClosed();
        return new BStackReadChannel(this);
    }

    /** A stream whose every {@code write} is one durable {@link #push}; wrap it in a buffer to batch. */
    public OutputStream newOutputStream() {
        state.checkNotClosed();
        return new BStackOutputStream(this);
    }

    /** Reads up to {@code dst.remaining()} bytes at {@code offset}, bounded by the length; -1 at or past the end. */
    int readAvailable(long offset, ByteBuffer dst) throws IOException {
        lock.readLock().lock();
        try {
            state.checkReadable();
            long available = state.length() - offset;
            if (available <= 0) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), available);
            ByteBuffer slice = dst.slice(dst.position(), n);
            file.read(format.headerSize() + offset, slice);
            dst.position(dst.position() + n);
            return n;
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---------------------------------------------------------------- durability and lifecycle

    /**
     * Forces every mutation made so far to stable storage (one fdatasync). Under {@link Durability#SYNC} each
     * mutation already did; under {@link Durability#ASYNC} and {@link Durability#NONE} this is how a caller
     * chooses when to pay for durability (a write-ahead log forces once per group of appends), and it is what
     * makes {@link #writeUnjournaled} writes durable. A failed force fails the handle, as any failed force does.
     */
    public void sync() throws IOException {
        beginMutation();
        try {
            writer.sync();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Replays a write that failed part-way (the handle is then INTERRUPTED and reads refuse), exactly as open
     * would: the file ends up in the state before or after that write. Returns whether anything was pending; a
     * 0.2 handle, whose failed writes are undone at once, never has anything pending.
     */
    public boolean recover() throws IOException {
        refuseNesting("recover");
        lock.writeLock().lock();
        try {
            state.checkWritable();
            return !readOnly && writer.recoverPending();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * Releases the file and its lock, forcing first under {@link Durability#ASYNC} (a clean close loses nothing;
     * an interrupted write stays in the file for the next open to replay). Idempotent; every other method then
     * throws {@link IllegalStateException}.
     */
    @Override
    public void close() throws IOException {
        refuseNesting("close");
        lock.writeLock().lock();
        try {
            StackState.Phase before = state.phase();
            if (before == StackState.Phase.CLOSED) {
                return;
            }
            state.close();
            try {
                if (forceOnClose && !readOnly && before != StackState.Phase.FAILED) {
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
        return "BStack[" + file.path() + ", " + format + ", length=" + state.length() + (readOnly ? ", read-only" : "")
                + (state.phase() == StackState.Phase.OPEN ? "" : ", " + state.phase()) + "]";
    }

    // ---------------------------------------------------------------- machinery

    /**
     * Takes the write lock and checks the handle may mutate; the caller unlocks. An interrupted 0.4 handle first
     * replays the failed write (as open would), before any argument that depends on the length is checked. A
     * callback of this stack ({@link #replace}, {@link #process}) runs under the write lock, which is re-entrant: a
     * mutation from inside one would change the bytes the outer operation is about to commit, so it is refused
     * before anything changes.
     */
    private void beginMutation() throws IOException {
        refuseNesting("a mutation");
        lock.writeLock().lock();
        try {
            state.checkWritable();
            if (readOnly) {
                throw new UnsupportedOperationException(file.path() + " is open read-only");
            }
            writer.recoverPending();
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

    /** Appends {@code n} bytes at {@code offset} (the length): {@code pieces} and zeros. */
    private void grow(long offset, long n, List<StackWriter.Piece> pieces) throws IOException {
        if (n > maxLength - offset) {
            throw new IllegalArgumentException("length would exceed " + maxLength + " bytes: " + offset + " + " + n);
        }
        writer.commitLength(offset, offset + n, pieces, null);
    }

    /**
     * The writes of a batch, sorted by offset: empty ones dropped, offsets checked non-negative and pairs
     * checked disjoint, before any lock.
     */
    private static List<StackWriter.Piece> pieces(Map<Long, byte[]> writes, String name) {
        Objects.requireNonNull(writes, name);
        List<StackWriter.Piece> pieces = new ArrayList<>(writes.size());
        for (Map.Entry<Long, byte[]> e : writes.entrySet()) {
            Long offset = Objects.requireNonNull(e.getKey(), name + " has a null offset");
            byte[] data = Objects.requireNonNull(e.getValue(), name + " has null bytes at offset " + offset);
            requireNonNegative(offset, name + " offset");
            if (data.length > 0) {
                pieces.add(new StackWriter.Piece(offset, ByteBuffer.wrap(data.clone())));
            }
        }
        pieces.sort(Comparator.comparingLong(StackWriter.Piece::offset));
        for (int i = 1; i < pieces.size(); i++) {
            StackWriter.Piece before = pieces.get(i - 1);
            if (before.end() > pieces.get(i).offset() || before.end() < before.offset()) {
                throw new IllegalArgumentException(name + " overlap: [" + before.offset() + ", " + before.end()
                        + ") and [" + pieces.get(i).offset() + ", " + pieces.get(i).end() + ")");
            }
        }
        return pieces;
    }

    private byte[] readRange(long offset, int n) throws IOException {
        if (n == 0) {
            return EMPTY;
        }
        byte[] out = new byte[n];
        file.read(format.headerSize() + offset, ByteBuffer.wrap(out));
        return out;
    }

    private void checkTailCount(long n, String op) {
        if (n > state.length()) {
            throw new IndexOutOfBoundsException(op + " of " + n + " bytes from a stack of " + state.length()
                    + " bytes");
        }
    }

    private void checkRange(long offset, long n, String op) {
        long len = state.length();
        if (offset < 0 || offset > len || n > len - offset) {
            throw new IndexOutOfBoundsException(op + " of " + n + " bytes at offset " + offset
                    + " outside the stack's " + len + " bytes");
        }
    }

    private void checkStartEnd(long start, long end, String op) {
        long len = state.length();
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
