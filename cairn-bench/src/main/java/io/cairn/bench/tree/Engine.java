package io.cairn.bench.tree;

import java.nio.file.Path;

/**
 * One storage engine under the harness. Every method may be called from several threads at once; an engine that is
 * not thread-safe serialises internally and says how in its javadoc.
 */
interface Engine extends AutoCloseable {

    /** Opens the engine named {@code name}; {@code workDir} is a fresh directory for engines that need files. */
    static Engine open(String name, Path workDir) throws Exception {
        return switch (name) {
            case "cairn" -> CairnEngine.memory(false);
            case "cairn-copy" -> CairnEngine.memory(true);
            case "cslm" -> NavigableMapEngine.concurrentSkipList();
            case "treemap" -> NavigableMapEngine.lockedTreeMap();
            case "rocksdb" -> RocksDbEngine.memory(workDir);
            case "sqlite" -> SqliteEngine.memory();
            default -> throw new IllegalArgumentException("engine: unknown name '" + name
                    + "', expected one of " + String.join(",", NAMES));
        };
    }

    /** Every engine the harness knows, Cairn first ("cairn-copy" is Cairn listing through copying iteration). */
    java.util.List<String> NAMES = java.util.List.of("cairn", "cairn-copy", "cslm", "treemap", "rocksdb", "sqlite");

    /**
     * Bulk load before timing; engines may batch (SQLite uses one transaction). Keys are owned by the caller. A
     * {@link DurableEngine} may load without forcing; the harness calls its {@link DurableEngine#checkpoint} after.
     */
    void load(byte[][] keys, byte[][] values) throws Exception;

    byte[] get(byte[] key) throws Exception;

    void put(byte[] key, byte[] value) throws Exception;

    void delete(byte[] key) throws Exception;

    /** Moves {@code source}'s value to {@code target}, which must be absent (Cairn: native rename; peers: get+put+delete). */
    void rename(byte[] source, byte[] target) throws Exception;

    /** Up to {@code limit} records under {@code prefix}, in order. */
    void list(byte[] prefix, int limit, ScanSink sink) throws Exception;

    /**
     * Up to {@code limit} entries under {@code prefix} with everything after the next {@code delimiter} rolled up into
     * one common prefix. Peers seek past each rolled-up subtree (to the successor of the common prefix) instead of
     * walking it, so the comparison is fair.
     */
    void listDir(byte[] prefix, byte delimiter, int limit, ScanSink sink) throws Exception;

    /**
     * Memory the engine reports for its data in bytes, or -1 for on-heap maps, whose footprint the harness measures
     * as the heap growth across the load.
     */
    long reportedMemoryBytes() throws Exception;

    @Override
    void close() throws java.io.IOException;
}
