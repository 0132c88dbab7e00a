package io.cairn.replication.command;

import io.cairn.stack.CorruptedStoreException;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads one message of {@link CommandFormat}: the constructor checks size, magic, version and checksum; every field
 * read checks its length against the bytes left, so damaged bytes are refused, never read past or allocated from.
 */
final class WireReader {
    private final byte[] bytes;
    private final int end;
    private final int kind;
    private final String what;
    private int pos;

    /**
     * @param what names the message in a refusal ("log entry 17", "reply")
     * @throws CorruptedStoreException if the frame is damaged or of another format
     */
    WireReader(byte[] bytes, String what) throws CorruptedStoreException {
        this.bytes = bytes;
        this.what = what;
        if (bytes.length < CommandFormat.MIN_SIZE) {
            throw corrupt("size", "at least " + CommandFormat.MIN_SIZE + " bytes", bytes.length + " bytes");
        }
        int magic = (bytes[0] & 0xFF) | (bytes[1] & 0xFF) << 8;
        if (magic != CommandFormat.MAGIC) {
            throw corrupt("magic", String.format("%04x", CommandFormat.MAGIC), String.format("%04x", magic));
        }
        int version = bytes[CommandFormat.VERSION_OFFSET] & 0xFF;
        if (version != CommandFormat.FORMAT_VERSION) {
            throw corrupt("format version", version > CommandFormat.FORMAT_VERSION
                    ? CommandFormat.FORMAT_VERSION + " (this one is newer than this version of Cairn reads)"
                    : String.valueOf(CommandFormat.FORMAT_VERSION), String.valueOf(version));
        }
        end = bytes.length - CommandFormat.CRC_SIZE;
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, end);
        long stored = (bytes[end] & 0xFFL) | (bytes[end + 1] & 0xFFL) << 8 | (bytes[end + 2] & 0xFFL) << 16
                | (bytes[end + 3] & 0xFFL) << 24;
        if (stored != crc.getValue()) {
            throw corrupt("checksum", Long.toHexString(crc.getValue()), Long.toHexString(stored));
        }
        kind = bytes[CommandFormat.KIND_OFFSET] & 0xFF;
        pos = CommandFormat.BODY_OFFSET;
    }

    int kind() {
        return kind;
    }

    int u8() throws CorruptedStoreException {
        need(1, "byte");
        return bytes[pos++] & 0xFF;
    }

    int u16() throws CorruptedStoreException {
        need(2, "u16");
        int v = (bytes[pos] & 0xFF) | (bytes[pos + 1] & 0xFF) << 8;
        pos += 2;
        return v;
    }

    long u32() throws CorruptedStoreException {
        return little(4, "u32");
    }

    long u64() throws CorruptedStoreException {
        return little(8, "u64");
    }

    private long little(int n, String field) throws CorruptedStoreException {
        need(n, field);
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (bytes[pos++] & 0xFFL) << (8 * i);
        }
        return v;
    }

    byte[] bytes(int max) throws CorruptedStoreException {
        int n = u16();
        if (n > max) {
            throw corrupt("length at offset " + (pos - 2), "at most " + max, String.valueOf(n));
        }
        need(n, "bytes");
        byte[] b = Arrays.copyOfRange(bytes, pos, pos + n);
        pos += n;
        return b;
    }

    String name() throws CorruptedStoreException {
        int n = u8();
        need(n, "tree name");
        String name = TreeName.decode(Arrays.copyOfRange(bytes, pos, pos + n));
        if (n == 0 || name == null || name.indexOf('\0') >= 0) {
            throw corrupt("tree name at offset " + (pos - 1), "1 to 255 bytes of UTF-8 without NUL",
                    n + " bytes " + java.util.HexFormat.of().formatHex(bytes, pos, pos + n));
        }
        pos += n;
        return name;
    }

    String text() throws CorruptedStoreException {
        return new String(bytes(0xFFFF), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A count read from the message, bounded by what the bytes left can hold at {@code minSize} bytes each. */
    int count(long n, int minSize) throws CorruptedStoreException {
        if (n > (end - pos) / Math.max(1, minSize)) {
            throw corrupt("count at offset " + pos, "at most " + (end - pos) / Math.max(1, minSize), String.valueOf(n));
        }
        return (int) n;
    }

    /** Checks that the body was read exactly to its end. */
    void done() throws CorruptedStoreException {
        if (pos != end) {
            throw corrupt("body length", (pos - CommandFormat.BODY_OFFSET) + " bytes",
                    (end - CommandFormat.BODY_OFFSET) + " bytes");
        }
    }

    CorruptedStoreException corrupt(String field, String expected, String found) {
        return new CorruptedStoreException(what + ": bad " + field + ": expected " + expected + ", found " + found);
    }

    private void need(int n, String field) throws CorruptedStoreException {
        if (n > end - pos) {
            throw corrupt(field + " at offset " + pos, n + " more bytes", (end - pos) + " left");
        }
    }
}
