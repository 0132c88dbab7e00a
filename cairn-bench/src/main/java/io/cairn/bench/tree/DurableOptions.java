package io.cairn.bench.tree;

import io.cairn.bench.tree.HarnessOptions.DatasetSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The durable harness's command-line options; the parent forwards them to every child unchanged. */
record DurableOptions(List<String> engines, List<Scenario> scenarios, DatasetSpec dataset, int[] threads,
        List<Operation> syncOps, List<Operation> asyncOps, int cacheMiB, int forks, int warmupRounds, int rounds,
        int roundMillis, int recoveryRecords, List<String> bigEngines, DatasetSpec bigDataset, int bigCacheMiB,
        int bigLoadCacheMiB, List<Operation> bigOps, long seed, String heap, List<String> jvmArgs, Path workDir, Path out, Path json) {

    /** The raw "append 100 B + fdatasync" line: no engine, the physical limit of one durable write. */
    static final String RAW = "raw";

    /** What the harness measures; each runs its own children. */
    enum Scenario {
        /** Every engine at the data set, SYNC and ASYNC, every op at every thread count. */
        WORKLOADS("workloads"),
        /** A loader writes records un-checkpointed, is killed with SIGKILL; the reopen is timed and verified. */
        RECOVERY("recovery"),
        /** The big data set with a small cache: reads against a store larger than the engines' memory. */
        BIG("big");

        final String label;

        Scenario(String label) {
            this.label = label;
        }

        static Scenario byLabel(String label) {
            for (Scenario scenario : values()) {
                if (scenario.label.equals(label)) {
                    return scenario;
                }
            }
            throw new IllegalArgumentException("--scenarios: unknown '" + label + "', expected workloads, recovery, big");
        }
    }

    static final String USAGE = """
            options (defaults in brackets):
              --engines          comma list of raw,cairn,rocksdb,lmdb,sqlite,mvstore,xodus [all]
              --scenarios        comma list of workloads,recovery,big                 [all]
              --dataset          shape:keys of the workloads and the recovery keys    [objstore-stress:2000000]
              --threads          comma list of thread counts                          [1,8]
              --sync-ops         ops run with every write forced (SYNC)               [put]
              --async-ops        ops run with the engines' no-sync writes (ASYNC)     [put,get,list,list_dir,metadata_mix]
              --cache-mib        each engine's cache (Cairn cacheBytes, RocksDB block cache,
                                 SQLite cache_size, MVStore cacheSize, Xodus memoryUsage) [256]
              --forks            workload JVMs per engine and durability, run in turn
                                 with the engine order rotated; rounds pooled         [3]
              --warmup           warmup rounds per op                                 [1]
              --rounds           measured rounds per op (pooled over forks)           [3]
              --round-ms         length of one round in milliseconds                  [1000]
              --recovery-records records the recovery loader writes before the kill   [1000000]
              --big-engines      engines of the big scenario                          [cairn,rocksdb]
              --big-dataset      shape:keys of the big scenario                       [objstore-stress:20000000]
              --big-cache-mib    each engine's cache in the big scenario's reads      [64]
              --big-load-cache-mib each engine's cache while it loads the big data set  [512]
              --big-ops          ops of the big scenario (ASYNC)                      [get,list_dir]
              --seed             data and operation seed                              [42]
              --heap             -Xmx of each child JVM                               [8g]
              --jvm-args         extra child JVM arguments, space-separated           [none]
              --work-dir         directory for the engines' files (ext4, never tmpfs) [target/durable-harness]
              --out              markdown report                                      [target/durable-harness.md]
              --json             machine-readable results                             [target/durable-harness.json]
            """;

    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("--engines", RAW + "," + String.join(",", DurableEngine.NAMES)),
            Map.entry("--scenarios", "workloads,recovery,big"),
            Map.entry("--dataset", "objstore-stress:2000000"),
            Map.entry("--threads", "1,8"),
            Map.entry("--sync-ops", "put"),
            Map.entry("--async-ops", "put,get,list,list_dir,metadata_mix"),
            Map.entry("--cache-mib", "256"),
            Map.entry("--forks", "3"),
            Map.entry("--warmup", "1"),
            Map.entry("--rounds", "3"),
            Map.entry("--round-ms", "1000"),
            Map.entry("--recovery-records", "1000000"),
            Map.entry("--big-engines", "cairn,rocksdb"),
            Map.entry("--big-dataset", "objstore-stress:20000000"),
            Map.entry("--big-cache-mib", "64"),
            Map.entry("--big-load-cache-mib", "512"),
            Map.entry("--big-ops", "get,list_dir"),
            Map.entry("--seed", "42"),
            Map.entry("--heap", "8g"),
            Map.entry("--jvm-args", ""),
            Map.entry("--work-dir", "target/durable-harness"),
            Map.entry("--out", "target/durable-harness.md"),
            Map.entry("--json", "target/durable-harness.json"));

    /** Parses {@code --name value} pairs; unknown names or malformed values are rejected naming the option. */
    static DurableOptions parse(List<String> args) {
        Map<String, String> values = HarnessOptions.values(args, DEFAULTS, USAGE);
        List<String> engines = engines("--engines", values, true);
        List<String> bigEngines = engines("--big-engines", values, false);
        return new DurableOptions(engines,
                HarnessOptions.split(values.get("--scenarios")).stream().map(Scenario::byLabel).toList(),
                DatasetSpec.parse("--dataset", values.get("--dataset")),
                HarnessOptions.split(values.get("--threads")).stream()
                        .mapToInt(t -> HarnessOptions.positive("--threads", t)).toArray(),
                ops(values.get("--sync-ops")), ops(values.get("--async-ops")),
                HarnessOptions.positive("--cache-mib", values.get("--cache-mib")),
                HarnessOptions.positive("--forks", values.get("--forks")),
                HarnessOptions.nonNegative("--warmup", values.get("--warmup")),
                HarnessOptions.positive("--rounds", values.get("--rounds")),
                HarnessOptions.positive("--round-ms", values.get("--round-ms")),
                HarnessOptions.positive("--recovery-records", values.get("--recovery-records")),
                bigEngines, DatasetSpec.parse("--big-dataset", values.get("--big-dataset")),
                HarnessOptions.positive("--big-cache-mib", values.get("--big-cache-mib")),
                HarnessOptions.positive("--big-load-cache-mib", values.get("--big-load-cache-mib")),
                ops(values.get("--big-ops")), Long.parseLong(values.get("--seed")), values.get("--heap"),
                Arrays.stream(values.get("--jvm-args").split(" ")).filter(a -> !a.isBlank()).toList(),
                Path.of(values.get("--work-dir")), Path.of(values.get("--out")), Path.of(values.get("--json")));
    }

    private static List<String> engines(String option, Map<String, String> values, boolean rawAllowed) {
        List<String> engines = HarnessOptions.split(values.get(option));
        for (String engine : engines) {
            if (!DurableEngine.NAMES.contains(engine) && !(rawAllowed && engine.equals(RAW))) {
                throw new IllegalArgumentException(option + ": unknown engine '" + engine + "', expected "
                        + (rawAllowed ? RAW + "," : "") + String.join(",", DurableEngine.NAMES));
            }
        }
        return engines;
    }

    private static List<Operation> ops(String list) {
        return HarnessOptions.split(list).stream().map(Operation::byLabel).toList();
    }

    /** The options as arguments, for a child JVM. */
    List<String> toArgs() {
        List<String> args = new ArrayList<>(List.of("--engines", String.join(",", engines),
                "--scenarios", String.join(",", scenarios.stream().map(s -> s.label).toList()),
                "--dataset", dataset.toString(),
                "--threads", String.join(",", Arrays.stream(threads).mapToObj(Integer::toString).toList()),
                "--sync-ops", labels(syncOps), "--async-ops", labels(asyncOps),
                "--cache-mib", Integer.toString(cacheMiB), "--forks", Integer.toString(forks),
                "--warmup", Integer.toString(warmupRounds), "--rounds", Integer.toString(rounds),
                "--round-ms", Integer.toString(roundMillis), "--recovery-records", Integer.toString(recoveryRecords)));
        args.addAll(List.of("--big-engines", String.join(",", bigEngines), "--big-dataset", bigDataset.toString(),
                "--big-cache-mib", Integer.toString(bigCacheMiB),
                "--big-load-cache-mib", Integer.toString(bigLoadCacheMiB), "--big-ops", labels(bigOps),
                "--seed", Long.toString(seed), "--heap", heap, "--jvm-args", String.join(" ", jvmArgs),
                "--work-dir", workDir.toString(), "--out", out.toString(), "--json", json.toString()));
        return args;
    }

    static String labels(List<Operation> ops) {
        return String.join(",", ops.stream().map(op -> op.label).toList());
    }
}
