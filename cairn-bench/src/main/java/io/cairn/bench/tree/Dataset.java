package io.cairn.bench.tree;

import java.util.SplittableRandom;

/** The keys of one data set (held by the harness for lookups) and a pool of values for overwrites. */
final class Dataset {
    final KeyShape shape;
    final long seed;
    final byte[][] keys;
    final byte[][] valuePool;

    Dataset(KeyShape shape, int size, long seed) {
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
    }

    /** The value loaded under key {@code i}: a function of the seed and {@code i}, identical in every engine. */
    byte[] loadedValue(int i) {
        return shape.value(new SplittableRandom(seed * 31 + i));
    }
}
