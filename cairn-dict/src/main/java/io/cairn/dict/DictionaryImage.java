package io.cairn.dict;

import static io.cairn.dict.DictionaryImageFormat.*;

import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.StorageFile;
import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * Reads and writes the framing of a dictionary image (header, checksums) around a payload; see
 * {@link DictionaryImageFormat} for the grammar.
 *
 * @param kind the dictionary kind
 * @param alphabet the alphabet code
 * @param flags the header flags
 * @param payload the checked payload bytes
 * @param path the file, for messages
 */
record DictionaryImage(int kind, int alphabet, int flags, MemorySegment payload, Path path) {

    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    boolean hasValues() {
        return (flags & FLAG_HAS_VALUES) != 0;
    }

    /**
     * Writes an image durably and atomically: to a temporary sibling first, forced, then renamed over
     * {@code path} and the directory synced, so {@code path} holds either the old or the whole new image.
     *
     * @return the bytes written
     * @throws IllegalArgumentException if {@code path} is a directory or a special file
     */
    static long write(StorageIo io, Path path, int kind, int alphabet, int flags, byte[] payload)
            throws IOException {
        if (HEADER_SIZE + (long) payload.length > MAX_IMAGE_SIZE) {
            throw new IllegalArgumentException("dictionary image of " + (HEADER_SIZE + (long) payload.length)
                    + " bytes exceeds the limit of " + MAX_IMAGE_SIZE + " bytes: " + path);
        }
        try (ImageOutput out = ImageOutput.create(io, path, kind, alphabet, flags)) {
            out.write(payload);
            return out.commit();
        }
    }

    /** For {@link #map} and {@link #read}: accept every kind. */
    static final int ANY_KIND = 0;

    /**
     * Maps {@code path} read-only (FFM, no copy) and checks its framing. The mapping belongs to an automatic
     * arena: it lives exactly as long as something references it, so no dictionary needs closing and none can
     * touch unmapped memory.
     */
    static DictionaryImage map(Path path, int expectedKind) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < HEADER_SIZE) {
                throw new CorruptedStoreException("dictionary image " + path + " is " + size
                        + " bytes, shorter than its " + HEADER_SIZE + "-byte header");
            }
            if (size > MAX_IMAGE_SIZE) {
                throw new CorruptedStoreException("dictionary image " + path + " is " + size
                        + " bytes, more than the limit of " + MAX_IMAGE_SIZE);
            }
            MemorySegment whole = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, Arena.ofAuto());
            return parse(whole, path, expectedKind);
        }
    }

    /** Reads {@code path} into the heap through the I/O seam and checks its framing. */
    static DictionaryImage read(StorageIo io, Path path, int expectedKind) throws IOException {
        try (StorageFile file = io.open(path, StorageIo.OpenMode.READ_ONLY)) {
            long size = file.size();
            if (size < HEADER_SIZE || size > MAX_IMAGE_SIZE) {
                throw new CorruptedStoreException("dictionary image " + path + " is " + size
                        + " bytes; an image is " + HEADER_SIZE + " to " + MAX_IMAGE_SIZE + " bytes");
            }
            byte[] bytes = new byte[(int) size];
            file.read(0, ByteBuffer.wrap(bytes));
            return parse(MemorySegment.ofArray(bytes), path, expectedKind);
        }
    }

    private static DictionaryImage parse(MemorySegment whole, Path path, int expectedKind)
            throws CorruptedStoreException {
        byte[] magic = whole.asSlice(MAGIC_OFFSET, MAGIC.length).toArray(ValueLayout.JAVA_BYTE);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new CorruptedStoreException("header magic mismatch in " + path + ": expected "
                    + HexFormat.of().formatHex(MAGIC) + ", found " + HexFormat.of().formatHex(magic));
        }
        int headerCrc = crc(whole.asSlice(0, HEADER_CRC_OFFSET).asByteBuffer());
        int storedHeaderCrc = whole.get(INT, HEADER_CRC_OFFSET);
        if (headerCrc != storedHeaderCrc) {
            throw new CorruptedStoreException("header checksum mismatch in " + path + ": expected "
                    + Integer.toHexString(storedHeaderCrc) + ", computed " + Integer.toHexString(headerCrc));
        }
        int version = Short.toUnsignedInt(whole.get(SHORT, VERSION_OFFSET));
        if (version != VERSION) {
            throw new CorruptedStoreException("unsupported dictionary image version in " + path + ": expected "
                    + VERSION + ", found " + version);
        }
        int kind = Byte.toUnsignedInt(whole.get(ValueLayout.JAVA_BYTE, KIND_OFFSET));
        if (expectedKind == ANY_KIND ? kind < KIND_DOUBLE_ARRAY_TRIE || kind > KIND_TOKEN_DAWG : kind != expectedKind) {
            throw new CorruptedStoreException("dictionary image " + path + " holds kind " + kind
                    + ", expected kind " + expectedKind + " (1 double-array trie, 2 DAWG, 3 token DAWG)");
        }
        int alphabet = Byte.toUnsignedInt(whole.get(ValueLayout.JAVA_BYTE, ALPHABET_OFFSET));
        boolean tokens = kind == KIND_TOKEN_DAWG;
        if (tokens ? alphabet != ALPHABET_TOKENS : alphabet > ALPHABET_CODE_POINTS) {
            throw new CorruptedStoreException("impossible alphabet " + alphabet + " for kind " + kind + " in " + path);
        }
        int flags = whole.get(INT, FLAGS_OFFSET);
        if ((flags & ~FLAG_HAS_VALUES) != 0) {
            throw new CorruptedStoreException("unknown flags " + Integer.toHexString(flags) + " in " + path);
        }
        long payloadLength = whole.get(LONG, PAYLOAD_LENGTH_OFFSET);
        if (payloadLength != whole.byteSize() - HEADER_SIZE) {
            throw new CorruptedStoreException("dictionary image " + path + " is " + whole.byteSize()
                    + " bytes, its header says " + HEADER_SIZE + " + " + payloadLength);
        }
        MemorySegment payload = whole.asSlice(HEADER_SIZE);
        int payloadCrc = crc(payload.asByteBuffer());
        int storedPayloadCrc = whole.get(INT, PAYLOAD_CRC_OFFSET);
        if (payloadCrc != storedPayloadCrc) {
            throw new CorruptedStoreException("payload checksum mismatch in " + path + ": expected "
                    + Integer.toHexString(storedPayloadCrc) + ", computed " + Integer.toHexString(payloadCrc));
        }
        return new DictionaryImage(kind, alphabet, flags, payload, path);
    }

    private static int crc(ByteBuffer bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    /** A corruption found in the payload's structure, naming the file. */
    CorruptedStoreException corrupt(String what) {
        return new CorruptedStoreException("impossible dictionary image " + path + ": " + what);
    }
}
