package io.cairn.dict;

import java.util.Arrays;

/** A growable byte buffer for image payloads: raw bytes, unsigned LEB128 varints and length-prefixed values. */
final class ImageWriter {
    private byte[] bytes;
    private int size;

    ImageWriter(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    void varint(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            bytes[size++] = (byte) (value & 0x7F | 0x80);
            value >>>= 7;
        }
        bytes[size++] = (byte) value;
    }

    void bytes(byte[] source) {
        ensure(source.length);
        System.arraycopy(source, 0, bytes, size, source.length);
        size += source.length;
    }

    /** A value as its length and bytes. */
    void value(byte[] encoded) {
        varint(encoded.length);
        bytes(encoded);
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
