package io.cairn.tree.wal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

import io.cairn.stack.FormatHeader;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of the write-ahead log, a format of our own. A log is a directory of segments; each segment
 * is the payload of one {@code BStack} file named {@code <firstSequence as 20 decimal digits>.stack}. All
 * integers are little-endian; offsets are stack payload offsets.
 *
 * <pre>
 * segment     := segmentHeader record*
 * segmentHeader := magic[8] = 'C' 'W' 'A' 'L' major=0x01 minor=0x00 patch=0x00 0x00
 *                  firstSequence:u64  crc32c:u32                         (20 bytes; crc over the 16 before it)
 * record      := magic:u32 = 0x43525743 ("CWRC")  length:u32  sequence:u64  type:u8  body[length]  crc32c:u32
 *                                                    (length &le; 16 MiB; crc over magic..body)
 * body        := put | delete | rename | batch       (by type; the body must be consumed exactly)
 * put    (1)  := treeId:u32  version:u64  keyLength:u32 key  valueLength:u32 value
 * delete (2)  := treeId:u32  keyLength:u32 key
 * rename (3)  := treeId:u32  version:u64  sourceLength:u32 source  targetLength:u32 target  valueLength:u32 value
 * batch  (4)  := count:u32  (type:u8 (1..3) body-of-that-type)*count
 * createTree (5) := treeId:u32  nameLength:u16 name      (1..255 bytes of UTF-8, no NUL)
 * dropTree (6)   := treeId:u32
 * envelope (7)   := previousHash[32]  hash[32]  payloadLength:u32 payload  batch-body
 *                   (hash = SHA-256(previousHash sequence:u64 payloadLength:u32 payload batch-body): JournalChain)
 * treeId      := 0..2^31-1;  version := 1..2^63-1
 * </pre>
 *
 * <p>The magic is checked by the stack layer's shared {@link FormatHeader}: another tag is damage, a major or minor
 * version this code does not read is a {@link io.cairn.stack.FormatVersionException}, and so is a whole record of a
 * type it does not know (one written by a newer version).
 *
 * <p>Sequences are contiguous across the whole log: the first record of a segment carries its
 * {@code firstSequence} and every later record the previous one's plus one, so the last segment's header alone
 * gives the next sequence of an empty segment. A segment's header is forced before the segment gets its final
 * name (it is written under {@code <name>.tmp} and renamed), so a named segment always has a whole header; a
 * segment before the last was forced whole before the next one was created (except under {@code NONE}).
 *
 * <p>Recovery: a record that fails (short header, magic, length bound, past the end, checksum) with no valid
 * record anywhere after it in the last segment is a torn tail: a writable open cuts it, a read-only open ignores
 * it. Anything else (a failing record followed by a valid one, a failing record in an earlier segment, a valid
 * record whose sequence is not the expected one, a body that does not decode) is corruption.
 */
final class WalFormat {
    private WalFormat() {}

    static final ValueLayout.OfByte U8 = JAVA_BYTE;
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32 = JAVA_INT_UNALIGNED.withOrder(LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64 = JAVA_LONG_UNALIGNED.withOrder(LITTLE_ENDIAN);

    // ------------------------------------------------------------------ segment header

    /** The segment format: tag {@code CWAL}, version 1.0 (the one this code writes and reads). */
    static final FormatHeader SEGMENT_FORMAT = FormatHeader.of("WAL segment", "CWAL", 1, 0);
    static final int FORMAT_MINOR = 0;
    static final int FORMAT_PATCH = 0;

    static final int SEGMENT_MAGIC_OFFSET = 0;
    static final int FIRST_SEQUENCE_OFFSET = SEGMENT_MAGIC_OFFSET + FormatHeader.SIZE;
    static final int SEGMENT_CRC_OFFSET = FIRST_SEQUENCE_OFFSET + Long.BYTES;
    /** Bytes of the segment header; the first record starts here. */
    static final int SEGMENT_HEADER_SIZE = SEGMENT_CRC_OFFSET + Integer.BYTES;

    /** File name suffix of a segment, and of a segment being created. */
    static final String SEGMENT_SUFFIX = ".stack";
    static final String CREATING_SUFFIX = ".stack.tmp";
    /** Digits of the zero-padded first sequence in a segment's name (enough for any u63). */
    static final int NAME_DIGITS = 20;

    // ------------------------------------------------------------------ record frame

    /** "CWRC" as a little-endian u32. */
    static final int RECORD_MAGIC = 0x43525743;

    static final int MAGIC_OFFSET = 0;
    static final int LENGTH_OFFSET = MAGIC_OFFSET + Integer.BYTES;
    static final int SEQUENCE_OFFSET = LENGTH_OFFSET + Integer.BYTES;
    static final int TYPE_OFFSET = SEQUENCE_OFFSET + Long.BYTES;
    /** Bytes before the body. */
    static final int RECORD_HEADER_SIZE = TYPE_OFFSET + Byte.BYTES;
    /** Bytes after the body: the CRC32C. */
    static final int RECORD_TRAILER_SIZE = Integer.BYTES;
    /** Bytes a record adds to its body. */
    static final int RECORD_OVERHEAD = RECORD_HEADER_SIZE + RECORD_TRAILER_SIZE;
    /** Largest body: bounds every allocation a record's length can cause. */
    static final int MAX_BODY = 16 * 1024 * 1024;
    /** Largest record. */
    static final int MAX_RECORD = RECORD_OVERHEAD + MAX_BODY;

    // ------------------------------------------------------------------ record types and bodies

    static final byte TYPE_PUT = 1;
    static final byte TYPE_DELETE = 2;
    static final byte TYPE_RENAME = 3;
    static final byte TYPE_BATCH = 4;
    /** A tree created in a store (id, name). */
    static final byte TYPE_CREATE_TREE = 5;
    /** A tree dropped from a store (id). */
    static final byte TYPE_DROP_TREE = 6;
    /** A batch wrapped in a journal envelope: an opaque caller payload and a hash-chain link. */
    static final byte TYPE_ENVELOPE = 7;

    static final int TREE_ID_SIZE = Integer.BYTES;
    static final int VERSION_SIZE = Long.BYTES;
    static final int LENGTH_SIZE = Integer.BYTES;
    static final int COUNT_SIZE = Integer.BYTES;
    static final int EFFECT_TYPE_SIZE = Byte.BYTES;
    /** Fixed bytes of a put body (all but key and value). */
    static final int PUT_FIXED = TREE_ID_SIZE + VERSION_SIZE + LENGTH_SIZE + LENGTH_SIZE;
    /** Fixed bytes of a delete body (all but the key). */
    static final int DELETE_FIXED = TREE_ID_SIZE + LENGTH_SIZE;
    /** Fixed bytes of a rename body (all but source, target and value). */
    static final int RENAME_FIXED = TREE_ID_SIZE + VERSION_SIZE + LENGTH_SIZE + LENGTH_SIZE + LENGTH_SIZE;
    static final int NAME_LENGTH_SIZE = Short.BYTES;
    /** Fixed bytes of a create-tree body (all but the name). */
    static final int CREATE_TREE_FIXED = TREE_ID_SIZE + NAME_LENGTH_SIZE;
    /** Fixed bytes of an envelope body (all but the payload and the batch body). */
    static final int ENVELOPE_FIXED = 2 * JournalChain.HASH_BYTES + LENGTH_SIZE;
    /** Smallest batch entry: a delete of the empty key; bounds the entry count a body length allows. */
    static final int MIN_BATCH_ENTRY = EFFECT_TYPE_SIZE + DELETE_FIXED;

    /** Whether this version reads records of {@code type}. */
    static boolean isReadableType(int type) {
        return type >= TYPE_PUT && type <= TYPE_ENVELOPE;
    }

    /** The name of a record type, for messages. */
    static String typeName(int type) {
        return switch (type) {
            case TYPE_PUT -> "PUT";
            case TYPE_DELETE -> "DELETE";
            case TYPE_RENAME -> "RENAME";
            case TYPE_BATCH -> "BATCH";
            case TYPE_CREATE_TREE -> "CREATE_TREE";
            case TYPE_DROP_TREE -> "DROP_TREE";
            case TYPE_ENVELOPE -> "ENVELOPE";
            default -> "unknown type " + type;
        };
    }

    /** A segment's file name. */
    static String segmentName(long firstSequence) {
        return String.format("%0" + NAME_DIGITS + "d", firstSequence) + SEGMENT_SUFFIX;
    }

    /** The first sequence a segment file name states, or -1 if the name is not a segment's. */
    static long parseSegmentName(String name) {
        if (name.length() != NAME_DIGITS + SEGMENT_SUFFIX.length() || !name.endsWith(SEGMENT_SUFFIX)) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < NAME_DIGITS; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9' || value > (Long.MAX_VALUE - (c - '0')) / 10) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Whether {@code name} is a segment that was being created when the writer stopped. */
    static boolean isCreatingName(String name) {
        return name.length() == NAME_DIGITS + CREATING_SUFFIX.length() && name.endsWith(CREATING_SUFFIX)
                && parseSegmentName(name.substring(0, NAME_DIGITS) + SEGMENT_SUFFIX) >= 0;
    }

    /** The CRC32C of {@code view[from, to)}; moves the view's position and limit. */
    static int crc32c(CRC32C crc, ByteBuffer view, int from, int to) {
        crc.reset();
        view.limit(to).position(from);
        crc.update(view);
        return (int) crc.getValue();
    }
}
