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

/**
 * Durable appends of 64-byte records: {@code BStack.push} against a raw {@code FileChannel} append +
 * {@code force(false)} and tape2's {@code QueueFile.add}; and {@code BStack.pushAll} of 100 records against 100 raw
 * writes and one force. Every method runs in a JMH fork of its own, on fresh files per iteration
 * ({@link AppendContenders}). Sample-time mode gives the median and p99 per operation. On a shared machine the
 * contenders run minutes apart; {@link StackAppendPairedBenchmark} interleaves them for fair ratios.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Thread)
public class StackAppendBenchmark {
    private AppendContenders contenders;

    @Setup(Level.Trial)
    public void create() throws IOException {
        contenders = new AppendContenders();
    }

    @Setup(Level.Iteration)
    public void open() throws IOException {
        contenders.open();
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        contenders.close();
    }

    @Benchmark
    public long bstackPush() throws IOException {
        return contenders.bstackPush();
    }

    @Benchmark
    public long rawAppendForce() throws IOException {
        return contenders.rawAppendForce();
    }

    @Benchmark
    public void tapeAdd() throws IOException {
        contenders.tapeAdd();
    }

    @Benchmark
    public long[] bstackPushAll100() throws IOException {
        return contenders.bstackPushAll();
    }

    @Benchmark
    public long rawWrite100ForceOnce() throws IOException {
        return contenders.rawWriteGroupForceOnce();
    }
}
