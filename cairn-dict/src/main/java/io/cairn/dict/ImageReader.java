package io.cairn.dict;

import io.cairn.stack.CorruptedStoreException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads varints and values from an image payload, failing with {@link CorruptedStoreException} (never an
 * unchecked exception) at the first impossible byte, and bounding every length by the bytes left.
 */
final class ImageReader {
    private final DictionaryImage image;
    private final MemorySegment payload;
    private long position;

    ImageReader(DictionaryImage image, MemorySegment payload, long position) {
        this.image = image;
        this.payload = payload;
        this.position = position;
    }

    long remaining() {
        return payload.byteSize() - position;
    }

    /** An unsigned LEB128 integer of up to 64 bits (at most 10 bytes; read as a long, so it may be negative). */
    long varint() throws CorruptedStoreException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= payload.byteSize()) {
                throw image.corrupt("payload ends inside a number at byte " + position);
            }
            byte b = payload.get(ValueLayout.JAVA_BYTE, position++);
            if (shift == 63 && (b & 0xFE) != 0) {
                break;
            }
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw image.corrupt("number longer than 64 bits at byte " + position);
    }

    /** A varint that must lie in [min, max]. */
    long varint(long min, long max, String what) throws CorruptedStoreException {
        long start = position;
        long value = varint();
        if (value < min || value > max) {
            throw image.corrupt(what + " " + value + " at byte " + start + " is outside [" + min + ", " + max + "]");
        }
        return value;
    }

    /**
     * The length of a length-prefixed value, bounded by the bytes left after the length itself (bounding it
     * before reading the length would let a value end up to ten bytes past the payload).
     */
    private int valueLength() throws CorruptedStoreException {
        long start = position;
        long length = varint();
        if (length < 0 || length > remaining()) {
            throw image.corrupt("value length " + length + " at byte " + start + " exceeds the " + remaining()
                    + " bytes left");
        }
        return (int) length;
    }

    /** A length-prefixed value decoded by {@code codec}. */
    <V> V value(ValueCodec<V> codec) throws CorruptedStoreException {
        int length = valueLength();
        byte[] bytes = payload.asSlice(position, length).toArray(ValueLayout.JAVA_BYTE);
        position += length;
        try {
            V value = codec.decode(bytes);
            if (value == null) {
                throw image.corrupt("value codec decoded null at byte " + (position - length));
            }
            return value;
        } catch (RuntimeException e) {
            throw new CorruptedStoreException("value at byte " + (position - length) + " of " + image.path()
                    + " does not decode: " + e.getMessage(), e);
        }
    }

    /** Steps over a length-prefixed value. */
    void skipValue() throws CorruptedStoreException {
        int length = valueLength(); // not "position += valueLength()": that adds to the position before the length
        position += length;
    }

    void expectEnd() throws CorruptedStoreException {
        if (remaining() != 0) {
            throw image.corrupt(remaining() + " unexpected bytes after the last value");
        }
    }
}
