package io.cairn.bench.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.bench.charts.BenchmarkCharts.Bar;
import io.cairn.bench.charts.BenchmarkCharts.ChartData;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;

/** The charts show what the results page's tables show: durable rows readable beside async ones, paired ratios. */
class BenchmarkChartsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A fsync'd put takes ~100× an async get: on a linear axis the async bars vanish. */
    @Test
    void theDurableChartPutsSyncAndAsyncRowsOnALabelledLogAxis() throws Exception {
        JsonNode durable = JSON.readTree("""
                {"harness":"durable","results":[
                 {"scenario":"workloads","keys":1000,"engine":"raw","durability":"SYNC","op":"put","threads":1,
                  "wallNs":146162,"opsPerS":6841.72},
                 {"scenario":"workloads","keys":1000,"engine":"cairn","durability":"SYNC","op":"put","threads":1,
                  "wallNs":161742,"opsPerS":6182.69},
                 {"scenario":"workloads","keys":1000,"engine":"cairn","durability":"ASYNC","op":"get","threads":1,
                  "wallNs":694.35,"opsPerS":1440200},
                 {"scenario":"workloads","keys":1000,"engine":"rocksdb","durability":"ASYNC","op":"get","threads":1,
                  "wallNs":7540,"opsPerS":132626}],
                 "failures":[]}""");
        ChartData data = BenchmarkCharts.read(durable, "durable", List.of());
        assertTrue(data.bars().contains(new Bar("get, 1t, ASYNC", "cairn", 1440200)), data.bars().toString());
        CategoryChart chart = BenchmarkCharts.draw(data);
        assertTrue(chart.getStyler().isYAxisLogarithmic(), "raw has no async bars, the axis is still logarithmic");
        assertTrue(chart.getYAxisTitle().contains("log scale"), chart.getYAxisTitle());
    }

    /**
     * The paired benchmarks' JMH scores are the mix of interleaved contenders; the table is the "paired:" lines of
     * the console, one median/base ratio per contender (several forks: the median of their ratios).
     */
    @Test
    void thePairedStackChartPlotsEachContendersRatioToItsBase() throws Exception {
        JsonNode jmh = JSON.readTree("""
                [{"benchmark":"io.cairn.bench.stack.StackJournalPairedBenchmark.pushInterleaved","params":{},
                  "primaryMetric":{"score":150.8,"scoreUnit":"us/op"}}]""");
        List<String> console = List.of(
                "# Fork: 1 of 2",
                "Iteration   2: paired: base = 0.2 push 64 B", // JMH's label shares the line the fork printed first
                "paired: 0.4 push 64 B                      n=   247  median   1136.9 us  p99   13957.6 us       500 ops/s  median/base 1.147",
                "paired: 0.2 push 64 B                      n=   246  median    990.9 us  p99   12252.7 us       495 ops/s  median/base 1.000",
                "# Fork: 2 of 2",
                "paired: base = 0.2 push 64 B",
                "paired: 0.4 push 64 B                      n=   250  median   1100.0 us  p99   13000.0 us       510 ops/s  median/base 1.050",
                "paired: 0.2 push 64 B                      n=   250  median   1047.6 us  p99   12000.0 us       500 ops/s  median/base 1.000",
                "paired: base = raw write 1 MiB + fsync",
                "paired: writeUnjournaled 1 MiB + sync      n=   122  median   3116.7 us  p99   19902.1 us       220 ops/s  median/base 1.134",
                "paired: raw write 1 MiB + fsync            n=   123  median   2748.7 us  p99   12108.2 us       274 ops/s  median/base 1.000");
        ChartData data = BenchmarkCharts.read(jmh, "stack", console);
        assertEquals(List.of(new Bar("0.4 push 64 B", "base: 0.2 push 64 B", (1.147 + 1.050) / 2),
                new Bar("0.2 push 64 B", "base: 0.2 push 64 B", 1.0),
                new Bar("writeUnjournaled 1 MiB + sync", "base: raw write 1 MiB + fsync", 1.134),
                new Bar("raw write 1 MiB + fsync", "base: raw write 1 MiB + fsync", 1.0)), data.bars());
        assertTrue(data.unit().contains("median / base"), data.unit());
        BenchmarkCharts.draw(data);
    }

    /** A recovery run has no per-op rates: refused by name, where drawing its empty chart threw out of XChart. */
    @Test
    void aDocumentWithoutRatesIsRefusedNotDrawnEmpty() throws Exception {
        JsonNode recovery = JSON.readTree("""
                {"harness":"durable","results":[
                 {"scenario":"recovery","keys":1000000,"engine":"cairn","durability":"ASYNC","recoveryMs":5993}],
                 "failures":[]}""");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchmarkCharts.read(recovery, "recovery-1m", List.of()));
        assertTrue(e.getMessage().contains("recovery-1m: no results to chart"), e.getMessage());
    }

    @Test
    void pairedResultsWithoutTheirConsoleLinesAreRefusedNamingTheFileToSave() throws Exception {
        JsonNode jmh = JSON.readTree("""
                [{"benchmark":"io.cairn.bench.stack.StackAppendPairedBenchmark.push64Interleaved","params":{},
                  "primaryMetric":{"score":185.2,"scoreUnit":"us/op"}}]""");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchmarkCharts.read(jmh, "stack", List.of()));
        assertTrue(e.getMessage().contains("stack.txt"), e.getMessage());
    }

    @Test
    void plainJmhResultsAreGroupedByMethodAndParametersWithEngineSeries() throws Exception {
        JsonNode jmh = JSON.readTree("""
                [{"benchmark":"x.FuzzySearchBenchmark.fuzzy","params":{"distance":"1","engine":"cairn-dat"},
                  "primaryMetric":{"score":29.5,"scoreUnit":"us/op"}},
                 {"benchmark":"x.FuzzySearchBenchmark.fuzzy","params":{"distance":"1","engine":"lucene-fst"},
                  "primaryMetric":{"score":164.2,"scoreUnit":"us/op"}}]""");
        ChartData data = BenchmarkCharts.read(jmh, "dict", List.of());
        assertEquals(List.of(new Bar("fuzzy distance=1", "cairn-dat", 29.5), new Bar("fuzzy distance=1", "lucene-fst",
                164.2)), data.bars());
        assertEquals("us/op", data.unit());
    }
}
