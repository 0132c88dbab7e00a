package io.cairn.bench.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bench.tree.HarnessOptions.DatasetSpec;
import io.cairn.stack.Durability;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's tables and its JSON carry each child's figures, with "–" and null where nothing was measured. */
class DurableReportTest {

    private static ChildReport child(double wallNs, long forces, String... facts) {
        ChildReport report = new ChildReport();
        org.HdrHistogram.Histogram latency = Rounds.histogram();
        latency.recordValue(200_000);
        report.accept(ChildReport.resultLine(1, Operation.PUT, new double[][] {{wallNs}, {wallNs / 10}}));
        report.accept(ChildReport.latencyLine(1, Operation.PUT, latency));
        report.accept(ChildReport.forcesLine(1, Operation.PUT, new ChildReport.Forces(1000, forces)));
        for (int i = 0; i < facts.length; i += 2) {
            report.accept(ChildReport.factLine(facts[i], Long.parseLong(facts[i + 1])));
        }
        return report;
    }

    private static DurableReport report() {
        DurableOptions options = DurableOptions.parse(List.of("--threads", "1", "--dataset", "objstore-stress:1000"));
        DurableReport report = new DurableReport(options, new DurableReport.Run("2026-12-07T00:00:00Z",
                "--threads 1", "ext4 (/dev/vda)", 1.5, "-Xmx8g"));
        Map<DurableReport.Key, ChildReport> workloads = new LinkedHashMap<>();
        workloads.put(new DurableReport.Key("raw", Durability.SYNC), child(200_000, 1000));
        workloads.put(new DurableReport.Key("rocksdb", Durability.SYNC), child(250_000, -1, "loadMs", "2500",
                "fileBytes", "2097152", "dataBytes", "1048576", "openMs", "31"));
        report.workloads(options.dataset(), workloads);
        report.recovery(Map.of("lmdb", child(1, 0, "recoveryMs", "12", "recoveryCpuMs", "20", "verifiedRecords", "1000",
                "lostRecords", "0", "killedFileBytes", "3145728")));
        report.finish(2.5);
        return report;
    }

    @Test
    void tablesShowOpsPerSecondLatencyForcesAndStoreFacts() {
        String markdown = report().markdown();
        assertTrue(markdown.contains("| durable put | raw | 5,000 | 201 | 201 | 20.0 | 1.00 |"), markdown);
        assertTrue(markdown.contains("| durable put | rocksdb sync | 4,000 | 201 | 201 | 25.0 | – |"), markdown);
        assertTrue(markdown.contains("| rocksdb sync | 2.5 | 2.0 | 2.00 | 31 |"), markdown);
        assertTrue(markdown.contains("| raw | – | – | – | – |"), markdown);
        assertTrue(markdown.contains("| lmdb | 12 | 20 | 1,000 | 0 | 3.0 | – |"), markdown);
        assertTrue(markdown.contains("load average 1.5 at the start, 2.5 at the end"), markdown);
    }

    @Test
    void jsonHasOneRowPerMeasuredOpAndTheStoresFacts() {
        String json = report().json();
        assertTrue(json.contains("\"fileBytes\":2097152,\"dataBytes\":1048576"), "counts stay exact: " + json);
        assertTrue(json.startsWith("{\"harness\":\"durable\",\"date\":\"2026-12-07T00:00:00Z\",\"arguments\":"), json);
        assertTrue(json.contains("{\"scenario\":\"workloads\",\"dataset\":\"objstore-stress\",\"keys\":1000,"
                + "\"engine\":\"raw\",\"durability\":\"SYNC\",\"op\":\"put\",\"threads\":1,\"wallNs\":200000,"
                + "\"cpuNs\":20000,\"opsPerS\":5000,\"p50Ns\":200703,\"p99Ns\":200703,\"forcesPerOp\":1}"), json);
        assertTrue(json.contains("\"engine\":\"rocksdb\",\"durability\":\"SYNC\",\"op\":\"put\"")
                && json.contains("\"forcesPerOp\":null}"), json);
        assertTrue(json.contains("{\"scenario\":\"recovery\",\"dataset\":\"objstore-stress\",\"keys\":1000000,"
                + "\"engine\":\"lmdb\",\"durability\":\"ASYNC\",\"facts\":{\"recoveryMs\":12,\"recoveryCpuMs\":20,"
                + "\"verifiedRecords\":1000,\"lostRecords\":0,\"killedFileBytes\":3145728}}"), json);
        assertEquals(count(json, '{'), count(json, '}'));
        assertEquals(count(json, '['), count(json, ']'));
    }

    @Test
    void quotingEscapesWhatJsonNeeds() {
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001\"", DurableReport.quote("a\"b\\c\nd\u0001"));
    }

    @Test
    void rowsAreNamedAsTheIssueNamesThem() {
        assertEquals("durable put", DurableReport.rowLabel(Durability.SYNC, Operation.PUT));
        assertEquals("async put", DurableReport.rowLabel(Durability.ASYNC, Operation.PUT));
        assertEquals("get", DurableReport.rowLabel(Durability.ASYNC, Operation.GET));
        assertEquals("async metadata_mix", DurableReport.rowLabel(Durability.ASYNC, Operation.METADATA_MIX));
    }

    private static long count(String text, char c) {
        return text.chars().filter(ch -> ch == c).count();
    }
}
