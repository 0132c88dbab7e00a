package io.cairn.bench.tree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a child JVM reports, as the '@' lines it prints and as the parent parses them back:
 * <pre>
 * {@literal @}MEMORY bytes reported|heap loadMillis
 * {@literal @}CHECK crc32c-hex entries label...
 * {@literal @}RESULT threads op wall ns,ns,ns cpu ns,ns,ns   (one ns/op figure per measured round and metric)
 * </pre>
 */
final class ChildReport {
    static final String MARK = "@";

    record Check(String label, int entries, String crc) {}

    long memoryBytes = -1;
    boolean memoryReportedByEngine;
    long loadMillis;
    final List<Check> checks = new ArrayList<>();
    /** threads → operation → ns/op of each measured round, indexed by {@link Metric#ordinal()}. */
    final Map<Integer, Map<Operation, double[][]>> rounds = new LinkedHashMap<>();

    static String memoryLine(long bytes, boolean reportedByEngine, long loadMillis) {
        return MARK + "MEMORY " + bytes + " " + (reportedByEngine ? "reported" : "heap") + " " + loadMillis;
    }

    static String checkLine(String label, ChildRun.Digest digest) {
        return MARK + "CHECK " + Long.toHexString(digest.crc()) + " " + digest.entries() + " " + label;
    }

    static String resultLine(int threads, Operation op, double[][] nsPerOp) {
        StringBuilder line = new StringBuilder(MARK + "RESULT " + threads + " " + op.label);
        for (Metric metric : Metric.values()) {
            line.append(' ').append(metric.label).append(' ').append(String.join(",", Arrays.stream(
                    nsPerOp[metric.ordinal()]).mapToObj(ns -> String.format(Locale.ROOT, "%.1f", ns)).toList()));
        }
        return line.toString();
    }

    /** Folds one '@' line into this report. */
    void accept(String line) {
        String[] parts = line.substring(MARK.length()).split(" ", 4);
        switch (parts[0]) {
            case "MEMORY" -> {
                memoryBytes = Long.parseLong(parts[1]);
                memoryReportedByEngine = parts[2].equals("reported");
                loadMillis = Long.parseLong(parts[3]);
            }
            case "CHECK" -> checks.add(new Check(parts[3], Integer.parseInt(parts[2]), parts[1]));
            case "RESULT" -> rounds.computeIfAbsent(Integer.parseInt(parts[1]), t -> new LinkedHashMap<>())
                    .put(Operation.byLabel(parts[2]), parseRounds(parts[3]));
            default -> throw new IllegalStateException("child report: unknown line '" + line + "'");
        }
    }

    /** "wall ns,ns cpu ns,ns" → figures indexed by metric. */
    private static double[][] parseRounds(String text) {
        String[] fields = text.split(" ");
        double[][] figures = new double[Metric.values().length][];
        for (Metric metric : Metric.values()) {
            int at = 2 * metric.ordinal();
            if (!fields[at].equals(metric.label)) {
                throw new IllegalStateException("child report: expected " + metric.label + " in '" + text + "'");
            }
            figures[metric.ordinal()] = Arrays.stream(fields[at + 1].split(",")).mapToDouble(Double::parseDouble)
                    .toArray();
        }
        return figures;
    }

    /**
     * Adds the measured rounds of {@code other}, a later fork of the same engine on the same data set, to this
     * report's, so medians are taken over the rounds of every fork; memory, load time and checks stay this fork's.
     */
    void pool(ChildReport other) {
        other.rounds.forEach((threads, byOp) -> byOp.forEach((op, figures) -> rounds
                .computeIfAbsent(threads, t -> new LinkedHashMap<>())
                .merge(op, figures, (mine, theirs) -> {
                    double[][] pooled = new double[mine.length][];
                    for (int m = 0; m < mine.length; m++) {
                        pooled[m] = Arrays.copyOf(mine[m], mine[m].length + theirs[m].length);
                        System.arraycopy(theirs[m], 0, pooled[m], mine[m].length, theirs[m].length);
                    }
                    return pooled;
                })));
    }

    /** Median ns/op of the measured rounds, or NaN when the child did not measure it. */
    double median(int threads, Operation op, Metric metric) {
        double[][] measured = rounds.getOrDefault(threads, Map.of()).get(op);
        return measured == null ? Double.NaN : ChildRun.median(measured[metric.ordinal()]);
    }
}
