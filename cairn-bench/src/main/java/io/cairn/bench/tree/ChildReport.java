package io.cairn.bench.tree;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * What a child JVM reports, as the '@' lines it prints and as the parent parses them back:
 * <pre>
 * {@literal @}MEMORY bytes reported|heap loadMillis
 * {@literal @}CHECK crc32c-hex entries label...
 * {@literal @}RESULT threads op wall ns,ns,ns cpu ns,ns,ns   (one ns/op figure per measured round and metric)
 * {@literal @}LATENCY threads op base64                      (HdrHistogram of every measured op, compressed)
 * {@literal @}FORCES threads op ops forces                   (force system calls in all rounds; -1: not counted)
 * {@literal @}FACT name value                                (a store figure: file bytes, open ms, resident bytes...)
 * {@literal @}FAILED reason                                  (the child failed: why, on one line; its last line)
 * </pre>
 */
final class ChildReport {
    static final String MARK = "@";

    record Check(String label, int entries, String crc) {}

    /** Operations completed in all rounds (warmup included) and the force system calls made meanwhile (-1: not counted). */
    record Forces(long ops, long forces) {
        Forces plus(Forces other) {
            return new Forces(ops + other.ops, forces < 0 || other.forces < 0 ? -1 : forces + other.forces);
        }

        /** Forces per operation, or NaN when not counted. */
        double perOp() {
            return forces < 0 || ops == 0 ? Double.NaN : (double) forces / ops;
        }
    }

    long memoryBytes = -1;
    boolean memoryReportedByEngine;
    long loadMillis;
    final List<Check> checks = new ArrayList<>();
    /** threads → operation → ns/op of each measured round, indexed by {@link Metric#ordinal()}. */
    final Map<Integer, Map<Operation, double[][]>> rounds = new LinkedHashMap<>();
    /** threads → operation → latency of every measured op. */
    final Map<Integer, Map<Operation, Histogram>> latencies = new LinkedHashMap<>();
    final Map<Integer, Map<Operation, Forces>> forces = new LinkedHashMap<>();
    /** Store figures, by name, in the order reported. */
    final Map<String, Long> facts = new LinkedHashMap<>();
    /** Why the child failed, or null while nothing failed. */
    private String failure;

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

    static String latencyLine(int threads, Operation op, Histogram latency) {
        ByteBuffer buffer = ByteBuffer.allocate(latency.getNeededByteBufferCapacity());
        int length = latency.encodeIntoCompressedByteBuffer(buffer);
        return MARK + "LATENCY " + threads + " " + op.label + " "
                + Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
    }

    static String forcesLine(int threads, Operation op, Forces counted) {
        return MARK + "FORCES " + threads + " " + op.label + " " + counted.ops + " " + counted.forces;
    }

    static String factLine(String name, long value) {
        if (name.isEmpty() || name.contains(" ")) {
            throw new IllegalArgumentException("fact name: one word expected, found '" + name + "'");
        }
        return MARK + "FACT " + name + " " + value;
    }

    /** The line a failing child prints last: its exception and every cause, on one line. */
    static String failedLine(Throwable failure) {
        StringBuilder reason = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            reason.append(reason.isEmpty() ? "" : "; caused by ").append(t.getClass().getName())
                    .append(t.getMessage() == null ? "" : ": " + t.getMessage());
        }
        return MARK + "FAILED " + reason.toString().replaceAll("\\s+", " ");
    }

    /** Marks the child failed for {@code reason}, unless it already failed (the first reason is the cause). */
    void fail(String reason) {
        if (failure == null) {
            failure = reason;
        }
    }

    /** Why the child failed, or null when it did not. */
    String failure() {
        return failure;
    }

    /** Folds one '@' line into this report. */
    void accept(String line) {
        String[] parts = line.substring(MARK.length()).split(" ", 4);
        switch (parts[0]) {
            case "LATENCY" -> latencies.computeIfAbsent(Integer.parseInt(parts[1]), t -> new LinkedHashMap<>())
                    .put(Operation.byLabel(parts[2]), decode(parts[3]));
            case "FORCES" -> {
                String[] counts = parts[3].split(" ");
                forces.computeIfAbsent(Integer.parseInt(parts[1]), t -> new LinkedHashMap<>())
                        .put(Operation.byLabel(parts[2]), new Forces(Long.parseLong(counts[0]),
                                Long.parseLong(counts[1])));
            }
            case "FACT" -> facts.putIfAbsent(parts[1], Long.parseLong(parts[2]));
            case "MEMORY" -> {
                memoryBytes = Long.parseLong(parts[1]);
                memoryReportedByEngine = parts[2].equals("reported");
                loadMillis = Long.parseLong(parts[3]);
            }
            case "FAILED" -> fail(line.substring(MARK.length() + "FAILED ".length()));
            case "CHECK" -> checks.add(new Check(parts[3], Integer.parseInt(parts[2]), parts[1]));
            case "RESULT" -> rounds.computeIfAbsent(Integer.parseInt(parts[1]), t -> new LinkedHashMap<>())
                    .put(Operation.byLabel(parts[2]), parseRounds(parts[3]));
            default -> throw new IllegalStateException("child report: unknown line '" + line + "'");
        }
    }

    private static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)),
                    Rounds.HIGHEST_LATENCY_NANOS);
        } catch (DataFormatException e) {
            throw new IllegalStateException("child report: undecodable latency histogram", e);
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
     * report's, so medians are taken over the rounds of every fork (and latencies over every op, forces summed);
     * memory, load time, facts and checks stay this fork's.
     */
    void pool(ChildReport other) {
        other.latencies.forEach((threads, byOp) -> byOp.forEach((op, latency) -> latencies
                .computeIfAbsent(threads, t -> new LinkedHashMap<>())
                .merge(op, latency.copy(), (mine, theirs) -> {
                    mine.add(theirs);
                    return mine;
                })));
        other.forces.forEach((threads, byOp) -> byOp.forEach((op, counted) -> forces
                .computeIfAbsent(threads, t -> new LinkedHashMap<>()).merge(op, counted, Forces::plus)));
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

    /** The latency at {@code percentile} (0-100) in ns, or NaN when the child did not record latencies. */
    double latency(int threads, Operation op, double percentile) {
        Histogram latency = latencies.getOrDefault(threads, Map.of()).get(op);
        return latency == null ? Double.NaN : latency.getValueAtPercentile(percentile);
    }

    /** Force system calls per op, or NaN when the child did not count them. */
    double forcesPerOp(int threads, Operation op) {
        Forces counted = forces.getOrDefault(threads, Map.of()).get(op);
        return counted == null ? Double.NaN : counted.perOp();
    }

    /** A store figure, or -1 when the child did not report it. */
    long fact(String name) {
        return facts.getOrDefault(name, -1L);
    }

    /** Median ns/op of the measured rounds, or NaN when the child did not measure it. */
    double median(int threads, Operation op, Metric metric) {
        double[][] measured = rounds.getOrDefault(threads, Map.of()).get(op);
        return measured == null ? Double.NaN : Rounds.median(measured[metric.ordinal()]);
    }
}
