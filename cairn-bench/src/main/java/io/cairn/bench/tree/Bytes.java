package io.cairn.bench.tree;

import java.util.Arrays;
import java.util.HexFormat;

/** Byte-string helpers shared by the engines: unsigned order, prefixes and prefix successors. */
final class Bytes {
    private Bytes() {}

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Index of the first {@code delimiter} in {@code key} at or after {@code from}, or -1. */
    static int indexOf(byte[] key, byte delimiter, int from) {
        for (int i = from; i < key.length; i++) {
            if (key[i] == delimiter) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The smallest byte string greater than every string starting with {@code prefix} (drop trailing 0xFF bytes,
     * increment the last one), or null when there is none (empty or all-0xFF prefix). Peers seek here to skip a
     * rolled-up subtree in one step.
     */
    static byte[] successor(byte[] prefix) {
        int end = prefix.length;
        while (end > 0 && prefix[end - 1] == (byte) 0xFF) {
            end--;
        }
        if (end == 0) {
            return null;
        }
        byte[] next = Arrays.copyOf(prefix, end);
        next[end - 1]++;
        return next;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Printable form for messages: UTF-8 text when it is plain ASCII, hex otherwise. */
    static String show(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0x20 || b > 0x7E) {
                return "0x" + HexFormat.of().formatHex(bytes);
            }
        }
        return "'" + new String(bytes, java.nio.charset.StandardCharsets.US_ASCII) + "'";
    }
}
