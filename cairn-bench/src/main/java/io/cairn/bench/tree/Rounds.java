package io.cairn.bench.tree;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;

/**
 * Timed rounds of one action on one thread per state: warmup rounds, then measured rounds, each letting every thread
 * run the action until the round's deadline. Per measured round it records wall-clock nanoseconds per completed
 * action (several threads: aggregate throughput) and the CPU time the threads spent per action ({@link Metric}); on
 * request also each action's latency.
 */
public final class Rounds {
    /** Latencies up to an hour, to two significant digits. */
    static final long HIGHEST_LATENCY_NANOS = 3_600_000_000_000L;
    static final int LATENCY_DIGITS = 2;

    /** One thread's unit of work, run against that thread's own state. */
    public interface Action<S> {
        void run(S state) throws Exception;
    }

    /**
     * ns/op per measured round indexed by [{@link Metric#ordinal()}][round]; the latency of every measured action
     * (null unless asked for); the actions completed in all rounds, warmup included.
     */
    public record Measured(double[][] nsPerOp, Histogram latency, long allOps) {}

    private Rounds() {}

    public static <S> Measured measure(List<S> states, Action<S> action, int warmupRounds, int rounds, int roundMillis,
            boolean latencies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(states.size());
        try {
            double[][] measured = new double[Metric.values().length][rounds];
            Histogram latency = latencies ? histogram() : null;
            long ops = 0;
            for (int round = -warmupRounds; round < rounds; round++) {
                Round result = round(states, action, roundMillis * 1_000_000L, latencies, pool);
                ops += result.ops;
                if (round < 0) {
                    continue;
                }
                for (Metric metric : Metric.values()) {
                    measured[metric.ordinal()][round] = result.nsPerOp[metric.ordinal()];
                }
                if (latency != null) {
                    latency.add(result.latency);
                }
            }
            return new Measured(measured, latency, ops);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The median of the measured rounds' figures (the middle one, or the mean of the middle two). */
    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    static Histogram histogram() {
        return new Histogram(HIGHEST_LATENCY_NANOS, LATENCY_DIGITS);
    }

    private record Round(double[] nsPerOp, long ops, Histogram latency) {}

    private record ThreadResult(long ops, long cpuNanos, Histogram latency) {}

    private static <S> Round round(List<S> states, Action<S> action, long roundNanos, boolean latencies,
            ExecutorService pool) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        List<Future<ThreadResult>> done = new ArrayList<>();
        for (S state : states) {
            done.add(pool.submit(() -> {
                start.await();
                long cpuStart = cpu.getCurrentThreadCpuTime();
                long deadline = System.nanoTime() + roundNanos;
                long ops = 0;
                Histogram latency = null;
                if (latencies) {
                    // one clock read per action: the end of one is the start of the next
                    latency = histogram();
                    long at = System.nanoTime();
                    do {
                        action.run(state);
                        long now = System.nanoTime();
                        latency.recordValue(now - at);
                        at = now;
                        ops++;
                    } while (at < deadline);
                } else {
                    do {
                        for (int i = 0; i < 32; i++) {
                            action.run(state);
                        }
                        ops += 32;
                    } while (System.nanoTime() < deadline);
                }
                return new ThreadResult(ops, cpu.getCurrentThreadCpuTime() - cpuStart, latency);
            }));
        }
        long began = System.nanoTime();
        start.countDown();
        long ops = 0;
        long cpuNanos = 0;
        Histogram latency = latencies ? histogram() : null;
        for (Future<ThreadResult> future : done) {
            ThreadResult result = future.get();
            ops += result.ops;
            cpuNanos += result.cpuNanos;
            if (latency != null) {
                latency.add(result.latency);
            }
        }
        double[] nsPerOp = new double[Metric.values().length];
        nsPerOp[Metric.WALL.ordinal()] = (double) (System.nanoTime() - began) / ops;
        nsPerOp[Metric.CPU.ordinal()] = (double) cpuNanos / ops;
        return new Round(nsPerOp, ops, latency);
    }
}
