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
import java.util.Map;
import java.util.stream.Stream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Draws the charts of {@code docs/benchmarks.md} from the harnesses' own machine-readable results: every
 * {@code *.json} file in a directory becomes one PNG bar chart of the same name. Two inputs are understood: JMH's
 * {@code -rf json} output (an array of benchmark results; bars grouped by benchmark method and parameters, one
 * series per engine-like parameter) and the tree harnesses' {@code --json} output (PeerHarness and DurableHarness:
 * wall ns/op at the largest data set, one group per operation, thread count and durability, one series per engine).
 *
 * <p>Run: {@code java -cp 'cairn-bench/target/cairn-bench.jar:cairn-bench/target/lib/*'
 * io.cairn.bench.charts.BenchmarkCharts docs/results docs/charts}.
 */
public final class BenchmarkCharts {
    /** JMH parameters that name the contender: they become the chart's series. */
    private static final List<String> SERIES_PARAMS = List.of("engine", "kind", "contender");

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
        try (Stream<Path> files = Files.list(results)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                String name = file.getFileName().toString().replaceFirst("\\.json$", "");
                ChartData data = read(new ObjectMapper().readTree(file.toFile()), name);
                Path png = charts.resolve(name + ".png");
                BitmapEncoder.saveBitmap(draw(data), png.toString(), BitmapEncoder.BitmapFormat.PNG);
                System.out.println(file + " -> " + png + " (" + data.bars().size() + " bars)");
            }
        }
    }

    /** The bars in one result document, JMH's or the tree harness's. */
    static ChartData read(JsonNode root, String name) {
        if (root.isArray()) {
            return jmh(root, name);
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

    private static ChartData treeHarness(JsonNode root, String harness) {
        long keys = 0;
        for (JsonNode row : root.path("results")) {
            keys = Math.max(keys, row.path("keys").asLong());
        }
        List<Bar> bars = new ArrayList<>();
        for (JsonNode row : root.path("results")) {
            if (row.path("keys").asLong() == keys && Double.isFinite(row.path("wallNs").asDouble())) {
                String durability = row.path("durability").asText("");
                bars.add(new Bar(row.path("op").asText() + ", " + row.path("threads").asInt() + "t"
                        + (durability.isEmpty() ? "" : ", " + durability), row.path("engine").asText(),
                        row.path("wallNs").asDouble()));
            }
        }
        return new ChartData(String.format("%s tree at %,d keys: wall ns/op (lower is better)",
                harness.equals("durable") ? "durable" : "in-memory", keys), "ns/op", bars);
    }

    /** A grouped bar chart: one group per x value, one colour per series. */
    static CategoryChart draw(ChartData data) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(450).title(data.title())
                .yAxisTitle(data.unit()).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        List<String> groups = data.bars().stream().map(Bar::group).distinct().toList();
        Map<String, Map<String, Double>> bySeries = new LinkedHashMap<>();
        for (Bar bar : data.bars()) {
            bySeries.computeIfAbsent(bar.series(), s -> new LinkedHashMap<>()).put(bar.group(), bar.value());
        }
        // Peers an order of magnitude apart stay readable on a log axis, which needs every bar present and positive.
        double max = data.bars().stream().mapToDouble(Bar::value).max().orElse(1);
        double min = data.bars().stream().mapToDouble(Bar::value).min().orElse(0);
        boolean complete = bySeries.values().stream().allMatch(values -> values.size() == groups.size());
        if (complete && min > 0 && max / min > 30) {
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setYAxisMin(min / 2); // bars start at the axis minimum, which a log axis cannot put at 0
        }
        bySeries.entrySet().stream().sorted(Comparator.comparing(Map.Entry::getKey)).forEach(series ->
                chart.addSeries(series.getKey(), groups,
                        groups.stream().map(g -> (Number) series.getValue().getOrDefault(g, 0.0)).toList()));
        return chart;
    }
}
