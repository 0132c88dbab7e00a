package io.cairn.bench.alloc;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackOptions;
import io.cairn.stack.Durability;
import io.cairn.stack.alloc.Allocator;
import io.cairn.stack.alloc.BulkAllocator;
import io.cairn.stack.alloc.Slice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * Every allocator in one run, in steady state over a fragmented arena: 2,000 allocations of 1..1024 bytes,
 * every other one freed. Each benchmark is a pair that leaves the arena as it found it (alloc + dealloc of a
 * random length; realloc grow + shrink of a random live allocation, the tail one for the linear allocator, which
 * resizes nothing else; allocBulk of 8 lengths + deallocBulk, or the 8 single calls it replaces for an allocator
 * without bulk calls). Auxiliary counters count
 * durable syncs ({@code force}) at the I/O seam per half of each pair: syncs per operation is
 * {@code xxxSyncs / pairs}. Under {@code NONE} nothing is forced and the time is CPU and page cache only.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@State(Scope.Thread)
public class AllocatorBenchmark {
    private static final int POPULATION = 2000;
    private static final int MAX_LENGTH = 1024;

    @Param({"LINEAR", "FIRST_FIT", "SLAB", "CHECKED_SLAB", "GHOST_TREE", "SEGREGATED"})
    public AllocatorKind kind;

    @Param({"SYNC", "NONE"})
    public Durability durability;

    private final CountingStorageIo io = new CountingStorageIo();
    private final Random random = new Random(42);
    private final List<Slice> live = new ArrayList<>();
    private Path file;
    private Allocator allocator;
    private Slice tail;

    /** Syncs per half of each pair; {@code pairs} is the number of pairs done. */
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
        file = Files.createTempFile(dir, kind.name().toLowerCase(), ".stack");
        Files.delete(file);
        List<Slice> kept = new ArrayList<>();
        try (Allocator setup = kind.create(BStack.open(file,
                BStackOptions.defaults().withDurability(Durability.NONE)))) {
            List<Slice> all = new ArrayList<>();
            for (int i = 0; i < POPULATION; i++) {
                all.add(setup.alloc(1 + random.nextInt(MAX_LENGTH)));
            }
            for (int i = 0; i < POPULATION; i++) {
                if (i % 2 == 1 && i != POPULATION - 1) {
                    setup.dealloc(all.get(i));
                } else {
                    kept.add(all.get(i));
                }
            }
        }
        allocator = kind.open(BStack.open(file, BStackOptions.defaults().withDurability(durability).withIo(io)));
        for (Slice s : kept) {
            live.add(allocator.slice(s.offset(), s.length()));
        }
        tail = live.removeLast();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        allocator.close();
        Files.deleteIfExists(file);
    }

    @Benchmark
    public long allocThenDealloc(Syncs syncs) throws IOException {
        long before = io.forces();
        Slice s = allocator.alloc(1 + random.nextInt(MAX_LENGTH));
        long middle = io.forces();
        allocator.dealloc(s);
        count(syncs, before, middle);
        return s.offset();
    }

    @Benchmark
    public long reallocGrowThenShrink(Syncs syncs) throws IOException {
        boolean atTail = kind == AllocatorKind.LINEAR;
        int index = random.nextInt(live.size());
        Slice s = atTail ? tail : live.get(index);
        long before = io.forces();
        Slice grown = allocator.realloc(s, s.length() + 1 + random.nextInt(MAX_LENGTH));
        long middle = io.forces();
        Slice back = allocator.realloc(grown, s.length());
        count(syncs, before, middle);
        if (atTail) {
            tail = back;
        } else {
            live.set(index, back);
        }
        return back.offset();
    }

    /**
     * allocBulk of 8 lengths (1..256) + deallocBulk; for an allocator without bulk calls, the 8 single allocs and
     * 8 single deallocs a bulk call replaces (the baseline).
     */
    @Benchmark
    public int allocBulkThenDeallocBulk(Syncs syncs) throws IOException {
        long[] lengths = new long[8];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = 1 + random.nextInt(MAX_LENGTH / 4);
        }
        long before = io.forces();
        List<Slice> slices;
        if (allocator instanceof BulkAllocator bulk) {
            slices = bulk.allocBulk(lengths);
        } else {
            slices = new ArrayList<>(lengths.length);
            for (long length : lengths) {
                slices.add(allocator.alloc(length));
            }
        }
        long middle = io.forces();
        if (allocator instanceof BulkAllocator bulk) {
            bulk.deallocBulk(slices);
        } else {
            for (Slice s : slices.reversed()) {
                allocator.dealloc(s);
            }
        }
        count(syncs, before, middle);
        return slices.size();
    }

    private void count(Syncs syncs, long before, long middle) {
        syncs.pairs++;
        syncs.firstSyncs += middle - before;
        syncs.secondSyncs += io.forces() - middle;
    }
}
