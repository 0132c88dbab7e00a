package io.cairn.bench.stack;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackOptions;
import io.cairn.stack.StackFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * What the 0.4 write-in-progress journal costs (issue 13), every contender interleaved with the others in one fork
 * ({@link PairedSamples}; look for "paired:" at the end of the fork). All stacks are durable ({@code SYNC}).
 * <ul>
 * <li>{@code setInterleaved}: 0.4 {@code set} of 64 B inside one 256-byte block (one write, one fsync), of 64 B
 * crossing a block and of 4 KiB (journaled: four fsyncs), {@code setBatched} of 16 x 64 B (one journal, four
 * fsyncs), a 0.2 {@code set} of 64 B (a plain write and one fsync, not crash-atomic), against a raw 64 B write +
 * fsync (the base) and four of them: the journal's price is the fsyncs it needs.
 * <li>{@code pushInterleaved}: a 64 B {@code push} on 0.4 against 0.2 (the base; target: within 5%). Against a raw
 * append + fsync: {@link StackAppendPairedBenchmark}, whose stack is 0.4.
 * <li>{@code shadowInterleaved}: {@code writeUnjournaled} of a 1 MiB frame + {@code sync()} against a raw
 * {@link FileChannel} write of 1 MiB + fsync at a page-aligned file offset (the base): the shadow-write primitive
 * should cost no more. Once at payload offset 1 MiB (file offset 1 MiB + 32, both ends inside a page, as a caller
 * that ignores the header writes), once at the payload offset whose file offset is 1 MiB (page-aligned, as the
 * tree's frame file places its slots).
 * </ul>
 * Files live in {@code -Dcairn.bench.dir} (default {@code target/bench-stack}; keep it on a real disk, never tmpfs).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class StackJournalPairedBenchmark {
    private static final int SMALL = 64;
    private static final int PAGE = 4096;
    private static final int BATCH = 16;
    private static final int FRAME = 1 << 20;
    /** Payload of the stacks the in-place writes go to. */
    private static final int PAYLOAD = 64 * 1024;
    /** Payload offset of a 64 B write inside block 0 of a 0.4 file (file bytes 32..95). */
    private static final long IN_ONE_BLOCK = 0;
    /** Payload offset of a 64 B write across the first block boundary (0.4 file bytes 232..295). */
    private static final long ACROSS_BLOCKS = 200;

    private final PairedSamples sets = new PairedSamples(7, "0.4 set 64 B in one block", "raw write 64 B + fsync",
            "0.4 set 64 B across blocks", "0.4 set 4 KiB", "0.4 setBatched 16 x 64 B", "0.2 set 64 B (not atomic)",
            "raw 4 x (write 64 B + fsync)");
    private final PairedSamples pushes = new PairedSamples(7, "0.4 push 64 B", "0.2 push 64 B");
    private final PairedSamples shadows = new PairedSamples(7, "writeUnjournaled 1 MiB + sync",
            "raw write 1 MiB + fsync", "writeUnjournaled 1 MiB page-aligned + sync");

    private final byte[] small = new byte[SMALL];
    private final byte[] page = new byte[PAGE];
    private final Map<Long, byte[]> batch = new LinkedHashMap<>();
    private final ByteBuffer rawSmall = ByteBuffer.allocateDirect(SMALL);
    private final ByteBuffer frame = ByteBuffer.allocateDirect(FRAME);
    private Path dir;
    private String base;
    private BStack stack04;
    private BStack stack02;
    private BStack pushed04;
    private BStack pushed02;
    private BStack shadow;
    private FileChannel raw;
    private boolean measuring;

    @Setup(Level.Trial)
    public void create() throws IOException {
        Random random = new Random(42);
        random.nextBytes(small);
        random.nextBytes(page);
        rawSmall.put(small).flip();
        byte[] bytes = new byte[FRAME];
        random.nextBytes(bytes);
        frame.put(bytes).flip();
        for (int i = 0; i < BATCH; i++) {
            batch.put(1024L + i * 2048L, small);
        }
        dir = Files.createDirectories(Path.of(System.getProperty("cairn.bench.dir", "target/bench-stack")));
        base = "journal-" + ProcessHandle.current().pid() + "-";
        stack04 = filled("set04", StackFormat.V0_4, PAYLOAD);
        stack02 = filled("set02", StackFormat.V0_2, PAYLOAD);
        pushed04 = filled("push04", StackFormat.V0_4, 0);
        pushed02 = filled("push02", StackFormat.V0_2, 0);
        shadow = filled("shadow", StackFormat.V0_4, 2 * FRAME);
        raw = FileChannel.open(file("raw"), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        raw.write(ByteBuffer.allocate(2 * FRAME), 0);
        raw.force(false);
    }

    private Path file(String name) {
        return dir.resolve(base + name);
    }

    /** A new durable stack of {@code format} holding {@code length} zero bytes. */
    private BStack filled(String name, StackFormat format, long length) throws IOException {
        BStack stack = BStack.open(file(name), BStackOptions.defaults().withFormat(format));
        stack.extend(length);
        return stack;
    }

    @Setup(Level.Iteration)
    public void iteration(IterationParams params) {
        measuring = params.getType() == IterationType.MEASUREMENT;
    }

    @TearDown(Level.Trial)
    public void report() throws IOException {
        sets.report(1);
        pushes.report(1);
        shadows.report(1);
        for (AutoCloseable closeable : new AutoCloseable[] {stack04, stack02, pushed04, pushed02, shadow, raw}) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
        for (String name : new String[] {"set04", "set02", "push04", "push02", "shadow", "raw"}) {
            Files.deleteIfExists(file(name));
        }
    }

    @Benchmark
    public void setInterleaved() throws IOException {
        sets.runNext(measuring, k -> {
            switch (k) {
                case 0 -> stack04.set(IN_ONE_BLOCK, small);
                case 1 -> rawWriteForce(1);
                case 2 -> stack04.set(ACROSS_BLOCKS, small);
                case 3 -> stack04.set(PAGE, page);
                case 4 -> stack04.setBatched(batch);
                case 5 -> stack02.set(ACROSS_BLOCKS, small);
                default -> rawWriteForce(4);
            }
        });
    }

    /** {@code times} raw 64 B writes, each followed by an fsync: what the same number of barriers costs. */
    private void rawWriteForce(int times) throws IOException {
        for (int i = 0; i < times; i++) {
            raw.write(rawSmall.rewind(), ACROSS_BLOCKS + 32);
            raw.force(false);
        }
    }

    @Benchmark
    public void pushInterleaved() throws IOException {
        pushes.runNext(measuring, k -> (k == 0 ? pushed04 : pushed02).push(small));
    }

    @Benchmark
    public void shadowInterleaved() throws IOException {
        shadows.runNext(measuring, k -> {
            switch (k) {
                case 0 -> {
                    shadow.writeUnjournaled(FRAME, frame.rewind());
                    shadow.sync();
                }
                case 1 -> {
                    raw.write(frame.rewind(), FRAME);
                    raw.force(false);
                }
                default -> {
                    shadow.writeUnjournaled(FRAME - StackFormat.V0_4.headerSize(), frame.rewind());
                    shadow.sync();
                }
            }
        });
    }
}
