package io.cairn.tree.wal;

import static io.cairn.tree.wal.WalFormat.LENGTH_OFFSET;
import static io.cairn.tree.wal.WalFormat.MAGIC_OFFSET;
import static io.cairn.tree.wal.WalFormat.MAX_BODY;
import static io.cairn.tree.wal.WalFormat.RECORD_HEADER_SIZE;
import static io.cairn.tree.wal.WalFormat.RECORD_MAGIC;
import static io.cairn.tree.wal.WalFormat.RECORD_OVERHEAD;
import static io.cairn.tree.wal.WalFormat.SEQUENCE_OFFSET;
import static io.cairn.tree.wal.WalFormat.TYPE_OFFSET;
import static io.cairn.tree.wal.WalFormat.U32;
import static io.cairn.tree.wal.WalFormat.U64;
import static io.cairn.tree.wal.WalFormat.U8;

import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.FormatVersionException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads the records of one segment in order, through a window of the file that grows only as far as a record whose
 * length was already bounded (by {@link WalFormat#MAX_BODY} and by the bytes left), so damaged lengths never size an
 * allocation. Each step says whether it found the expected record, the exact end, or a problem, and which kind.
 */
final class RecordScanner {
    /** What one step found. */
    enum Step {
        /** A whole, checksummed record with the expected sequence. */
        RECORD,
        /** The exact end of the readable bytes. */
        END,
        /** Bytes that are not a whole record: a torn write, or damage (the caller decides which by what follows). */
        BAD_BYTES,
        /** A whole, checksummed record with another sequence than the expected one: never a torn write. */
        WRONG_SEQUENCE
    }

    private static final int WINDOW = 256 * 1024;

    private final Segment segment;
    private final long end;
    private final CRC32C crc = new CRC32C();
    private byte[] window = new byte[0];
    private MemorySegment windowMemory = MemorySegment.ofArray(window);
    private ByteBuffer windowView = ByteBuffer.wrap(window);
    private long windowStart;
    private int windowLength;

    private long position;
    private long expected;
    /** The last problem found: what was checked, what the format requires, what the bytes hold. */
    private String problem;
    private String problemExpected;
    private String problemFound;
    // the current record
    private long offset;
    private long sequence;
    private int type;
    private int bodyLength;
    private int bodyAt;

    /** Scans {@code segment}'s records in {@code [from, end)}, the first expected to be {@code expectedSequence}. */
    RecordScanner(Segment segment, long from, long end, long expectedSequence) {
        this.segment = segment;
        this.end = end;
        this.position = from;
        this.expected = expectedSequence;
    }

    /** Reads the next record; on {@link Step#RECORD} the accessors describe it and the scan moves past it. */
    Step next() throws IOException {
        if (position == end) {
            return Step.END;
        }
        offset = position;
        if (end - position < RECORD_OVERHEAD) {
            problem("record size", "at least " + RECORD_OVERHEAD + " bytes", (end - position) + " bytes left");
            return Step.BAD_BYTES;
        }
        if (!frameAt(position)) {
            return Step.BAD_BYTES;
        }
        sequence = windowMemory.get(U64, bodyAt - RECORD_HEADER_SIZE + SEQUENCE_OFFSET);
        type = windowMemory.get(U8, bodyAt - RECORD_HEADER_SIZE + TYPE_OFFSET);
        if (sequence != expected) {
            problem("record sequence", Long.toString(expected), Long.toUnsignedString(sequence)
                    + " (in a whole, checksummed record)");
            return Step.WRONG_SEQUENCE;
        }
        position += RECORD_OVERHEAD + bodyLength;
        expected++;
        return Step.RECORD;
    }

    /**
     * Whether a whole, checksummed record (any sequence) starts anywhere in {@code (from, end)}: it tells damage
     * followed by real records from a torn tail. Returns its offset, or -1.
     */
    long findRecordAfter(long from) throws IOException {
        String[] found = {problem, problemExpected, problemFound};
        try {
            for (long at = from + 1; at <= end - RECORD_OVERHEAD; at++) {
                load(at, Integer.BYTES);
                if (windowMemory.get(U32, (int) (at - windowStart)) == RECORD_MAGIC && frameAt(at)) {
                    return at;
                }
            }
            return -1;
        } finally {
            problem(found[0], found[1], found[2]);
        }
    }

    /** Checks the frame at {@code at}: magic, bounded length, inside the end, checksum; sets the body fields. */
    private boolean frameAt(long at) throws IOException {
        load(at, RECORD_HEADER_SIZE);
        int w = (int) (at - windowStart);
        int magic = windowMemory.get(U32, w + MAGIC_OFFSET);
        if (magic != RECORD_MAGIC) {
            problem("record magic", Segment.hex(RECORD_MAGIC), Segment.hex(magic));
            return false;
        }
        long length = Integer.toUnsignedLong(windowMemory.get(U32, w + LENGTH_OFFSET));
        if (length > MAX_BODY) {
            problem("record length", "at most " + MAX_BODY, Long.toString(length));
            return false;
        }
        if (RECORD_OVERHEAD + length > end - at) {
            problem("record size", "at most the " + (end - at) + " bytes left", (RECORD_OVERHEAD + length)
                    + " bytes");
            return false;
        }
        load(at, RECORD_OVERHEAD + (int) length);
        w = (int) (at - windowStart);
        int bodyEnd = w + RECORD_HEADER_SIZE + (int) length;
        int stored = windowMemory.get(U32, bodyEnd);
        int computed = WalFormat.crc32c(crc, windowView, w, bodyEnd);
        if (stored != computed) {
            problem("record checksum", Segment.hex(computed), Segment.hex(stored));
            return false;
        }
        bodyLength = (int) length;
        bodyAt = w + RECORD_HEADER_SIZE;
        return true;
    }

    /** Makes {@code [at, at + n)} readable in the window; {@code n} is already bounded by the bytes left. */
    private void load(long at, int n) throws IOException {
        if (at >= windowStart && at + n <= windowStart + windowLength) {
            return;
        }
        if (n > window.length) {
            window = new byte[Math.max(n, Math.min(WINDOW, (int) Math.min(Integer.MAX_VALUE, end - at)))];
            windowMemory = MemorySegment.ofArray(window);
            windowView = ByteBuffer.wrap(window);
        }
        int length = (int) Math.min(window.length, end - at);
        segment.read(at, ByteBuffer.wrap(window, 0, length));
        windowStart = at;
        windowLength = length;
    }

    private void problem(String what, String expectedValue, String foundValue) {
        problem = what;
        problemExpected = expectedValue;
        problemFound = foundValue;
    }

    /**
     * Decodes the current record's body; damage names the file, the offset and the sequence.
     *
     * @throws FormatVersionException  for a type this version does not read (the record is whole: a newer writer)
     * @throws CorruptedStoreException for a body that does not follow its type's grammar
     */
    Redo decode() throws CorruptedStoreException, FormatVersionException {
        if (!WalFormat.isReadableType(type)) {
            throw new FormatVersionException(segment.path(), "WAL", "1 with record type " + WalFormat.typeName(type)
                    + " (record " + sequence + " at payload offset " + offset + ")",
                    List.of("1 with record types PUT, DELETE, RENAME, BATCH, CREATE_TREE, DROP_TREE, ENVELOPE"));
        }
        try {
            return RedoCodec.decode(type, windowMemory, bodyAt, bodyAt + bodyLength);
        } catch (CorruptedStoreException e) {
            throw new CorruptedStoreException("WAL segment " + segment.path() + ", record " + sequence
                    + " at payload offset " + offset + ": " + e.getMessage(), e);
        }
    }

    /** A corruption error for the problem the last step found, at its payload offset. */
    CorruptedStoreException corrupted(String detail) {
        return new CorruptedStoreException(segment.path(), offset, "WAL " + problem + detail, problemExpected,
                problemFound);
    }

    /** Where the current record (or the problem) starts. */
    long offset() {
        return offset;
    }

    long sequence() {
        return sequence;
    }

    /** The record's whole size: header, body and checksum. */
    int recordBytes() {
        return RECORD_OVERHEAD + bodyLength;
    }

    /** The sequence the next record must have. */
    long expected() {
        return expected;
    }
}
