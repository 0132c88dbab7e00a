package io.cairn.bench.tree;

import java.util.SplittableRandom;

/**
 * The keys of one data set (held by the harness for lookups), a pool of values for overwrites and the listing
 * prefixes, all prepared before timing so that the timed loop formats nothing.
 */
public final class Dataset {
    final KeyShape shape;
    final long seed;
    public final byte[][] keys;
    public final byte[][] valuePool;
    /** Per directory: the prefix "list" reads and the prefix "list_dir" reads. */
    final byte[][] listPrefixes;
    final byte[][] listDirPrefixes;

    public Dataset(KeyShape shape, int size, long seed) {
        this.shape = shape;
        this.seed = seed;
        this.keys = new byte[size][];
        for (int i = 0; i < size; i++) {
            keys[i] = shape.key(i, seed);
        }
        SplittableRandom random = new SplittableRandom(seed);
        this.valuePool = new byte[1024][];
        for (int i = 0; i < valuePool.length; i++) {
            valuePool[i] = shape.value(random);
        }
        this.listPrefixes = new byte[shape.directories][];
        this.listDirPrefixes = new byte[shape.directories][];
        for (int d = 0; d < shape.directories; d++) {
            listPrefixes[d] = shape.directoryPrefix(d);
            listDirPrefixes[d] = shape.parentPrefix(d);
        }
    }

    /** The value loaded under key {@code i}: a function of the seed and {@code i}, identical in every engine. */
    public byte[] loadedValue(int i) {
        return shape.value(new SplittableRandom(seed * 31 + i));
    }
}
