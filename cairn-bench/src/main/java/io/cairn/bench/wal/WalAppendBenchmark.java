package io.cairn.bench.wal;

import io.cairn.bench.Directories;
import io.cairn.bench.alloc.CountingStorageIo;
import io.cairn.stack.Durability;
import io.cairn.tree.wal.WalOptions;
import io.cairn.tree.wal.WalStats;
import io.cairn.tree.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * A durable put's log write: {@code WriteAheadLog.appendPut} + {@code awaitDurable} ({@code SYNC}, group commit)
 * at 1 and 8 threads, against a raw {@link FileChannel} append of a record of the same size + {@code force(false)}
 * per operation (no sharing: the physical cost of one durable write). Throughput is records/s; at the end of each
 * iteration the WAL contenders print their forces per record (look for "wal:"). Files live on fresh paths under
 * {@code -Dcairn.bench.dir} (default {@code target/bench-wal}; keep it on a real disk, never tmpfs).
 *
 * <p>Targets (issue #14): {@code walPut1} at least 0.9x {@code rawAppend1}; {@code walPut8} at least 4x
 * {@code walPut1}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class WalAppendBenchmark {
    /** Bytes of each put's value (the key is about 20 bytes). */
    @Param({"100"})
    public int valueBytes;

    private Path base;
    private int generation;
    private CountingStorageIo io;
    private WriteAheadLog log;
    private FileChannel raw;
    private final AtomicLong rawPosition = new AtomicLong();
    private int recordBytes;
    private String benchmark;

    /** Each thread's key, value and version counter. */
    @State(Scope.Thread)
    public static class Writer {
        private static final AtomicLong THREADS = new AtomicLong();
        final byte[] key = ("/bench/writer-" + THREADS.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
        byte[] value;
        ByteBuffer rawRecord;
        long version;

        @Setup(Level.Iteration)
        public void prepare(WalAppendBenchmark bench) {
            value = new byte[bench.valueBytes];
            new Random(key.length).nextBytes(value);
            rawRecord = ByteBuffer.allocateDirect(bench.recordBytes);
            rawRecord.put(new byte[bench.recordBytes]).flip();
        }
    }

    @Setup(Level.Trial)
    public void create(BenchmarkParams params) throws IOException {
        base = Files.createDirectories(Path.of(System.getProperty("cairn.bench.dir", "target/bench-wal"))
                .resolve("wal-" + ProcessHandle.current().pid()));
        benchmark = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        // The encoded size of one put, so the raw contender writes exactly as many bytes per record.
        Path probe = base.resolve("probe");
        try (WriteAheadLog sizing = WriteAheadLog.open(probe, WalOptions.defaults().withDurability(Durability.NONE))) {
            sizing.appendPut(0, ("/bench/writer-" + 1).getBytes(StandardCharsets.UTF_8), new byte[valueBytes], 1);
            recordBytes = (int) sizing.stats().appendedBytes();
        }
        Directories.deleteRecursively(probe);
    }

    @Setup(Level.Iteration)
    public void open() throws IOException {
        Path dir = base.resolve("run-" + generation++);
        io = new CountingStorageIo();
        log = WriteAheadLog.open(dir.resolve("wal"), WalOptions.defaults().withIo(io));
        raw = FileChannel.open(dir.resolve("raw"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        rawPosition.set(0);
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        WalStats stats = log.stats();
        if (stats.appendedRecords() > 0) {
            System.out.printf("%nwal: %s %d records, %d forces, %.3f forces/record, group sizes by power of two %s%n",
                    benchmark, stats.appendedRecords(), stats.forces(), stats.forcesPerRecord(),
                    java.util.Arrays.toString(stats.groupSizes()));
        }
        log.close();
        raw.close();
        Directories.deleteRecursively(base);
        Files.createDirectories(base);
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        Directories.deleteRecursively(base);
    }

    private long walPut(Writer writer) throws IOException {
        long sequence = log.appendPut(0, writer.key, writer.value, ++writer.version);
        log.awaitDurable(sequence);
        return sequence;
    }

    private long rawAppend(Writer writer) throws IOException {
        long at = rawPosition.getAndAdd(recordBytes);
        raw.write(writer.rawRecord.rewind(), at);
        raw.force(false);
        return at;
    }

    @Benchmark
    @Threads(1)
    public long walPut1(Writer writer) throws IOException {
        return walPut(writer);
    }

    @Benchmark
    @Threads(8)
    public long walPut8(Writer writer) throws IOException {
        return walPut(writer);
    }

    @Benchmark
    @Threads(1)
    public long rawAppend1(Writer writer) throws IOException {
        return rawAppend(writer);
    }

    @Benchmark
    @Threads(8)
    public long rawAppend8(Writer writer) throws IOException {
        return rawAppend(writer);
    }
}
