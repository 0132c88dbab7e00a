package io.cairn.tree.wal;

import static io.cairn.tree.wal.WalFormat.LENGTH_OFFSET;
import static io.cairn.tree.wal.WalFormat.MAGIC_OFFSET;
import static io.cairn.tree.wal.WalFormat.MAX_BODY;
import static io.cairn.tree.wal.WalFormat.RECORD_HEADER_SIZE;
import static io.cairn.tree.wal.WalFormat.RECORD_MAGIC;
import static io.cairn.tree.wal.WalFormat.RECORD_OVERHEAD;
import static io.cairn.tree.wal.WalFormat.SEQUENCE_OFFSET;
import static io.cairn.tree.wal.WalFormat.TYPE_OFFSET;
import static io.cairn.tree.wal.WalFormat.U16;
import static io.cairn.tree.wal.WalFormat.U32;
import static io.cairn.tree.wal.WalFormat.U64;
import static io.cairn.tree.wal.WalFormat.U8;

import io.cairn.stack.CorruptedStoreException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Log records as one byte array, for shipping a change feed between processes (a replicated database's leader and
 * followers): the records framed exactly as in a segment ({@link WalFormat}), behind a small header and under one
 * more checksum. All integers little-endian.
 *
 * <pre>
 * records := magic:u32 = 0x42464343 ("CCFB")  formatVersion:u16 = 1  reserved:u16 = 0  count:u32  after:u64
 *            record*count  crc32c:u32                            (crc over every byte before it)
 * record  := a WAL record: magic length sequence type body crc32c   (sequences after+1, after+2, ...)
 * </pre>
 *
 * Decoding bounds every count and length by the bytes left before allocating, checks both checksums and decodes
 * every body by its grammar; any failure is a {@link CorruptedStoreException}.
 */
public final class RecordBytes {
    private RecordBytes() {}

    /** "CCFB" as a little-endian u32. */
    static final int MAGIC = 0x42464343;
    static final short FORMAT_VERSION = 1;
    static final int HEADER_SIZE = 4 + 2 + 2 + 4 + 8;
    static final int CRC_SIZE = 4;

    /** Records that follow a position. */
    public record Decoded(long after, List<LogEntry> entries) {}

    /** The records after {@code after} (the first one's sequence is {@code after + 1}) as bytes. */
    public static byte[] encode(long after, List<LogEntry> entries) {
        long size = HEADER_SIZE + CRC_SIZE;
        for (LogEntry e : entries) {
            size += RECORD_OVERHEAD + RedoCodec.size(e.redo());
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("records of " + size + " bytes do not fit one array");
        }
        byte[] bytes = new byte[(int) size];
        MemorySegment m = MemorySegment.ofArray(bytes);
        ByteBuffer view = ByteBuffer.wrap(bytes);
        CRC32C crc = new CRC32C();
        m.set(U32, 0, MAGIC);
        m.set(U16, 4, FORMAT_VERSION);
        m.set(U32, 8, entries.size());
        m.set(U64, 12, after);
        long at = HEADER_SIZE;
        for (LogEntry e : entries) {
            m.set(U32, at + MAGIC_OFFSET, RECORD_MAGIC);
            m.set(U64, at + SEQUENCE_OFFSET, e.sequence());
            m.set(U8, at + TYPE_OFFSET, RedoCodec.typeOf(e.redo()));
            long end = RedoCodec.encode(m, at + RECORD_HEADER_SIZE, e.redo());
            m.set(U32, at + LENGTH_OFFSET, (int) (end - at - RECORD_HEADER_SIZE));
            m.set(U32, end, WalFormat.crc32c(crc, view, (int) at, (int) end));
            at = end + Integer.BYTES;
        }
        m.set(U32, at, WalFormat.crc32c(crc, view, 0, (int) at));
        return bytes;
    }

    /**
     * The records these bytes hold.
     *
     * @throws CorruptedStoreException if they are not exactly what {@link #encode} writes
     */
    public static Decoded decode(byte[] bytes) throws CorruptedStoreException {
        if (bytes.length < HEADER_SIZE + CRC_SIZE) {
            throw bad("change records of " + bytes.length + " bytes are shorter than the "
                    + (HEADER_SIZE + CRC_SIZE) + "-byte minimum");
        }
        MemorySegment m = MemorySegment.ofArray(bytes);
        ByteBuffer view = ByteBuffer.wrap(bytes);
        CRC32C crc = new CRC32C();
        int end = bytes.length - CRC_SIZE;
        if (m.get(U32, 0) != MAGIC) {
            throw bad("change records start with " + Integer.toHexString(m.get(U32, 0)) + ", not the magic "
                    + Integer.toHexString(MAGIC));
        }
        int stored = m.get(U32, end);
        int actual = WalFormat.crc32c(crc, view, 0, end);
        if (stored != actual) {
            throw bad("change records checksum is " + Integer.toHexString(stored) + ", the bytes give "
                    + Integer.toHexString(actual));
        }
        if (m.get(U16, 4) != FORMAT_VERSION) {
            throw bad("change records of format version " + m.get(U16, 4) + ", this code reads " + FORMAT_VERSION);
        }
        long count = Integer.toUnsignedLong(m.get(U32, 8));
        if (count > (long) (end - HEADER_SIZE) / RECORD_OVERHEAD) {
            throw bad("change records claim " + count + " records in " + (end - HEADER_SIZE) + " bytes");
        }
        long after = m.get(U64, 12);
        if (after < 0) {
            throw bad("change records follow position " + Long.toUnsignedString(after));
        }
        List<LogEntry> entries = new ArrayList<>((int) count);
        long at = HEADER_SIZE;
        for (long i = 0; i < count; i++) {
            if (end - at < RECORD_OVERHEAD || m.get(U32, at + MAGIC_OFFSET) != RECORD_MAGIC) {
                throw bad("record " + i + " at offset " + at + " is not a record frame");
            }
            long length = Integer.toUnsignedLong(m.get(U32, at + LENGTH_OFFSET));
            if (length > MAX_BODY || length > end - at - RECORD_OVERHEAD) {
                throw bad("record " + i + " claims a body of " + length + " bytes, " + (end - at - RECORD_OVERHEAD)
                        + " are left");
            }
            long bodyEnd = at + RECORD_HEADER_SIZE + length;
            if (m.get(U32, bodyEnd) != WalFormat.crc32c(crc, view, (int) at, (int) bodyEnd)) {
                throw bad("record " + i + " fails its checksum");
            }
            long sequence = m.get(U64, at + SEQUENCE_OFFSET);
            int type = m.get(U8, at + TYPE_OFFSET);
            if (!WalFormat.isReadableType(type)) {
                throw bad("record " + i + " has " + WalFormat.typeName(type));
            }
            if (sequence != after + 1 + i) {
                throw bad("record " + i + " has sequence " + sequence + ", not " + (after + 1 + i));
            }
            try {
                entries.add(new LogEntry(sequence, RedoCodec.decode(type, m, at + RECORD_HEADER_SIZE, bodyEnd)));
            } catch (CorruptedStoreException e) {
                throw bad("record " + i + " (sequence " + sequence + "): " + e.getMessage());
            }
            at = bodyEnd + Integer.BYTES;
        }
        if (at != end) {
            throw bad((end - at) + " bytes follow the last record");
        }
        return new Decoded(after, entries);
    }

    private static CorruptedStoreException bad(String message) {
        return new CorruptedStoreException(message);
    }
}
