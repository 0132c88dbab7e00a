package io.cairn.bench.tree;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The side-by-side peer harness for the tree: Cairn's in-memory tree against {@code ConcurrentSkipListMap},
 * {@code TreeMap}, RocksDB (WAL off) and SQLite ({@code :memory:}) on the reference workloads (holt.md §5).
 *
 * <p>For every data set the parent starts one child JVM per engine ({@link ChildLauncher}: the engine's own class
 * path, fixed heap, {@code --enable-native-access=ALL-UNNAMED}), rotating the engine order from one data set to the
 * next. With {@code --forks n} it does so n times, rotating the order again each time, and pools each engine's measured rounds
 * over its n JVMs: on a shared virtual machine one JVM's JIT decisions and the neighbours' load during its minutes
 * both move a row by 10-20%, and forks run in turn spread an engine's rounds over the whole run, as JMH forks do.
 * A child loads the data once, answers a few list/list_dir queries whose digests the parent compares across
 * engines (any difference aborts the run), reports memory per key, warms every operation up, then times each
 * operation at each thread count: warmup rounds, then measured rounds, reporting the median ns/op by wall time and
 * by CPU time ({@link Metric}). The parent prints and writes a markdown report with ratios peer/Cairn and the issue's targets.
 *
 * <p>Run: {@code java -cp 'cairn-bench/target/cairn-bench.jar:cairn-bench/target/lib/*'
 * io.cairn.bench.tree.PeerHarness [options]} (options: {@link HarnessOptions#USAGE}).
 */
public final class PeerHarness {
    private static final String CAIRN = "cairn";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HarnessOptions options;
    private final ChildLauncher launcher;
    private final StringBuilder report = new StringBuilder();

    private PeerHarness(HarnessOptions options) {
        this.options = options;
        this.launcher = ChildLauncher.forThisBuild(options.heap(), options.jvmArgs());
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = List.of(args);
        if (arguments.contains("--help")) {
            System.out.println("usage: PeerHarness [options]\n" + HarnessOptions.USAGE);
            return;
        }
        if (!arguments.isEmpty() && arguments.getFirst().equals("--child")) {
            HarnessOptions options = HarnessOptions.parse(arguments.subList(4, arguments.size()));
            new ChildRun(options, arguments.get(1), KeyShape.byLabel(arguments.get(2)),
                    Integer.parseInt(arguments.get(3))).run();
            return;
        }
        new PeerHarness(HarnessOptions.parse(arguments)).run(String.join(" ", args));
    }

    private void run(String commandLine) throws Exception {
        Runtime runtime = Runtime.getRuntime();
        emit("**Tree peer harness run**\n\n"
                + "- date: " + Instant.now() + "\n"
                + "- machine: " + runtime.availableProcessors() + " cores, "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", Java "
                + System.getProperty("java.version") + ", load average at start "
                + String.format(Locale.ROOT, "%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())
                + "\n"
                + "- arguments: `" + (commandLine.isEmpty() ? "(defaults)" : commandLine) + "`\n"
                + "- children: `-Xmx" + options.heap() + " --enable-native-access=ALL-UNNAMED"
                + (options.jvmArgs().isEmpty() ? "" : " " + String.join(" ", options.jvmArgs()))
                + "`, " + options.forks() + (options.forks() == 1 ? " JVM" : " JVMs (forks, run in turn, rounds pooled)")
                + " per engine and data set; " + options.warmupRounds() + " warmup + " + options.rounds()
                + " measured rounds of " + options.roundMillis() + " ms per op; median ns/op, by wall time"
                + " (wall time / ops of all threads) and by CPU time (CPU time of the worker threads / ops)\n"
                + "- cells: `ns/op (peer/Cairn)`; a ratio above 1 means Cairn is faster (or smaller)\n");
        Map<HarnessOptions.DatasetSpec, Map<String, ChildReport>> all = new LinkedHashMap<>();
        List<HarnessOptions.DatasetSpec> datasets = options.datasets();
        for (int d = 0; d < datasets.size(); d++) {
            HarnessOptions.DatasetSpec dataset = datasets.get(d);
            Map<String, ChildReport> reports = new LinkedHashMap<>();
            for (int fork = 0; fork < options.forks(); fork++) {
                for (String engine : rotated(options.engines(), d + fork)) {
                    System.err.printf("[harness] %s on %s, fork %d of %d ...%n", engine, dataset, fork + 1,
                            options.forks());
                    ChildReport child = runChild(engine, dataset, reports);
                    reports.merge(engine, child, (first, later) -> {
                        first.pool(later);
                        return first;
                    });
                }
            }
            System.err.println("[harness] " + dataset + ": all engines gave identical answers: "
                    + reports.values().iterator().next().checks);
            all.put(dataset, reports);
            emit(tables(dataset, reports));
        }
        emit(targets(all));
        emit(String.format(Locale.ROOT, "Load average at the end: %.1f.%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        Files.createDirectories(options.out().toAbsolutePath().getParent());
        Files.writeString(options.out(), report);
        System.err.println("[harness] report written to " + options.out().toAbsolutePath());
        writeJson(all, commandLine);
        System.err.println("[harness] results written to " + options.json().toAbsolutePath());
    }

    /**
     * The results as JSON, for {@code BenchmarkCharts} and other tools: {@code {"harness": "tree", "date",
     * "arguments", "results": [{dataset, keys, engine, threads, op, wallNs, cpuNs}], "memory": [{dataset, keys,
     * engine, bytesPerKey}]}}, medians over the pooled rounds.
     */
    private void writeJson(Map<HarnessOptions.DatasetSpec, Map<String, ChildReport>> all, String commandLine)
            throws IOException {
        ObjectNode root = JSON.createObjectNode().put("harness", "tree").put("date", Instant.now().toString())
                .put("arguments", commandLine);
        ArrayNode results = root.putArray("results");
        ArrayNode memory = root.putArray("memory");
        all.forEach((dataset, reports) -> reports.forEach((engine, report) -> {
            for (int threads : options.threads()) {
                for (Operation op : options.operations()) {
                    results.addObject().put("dataset", dataset.shape().label).put("keys", dataset.size())
                            .put("engine", engine).put("threads", threads).put("op", op.label)
                            .put("wallNs", report.median(threads, op, Metric.WALL))
                            .put("cpuNs", report.median(threads, op, Metric.CPU));
                }
            }
            memory.addObject().put("dataset", dataset.shape().label).put("keys", dataset.size()).put("engine", engine)
                    .put("bytesPerKey", bytesPerKey(report, dataset));
        }));
        Path json = options.json().toAbsolutePath();
        Files.createDirectories(json.getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), root);
    }

    private void emit(String markdown) {
        System.out.println(markdown);
        report.append(markdown).append('\n');
    }

    static List<String> rotated(List<String> engines, int by) {
        List<String> order = new ArrayList<>();
        for (int i = 0; i < engines.size(); i++) {
            order.add(engines.get((i + by) % engines.size()));
        }
        return order;
    }

    /**
     * Runs one child; as soon as it has answered the correctness queries (its first timing line), its answers are
     * compared with those of the engines that ran before it, and a difference stops the child and the run.
     */
    private ChildReport runChild(String engine, HarnessOptions.DatasetSpec dataset, Map<String, ChildReport> earlier)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("--child", engine, dataset.shape().label,
                Integer.toString(dataset.size())));
        args.addAll(options.toArgs());
        ChildLauncher.Outcome outcome = launcher.run(engine, engine, PeerHarness.class.getName(), args,
                (line, soFar, child) -> {
                    if (soFar.rounds.isEmpty() && line.startsWith(ChildReport.MARK + "RESULT")) {
                        String wrong = differingAnswer(dataset.toString(), engine, soFar, earlier);
                        if (wrong != null) {
                            child.destroyForcibly();
                            throw new IllegalStateException(wrong);
                        }
                    }
                });
        if (outcome.exitCode() != 0) {
            throw new IllegalStateException("child JVM for " + engine + " on " + dataset + " failed (exit "
                    + outcome.exitCode() + ")");
        }
        return outcome.report();
    }

    /**
     * Every engine must answer every correctness query identically (same entries, same digest): how {@code report}
     * differs from the first of {@code earlier} it disagrees with, or null when it agrees with all.
     */
    static String differingAnswer(String dataset, String engine, ChildReport report, Map<String, ChildReport> earlier) {
        if (report.checks.isEmpty()) {
            return engine + " on " + dataset + " reported timings without answering the checks";
        }
        for (Map.Entry<String, ChildReport> other : earlier.entrySet()) {
            List<ChildReport.Check> expected = other.getValue().checks;
            for (int i = 0; i < Math.max(expected.size(), report.checks.size()); i++) {
                ChildReport.Check want = i < expected.size() ? expected.get(i) : null;
                ChildReport.Check got = i < report.checks.size() ? report.checks.get(i) : null;
                if (want == null || !want.equals(got)) {
                    return "correctness check failed on " + dataset + ": " + other.getKey() + " answered " + want
                            + " but " + engine + " answered " + got;
                }
            }
        }
        return null;
    }

    private String tables(HarnessOptions.DatasetSpec dataset, Map<String, ChildReport> reports) {
        List<String> engines = options.engines();
        StringBuilder out = new StringBuilder();
        for (int threads : options.threads()) {
            for (Metric metric : Metric.values()) {
                out.append(String.format(Locale.ROOT, "%n**%s, %,d keys, %d thread%s: %s ns/op**%n%n",
                        dataset.shape().label, dataset.size(), threads, threads == 1 ? "" : "s", metric.label));
                out.append(header("op", engines));
                for (Operation op : options.operations()) {
                    out.append("| ").append(op.label);
                    double cairn = reports.containsKey(CAIRN) ? reports.get(CAIRN).median(threads, op, metric)
                            : Double.NaN;
                    for (String engine : engines) {
                        out.append(" | ").append(cell(reports.get(engine).median(threads, op, metric), cairn, engine));
                    }
                    out.append(" |\n");
                }
            }
        }
        out.append(String.format(Locale.ROOT, "%n**%s, %,d keys: memory and load**%n%n", dataset.shape().label,
                dataset.size()));
        out.append(header("", engines)).append("| memory B/key");
        double cairnBytes = reports.containsKey(CAIRN) ? bytesPerKey(reports.get(CAIRN), dataset) : Double.NaN;
        for (String engine : engines) {
            out.append(" | ").append(cell(bytesPerKey(reports.get(engine), dataset), cairnBytes, engine));
        }
        out.append(" |\n| load ms");
        for (String engine : engines) {
            out.append(" | ").append(reports.get(engine).loadMillis);
        }
        out.append(" |\n");
        return out.toString();
    }

    private static String header(String first, List<String> engines) {
        return "| " + first + " | " + String.join(" | ", engines) + " |\n|---|" + "---:|".repeat(engines.size()) + "\n";
    }

    private static double bytesPerKey(ChildReport report, HarnessOptions.DatasetSpec dataset) {
        return (double) report.memoryBytes / dataset.size();
    }

    private static String cell(double value, double cairn, String engine) {
        if (Double.isNaN(value)) {
            return "–";
        }
        String number = String.format(Locale.ROOT, value < 100 ? "%,.1f" : "%,.0f", value);
        if (engine.equals(CAIRN) || Double.isNaN(cairn)) {
            return number;
        }
        return String.format(Locale.ROOT, "%s (%.2f×)", number, value / cairn);
    }

    /** The issue's targets, judged on the largest data set at every thread count, by wall time and by CPU time. */
    private String targets(Map<HarnessOptions.DatasetSpec, Map<String, ChildReport>> all) {
        if (!options.engines().contains(CAIRN) || options.engines().size() < 2) {
            return "";
        }
        HarnessOptions.DatasetSpec largest = all.keySet().stream()
                .max((a, b) -> Integer.compare(a.size(), b.size())).orElseThrow();
        Map<String, ChildReport> reports = all.get(largest);
        ChildReport cairn = reports.get(CAIRN);
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n**Targets on %s, %,d keys** (ratio ="
                + " peer / Cairn)%n%n| target | threads | by wall time | by CPU time |%n|---|---:|---|---|%n",
                largest.shape().label, largest.size()));
        for (int threads : options.threads()) {
            for (Operation op : List.of(Operation.GET, Operation.LIST, Operation.LIST_DIR, Operation.METADATA_MIX)) {
                if (!options.operations().contains(op)) {
                    continue;
                }
                out.append("| Cairn fastest on ").append(op.label).append(" | ").append(threads);
                for (Metric metric : Metric.values()) {
                    String best = bestPeer(reports, threads, op, metric);
                    double ratio = reports.get(best).median(threads, op, metric) / cairn.median(threads, op, metric);
                    out.append(verdict(String.format(Locale.ROOT, "%.2f× (best peer %s)", ratio, best), ratio > 1));
                }
                out.append(" |\n");
                if (op == Operation.GET && reports.containsKey("cslm")) {
                    out.append("| get ≥ 1.5× faster than cslm | ").append(threads);
                    for (Metric metric : Metric.values()) {
                        double ratio = reports.get("cslm").median(threads, op, metric)
                                / cairn.median(threads, op, metric);
                        out.append(verdict(String.format(Locale.ROOT, "%.2f×", ratio), ratio >= 1.5));
                    }
                    out.append(" |\n");
                }
                if (op == Operation.LIST_DIR) {
                    out.append("| list_dir ≥ 3× faster than the best peer | ").append(threads);
                    for (Metric metric : Metric.values()) {
                        String best = bestPeer(reports, threads, op, metric);
                        double ratio = reports.get(best).median(threads, op, metric)
                                / cairn.median(threads, op, metric);
                        out.append(verdict(String.format(Locale.ROOT, "%.2f× (%s)", ratio, best), ratio >= 3));
                    }
                    out.append(" |\n");
                }
            }
        }
        if (reports.containsKey("cslm")) {
            double cairnBytes = bytesPerKey(cairn, largest);
            double skipListBytes = bytesPerKey(reports.get("cslm"), largest);
            String measured = String.format(Locale.ROOT, "%.1f vs %.1f B/key", cairnBytes, skipListBytes);
            out.append("| memory per key ≤ cslm | –").append(verdict(measured, cairnBytes <= skipListBytes))
                    .append(" | (same) |\n");
        }
        return out.toString();
    }

    private static String verdict(String measured, boolean met) {
        return " | " + measured + ": " + (met ? "met" : "**missed**");
    }

    private static String bestPeer(Map<String, ChildReport> reports, int threads, Operation op, Metric metric) {
        String best = null;
        for (Map.Entry<String, ChildReport> entry : reports.entrySet()) {
            if (!entry.getKey().startsWith(CAIRN) && (best == null || entry.getValue().median(threads, op, metric)
                    < reports.get(best).median(threads, op, metric))) {
                best = entry.getKey();
            }
        }
        return best;
    }
}
