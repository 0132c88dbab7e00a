package io.cairn.dict;

import java.util.function.IntUnaryOperator;

/**
 * Decodes unsigned LEB128 varints (7 bits a byte, low first) from data Cairn wrote itself in this process (node
 * records, sort runs), so no bound or corruption check is needed; {@link ImageReader} decodes untrusted images.
 */
final class Varints {
    private Varints() {}

    /** The varint at {@code at} of a byte sequence read through {@code byteAt} (unsigned bytes). */
    static long get(IntUnaryOperator byteAt, int at) {
        long value = 0;
        int shift = 0;
        int b;
        do {
            b = byteAt.applyAsInt(at++);
            value |= (long) (b & 0x7F) << shift;
            shift += 7;
        } while (b >= 0x80);
        return value;
    }

    /** How many bytes {@code value} takes as a varint. */
    static int size(long value) {
        int size = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            size++;
        }
        return size;
    }
}
