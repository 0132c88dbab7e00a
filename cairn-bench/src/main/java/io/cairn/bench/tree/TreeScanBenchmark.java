package io.cairn.bench.tree;

import io.cairn.tree.ScanEntry;
import io.cairn.tree.Snapshot;
import io.cairn.tree.Tree;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The tree's scan paths in isolation (the peer harness measures them against other engines): the first 100
 * records of a random bucket with values, keys only and only counted, and the first 8 entries of a delimiter
 * listing at the bucket level; also taking (and closing) a snapshot of one bucket and of the whole tree, which
 * registers the frames the scope reaches and copies nothing. Keys have the objstore-stress shape of the peer
 * harness, loaded in its order (key {@code i} is file {@code i / 256} of bucket {@code i % 256}), so leaves of one
 * bucket are interleaved in memory.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TreeScanBenchmark {
    private static final int BUCKETS = 256;

    @Param({"20000", "2000000"})
    int keys;

    private Tree tree;
    private byte[][] keyBytes;
    private byte[][] bucketPrefixes;
    private final SplittableRandom random = new SplittableRandom(42);

    @Setup(Level.Trial)
    public void load() {
        tree = Tree.inMemory();
        byte[] value = new byte[60];
        Arrays.fill(value, (byte) 'v');
        keyBytes = new byte[keys][];
        for (int i = 0; i < keys; i++) {
            int b = i % BUCKETS;
            keyBytes[i] = String.format("bucket-%03d/tenant-%02d/path/sub/file-%08d.bin", b, b % 32, i / BUCKETS)
                    .getBytes(StandardCharsets.UTF_8);
            tree.put(keyBytes[i], value);
        }
        bucketPrefixes = new byte[BUCKETS][];
        for (int b = 0; b < BUCKETS; b++) {
            bucketPrefixes[b] = String.format("bucket-%03d/", b).getBytes(StandardCharsets.UTF_8);
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        tree.close();
    }

    private byte[] randomBucket() {
        return bucketPrefixes[random.nextInt(BUCKETS)];
    }

    @Benchmark
    public long list100() {
        long sum = 0;
        for (ScanEntry e : tree.scan(randomBucket()).limit(100)) {
            sum += Bytes.fold(e.key(), 0, e.key().length) + Bytes.fold(e.value(), 0, e.value().length);
        }
        return sum;
    }

    /** The same listing read in place: each record's bytes summed eight at a time, nothing copied per entry. */
    @Benchmark
    public long list100Visit() {
        long[] sum = {0};
        tree.scan(randomBucket()).limit(100).visit(v -> {
            sum[0] += Bytes.fold(v.array(), v.keyOffset(), v.keyLength())
                    + Bytes.fold(v.array(), v.valueOffset(), v.valueLength());
            return true;
        });
        return sum[0];
    }

    @Benchmark
    public long list100KeysOnly() {
        long sum = 0;
        for (ScanEntry e : tree.scan(randomBucket()).keysOnly().limit(100)) {
            sum += e.key().length;
        }
        return sum;
    }

    @Benchmark
    public long count100() {
        return tree.prefixCount(randomBucket(), 100);
    }

    @Benchmark
    public long listDir8() {
        long sum = 0;
        for (ScanEntry e : tree.scan(new byte[0]).delimiter((byte) '/').limit(8)) {
            sum += e.key().length;
        }
        return sum;
    }

    @Benchmark
    public long listDir8Visit() {
        long[] sum = {0};
        tree.scan(new byte[0]).delimiter((byte) '/').limit(8).visit(v -> {
            sum[0] += v.keyLength();
            return true;
        });
        return sum[0];
    }

    @Benchmark
    public long snapshotBucket() {
        try (Snapshot s = tree.snapshot(randomBucket())) {
            return s.retainedBytes();
        }
    }

    @Benchmark
    public long snapshotAll() {
        try (Snapshot s = tree.snapshot(new byte[0])) {
            return s.retainedBytes();
        }
    }

    @Benchmark
    public byte[] get() {
        return tree.get(keyBytes[random.nextInt(keys)]);
    }
}
