package io.cairn.bench.tree;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * The per-thread state of a measured round: its random stream, and pools of keys prepared up front so no formatting
 * or allocation of keys happens inside the timed loop.
 *
 * <p>Keys whose index is 15 mod 16 are reserved for renames and partitioned between threads, so a rename round trip
 * never races another thread's put, get or rename of the same key; every other key is "stable" and shared by all
 * threads for gets and puts. Fresh keys (indices past the data set) are partitioned the same way for create+delete.
 */
final class Worker implements ScanSink {
    private static final int POOL = 1024;
    private static final byte[] RENAME_SUFFIX = ".mv".getBytes(StandardCharsets.UTF_8);

    private final Dataset data;
    private final SplittableRandom random;
    private final int stableKeys;
    private final byte[][] freshKeys;
    private final byte[][] renameSources;
    private final byte[][] renameTargets;
    private int nextFresh;
    private int nextRename;
    /** Everything read is folded in here so the JIT cannot drop a read. */
    private long consumed;

    Worker(Dataset data, int thread, int threads, long seed) {
        this.data = data;
        this.random = new SplittableRandom(seed);
        int n = data.keys.length;
        this.stableKeys = n - n / 16;
        int renameSlots = (n / 16 - thread + threads - 1) / threads;
        if (renameSlots <= 0) {
            throw new IllegalArgumentException("keys: " + n + " is too few for " + threads + " threads");
        }
        int renamePool = Math.min(POOL, renameSlots);
        renameSources = new byte[renamePool][];
        renameTargets = new byte[renamePool][];
        for (int k = 0; k < renamePool; k++) {
            long slot = thread + (long) threads * random.nextInt(renameSlots);
            renameSources[k] = data.keys[(int) (16 * slot + 15)];
            renameTargets[k] = Bytes.concat(renameSources[k], RENAME_SUFFIX);
        }
        freshKeys = new byte[POOL][];
        for (int k = 0; k < POOL; k++) {
            freshKeys[k] = data.shape.key(n + thread + (long) threads * k, data.seed);
        }
    }

    /** A random key outside the rename slice. */
    byte[] stableKey() {
        int j = random.nextInt(stableKeys);
        return data.keys[j / 15 * 16 + j % 15];
    }

    byte[] value() {
        return data.valuePool[random.nextInt(data.valuePool.length)];
    }

    byte[] freshKey() {
        byte[] key = freshKeys[nextFresh];
        nextFresh = (nextFresh + 1) % freshKeys.length;
        return key;
    }

    /** Index of the next rename pair; the same pair comes back only after its previous round trip completed. */
    int renamePair() {
        int pair = nextRename;
        nextRename = (nextRename + 1) % renameSources.length;
        return pair;
    }

    byte[] renameSource(int pair) {
        return renameSources[pair];
    }

    byte[] renameTarget(int pair) {
        return renameTargets[pair];
    }

    byte[] listPrefix() {
        return data.listPrefixes[random.nextInt(data.listPrefixes.length)];
    }

    byte[] listDirPrefix() {
        return data.listDirPrefixes[random.nextInt(data.listDirPrefixes.length)];
    }

    int percent() {
        return random.nextInt(100);
    }

    void consume(byte[] bytes) {
        consumed += bytes == null ? -1 : bytes.length;
    }

    long consumed() {
        return consumed;
    }

    @Override
    public void key(byte[] key, byte[] value) {
        consumed += Bytes.fold(key, 0, key.length) + Bytes.fold(value, 0, value.length);
    }

    @Override
    public void key(byte[] array, int keyOffset, int keyLength, int valueOffset, int valueLength) {
        consumed += Bytes.fold(array, keyOffset, keyLength) + Bytes.fold(array, valueOffset, valueLength);
    }

    @Override
    public void commonPrefix(byte[] prefix) {
        consumed += Bytes.fold(prefix, 0, prefix.length);
    }

    @Override
    public void commonPrefix(byte[] array, int offset, int length) {
        consumed += Bytes.fold(array, offset, length);
    }
}
