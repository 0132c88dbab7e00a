package io.cairn.bench.stack;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
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
 * and the ratios to the raw baseline ({@link PairedSamples}), are printed at the end of the fork (look for "paired:").
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class StackAppendPairedBenchmark {
    private AppendContenders contenders;
    private final PairedSamples single = new PairedSamples(7, "bstack push", "raw append+force",
            "tape2 QueueFile.add", "raw append+header+force");
    private final PairedSamples grouped = new PairedSamples(7, "bstack pushAll(100)", "raw 100 writes+force");
    private boolean measuring;

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
        single.report(1);
        grouped.report(1);
    }

    @Benchmark
    public void push64Interleaved() throws IOException {
        single.runNext(measuring, k -> {
            switch (k) {
                case 0 -> contenders.bstackPush();
                case 1 -> contenders.rawAppendForce();
                case 2 -> contenders.tapeAdd();
                default -> contenders.rawAppendHeaderForce();
            }
        });
    }

    @Benchmark
    public void group100Interleaved() throws IOException {
        grouped.runNext(measuring, k -> {
            if (k == 0) {
                contenders.bstackPushAll();
            } else {
                contenders.rawWriteGroupForceOnce();
            }
        });
    }
}
