package io.cairn.bench.stack;

import com.squareup.tape2.QueueFile;
import io.cairn.stack.BStack;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
 * Durable appends of 64-byte records: {@link BStack#push} against a raw {@link FileChannel} append +
 * {@code force(false)} and tape2's {@link QueueFile#add} (a {@code rwd} file); and {@link BStack#pushAll} of 100
 * records against 100 raw writes and one force. Every benchmark method runs in a JMH fork of its own, on a fresh
 * file per iteration, in {@code -Dcairn.bench.dir} (default {@code target/bench-stack}: keep it on a real disk,
 * never tmpfs). Sample-time mode gives the median and p99 per operation.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Thread)
public class StackAppendBenchmark {
    private static final int RECORD = 64;
    private static final int GROUP = 100;

    private final byte[] record = new byte[RECORD];
    private final List<byte[]> group = new ArrayList<>();
    private final ByteBuffer rawRecord = ByteBuffer.allocateDirect(RECORD);
    private Path dir;
    private Path file;
    private int iteration;
    private BStack stack;
    private FileChannel channel;
    private long rawPosition;
    private QueueFile queue;

    @Setup(Level.Trial)
    public void records() throws IOException {
        Random random = new Random(42);
        random.nextBytes(record);
        rawRecord.put(record).flip();
        for (int i = 0; i < GROUP; i++) {
            byte[] r = new byte[RECORD];
            random.nextBytes(r);
            group.add(r);
        }
        dir = Files.createDirectories(Path.of(System.getProperty("cairn.bench.dir", "target/bench-stack")));
    }

    /** A fresh, empty file for every iteration, opened by all three contenders (each fork uses one). */
    @Setup(Level.Iteration)
    public void open() throws IOException {
        file = dir.resolve("append-" + ProcessHandle.current().pid() + "-" + iteration++);
        stack = BStack.open(Path.of(file + ".bstack"));
        channel = FileChannel.open(Path.of(file + ".raw"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        rawPosition = 0;
        queue = new QueueFile.Builder(new File(file + ".tape")).build();
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        stack.close();
        channel.close();
        queue.close();
        for (String suffix : new String[] {".bstack", ".raw", ".tape"}) {
            Files.deleteIfExists(Path.of(file + suffix));
        }
    }

    @Benchmark
    public long bstackPush() throws IOException {
        return stack.push(record);
    }

    @Benchmark
    public long rawAppendForce() throws IOException {
        channel.write(rawRecord.rewind(), rawPosition);
        rawPosition += RECORD;
        channel.force(false);
        return rawPosition;
    }

    @Benchmark
    public void tapeAdd() throws IOException {
        queue.add(record);
    }

    @Benchmark
    public long[] bstackPushAll100() throws IOException {
        return stack.pushAll(group);
    }

    @Benchmark
    public long rawWrite100ForceOnce() throws IOException {
        for (int i = 0; i < GROUP; i++) {
            channel.write(rawRecord.rewind(), rawPosition);
            rawPosition += RECORD;
        }
        channel.force(false);
        return rawPosition;
    }
}
