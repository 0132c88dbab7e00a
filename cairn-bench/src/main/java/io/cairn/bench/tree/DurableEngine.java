package io.cairn.bench.tree;

import io.cairn.stack.Durability;
import io.cairn.tree.TreeOptions;
import java.nio.file.Path;
import java.util.List;

/**
 * A file-backed engine under the durable harness ({@link DurableHarness}). Its writes follow the durability it was
 * opened with: under {@link Durability#SYNC} every acknowledged write has been forced to the disk when the call
 * returns (like with like: each peer in its forcing mode), under {@link Durability#ASYNC} it returns before that
 * (each peer in its no-sync mode). A rename is one transaction (one force) in every engine.
 */
interface DurableEngine extends Engine {

    /** What a durable engine is opened with. */
    record Settings(Durability durability, long cacheBytes, boolean holdLog) {
        public Settings {
            if (durability == Durability.NONE) {
                throw new IllegalArgumentException("durability: the harness compares SYNC and ASYNC, found NONE");
            }
            if (cacheBytes < 1 << 20) {
                throw new IllegalArgumentException("cacheBytes: at least 1 MiB, found " + cacheBytes);
            }
        }

        /**
         * With {@code holdLog} an engine that has a log keeps every write in it (no automatic checkpoint or
         * memtable flush), so the recovery scenario finds all its records un-checkpointed after the kill.
         */
        Settings holdingLog() {
            return new Settings(durability, cacheBytes, true);
        }
    }

    /**
     * Every durable engine the harness knows: {@code cairn-64k} is Cairn with 64 KiB frames
     * ({@code TreeOptions.frameSize}), a configuration of Cairn, not a peer.
     */
    List<String> NAMES = List.of("cairn", "cairn-64k", "rocksdb", "lmdb", "sqlite", "mvstore", "xodus");

    /** Whether {@code name} is one of Cairn's configurations rather than a peer. */
    static boolean isCairn(String name) {
        return name.startsWith("cairn");
    }

    /** Opens (or creates) the engine named {@code name} in {@code dir}. */
    static DurableEngine open(String name, Path dir, Settings settings) throws Exception {
        return switch (name) {
            case "cairn" -> CairnEngine.durable(dir, settings, TreeOptions.DEFAULT_FRAME_SIZE);
            case "cairn-64k" -> CairnEngine.durable(dir, settings, 64 << 10);
            case "rocksdb" -> RocksDbEngine.durable(dir, settings);
            case "lmdb" -> new LmdbEngine(dir, settings);
            case "sqlite" -> SqliteEngine.file(dir, settings);
            case "mvstore" -> new MvStoreEngine(dir, settings);
            case "xodus" -> new XodusEngine(dir, settings);
            default -> throw new IllegalArgumentException("engine: unknown durable engine '" + name
                    + "', expected one of " + String.join(",", NAMES));
        };
    }

    /** Forces every write acknowledged so far (for ASYNC loads before a measurement or a kill). */
    void sync() throws Exception;

    /**
     * Moves everything into the engine's main files and forces them (RocksDB: flush and full compaction; SQLite:
     * WAL checkpoint; the others: their sync), so file bytes and a clean reopen measure the settled store.
     */
    void checkpoint() throws Exception;
}
