package io.cairn.bench.tree;

/**
 * The two figures a measured round yields. Wall time is what the targets speak of, but on a machine shared
 * with other work a thread may wait for a core, which inflates wall time and says nothing about the engine; CPU
 * time of the worker threads is immune to that (and blind to lock waits and to background threads, e.g. RocksDB's
 * flushes), so the harness reports both and judges the targets on both.
 */
public enum Metric {
    /** Wall-clock time of the round / ops completed by all threads (4 threads: aggregate throughput). */
    WALL("wall"),
    /** CPU time of the worker threads / ops completed. */
    CPU("cpu");

    final String label;

    Metric(String label) {
        this.label = label;
    }
}
