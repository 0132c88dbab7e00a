package io.cairn.bench.tree;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The harness's command-line options; the parent forwards them to every child unchanged. */
public record HarnessOptions(List<String> engines, List<DatasetSpec> datasets, int[] threads, List<Operation> operations,
        int forks, int warmupRounds, int rounds, int roundMillis, long seed, String heap, List<String> jvmArgs,
        Path workDir, Path out, Path json) {

    /** One data set: a key shape at a size. */
    public record DatasetSpec(KeyShape shape, int size) {
        /** Parses {@code shape:keys} (at least 64 keys), naming {@code option} in any complaint. */
        public static DatasetSpec parse(String option, String spec) {
            int colon = spec.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(option + ": expected shape:keys, found '" + spec + "'");
            }
            int size = positive(option, spec.substring(colon + 1));
            if (size < 64) {
                throw new IllegalArgumentException(option + ": at least 64 keys needed, found " + size);
            }
            return new DatasetSpec(KeyShape.byLabel(spec.substring(0, colon)), size);
        }

        @Override
        public String toString() {
            return shape.label + ":" + size;
        }
    }

    static final String USAGE = """
            options (defaults in brackets):
              --engines   comma list of cairn,cairn-copy,cslm,treemap,rocksdb,sqlite [all]
              --datasets  comma list of shape:keys; shapes objstore, fs, kv, objstore-stress, fs-stress
                          [objstore:20000,fs:20000,kv:20000,objstore-stress:2000000]
              --threads   comma list of thread counts                         [1,4]
              --ops       comma list of get,put,mixed,list,list_dir,create_delete,rename,metadata_mix [all]
              --forks     child JVMs per engine and data set, run in turn with the
                          engine order rotated; their rounds pooled for the median [3]
              --warmup    warmup rounds per op, once before anything is timed and
                          again before each op's measured rounds              [1]
              --rounds    measured rounds per op (the median is reported)     [3]
              --round-ms  length of one round in milliseconds                 [500]
              --seed      data and operation seed                             [42]
              --heap      -Xmx of each child JVM                              [8g]
              --jvm-args  extra child JVM arguments, space-separated (e.g. a JFR recording) [none]
              --work-dir  directory for engines' files (not tmpfs)            [target/tree-harness]
              --out       markdown report                                     [target/tree-harness.md]
              --json      machine-readable results, for BenchmarkCharts       [target/tree-harness.json]
            """;

    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("--engines", String.join(",", Engine.NAMES)),
            Map.entry("--datasets", "objstore:20000,fs:20000,kv:20000,objstore-stress:2000000"),
            Map.entry("--threads", "1,4"),
            Map.entry("--ops", "get,put,mixed,list,list_dir,create_delete,rename,metadata_mix"),
            Map.entry("--forks", "3"),
            Map.entry("--warmup", "1"),
            Map.entry("--rounds", "3"),
            Map.entry("--round-ms", "500"),
            Map.entry("--seed", "42"),
            Map.entry("--heap", "8g"),
            Map.entry("--jvm-args", ""),
            Map.entry("--work-dir", "target/tree-harness"),
            Map.entry("--out", "target/tree-harness.md"),
            Map.entry("--json", "target/tree-harness.json"));

    /** Parses {@code --name value} pairs; unknown names or malformed values are rejected naming the option. */
    static HarnessOptions parse(List<String> args) {
        Map<String, String> values = values(args, DEFAULTS, USAGE);
        List<String> engines = split(values.get("--engines"));
        for (String engine : engines) {
            if (!Engine.NAMES.contains(engine)) {
                throw new IllegalArgumentException("--engines: unknown engine '" + engine + "'");
            }
        }
        List<DatasetSpec> datasets = new ArrayList<>();
        for (String spec : split(values.get("--datasets"))) {
            datasets.add(DatasetSpec.parse("--datasets", spec));
        }
        int[] threads = split(values.get("--threads")).stream().mapToInt(t -> positive("--threads", t)).toArray();
        List<Operation> ops = split(values.get("--ops")).stream().map(Operation::byLabel).toList();
        return new HarnessOptions(engines, datasets, threads, ops, positive("--forks", values.get("--forks")),
                nonNegative("--warmup", values.get("--warmup")), positive("--rounds", values.get("--rounds")),
                positive("--round-ms", values.get("--round-ms")), Long.parseLong(values.get("--seed")),
                values.get("--heap"), Arrays.stream(values.get("--jvm-args").split(" ")).filter(a -> !a.isBlank()).toList(),
                Path.of(values.get("--work-dir")), Path.of(values.get("--out")), Path.of(values.get("--json")));
    }

    /** The options as arguments, for a child JVM. */
    List<String> toArgs() {
        return List.of("--engines", String.join(",", engines),
                "--datasets", String.join(",", datasets.stream().map(DatasetSpec::toString).toList()),
                "--threads", String.join(",", Arrays.stream(threads).mapToObj(Integer::toString).toList()),
                "--ops", String.join(",", operations.stream().map(op -> op.label).toList()),
                "--forks", Integer.toString(forks), "--warmup", Integer.toString(warmupRounds),
                "--rounds", Integer.toString(rounds), "--round-ms", Integer.toString(roundMillis),
                "--seed", Long.toString(seed), "--heap", heap,
                "--jvm-args", String.join(" ", jvmArgs), "--work-dir", workDir.toString(), "--out", out.toString(),
                "--json", json.toString());
    }

    /**
     * The {@code --name value} pairs of {@code args} over {@code defaults}; a name without a default is rejected
     * (with {@code usage}), as is a name without a value.
     */
    public static Map<String, String> values(List<String> args, Map<String, String> defaults, String usage) {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        for (int i = 0; i < args.size(); i += 2) {
            String name = args.get(i);
            if (!defaults.containsKey(name)) {
                throw new IllegalArgumentException("unknown option '" + name + "'\n" + usage);
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException("option " + name + " needs a value");
            }
            values.put(name, args.get(i + 1));
        }
        return values;
    }

    public static List<String> split(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    public static int positive(String option, String text) {
        int value = nonNegative(option, text);
        if (value == 0) {
            throw new IllegalArgumentException(option + ": must be positive, found 0");
        }
        return value;
    }

    public static int nonNegative(String option, String text) {
        try {
            int value = Integer.parseInt(text.replace("_", ""));
            if (value < 0) {
                throw new IllegalArgumentException(option + ": must not be negative, found " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": not a number: '" + text + "'", e);
        }
    }
}
