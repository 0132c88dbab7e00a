package io.cairn.bench.tree;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;

/** Byte-string helpers shared by the engines: unsigned order, prefixes and prefix successors. */
final class Bytes {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.nativeOrder());

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

    /**
     * Folds {@code length} bytes at {@code offset} into a sum, eight at a time: how the harness consumes a listed
     * record, so each engine is timed for handing out all of a record's bytes while the consumer's cost stays small.
     */
    static long fold(byte[] bytes, int offset, int length) {
        long sum = length;
        int i = offset;
        int end = offset + length;
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            sum += (long) LONGS.get(bytes, i);
        }
        for (; i < end; i++) {
            sum += bytes[i];
        }
        return sum;
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
