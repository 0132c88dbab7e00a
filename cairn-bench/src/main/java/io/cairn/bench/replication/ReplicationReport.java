package io.cairn.bench.replication;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cairn.bench.replication.ReplicationBenchOptions.GroupOp;
import io.cairn.bench.tree.Metric;
import io.cairn.bench.tree.Rounds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The replication harness's results: per contender, op and thread count the throughput (from the median round's
 * wall time per op) and the latency percentiles of every measured op; the ratios of the Cairn groups to the single
 * node and to etcd in the same run; issue 18's targets judged on them. Written as markdown and as JSON: {@code run} (when,
 * the command, the file system, the load average before and after), {@code results} (one object per row:
 * {@code contender, op, threads, opsPerS, p50Ns, p99Ns, roundsNsPerOp}), {@code ratios} ({@code group, op,
 * threads, versus, ratio}: a Cairn group's ops/s over the other's) and {@code facts} (each contender's setup).
 */
final class ReplicationReport {
    /** Issue 18's throughput target: the group's durable puts at 8 threads against etcd's. */
    static final double PUT_TARGET = 2.0;
    /** A local read "at single-node speed": within the run-to-run noise of a shared machine. */
    static final double READ_TARGET = 0.9;
    static final int TARGET_THREADS = 8;

    record Row(String contender, GroupOp op, int threads, double opsPerS, double p50Ns, double p99Ns,
            double[] roundsNsPerOp) {}

    record Ratio(String group, GroupOp op, int threads, String versus, double ratio) {}

    private final Map<String, Object> run = new LinkedHashMap<>();
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Map<String, String>> facts = new LinkedHashMap<>();

    ReplicationReport(String started, String command, String fileSystem, String dataset, double loadBefore) {
        run.put("started", started);
        run.put("command", command);
        run.put("fileSystem", fileSystem);
        run.put("dataset", dataset);
        run.put("loadBefore", loadBefore);
    }

    void add(String contender, GroupOp op, int threads, Rounds.Measured measured) {
        double[] rounds = measured.nsPerOp()[Metric.WALL.ordinal()];
        rows.add(new Row(contender, op, threads, 1e9 / Rounds.median(rounds),
                measured.latency().getValueAtPercentile(50), measured.latency().getValueAtPercentile(99),
                rounds.clone()));
    }

    void facts(String contender, Map<String, String> setup) {
        facts.put(contender, setup);
    }

    void finish(double loadAfter) {
        run.put("loadAfter", loadAfter);
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    private Row row(String contender, GroupOp op, int threads) {
        return rows.stream().filter(r -> r.contender.equals(contender) && r.op == op && r.threads == threads)
                .findFirst().orElse(null);
    }

    /** Each Cairn group's ops/s over the single node's and etcd's, for every op and thread count both measured. */
    List<Ratio> ratios() {
        List<Ratio> ratios = new ArrayList<>();
        for (Row group : rows) {
            if (!group.contender.equals(CairnGroup.NAME) && !group.contender.equals(CairnGroup.FOLLOWER_NAME)) {
                continue;
            }
            for (String versus : List.of(CairnSingle.NAME, EtcdCluster.NAME)) {
                Row other = row(versus, group.op, group.threads);
                if (other != null) {
                    ratios.add(new Ratio(group.contender, group.op, group.threads, versus,
                            group.opsPerS / other.opsPerS));
                }
            }
        }
        return ratios;
    }

    private Ratio ratio(String group, GroupOp op, int threads, String versus) {
        return ratios().stream().filter(r -> r.group.equals(group) && r.op == op && r.threads == threads
                        && r.versus.equals(versus))
                .findFirst().orElse(null);
    }

    /** Issue 18's targets, each judged when this run measured both sides of it. */
    List<String> targets() {
        List<String> lines = new ArrayList<>();
        for (String group : List.of(CairnGroup.NAME, CairnGroup.FOLLOWER_NAME)) {
            Ratio put = ratio(group, GroupOp.PUT, TARGET_THREADS, EtcdCluster.NAME);
            lines.add(put == null ? "durable put at " + TARGET_THREADS + " threads, " + group
                    + " vs etcd: not measured in this run" : String.format(Locale.ROOT,
                    "durable put at %d threads: %s / etcd = %.2f× (target ≥ %.0f×): %s", TARGET_THREADS, group,
                    put.ratio, PUT_TARGET, put.ratio >= PUT_TARGET ? "met" : "NOT met"));
        }
        boolean anyRead = false;
        for (Ratio read : ratios()) {
            if (read.op == GroupOp.GET && read.versus.equals(CairnSingle.NAME)) {
                anyRead = true;
                lines.add(String.format(Locale.ROOT, "local get at %d thread(s): %s / cairn-single = %.2f×"
                        + " (target: single-node speed, ≥ %.1f×): %s", read.threads, read.group, read.ratio, READ_TARGET,
                        read.ratio >= READ_TARGET ? "met" : "NOT met"));
            }
        }
        if (!anyRead) {
            lines.add("local get vs the single node: not measured in this run");
        }
        return lines;
    }

    String markdown() {
        StringBuilder md = new StringBuilder("## Replication: 3 members on loopback, durable writes\n\n");
        md.append(String.format(Locale.ROOT, "Started %s, data set %s, work dir on %s, load average %.2f → %.2f.%n%n",
                run.get("started"), run.get("dataset"), run.get("fileSystem"), (Double) run.get("loadBefore"),
                (Double) run.getOrDefault("loadAfter", Double.NaN)));
        md.append("| contender | op | threads | ops/s | p50 µs | p99 µs |\n|---|---|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %,.0f | %,.0f | %,.0f |%n", r.contender, r.op.label,
                    r.threads, r.opsPerS, r.p50Ns / 1e3, r.p99Ns / 1e3));
        }
        List<Ratio> ratios = ratios();
        if (!ratios.isEmpty()) {
            md.append("\nA group's ops/s over the other's, same run:\n\n| group | op | threads | versus | ratio |\n"
                    + "|---|---|---:|---|---:|\n");
            for (Ratio r : ratios) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %.2f× |%n", r.group, r.op.label, r.threads,
                        r.versus, r.ratio));
            }
        }
        md.append("\nTargets (issue 18):\n\n");
        for (String line : targets()) {
            md.append("- ").append(line).append('\n');
        }
        md.append("\nSetup:\n\n");
        facts.forEach((contender, setup) -> md.append("- ").append(contender).append(": ").append(setup).append('\n'));
        md.append("\nCommand: `").append(run.get("command")).append("`\n");
        return md.toString();
    }

    String json() throws Exception {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("run", run);
        List<Map<String, Object>> results = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("contender", r.contender);
            row.put("op", r.op.label);
            row.put("threads", r.threads);
            row.put("opsPerS", r.opsPerS);
            row.put("p50Ns", r.p50Ns);
            row.put("p99Ns", r.p99Ns);
            row.put("roundsNsPerOp", r.roundsNsPerOp);
            results.add(row);
        }
        root.put("results", results);
        List<Map<String, Object>> ratios = new ArrayList<>();
        for (Ratio r : ratios()) {
            Map<String, Object> ratio = new LinkedHashMap<>();
            ratio.put("group", r.group);
            ratio.put("op", r.op.label);
            ratio.put("threads", r.threads);
            ratio.put("versus", r.versus);
            ratio.put("ratio", r.ratio);
            ratios.add(ratio);
        }
        root.put("ratios", ratios);
        root.put("targets", targets());
        root.put("facts", facts);
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
    }
}
