package io.cairn.dict;

import java.util.Arrays;

/**
 * A growable byte buffer for image payloads in memory: raw bytes, little-endian integers, unsigned LEB128 varints
 * and length-prefixed values.
 */
final class ImageWriter implements PayloadOut {
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

    @Override
    public void writeInt(int value) {
        ensure(Integer.BYTES);
        for (int i = 0; i < Integer.BYTES; i++) {
            bytes[size++] = (byte) (value >>> 8 * i);
        }
    }

    @Override
    public void writeLong(long value) {
        ensure(Long.BYTES);
        for (int i = 0; i < Long.BYTES; i++) {
            bytes[size++] = (byte) (value >>> 8 * i);
        }
    }

    @Override
    public void writeVarint(long value) {
        varint(value);
    }

    @Override
    public void write(byte[] source, int offset, int length) {
        ensure(length);
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
    }

    void bytes(byte[] source) {
        write(source, 0, source.length);
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
