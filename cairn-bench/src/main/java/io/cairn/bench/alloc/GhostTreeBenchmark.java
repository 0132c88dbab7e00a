package io.cairn.bench.alloc;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackOptions;
import io.cairn.stack.Durability;
import io.cairn.stack.StorageFile;
import io.cairn.stack.StorageIo;
import io.cairn.stack.alloc.GhostTreeAllocator;
import io.cairn.stack.alloc.Slice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ghost-tree allocator in steady state over a fragmented arena (2,000 allocations of 1..1024 bytes, every other
 * one freed: about 1,000 free-tree nodes, depth about 11). Each benchmark is a pair that leaves the arena as it
 * found it, so the tree does not drift: alloc + dealloc of a random length, realloc grow + shrink of a random
 * mid-arena allocation, allocBulk of 8 random lengths + deallocBulk. The auxiliary counters count durable syncs
 * ({@code force}) at the I/O seam, per half of each pair, and the pairs done: syncs per operation is
 * {@code xxxSyncs / pairs}. Run under {@code SYNC} and {@code NONE} ({@code NONE} forces nothing, so its sync
 * counters read 0; its time is the allocator's CPU and page-cache cost).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@State(Scope.Thread)
public class GhostTreeBenchmark {
    private static final int POPULATION = 2000;
    private static final int MAX_LENGTH = 1024;

    @Param({"SYNC", "NONE"})
    public Durability durability;

    private final CountingIo io = new CountingIo();
    private final Random random = new Random(42);
    private final List<Slice> live = new ArrayList<>();
    private Path file;
    private GhostTreeAllocator alloc;

    /** Sync counts per half of each pair; {@code pairs} is the number of pairs done. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Syncs {
        public long pairs;
        public long firstSyncs;
        public long secondSyncs;

        @Setup(Level.Iteration)
        public void reset() {
            pairs = 0;
            firstSyncs = 0;
            secondSyncs = 0;
        }
    }

    @Setup(Level.Trial)
    public void populate() throws IOException {
        Path dir = Files.createDirectories(Path.of(System.getProperty("cairn.bench.dir", "target/bench-alloc")));
        file = Files.createTempFile(dir, "ghost", ".stack");
        Files.delete(file);
        try (GhostTreeAllocator setup = GhostTreeAllocator.open(BStack.open(file,
                BStackOptions.defaults().withDurability(Durability.NONE)))) {
            List<Slice> all = new ArrayList<>();
            for (int i = 0; i < POPULATION; i++) {
                all.add(setup.alloc(1 + random.nextInt(MAX_LENGTH)));
            }
            for (int i = 0; i < POPULATION; i++) {
                if (i % 2 == 1) {
                    setup.dealloc(all.get(i));
                } else {
                    live.add(all.get(i));
                }
            }
        }
        alloc = GhostTreeAllocator.open(BStack.open(file,
                BStackOptions.defaults().withDurability(durability).withIo(io)));
        List<Slice> rebuilt = new ArrayList<>();
        for (Slice s : live) {
            rebuilt.add(alloc.slice(s.offset(), s.length()));
        }
        live.clear();
        live.addAll(rebuilt);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        alloc.close();
        Files.deleteIfExists(file);
    }

    @Benchmark
    public long allocThenDealloc(Syncs syncs) throws IOException {
        long before = io.forces.get();
        Slice s = alloc.alloc(1 + random.nextInt(MAX_LENGTH));
        long middle = io.forces.get();
        alloc.dealloc(s);
        count(syncs, before, middle);
        return s.offset();
    }

    @Benchmark
    public long reallocGrowThenShrink(Syncs syncs) throws IOException {
        int index = random.nextInt(live.size() - 1);
        Slice s = live.get(index);
        long before = io.forces.get();
        Slice grown = alloc.realloc(s, s.length() + 1 + random.nextInt(MAX_LENGTH));
        long middle = io.forces.get();
        Slice back = alloc.realloc(grown, s.length());
        count(syncs, before, middle);
        live.set(index, back);
        return back.offset();
    }

    @Benchmark
    public int allocBulkThenDeallocBulk(Syncs syncs) throws IOException {
        long[] lengths = new long[8];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = 1 + random.nextInt(MAX_LENGTH / 4);
        }
        long before = io.forces.get();
        List<Slice> slices = alloc.allocBulk(lengths);
        long middle = io.forces.get();
        alloc.deallocBulk(slices);
        count(syncs, before, middle);
        return slices.size();
    }

    private void count(Syncs syncs, long before, long middle) {
        syncs.pairs++;
        syncs.firstSyncs += middle - before;
        syncs.secondSyncs += io.forces.get() - middle;
    }

    /** The production seam, counting forces (durable syncs). */
    static final class CountingIo implements StorageIo {
        final AtomicLong forces = new AtomicLong();
        private final StorageIo delegate = StorageIo.fileSystem();

        @Override
        public StorageFile open(Path path, OpenMode mode) throws IOException {
            StorageFile inner = delegate.open(path, mode);
            return new StorageFile() {
                @Override
                public Path path() {
                    return inner.path();
                }

                @Override
                public void read(long position, ByteBuffer dst) throws IOException {
                    inner.read(position, dst);
                }

                @Override
                public void write(long position, ByteBuffer src) throws IOException {
                    inner.write(position, src);
                }

                @Override
                public long size() throws IOException {
                    return inner.size();
                }

                @Override
                public void truncate(long size) throws IOException {
                    inner.truncate(size);
                }

                @Override
                public void force() throws IOException {
                    forces.incrementAndGet();
                    inner.force();
                }

                @Override
                public void lock(boolean shared) throws IOException {
                    inner.lock(shared);
                }

                @Override
                public void close() throws IOException {
                    inner.close();
                }
            };
        }

        @Override
        public void syncDirectory(Path directory) throws IOException {
            delegate.syncDirectory(directory);
        }

        @Override
        public void atomicMove(Path source, Path target) throws IOException {
            delegate.atomicMove(source, target);
        }

        @Override
        public boolean deleteIfExists(Path path) throws IOException {
            return delegate.deleteIfExists(path);
        }
    }
}
