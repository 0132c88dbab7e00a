package io.cairn.bench.tree;

import java.util.Arrays;

/**
 * Receives the entries of a listing, in unsigned key order, in the form the engine produces without extra work:
 * arrays (the on-heap peers hand out the arrays they hold, the others copies) or, for an engine that reads records
 * in place, its buffer with offsets, valid only during the call. The consumer reads every byte it is given
 * (see {@link Worker}), so no engine can skip producing a record, and neither form makes the consumer allocate.
 */
interface ScanSink {

    void key(byte[] key, byte[] value);

    /**
     * A record in place: its key at {@code keyOffset} and its value at {@code valueOffset} of {@code array}. By
     * default copied into arrays of their own, for sinks that check listings rather than time them.
     */
    default void key(byte[] array, int keyOffset, int keyLength, int valueOffset, int valueLength) {
        key(Arrays.copyOfRange(array, keyOffset, keyOffset + keyLength),
                Arrays.copyOfRange(array, valueOffset, valueOffset + valueLength));
    }

    /** A rolled-up common prefix, including the delimiter. */
    void commonPrefix(byte[] prefix);

    /** A rolled-up common prefix in place; by default copied into an array of its own. */
    default void commonPrefix(byte[] array, int offset, int length) {
        commonPrefix(Arrays.copyOfRange(array, offset, offset + length));
    }
}
