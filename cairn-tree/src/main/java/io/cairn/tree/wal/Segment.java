package io.cairn.tree.wal;

import static io.cairn.tree.wal.WalFormat.FIRST_SEQUENCE_OFFSET;
import static io.cairn.tree.wal.WalFormat.SEGMENT_CRC_OFFSET;
import static io.cairn.tree.wal.WalFormat.SEGMENT_FORMAT;
import static io.cairn.tree.wal.WalFormat.SEGMENT_HEADER_SIZE;
import static io.cairn.tree.wal.WalFormat.SEGMENT_MAGIC_OFFSET;
import static io.cairn.tree.wal.WalFormat.U32;
import static io.cairn.tree.wal.WalFormat.U64;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackOptions;
import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.Durability;
import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * One segment of the log: a {@link BStack} holding a header and records back to back, opened without forcing
 * (the log forces when its durability says so), plus a sparse in-memory index from sequences to offsets so a
 * reader positioned anywhere starts scanning near its record instead of at the segment's start.
 */
final class Segment implements AutoCloseable {
    /** Bytes between index entries: a positioned read scans at most about this much before its record. */
    static final long INDEX_STRIDE = 64 * 1024;

    private final Path path;
    private final long firstSequence;
    private final BStack stack;
    /** Where the readable records end: the stack's length, or less when a read-only open ignores a torn tail. */
    private volatile long end;
    /** Index entries (sequence, offset), ascending; guarded by this. */
    private long[] indexSequences = new long[8];
    private long[] indexOffsets = new long[8];
    private int indexSize;

    private Segment(Path path, long firstSequence, BStack stack) throws IOException {
        this.path = path;
        this.firstSequence = firstSequence;
        this.stack = stack;
        this.end = stack.length();
        indexSequences[0] = firstSequence;
        indexOffsets[0] = SEGMENT_HEADER_SIZE;
        indexSize = 1;
    }

    /**
     * Creates the segment for records from {@code firstSequence} in {@code directory}: the header is written to
     * {@code <name>.tmp} and forced, the file renamed and the directory forced, so the name never appears
     * without a whole header.
     */
    static Segment create(Path directory, long firstSequence, StorageIo io) throws IOException {
        String name = WalFormat.segmentName(firstSequence);
        Path creating = directory.resolve(name.substring(0, WalFormat.NAME_DIGITS) + WalFormat.CREATING_SUFFIX);
        Path target = directory.resolve(name);
        io.deleteIfExists(creating);
        try (BStack fresh = BStack.open(creating, options(io, false))) {
            fresh.push(header(firstSequence));
            fresh.sync();
        }
        io.atomicMove(creating, target);
        io.syncDirectory(directory);
        return new Segment(target, firstSequence, BStack.open(target, options(io, false)));
    }

    /**
     * Opens an existing segment and checks its header against the first sequence its name states.
     *
     * @throws CorruptedStoreException if the header is short, foreign, damaged or disagrees with the name
     */
    static Segment open(Path path, long nameSequence, StorageIo io, boolean readOnly) throws IOException {
        // A writable BStack open would make an empty file a new, empty stack; a named segment is never empty.
        SEGMENT_FORMAT.checkSize(path, Files.size(path), 1);
        BStack stack = BStack.open(path, options(io, readOnly));
        try {
            checkHeader(path, stack, nameSequence);
            return new Segment(path, nameSequence, stack);
        } catch (IOException | RuntimeException e) {
            try {
                stack.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static BStackOptions options(StorageIo io, boolean readOnly) {
        return BStackOptions.defaults().withDurability(Durability.NONE).withIo(io).withReadOnly(readOnly);
    }

    private static byte[] header(long firstSequence) {
        byte[] bytes = new byte[SEGMENT_HEADER_SIZE];
        byte[] magic = SEGMENT_FORMAT.magic(WalFormat.FORMAT_MINOR, WalFormat.FORMAT_PATCH);
        System.arraycopy(magic, 0, bytes, SEGMENT_MAGIC_OFFSET, magic.length);
        MemorySegment m = MemorySegment.ofArray(bytes);
        m.set(U64, FIRST_SEQUENCE_OFFSET, firstSequence);
        m.set(U32, SEGMENT_CRC_OFFSET, headerCrc(bytes));
        return bytes;
    }

    private static int headerCrc(byte[] header) {
        CRC32C crc = new CRC32C();
        crc.update(header, 0, SEGMENT_CRC_OFFSET);
        return (int) crc.getValue();
    }

    private static void checkHeader(Path path, BStack stack, long nameSequence) throws IOException {
        SEGMENT_FORMAT.checkSize(path, stack.length(), SEGMENT_HEADER_SIZE);
        byte[] bytes = stack.get(0, SEGMENT_HEADER_SIZE);
        SEGMENT_FORMAT.check(path, SEGMENT_MAGIC_OFFSET, bytes, SEGMENT_MAGIC_OFFSET);
        MemorySegment m = MemorySegment.ofArray(bytes);
        int stored = m.get(U32, SEGMENT_CRC_OFFSET);
        int computed = headerCrc(bytes);
        if (stored != computed) {
            throw new CorruptedStoreException(path, SEGMENT_CRC_OFFSET, "WAL segment header checksum",
                    hex(computed), hex(stored));
        }
        long first = m.get(U64, FIRST_SEQUENCE_OFFSET);
        if (first != nameSequence) {
            throw new CorruptedStoreException(path, FIRST_SEQUENCE_OFFSET, "WAL segment first sequence",
                    nameSequence + " (from the file name)", Long.toUnsignedString(first));
        }
    }

    static String hex(int value) {
        return String.format("%08x", value);
    }

    Path path() {
        return path;
    }

    long firstSequence() {
        return firstSequence;
    }

    /** Where the readable records end (payload offset). */
    long end() {
        return end;
    }

    /** Bytes of the segment's payload, header included. */
    long length() throws IOException {
        return stack.length();
    }

    /** Appends one group of records; returns the offset it starts at. */
    long push(ByteBuffer records) throws IOException {
        long offset = stack.push(records);
        end = offset + records.remaining();
        return offset;
    }

    /** Forces everything pushed so far (one fdatasync). */
    void sync() throws IOException {
        stack.sync();
    }

    /** Drops everything from {@code offset} on: a torn tail found by a writable open. */
    void cut(long offset) throws IOException {
        stack.discard(stack.length() - offset);
        end = offset;
    }

    /** Stops reading at {@code offset}: a torn tail a read-only open ignores. */
    void ignoreFrom(long offset) {
        end = offset;
    }

    /** Fills {@code dst} with the payload bytes from {@code offset}. */
    void read(long offset, ByteBuffer dst) throws IOException {
        stack.getInto(offset, dst);
    }

    /** Notes that the record {@code sequence} starts at {@code offset}, if that is a stride past the last entry. */
    synchronized void index(long sequence, long offset) {
        if (sequence <= indexSequences[indexSize - 1] || offset < indexOffsets[indexSize - 1] + INDEX_STRIDE) {
            return;
        }
        if (indexSize == indexSequences.length) {
            indexSequences = Arrays.copyOf(indexSequences, indexSize * 2);
            indexOffsets = Arrays.copyOf(indexOffsets, indexSize * 2);
        }
        indexSequences[indexSize] = sequence;
        indexOffsets[indexSize] = offset;
        indexSize++;
    }

    /**
     * The last index entry at or before {@code sequence}, as {@code {sequence, offset}}: where a scan for it
     * starts.
     */
    synchronized long[] seek(long sequence) {
        int i = Arrays.binarySearch(indexSequences, 0, indexSize, sequence);
        int at = i >= 0 ? i : Math.max(0, -i - 2);
        return new long[] {indexSequences[at], indexOffsets[at]};
    }

    @Override
    public void close() throws IOException {
        stack.close();
    }

    @Override
    public String toString() {
        return "Segment[" + path + ", first " + firstSequence + ", " + end + " bytes]";
    }
}
