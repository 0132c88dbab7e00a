package io.cairn.stack;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Byte arrays the stack's file-level tests build expected contents and hand-made files from. */
final class StackBytes {
    private StackBytes() {
    }

    /** {@code n} bytes that differ from one seed to another and along the array. */
    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        return b;
    }

    /** The parts back to back. */
    static byte[] cat(byte[]... parts) {
        ByteBuffer out = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            out.put(p);
        }
        return out.array();
    }

    /** Unsigned little-endian u64 words, as the stack's headers and journal stages hold them. */
    static byte[] words(long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    /** A copy of {@code content} with {@code data} written at {@code offset}. */
    static byte[] overwrite(byte[] content, int offset, byte[] data) {
        byte[] out = content.clone();
        System.arraycopy(data, 0, out, offset, data.length);
        return out;
    }
}
