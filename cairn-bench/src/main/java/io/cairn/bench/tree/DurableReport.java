package io.cairn.bench.tree;

import io.cairn.bench.tree.HarnessOptions.DatasetSpec;
import io.cairn.stack.Durability;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The durable harness's results, as a markdown report for people and as JSON for the results page's generator.
 *
 * <p>JSON, in the tree harness's style ({@code harness}, {@code date}, {@code arguments}, {@code results} with
 * {@code wallNs} and {@code cpuNs}): one object with {@code harness} ("durable"), {@code date}, {@code arguments},
 * machine, workDirFs, loadAverageStart/End, childFlags, forks, warmupRounds, rounds, roundMs; {@code results}: one
 * object per measured (scenario, dataset, keys, engine, durability, op, threads) with {@code wallNs} and
 * {@code cpuNs} (medians of the pooled rounds), {@code opsPerS} (1 s / wallNs; several threads: aggregate),
 * {@code p50Ns}, {@code p99Ns}, {@code forcesPerOp} (force system calls per op, null when not counted); and
 * {@code stores}:
 * one object per (scenario, engine, durability) with its {@code facts} (loadMs, fileBytes, dataBytes, openMs,
 * rssBytes, ..., recoveryMs, recoveryCpuMs, verifiedRecords, lostRecords, killedFileBytes: whatever the children reported); and
 * {@code failures}: one object per failed cell (scenario, dataset, keys, engine, durability) with its {@code reason}.
 */
final class DurableReport {
    /** One child configuration: an engine in one durability (the raw line is always SYNC). */
    record Key(String engine, Durability durability) {
        @Override
        public String toString() {
            return engine.equals(DurableOptions.RAW) ? engine : engine + " " + durability.name().toLowerCase(Locale.ROOT);
        }
    }

    /** A cell (one engine in one durability in one scenario) whose child failed, and why. */
    record Failure(String scenario, DatasetSpec dataset, Key key, String reason) {}

    /** Facts about the run itself. */
    record Run(String date, String command, String workDirFileSystem, double loadStart, String childFlags) {}

    private record Section(String scenario, DatasetSpec dataset, Map<Key, ChildReport> reports) {}

    private static final double MIB = 1 << 20;

    private final DurableOptions options;
    private final Run run;
    private final List<Section> sections = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();
    private double loadEnd = Double.NaN;

    DurableReport(DurableOptions options, Run run) {
        this.options = options;
        this.run = run;
    }

    void workloads(DatasetSpec dataset, Map<Key, ChildReport> reports) {
        sections.add(new Section("workloads", dataset, reports));
    }

    void big(DatasetSpec dataset, Map<Key, ChildReport> reports) {
        sections.add(new Section("big", dataset, reports));
    }

    void recovery(Map<String, ChildReport> byEngine) {
        Map<Key, ChildReport> reports = new LinkedHashMap<>();
        byEngine.forEach((engine, report) -> reports.put(new Key(engine, Durability.ASYNC), report));
        sections.add(new Section("recovery", new DatasetSpec(options.dataset().shape(), options.recoveryRecords()),
                reports));
    }

    void failed(Failure failure) {
        failures.add(failure);
    }

    /** How many cells failed. */
    int failures() {
        return failures.size();
    }

    void finish(double loadAverage) {
        loadEnd = loadAverage;
    }

    private static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", Java " + System.getProperty("java.version");
    }

    String markdown() {
        StringBuilder out = new StringBuilder("**Durable peer harness run**\n\n");
        out.append("- date: ").append(run.date()).append("\n- machine: ").append(machine())
                .append(String.format(Locale.ROOT, ", load average %.1f at the start, %.1f at the end%n", run.loadStart(),
                        loadEnd))
                .append("- arguments: `").append(run.command().isEmpty() ? "(defaults)" : run.command()).append("`\n")
                .append("- files: ").append(options.workDir()).append(" on ").append(run.workDirFileSystem()).append('\n')
                .append("- children: `").append(run.childFlags()).append("`, workloads in ").append(options.forks())
                .append(" JVMs per engine and durability (rounds pooled), the big scenario in 1; ")
                .append(options.warmupRounds()).append(" warmup + ").append(options.rounds()).append(" measured rounds of ")
                .append(options.roundMillis()).append(" ms per op; caches ").append(options.cacheMiB())
                .append(" MiB (big scenario: reads ").append(options.bigCacheMiB()).append(" MiB, load ")
                .append(options.bigLoadCacheMiB()).append(" MiB)\n")
                .append("- ops/s: 1 s / the median wall time per op of the pooled rounds (several threads: all of them"
                        + " together); p50/p99: latency of every measured op; cpu: CPU time of the worker threads per"
                        + " op; forces/op: fsync, fdatasync, msync and sync_file_range calls of the whole child JVM"
                        + " (background threads and native libraries included) during the warmup and measured rounds, counted by"
                        + " `perf stat` on the syscall tracepoints, per op\n");
        out.append(failureTable());
        for (Section section : sections) {
            if (section.scenario().equals("recovery")) {
                out.append(recoveryTable(section));
                continue;
            }
            for (int threads : options.threads()) {
                out.append(opsTable(section, threads));
            }
            out.append(storeTable(section));
        }
        return out.append(DurableTargets.markdown(reports("workloads"), reports("big"), reports("recovery"),
                options.threads())).toString();
    }

    /** The reports of a scenario, or none when it did not run. */
    private Map<Key, ChildReport> reports(String scenario) {
        return sections.stream().filter(section -> section.scenario().equals(scenario)).findFirst()
                .map(Section::reports).orElse(Map.of());
    }

    private static String title(Section section) {
        return String.format(Locale.ROOT, "%s, %s, %,d keys", section.scenario(), section.dataset().shape().label,
                section.dataset().size());
    }

    /** The row label of an op run in a durability: what the issue calls it. */
    static String rowLabel(Durability durability, Operation op) {
        if (durability == Durability.SYNC) {
            return "durable " + op.label;
        }
        return switch (op) {
            case PUT, MIXED, CREATE_DELETE, RENAME, METADATA_MIX -> "async " + op.label;
            case GET, LIST, LIST_DIR -> op.label;
        };
    }

    private String opsTable(Section section, int threads) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n**%s, %d thread%s**%n%n", title(section),
                threads, threads == 1 ? "" : "s"));
        out.append("| op | engine | ops/s | p50 µs | p99 µs | cpu µs/op | forces/op |\n")
                .append("|---|---|---:|---:|---:|---:|---:|\n");
        for (Durability durability : List.of(Durability.SYNC, Durability.ASYNC)) {
            for (Operation op : Operation.values()) {
                section.reports().forEach((key, report) -> {
                    if (key.durability() != durability || Double.isNaN(report.median(threads, op, Metric.WALL))) {
                        return;
                    }
                    out.append("| ").append(rowLabel(durability, op)).append(" | ").append(key)
                            .append(" | ").append(number(1e9 / report.median(threads, op, Metric.WALL)))
                            .append(" | ").append(number(report.latency(threads, op, 50) / 1e3))
                            .append(" | ").append(number(report.latency(threads, op, 99) / 1e3))
                            .append(" | ").append(number(report.median(threads, op, Metric.CPU) / 1e3))
                            .append(" | ").append(ratio(report.forcesPerOp(threads, op)))
                            .append(" |\n");
                });
            }
        }
        return out.toString();
    }

    private String storeTable(Section section) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%n**%s: the stores**%n%n", title(section)));
        out.append("| engine | load s | file MiB | file / data bytes | open ms | RSS MiB | anon MiB | file-backed MiB"
                + " | heap used MiB | engine-reported MiB |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        section.reports().forEach((key, report) -> out.append("| ").append(key)
                .append(" | ").append(report.fact("loadMs") < 0 ? "–" : number(report.fact("loadMs") / 1e3))
                .append(" | ").append(mib(report.fact("fileBytes")))
                .append(" | ").append(ratio(report.fact("dataBytes") <= 0 ? Double.NaN
                        : (double) report.fact("fileBytes") / report.fact("dataBytes")))
                .append(" | ").append(count(report.fact("openMs")))
                .append(" | ").append(mib(report.fact("rssBytes")))
                .append(" | ").append(mib(report.fact("rssAnonBytes")))
                .append(" | ").append(mib(report.fact("rssFileBytes")))
                .append(" | ").append(mib(report.fact("heapUsedBytes")))
                .append(" | ").append(mib(report.fact("engineMemoryBytes")))
                .append(" |\n"));
        return out.toString();
    }

    /** The failed cells, or "" when none failed. */
    private String failureTable() {
        if (failures.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("\n**Failed cells** (rows a failed child measured before it failed"
                + " are in the tables; its other rows are missing)\n\n| scenario | engine | data set | reason |\n"
                + "|---|---|---|---|\n");
        for (Failure failure : failures) {
            out.append("| ").append(failure.scenario()).append(" | ").append(failure.key()).append(" | ")
                    .append(failure.dataset()).append(" | ").append(failure.reason().replace("|", "\\|"))
                    .append(" |\n");
        }
        return out.toString();
    }

    private static String recoveryTable(Section section) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%n**recovery: %,d records written one put each (log held: no checkpoint or memtable flush), synced,"
                        + " then SIGKILL; reopen timed up to the first get**%n%n", section.dataset().size()));
        out.append("| engine | recovery ms | recovery CPU ms (all threads) | verified | lost | file MiB at the kill"
                + " | file MiB after | RSS MiB |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        section.reports().forEach((key, report) -> out.append("| ").append(key.engine())
                .append(" | ").append(count(report.fact("recoveryMs")))
                .append(" | ").append(count(report.fact("recoveryCpuMs")))
                .append(" | ").append(count(report.fact("verifiedRecords")))
                .append(" | ").append(report.fact("lostRecords") > 0 ? "**" + count(report.fact("lostRecords")) + "**"
                        : count(report.fact("lostRecords")))
                .append(" | ").append(mib(report.fact("killedFileBytes")))
                .append(" | ").append(mib(report.fact("fileBytes")))
                .append(" | ").append(mib(report.fact("rssBytes")))
                .append(" |\n"));
        return out.toString();
    }

    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        return String.format(Locale.ROOT, value < 100 ? "%,.1f" : "%,.0f", value);
    }

    private static String ratio(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String count(long value) {
        return value < 0 ? "–" : String.format(Locale.ROOT, "%,d", value);
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "–" : String.format(Locale.ROOT, "%,.1f", bytes / MIB);
    }

    String json() {
        StringBuilder out = new StringBuilder("{\"harness\":\"durable\",");
        field(out, "date", run.date()).append(',');
        field(out, "arguments", run.command()).append(',');
        field(out, "machine", machine()).append(',');
        field(out, "workDirFs", run.workDirFileSystem()).append(',');
        field(out, "loadAverageStart", run.loadStart()).append(',');
        field(out, "loadAverageEnd", loadEnd).append(',');
        field(out, "childFlags", run.childFlags()).append(',');
        field(out, "forks", options.forks()).append(',');
        field(out, "warmupRounds", options.warmupRounds()).append(',');
        field(out, "rounds", options.rounds()).append(',');
        field(out, "roundMs", options.roundMillis()).append(",\"results\":[");
        String separator = "";
        for (Section section : sections) {
            for (Map.Entry<Key, ChildReport> entry : section.reports().entrySet()) {
                ChildReport report = entry.getValue();
                for (Map.Entry<Integer, Map<Operation, double[][]>> byThreads : report.rounds.entrySet()) {
                    int threads = byThreads.getKey();
                    for (Operation op : byThreads.getValue().keySet()) {
                        out.append(separator).append('{');
                        separator = ",";
                        identity(out, section.scenario(), section.dataset(), entry.getKey()).append(',');
                        field(out, "op", op.label).append(',');
                        field(out, "threads", threads).append(',');
                        field(out, "wallNs", report.median(threads, op, Metric.WALL)).append(',');
                        field(out, "cpuNs", report.median(threads, op, Metric.CPU)).append(',');
                        field(out, "opsPerS", 1e9 / report.median(threads, op, Metric.WALL)).append(',');
                        field(out, "p50Ns", report.latency(threads, op, 50)).append(',');
                        field(out, "p99Ns", report.latency(threads, op, 99)).append(',');
                        field(out, "forcesPerOp", report.forcesPerOp(threads, op)).append('}');
                    }
                }
            }
        }
        out.append("],\"stores\":[");
        separator = "";
        for (Section section : sections) {
            for (Map.Entry<Key, ChildReport> entry : section.reports().entrySet()) {
                out.append(separator).append('{');
                separator = ",";
                identity(out, section.scenario(), section.dataset(), entry.getKey()).append(",\"facts\":{");
                String comma = "";
                for (Map.Entry<String, Long> fact : entry.getValue().facts.entrySet()) {
                    out.append(comma);
                    comma = ",";
                    field(out, fact.getKey(), fact.getValue());
                }
                out.append("}}");
            }
        }
        out.append("],\"failures\":[");
        separator = "";
        for (Failure failure : failures) {
            out.append(separator).append('{');
            separator = ",";
            identity(out, failure.scenario(), failure.dataset(), failure.key()).append(',');
            field(out, "reason", failure.reason()).append('}');
        }
        return out.append("]}\n").toString();
    }

    private static StringBuilder identity(StringBuilder out, String scenario, DatasetSpec dataset, Key key) {
        field(out, "scenario", scenario).append(',');
        field(out, "dataset", dataset.shape().label).append(',');
        field(out, "keys", dataset.size()).append(',');
        field(out, "engine", key.engine()).append(',');
        return field(out, "durability", key.durability().name());
    }

    private static StringBuilder field(StringBuilder out, String name, String value) {
        return out.append(quote(name)).append(':').append(quote(value));
    }

    /** A count, exactly. */
    private static StringBuilder field(StringBuilder out, String name, long value) {
        return out.append(quote(name)).append(':').append(value);
    }

    /** A measured figure to six significant digits; NaN (not measured) is null. */
    private static StringBuilder field(StringBuilder out, String name, double value) {
        out.append(quote(name)).append(':');
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return out.append("null");
        }
        return out.append(BigDecimal.valueOf(value).round(new MathContext(6)).stripTrailingZeros().toPlainString());
    }

    static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
