package io.cairn.bench.replication;

import java.util.Map;

/**
 * One system the replication harness times: a durable key-value store reached through its own client API. Every
 * method may be called from several threads at once.
 */
interface Contender extends AutoCloseable {
    /** Stores every pair (before timing; the contender may batch them). */
    void load(byte[][] keys, byte[][] values) throws Exception;

    /** Stores {@code value} under {@code key} and returns once the write is durable by the contender's rule. */
    void put(byte[] key, byte[] value) throws Exception;

    /** The value under {@code key}, or null, read where the contender serves reads (a member's local copy). */
    byte[] get(byte[] key) throws Exception;

    /** What the report should say about this contender's setup (the leader, versions), by name. */
    Map<String, String> facts();

    /** A slice {@code [from, to)} of the pairs being loaded. */
    interface Slice {
        void load(int from, int to) throws Exception;
    }

    /** Hands {@code slice} the indices {@code 0..count} in consecutive slices of at most {@code size}. */
    static void inSlices(int count, int size, Slice slice) throws Exception {
        for (int from = 0; from < count; from += size) {
            slice.load(from, Math.min(count, from + size));
        }
    }
}
