package io.cairn.tree;

import java.util.Locale;
import java.util.Map;

/**
 * {@link DatabaseStats} in the Prometheus text exposition format (version 0.0.4): one family per figure, each with
 * its HELP and TYPE lines, named {@code cairn_…}; counters (totals since the database was opened) end in
 * {@code _total}, everything else is a gauge. Per-tree families carry a {@code tree} label.
 */
final class PrometheusText {
    private final StringBuilder out = new StringBuilder();

    private PrometheusText() {}

    static String of(DatabaseStats s) {
        PrometheusText p = new PrometheusText();
        TreeStats.Durable d = s.durable();
        p.gauge("cairn_trees", "Trees in the database.", s.trees().size());
        p.perTree(s.trees(), "cairn_tree_keys", "Keys stored in the tree.", t -> t.keys());
        p.perTree(s.trees(), "cairn_tree_frames", "Frames the tree uses.", t -> t.frames());
        p.perTree(s.trees(), "cairn_tree_depth_max", "Most nodes on a path from the root to a key.",
                t -> t.maxDepth());
        p.perTree(s.trees(), "cairn_tree_frame_depth_max", "Most frames a lookup crosses.", t -> t.maxFrameDepth());
        p.perTree(s.trees(), "cairn_tree_fill_ratio", "Live node bytes over the data capacity of the tree's frames.",
                t -> t.fill());
        p.perTree(s.trees(), "cairn_tree_dead_bytes", "Bytes of replaced nodes not yet reclaimed by compaction.",
                t -> t.deadBytes());
        p.gauge("cairn_memory_bytes", "Off-heap bytes held by the frames.", s.memoryBytes());
        p.gauge("cairn_wal_retained_bytes", "Bytes of write-ahead log on disk.", d.walBytes());
        p.gauge("cairn_wal_last_sequence", "Sequence of the last write-ahead log record.", d.walLastSequence());
        p.counter("cairn_wal_records_total", "Write-ahead log records appended.", d.walRecords());
        p.counter("cairn_wal_group_commits_total", "Group commits written.", d.groupCommits());
        p.counter("cairn_wal_forces_total", "Forces (fdatasync) of the write-ahead log.", d.walForces());
        p.counter("cairn_checkpoints_total", "Checkpoints published.", d.checkpoints());
        p.counter("cairn_checkpoint_frames_total", "Frame images written by checkpoints.", d.checkpointedFrames());
        p.gauge("cairn_checkpoint_last_duration_seconds", "Duration of the last checkpoint.",
                d.lastCheckpointNanos() / 1e9);
        p.gauge("cairn_checkpoint_sequence", "Log sequence the published checkpoint covers.",
                d.checkpointSequence());
        p.gauge("cairn_recovery_replayed_records", "Log records replayed when the database was opened.",
                d.replayedRecords());
        p.gauge("cairn_recovery_duration_seconds", "Duration of the open (manifest, frames, replay).",
                d.recoveryNanos() / 1e9);
        p.gauge("cairn_feed_oldest_position", "Oldest position the change feed still serves.",
                s.feed().oldestPosition());
        p.gauge("cairn_feed_retained_records", "Change-feed records retained for followers.",
                s.feed().retainedRecords());
        p.header("cairn_disk_bytes", "Bytes on disk by file.", "gauge");
        p.sample("cairn_disk_bytes", "file", "frames", s.disk().frameFileBytes());
        p.sample("cairn_disk_bytes", "file", "manifest", s.disk().manifestBytes());
        p.sample("cairn_disk_bytes", "file", "wal", s.disk().walBytes());
        return p.out.toString();
    }

    private void gauge(String name, String help, double value) {
        header(name, help, "gauge");
        sample(name, null, null, value);
    }

    private void counter(String name, String help, double value) {
        header(name, help, "counter");
        sample(name, null, null, value);
    }

    private void perTree(Map<String, TreeStats> trees, String name, String help,
            java.util.function.ToDoubleFunction<TreeStats> figure) {
        header(name, help, "gauge");
        trees.forEach((tree, stats) -> sample(name, "tree", tree, figure.applyAsDouble(stats)));
    }

    private void header(String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private void sample(String name, String label, String labelValue, double value) {
        out.append(name);
        if (label != null) {
            out.append('{').append(label).append("=\"").append(escape(labelValue)).append("\"}");
        }
        out.append(' ').append(format(value)).append('\n');
    }

    /** A label value with backslash, double quote and line feed escaped, as the format requires. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%s", value);
    }
}
