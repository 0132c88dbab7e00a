package io.cairn.bench.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Draws the charts of {@code docs/benchmarks.md} from the harnesses' own machine-readable results: every
 * {@code *.json} file in a directory becomes one PNG bar chart of the same name. Inputs:
 * <ul>
 * <li>JMH's {@code -rf json} output (an array of benchmark results): bars grouped by benchmark method and
 * parameters, one series per engine-like parameter;
 * <li>the same of the paired benchmarks (those whose class name holds {@value #PAIRED_CLASS}), whose JMH score is
 * only the mix of contenders run in turn: their table is the {@value #PAIRED} lines the forks print, which JMH
 * passes to its console, so that console output must be saved beside the JSON as {@code NAME.txt}; one bar per
 * contender, its median over its base's (the median of that ratio when several forks print it);
 * <li>the tree harnesses' {@code --json} output at the largest data set, one group per operation, thread count and
 * durability, one series per engine: PeerHarness in wall ns/op, DurableHarness in ops/s as its tables.
 * </ul>
 * Bars that differ more than {@value #LOG_SPREAD}-fold (a forced put beside an async get) go on a logarithmic axis,
 * whose title says so. A file that cannot be charted is named with the reason, the others are still drawn, and the
 * exit status is 1.
 *
 * <p>Run: {@code java -cp 'cairn-bench/target/cairn-bench.jar:cairn-bench/target/lib/*'
 * io.cairn.bench.charts.BenchmarkCharts docs/results docs/charts}.
 */
public final class BenchmarkCharts {
    /** JMH parameters that name the contender: they become the chart's series. */
    private static final List<String> SERIES_PARAMS = List.of("engine", "kind", "contender");
    /** What the paired benchmarks' class names hold. */
    static final String PAIRED_CLASS = "Paired";
    /** How {@code PairedSamples} starts each line of its table. */
    static final String PAIRED = "paired: ";
    /** A paired table's contender line: name, then the figures, the last of them the ratio to the base. */
    private static final Pattern PAIRED_LINE = Pattern.compile("paired: (.+?)\\s+n=\\s*\\d+\\s+median .*median/base ([0-9.]+)");
    /** The value spread beyond which the bars go on a logarithmic axis. */
    static final int LOG_SPREAD = 30;

    private BenchmarkCharts() {}

    /** One bar: its group on the x axis, its series, its value. */
    record Bar(String group, String series, double value) {}

    /** A chart's data: title, y axis label, bars. */
    record ChartData(String title, String unit, List<Bar> bars) {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: BenchmarkCharts RESULTS_DIR CHARTS_DIR (every RESULTS_DIR/*.json becomes "
                    + "CHARTS_DIR/*.png)");
            System.exit(2);
        }
        Path results = Path.of(args[0]);
        Path charts = Path.of(args[1]);
        Files.createDirectories(charts);
        int refused = 0;
        try (Stream<Path> files = Files.list(results)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                String name = file.getFileName().toString().replaceFirst("\\.json$", "");
                Path consoleFile = results.resolve(name + ".txt");
                List<String> console = Files.exists(consoleFile) ? Files.readAllLines(consoleFile) : List.of();
                ChartData data;
                try {
                    data = read(new ObjectMapper().readTree(file.toFile()), name, console);
                } catch (IllegalArgumentException e) {
                    System.err.println(file + ": not charted: " + e.getMessage());
                    refused++;
                    continue;
                }
                Path png = charts.resolve(name + ".png");
                BitmapEncoder.saveBitmap(draw(data), png.toString(), BitmapEncoder.BitmapFormat.PNG);
                System.out.println(file + " -> " + png + " (" + data.bars().size() + " bars)");
            }
        }
        if (refused > 0) {
            System.exit(1);
        }
    }

    /**
     * The bars in one result document, JMH's or the tree harness's; {@code console} is what the run printed
     * ({@code NAME.txt} beside the document, empty when there is none), where paired benchmarks' tables are.
     */
    static ChartData read(JsonNode root, String name, List<String> console) {
        ChartData data = parse(root, name, console);
        if (data.bars().isEmpty()) { // e.g. a durable run of the recovery scenario alone: no per-op rates
            throw new IllegalArgumentException(name + ": no results to chart");
        }
        return data;
    }

    private static ChartData parse(JsonNode root, String name, List<String> console) {
        if (root.isArray()) {
            boolean paired = false;
            for (JsonNode result : root) {
                paired |= result.path("benchmark").asText().contains(PAIRED_CLASS);
            }
            return paired ? paired(console, name) : jmh(root, name);
        }
        String harness = root.path("harness").asText();
        if (harness.equals("tree") || harness.equals("durable")) {
            return treeHarness(root, harness);
        }
        throw new IllegalArgumentException(name + ": neither JMH -rf json output nor the tree harness's --json");
    }

    private static ChartData jmh(JsonNode results, String name) {
        List<Bar> bars = new ArrayList<>();
        String unit = "";
        for (JsonNode result : results) {
            String method = result.path("benchmark").asText();
            StringBuilder group = new StringBuilder(method.substring(method.lastIndexOf('.') + 1));
            String series = "score";
            var params = result.path("params").fields();
            while (params.hasNext()) {
                var param = params.next();
                if (SERIES_PARAMS.contains(param.getKey())) {
                    series = param.getValue().asText();
                } else {
                    group.append(' ').append(param.getKey()).append('=').append(param.getValue().asText());
                }
            }
            JsonNode metric = result.path("primaryMetric");
            unit = metric.path("scoreUnit").asText();
            bars.add(new Bar(group.toString(), series, metric.path("score").asDouble()));
        }
        return new ChartData(name + " (JMH, lower is better for time units)", unit, bars);
    }

    /**
     * One bar per contender of the {@value #PAIRED} tables in {@code console}: its median over its base's, in a
     * series per base; a contender printed by several forks gets the median of its ratios.
     */
    private static ChartData paired(List<String> console, String name) {
        Map<String, Map<String, List<Double>>> ratios = new LinkedHashMap<>(); // base → contender → ratio per fork
        String base = null;
        for (String line : console) {
            int baseAt = line.indexOf(PAIRED + "base = "); // after "Iteration   2: " when JMH labelled the line
            if (baseAt >= 0) {
                base = line.substring(baseAt + (PAIRED + "base = ").length()).strip();
                continue;
            }
            Matcher contender = PAIRED_LINE.matcher(line);
            if (base != null && contender.matches()) {
                ratios.computeIfAbsent(base, b -> new LinkedHashMap<>())
                        .computeIfAbsent(contender.group(1), c -> new ArrayList<>())
                        .add(Double.parseDouble(contender.group(2)));
            }
        }
        if (ratios.isEmpty()) {
            throw new IllegalArgumentException(name + ".json holds paired benchmarks, whose table is the '" + PAIRED
                    + "' lines of the run's console and not in the JSON: save that output as " + name
                    + ".txt beside it (... | tee " + name + ".txt)");
        }
        List<Bar> bars = new ArrayList<>();
        ratios.forEach((baseName, contenders) -> contenders.forEach((contender, perFork) ->
                bars.add(new Bar(contender, "base: " + baseName, median(perFork)))));
        return new ChartData(name + ": paired contenders, median time / the base's (lower is better, base = 1)",
                "median / base", bars);
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static ChartData treeHarness(JsonNode root, String harness) {
        long keys = 0;
        for (JsonNode row : root.path("results")) {
            keys = Math.max(keys, row.path("keys").asLong());
        }
        boolean durable = harness.equals("durable");
        String field = durable ? "opsPerS" : "wallNs";
        List<Bar> bars = new ArrayList<>();
        for (JsonNode row : root.path("results")) {
            if (row.path("keys").asLong() == keys && row.path(field).isNumber()) {
                String durability = row.path("durability").asText("");
                bars.add(new Bar(row.path("op").asText() + ", " + row.path("threads").asInt() + "t"
                        + (durability.isEmpty() ? "" : ", " + durability), row.path("engine").asText(),
                        row.path(field).asDouble()));
            }
        }
        return durable
                ? new ChartData(String.format(Locale.ROOT, "durable tree at %,d keys: ops/s (higher is better;"
                        + " SYNC forces every write)", keys), "ops/s", bars)
                : new ChartData(String.format(Locale.ROOT, "in-memory tree at %,d keys: wall ns/op (lower is better)",
                        keys), "ns/op", bars);
    }

    /**
     * A grouped bar chart: one group per x value, one colour per series; a series without a bar in a group has a
     * gap there. When every series has at most one bar per group (the paired contenders) the bars overlap, so each
     * group shows its one bar at full width.
     */
    static CategoryChart draw(ChartData data) {
        List<String> groups = data.bars().stream().map(Bar::group).distinct().toList();
        Map<String, Map<String, Double>> bySeries = new LinkedHashMap<>();
        for (Bar bar : data.bars()) {
            bySeries.computeIfAbsent(bar.series(), s -> new LinkedHashMap<>()).put(bar.group(), bar.value());
        }
        // Peers an order of magnitude apart (a forced write beside an async read) stay readable on a log axis.
        double max = data.bars().stream().mapToDouble(Bar::value).max().orElse(1);
        double min = data.bars().stream().mapToDouble(Bar::value).min().orElse(0);
        boolean logarithmic = min > 0 && max / min > LOG_SPREAD;
        CategoryChart chart = new CategoryChartBuilder().width(900).height(450).title(data.title())
                .yAxisTitle(data.unit() + (logarithmic ? " (log scale)" : "")).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setOverlapped(groups.size() == data.bars().size());
        if (logarithmic) {
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setYAxisMin(min / 2); // bars start at the axis minimum, which a log axis cannot put at 0
        }
        // series with bars in fewer groups (the raw line: SYNC put only) last, so their gaps close the groups
        bySeries.entrySet().stream().sorted(Comparator.comparing((Map.Entry<String, Map<String, Double>> series) ->
                -series.getValue().size()).thenComparing(Map.Entry::getKey)).forEach(series ->
                chart.addSeries(series.getKey(), groups,
                        groups.stream().map(g -> (Number) series.getValue().get(g)).toList()));
        return chart;
    }
}
