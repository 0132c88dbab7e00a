package io.cairn.replication.command;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.Arrays;
import java.util.zip.CRC32C;

/** Builds one message of {@link CommandFormat}: header, fields appended little-endian, checksum on {@link #finish}. */
final class WireWriter {
    private byte[] bytes = new byte[64];
    private int size;

    WireWriter(int kind) {
        u16(CommandFormat.MAGIC);
        u8(CommandFormat.FORMAT_VERSION);
        u8(kind);
    }

    WireWriter u8(int v) {
        ensure(1);
        bytes[size++] = (byte) v;
        return this;
    }

    WireWriter u16(int v) {
        ensure(2);
        bytes[size++] = (byte) v;
        bytes[size++] = (byte) (v >>> 8);
        return this;
    }

    WireWriter u32(long v) {
        return little(v, 4);
    }

    WireWriter u64(long v) {
        return little(v, 8);
    }

    private WireWriter little(long v, int n) {
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[size++] = (byte) (v >>> (8 * i));
        }
        return this;
    }

    /** A length-prefixed byte string of at most {@code max} bytes; {@code what} names it in the refusal. */
    WireWriter bytes(String what, byte[] b, int max) {
        if (b == null) {
            throw new NullPointerException(what + " must not be null");
        }
        if (b.length > max) {
            throw new IllegalArgumentException(what + " length " + b.length + " exceeds the maximum of " + max
                    + " bytes");
        }
        return u16(b.length).raw(b);
    }

    /** A tree name, checked against the naming rule. */
    WireWriter name(String name) {
        byte[] b = TreeName.encode(name);
        return u8(b.length).raw(b);
    }

    private WireWriter raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
        return this;
    }

    /** A message text, cut to what its length field can say. */
    WireWriter text(String s) {
        byte[] b = s.getBytes(UTF_8);
        return bytes("message", b.length > 0xFFFF ? Arrays.copyOf(b, 0xFFFF) : b, 0xFFFF);
    }

    byte[] finish() {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, size);
        u32(crc.getValue());
        return Arrays.copyOf(bytes, size);
    }

    private void ensure(int n) {
        if (size + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
        }
    }
}
