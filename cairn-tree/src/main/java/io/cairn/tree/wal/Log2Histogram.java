package io.cairn.tree.wal;

/**
 * Counts of values by power-of-two bucket: bucket 0 holds 0, bucket {@code i > 0} holds {@code [2^(i-1), 2^i)}.
 * Cheap enough to update on every group commit; not thread-safe (the log updates it under its lock).
 */
final class Log2Histogram {
    private final long[] counts = new long[Long.SIZE + 1];

    void add(long value) {
        counts[Long.SIZE - Long.numberOfLeadingZeros(Math.max(0, value))]++;
    }

    /** The counts, trailing empty buckets dropped. */
    long[] snapshot() {
        int n = counts.length;
        while (n > 0 && counts[n - 1] == 0) {
            n--;
        }
        return java.util.Arrays.copyOf(counts, n);
    }
}
