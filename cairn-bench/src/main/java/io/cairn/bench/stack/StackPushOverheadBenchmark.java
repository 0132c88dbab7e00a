package io.cairn.bench.stack;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackOptions;
import io.cairn.stack.Durability;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * What a 64-byte push costs besides the fsync: {@link BStack#push} with {@link Durability#NONE} (data write + clen
 * write, no force) against one raw positional write and against BStack's two raw writes. The difference to the
 * durable numbers of {@link StackAppendBenchmark} is the disk; the difference between these three is our code.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@State(Scope.Thread)
public class StackPushOverheadBenchmark {
    private final byte[] record = new byte[AppendContenders.RECORD];
    private final ByteBuffer rawRecord = ByteBuffer.allocateDirect(AppendContenders.RECORD);
    private final ByteBuffer rawLength = ByteBuffer.allocateDirect(Long.BYTES);
    private Path base;
    private int generation;
    private BStack stack;
    private FileChannel channel;
    private long rawPosition;

    @Setup(Level.Iteration)
    public void open() throws IOException {
        Path dir = Files.createDirectories(Path.of(System.getProperty("cairn.bench.dir", "target/bench-stack")));
        base = dir.resolve("overhead-" + ProcessHandle.current().pid() + "-" + generation++);
        stack = BStack.open(Path.of(base + ".bstack"), BStackOptions.defaults().withDurability(Durability.NONE));
        channel = FileChannel.open(Path.of(base + ".raw"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        rawPosition = 0;
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        stack.close();
        channel.close();
        Files.deleteIfExists(Path.of(base + ".bstack"));
        Files.deleteIfExists(Path.of(base + ".raw"));
    }

    @Benchmark
    public long bstackPushNoSync() throws IOException {
        return stack.push(record);
    }

    @Benchmark
    public long rawWrite() throws IOException {
        channel.write(rawRecord.rewind(), rawPosition);
        rawPosition += AppendContenders.RECORD;
        return rawPosition;
    }

    @Benchmark
    public long rawWritePlusHeaderWrite() throws IOException {
        channel.write(rawRecord.rewind(), rawPosition);
        rawPosition += AppendContenders.RECORD;
        channel.write(rawLength.putLong(0, rawPosition).rewind(), Long.BYTES);
        return rawPosition;
    }
}
