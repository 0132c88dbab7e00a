package io.cairn.bench.stack;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * The timings of contenders interleaved operation by operation in one fork, so that all of them see the same disk
 * contention on a shared machine: each round runs every contender once, in a fresh random order (so no one always
 * follows the same neighbour). {@link #report} prints each contender's median, p99, ops/s and its median over the
 * baseline contender's ({@code median/base}), as lines starting with {@code paired:}.
 */
final class PairedSamples {
    /** Upper bound of timed operations per contender (a 64-byte fsync'd append takes at least ~100 µs). */
    private static final int MAX_SAMPLES = 200_000;

    private final String[] names;
    private final long[][] nanos;
    private final int[] counts;
    private final int[] order;
    private final Random random;
    private int turn;

    PairedSamples(long seed, String... names) {
        this.names = names.clone();
        this.nanos = new long[names.length][MAX_SAMPLES];
        this.counts = new int[names.length];
        this.order = IntStream.range(0, names.length).toArray();
        this.random = new Random(seed);
    }

    /** Runs contender number {@code k}. */
    @FunctionalInterface
    interface Contenders {
        void run(int k) throws IOException;
    }

    /** Runs the next contender (each once per round, in a random order), timing it if {@code measuring}. */
    void runNext(boolean measuring, Contenders contenders) throws IOException {
        int k = next();
        long start = System.nanoTime();
        contenders.run(k);
        record(k, start, measuring);
    }

    private int next() {
        int slot = turn++ % order.length;
        if (slot == 0) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order[slot];
    }

    private void record(int k, long startNanos, boolean measuring) {
        long elapsed = System.nanoTime() - startNanos;
        if (measuring && counts[k] < MAX_SAMPLES) {
            nanos[k][counts[k]++] = elapsed;
        }
    }

    /** Prints one line per contender, with ratios to contender {@code baseline}'s median; nothing if none ran. */
    void report(int baseline) {
        if (counts[baseline] == 0) {
            return;
        }
        double baseMedian = percentile(baseline, 0.50);
        System.out.println("paired: base = " + names[baseline]);
        for (int k = 0; k < names.length; k++) {
            System.out.printf("paired: %-42s n=%6d  median %8.1f us  p99 %9.1f us  %8.0f ops/s  median/base %.3f%n",
                    names[k], counts[k], percentile(k, 0.50), percentile(k, 0.99), opsPerSecond(k),
                    percentile(k, 0.50) / baseMedian);
        }
    }

    /** Contender {@code k}'s percentile in microseconds. */
    private double percentile(int k, double p) {
        long[] sorted = Arrays.copyOf(nanos[k], counts[k]);
        Arrays.sort(sorted);
        return sorted[(int) Math.min(counts[k] - 1, Math.floor(p * counts[k]))] / 1_000.0;
    }

    private double opsPerSecond(int k) {
        long total = 0;
        for (int i = 0; i < counts[k]; i++) {
            total += nanos[k][i];
        }
        return counts[k] * 1e9 / total;
    }
}
