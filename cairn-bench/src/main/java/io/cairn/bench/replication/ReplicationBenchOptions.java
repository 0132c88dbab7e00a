package io.cairn.bench.replication;

import io.cairn.bench.tree.HarnessOptions;
import io.cairn.bench.tree.HarnessOptions.DatasetSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The replication harness's command-line options (parsed the way the tree harnesses parse theirs). */
record ReplicationBenchOptions(List<String> contenders, DatasetSpec dataset, int[] threads, List<GroupOp> ops,
        int warmupRounds, int rounds, int roundMillis, long seed, String memberHeap, String etcd, Path workDir,
        Path out, Path json) {

    /** What is timed: a durable put through the group, or a read of one key. */
    enum GroupOp {
        /** Acknowledged once durable: a majority forced it (groups), or it was forced (the single node). */
        PUT("put"),
        /** Cairn: the member's local read; etcd: a serializable read (answered by the member it reaches). */
        GET("get");

        final String label;

        GroupOp(String label) {
            this.label = label;
        }

        static GroupOp byLabel(String label) {
            for (GroupOp op : values()) {
                if (op.label.equals(label)) {
                    return op;
                }
            }
            throw new IllegalArgumentException("--ops: unknown op '" + label + "', expected put or get");
        }
    }

    static final String USAGE = """
            options (defaults in brackets):
              --contenders comma list of cairn-group (the driving member leads),
                           cairn-group-follower (it follows), cairn-single, etcd  [all]
              --dataset    shape:keys loaded first; puts overwrite random keys of it,
                           gets read them (shapes of the tree harness)            [objstore-stress:20000]
              --threads    comma list of client thread counts                     [1,8]
              --ops        comma list of put,get                                  [put,get]
              --warmup     warmup rounds before each op's measured rounds         [1]
              --rounds     measured rounds per op and thread count (median)       [3]
              --round-ms   length of one round in milliseconds                    [2000]
              --seed       data and key-choice seed                               [42]
              --heap       -Xmx of each group member's child JVM                  [1g]
              --etcd       the etcd server binary (a name looked up on PATH, or a path) [etcd]
              --work-dir   directory for the members' files (a disk, never tmpfs) [target/replication-harness]
              --out        markdown report                                        [target/replication-harness.md]
              --json       machine-readable results                               [target/replication-harness.json]
            """;

    static final List<String> CONTENDERS = List.of(CairnGroup.NAME, CairnGroup.FOLLOWER_NAME, CairnSingle.NAME,
            EtcdCluster.NAME);

    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("--contenders", String.join(",", CONTENDERS)),
            Map.entry("--dataset", "objstore-stress:20000"),
            Map.entry("--threads", "1,8"),
            Map.entry("--ops", "put,get"),
            Map.entry("--warmup", "1"),
            Map.entry("--rounds", "3"),
            Map.entry("--round-ms", "2000"),
            Map.entry("--seed", "42"),
            Map.entry("--heap", "1g"),
            Map.entry("--etcd", "etcd"),
            Map.entry("--work-dir", "target/replication-harness"),
            Map.entry("--out", "target/replication-harness.md"),
            Map.entry("--json", "target/replication-harness.json"));

    /** Parses {@code --name value} pairs; unknown names or malformed values are rejected naming the option. */
    static ReplicationBenchOptions parse(List<String> args) {
        Map<String, String> values = HarnessOptions.values(args, DEFAULTS, USAGE);
        List<String> contenders = HarnessOptions.split(values.get("--contenders"));
        for (String contender : contenders) {
            if (!CONTENDERS.contains(contender)) {
                throw new IllegalArgumentException("--contenders: unknown contender '" + contender + "', expected "
                        + String.join(",", CONTENDERS));
            }
        }
        if (contenders.isEmpty()) {
            throw new IllegalArgumentException("--contenders: name at least one of " + String.join(",", CONTENDERS));
        }
        return new ReplicationBenchOptions(contenders, DatasetSpec.parse("--dataset", values.get("--dataset")),
                HarnessOptions.split(values.get("--threads")).stream()
                        .mapToInt(t -> HarnessOptions.positive("--threads", t)).toArray(),
                HarnessOptions.split(values.get("--ops")).stream().map(GroupOp::byLabel).toList(),
                HarnessOptions.nonNegative("--warmup", values.get("--warmup")),
                HarnessOptions.positive("--rounds", values.get("--rounds")),
                HarnessOptions.positive("--round-ms", values.get("--round-ms")), Long.parseLong(values.get("--seed")),
                values.get("--heap"), values.get("--etcd"), Path.of(values.get("--work-dir")),
                Path.of(values.get("--out")), Path.of(values.get("--json")));
    }
}
