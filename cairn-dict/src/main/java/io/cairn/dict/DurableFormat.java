package io.cairn.dict;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;
import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.FormatVersionException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * The keys a durable dictionary ({@link DurableDictionary}) or vocabulary ({@link DurableVocabulary}) keeps in its
 * tree (one directory holds one tree: docs/formats.md, "Durable tree"). Tree records carry their own checksums (frame
 * images and WAL records); this layout adds a marker that says what the tree holds. Integers in keys are big-endian
 * so they sort numerically; the marker is little-endian like every other Cairn header.
 *
 * <pre>
 * key                        value
 * 0x00 'F'                   marker := magic[4] = "CDUR"  version:u16 = 1  kind:u8  reserved:u8 = 0
 *                                      crc32c:u32 (over the 8 bytes before it)                       (12 bytes)
 *                            kind: 1 = dictionary, 2 = vocabulary
 * dictionary:
 * 0x00 'C' stripe:u8         count:i64   terms added minus terms removed through this stripe (0..15); the
 *                                        dictionary's size is their sum, kept in the same atomic batch as the
 *                                        terms it counts
 * 0x01 utf8(term)            entry := empty (a term without a value) | 0x01 value[n]
 * vocabulary:
 * 0x00 'N'                   next id:u64 (= the number of terms)
 * 0x01 utf8(term)            id:u64
 * 0x02 id:u64                utf8(term)
 * </pre>
 *
 * A marker with another magic, a bad checksum or an impossible kind is {@link CorruptedStoreException}; a newer
 * version is {@link FormatVersionException}.
 */
final class DurableFormat {
    private DurableFormat() {}

    static final ValueLayout.OfShort U16 = JAVA_SHORT_UNALIGNED.withOrder(LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32 = JAVA_INT_UNALIGNED.withOrder(LITTLE_ENDIAN);
    /** Integers in keys and counters: big-endian, so keys sort by number. */
    static final ValueLayout.OfLong I64_BE = JAVA_LONG_UNALIGNED.withOrder(BIG_ENDIAN);

    static final byte[] MARKER_KEY = {0x00, 'F'};
    static final byte[] COUNT_PREFIX = {0x00, 'C'};
    static final byte[] NEXT_ID_KEY = {0x00, 'N'};
    /** Terms live under this byte: the dictionary's trie is the tree's trie below it. */
    static final byte[] TERMS = {0x01};
    static final byte[] IDS = {0x02};
    /** Count stripes: writers on different threads update different counters, so they rarely retry. */
    static final int STRIPES = 16;

    static final byte[] MAGIC = {'C', 'D', 'U', 'R'};
    static final short VERSION = 1;
    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = MAGIC_OFFSET + MAGIC.length;
    static final int KIND_OFFSET = VERSION_OFFSET + Short.BYTES;
    static final int RESERVED_OFFSET = KIND_OFFSET + 1;
    static final int CRC_OFFSET = RESERVED_OFFSET + 1;
    static final int MARKER_SIZE = CRC_OFFSET + Integer.BYTES;

    /** A value stored with a term starts with this tag; an entry without a value is empty. */
    static final byte VALUE_TAG = 0x01;

    /** What a durable directory holds. */
    enum Kind {
        DICTIONARY(1, "a durable dictionary"),
        VOCABULARY(2, "a durable vocabulary");

        final int code;
        final String description;

        Kind(int code, String description) {
            this.code = code;
            this.description = description;
        }
    }

    static byte[] marker(Kind kind) {
        byte[] out = new byte[MARKER_SIZE];
        MemorySegment m = MemorySegment.ofArray(out);
        MemorySegment.copy(MemorySegment.ofArray(MAGIC), 0, m, MAGIC_OFFSET, MAGIC.length);
        m.set(U16, VERSION_OFFSET, VERSION);
        m.set(JAVA_BYTE, KIND_OFFSET, (byte) kind.code);
        m.set(U32, CRC_OFFSET, crc(out));
        return out;
    }

    /**
     * The kind a marker names, after checking its magic, checksum and version.
     *
     * @throws CorruptedStoreException if it is not a marker of ours or is damaged
     * @throws FormatVersionException  if it comes from a newer version
     */
    static Kind kind(byte[] marker, Path directory) throws CorruptedStoreException, FormatVersionException {
        String what = "durable dictionary marker (tree key 0046)";
        if (marker.length != MARKER_SIZE || !Arrays.equals(marker, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new CorruptedStoreException(directory, CorruptedStoreException.UNKNOWN_OFFSET, what,
                    MARKER_SIZE + " bytes starting with CDUR", HexFormat.of().formatHex(marker));
        }
        MemorySegment m = MemorySegment.ofArray(marker);
        int stored = m.get(U32, CRC_OFFSET);
        if (stored != crc(marker)) {
            throw new CorruptedStoreException(directory, CRC_OFFSET, what + " checksum",
                    Integer.toHexString(crc(marker)), Integer.toHexString(stored));
        }
        int version = m.get(U16, VERSION_OFFSET) & 0xFFFF;
        if (version != VERSION) {
            throw new FormatVersionException(directory, "durable dictionary", Integer.toString(version),
                    java.util.List.of(Integer.toString(VERSION)));
        }
        int code = m.get(JAVA_BYTE, KIND_OFFSET);
        for (Kind k : Kind.values()) {
            if (k.code == code) {
                return k;
            }
        }
        throw new CorruptedStoreException(directory, KIND_OFFSET, what + " kind", "1 (dictionary) or 2 (vocabulary)",
                Integer.toString(code));
    }

    private static int crc(byte[] marker) {
        CRC32C crc = new CRC32C();
        crc.update(marker, 0, CRC_OFFSET);
        return (int) crc.getValue();
    }

    static byte[] key(byte[] prefix, byte[] rest) {
        byte[] key = Arrays.copyOf(prefix, prefix.length + rest.length);
        System.arraycopy(rest, 0, key, prefix.length, rest.length);
        return key;
    }

    static byte[] longBytes(long v) {
        byte[] out = new byte[Long.BYTES];
        MemorySegment.ofArray(out).set(I64_BE, 0, v);
        return out;
    }

    static long longOf(byte[] bytes, String what) {
        if (bytes.length != Long.BYTES) {
            throw new java.io.UncheckedIOException(new CorruptedStoreException(what + " holds " + bytes.length
                    + " bytes, expected 8"));
        }
        return MemorySegment.ofArray(bytes).get(I64_BE, 0);
    }
}
