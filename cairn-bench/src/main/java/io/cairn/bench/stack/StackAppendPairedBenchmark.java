package io.cairn.bench.stack;

import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The contenders of {@link StackAppendBenchmark} interleaved operation by operation in one fork, so that all of
 * them see the same disk contention on a shared machine: each round runs every contender once, in a random
 * order, timing each. A fourth single-record contender does BStack's I/O (append, an 8-byte rewrite near the start of the
 * file, force) without BStack, to separate the cost of the format from the cost of the code. JMH's own score is the
 * mix; the per-contender median, p99 and ops/s of the measurement iterations,
 * and the ratios to the raw baseline, are printed at the end of the fork (look for "paired:").
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class StackAppendPairedBenchmark {
    /** Upper bound of timed operations per contender (a 64-byte fsync'd append takes at least ~100 µs). */
    private static final int MAX_SAMPLES = 200_000;

    private AppendContenders contenders;
    private final Samples[] single = {new Samples("bstack push"), new Samples("raw append+force"),
            new Samples("tape2 QueueFile.add"), new Samples("raw append+header+force")};
    private final Samples[] grouped = {new Samples("bstack pushAll(100)"), new Samples("raw 100 writes+force")};
    private final Random random = new Random(7);
    private int[] order = new int[0];
    private boolean measuring;
    private int turn;

    @Setup(Level.Trial)
    public void create() throws IOException {
        contenders = new AppendContenders();
    }

    @Setup(Level.Iteration)
    public void open(IterationParams params) throws IOException {
        measuring = params.getType() == IterationType.MEASUREMENT;
        contenders.open();
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        contenders.close();
    }

    @TearDown(Level.Trial)
    public void report() {
        for (Samples[] set : new Samples[][] {single, grouped}) {
            if (set[0].count > 0) {
                double rawMedian = set[1].percentile(0.50);
                for (Samples s : set) {
                    System.out.printf("paired: %-24s n=%6d  median %8.1f us  p99 %9.1f us  %8.0f ops/s  "
                            + "median/raw %.3f%n", s.name, s.count, s.percentile(0.50), s.percentile(0.99),
                            s.opsPerSecond(), s.percentile(0.50) / rawMedian);
                }
            }
        }
    }

    @Benchmark
    public void push64Interleaved() throws IOException {
        int k = nextInRandomOrder(single.length);
        long start = System.nanoTime();
        switch (k) {
            case 0 -> contenders.bstackPush();
            case 1 -> contenders.rawAppendForce();
            case 2 -> contenders.tapeAdd();
            default -> contenders.rawAppendHeaderForce();
        }
        record(single[k], start);
    }

    @Benchmark
    public void group100Interleaved() throws IOException {
        int k = nextInRandomOrder(grouped.length);
        long start = System.nanoTime();
        if (k == 0) {
            contenders.bstackPushAll();
        } else {
            contenders.rawWriteGroupForceOnce();
        }
        record(grouped[k], start);
    }

    /** Each contender once per round, in a fresh random order, so no one always follows the same neighbour. */
    private int nextInRandomOrder(int contenders) {
        if (order.length != contenders) {
            order = IntStream.range(0, contenders).toArray();
        }
        int slot = turn++ % contenders;
        if (slot == 0) {
            for (int i = contenders - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order[slot];
    }

    private void record(Samples samples, long start) {
        long elapsed = System.nanoTime() - start;
        if (measuring && samples.count < MAX_SAMPLES) {
            samples.nanos[samples.count++] = elapsed;
        }
    }

    /** One contender's timed operations. */
    private static final class Samples {
        final String name;
        final long[] nanos = new long[MAX_SAMPLES];
        int count;

        Samples(String name) {
            this.name = name;
        }

        /** The percentile in microseconds. */
        double percentile(double p) {
            long[] sorted = Arrays.copyOf(nanos, count);
            Arrays.sort(sorted);
            return sorted[(int) Math.min(count - 1, Math.floor(p * count))] / 1_000.0;
        }

        double opsPerSecond() {
            long total = 0;
            for (int i = 0; i < count; i++) {
                total += nanos[i];
            }
            return count * 1e9 / total;
        }
    }
}
