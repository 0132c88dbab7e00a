package io.cairn.bench.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bench.replication.ReplicationBenchOptions.GroupOp;
import io.cairn.bench.tree.Rounds;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The report's throughput, ratios and target verdicts, on rounds made up for the purpose. */
class ReplicationReportTest {
    /** Rounds at these ns/op (wall; CPU unused), every op taking {@code latencyNs}. */
    private static Rounds.Measured rounds(long latencyNs, double... wallNsPerOp) {
        Histogram latency = new Histogram(3_600_000_000_000L, 2);
        latency.recordValueWithCount(latencyNs, 100);
        return new Rounds.Measured(new double[][] {wallNsPerOp, wallNsPerOp}, latency, 100);
    }

    private static ReplicationReport report() {
        ReplicationReport report = new ReplicationReport("now", "cmd", "ext4", "objstore:200", 1.0);
        report.add("etcd", GroupOp.PUT, 8, rounds(5_000_000, 1e6, 2e6, 1e6)); // median 1e6 ns/op: 1,000 ops/s
        report.add("cairn-group", GroupOp.PUT, 8, rounds(1_000_000, 4e5, 4e5, 9e5)); // 2,500 ops/s
        report.add("cairn-group-follower", GroupOp.PUT, 8, rounds(1_000_000, 1e6, 1e6, 1e6)); // 1,000 ops/s
        report.add("cairn-single", GroupOp.GET, 1, rounds(1_000, 1e3)); // 1,000,000 ops/s
        report.add("cairn-group", GroupOp.GET, 1, rounds(2_000, 2e3)); // 500,000 ops/s
        report.finish(2.0);
        return report;
    }

    @Test
    void throughputIsTheMedianRoundAndRatiosPairEachGroupWithTheOthers() {
        ReplicationReport report = report();
        assertEquals(2_500, report.rows().get(1).opsPerS(), 1e-6);
        List<ReplicationReport.Ratio> ratios = report.ratios();
        assertEquals(List.of(new ReplicationReport.Ratio("cairn-group", GroupOp.PUT, 8, "etcd", 2.5),
                new ReplicationReport.Ratio("cairn-group-follower", GroupOp.PUT, 8, "etcd", 1.0),
                new ReplicationReport.Ratio("cairn-group", GroupOp.GET, 1, "cairn-single", 0.5)), ratios);
    }

    @Test
    void targetsAreJudgedOnTheSameRunsRatios() {
        List<String> targets = report().targets();
        assertTrue(targets.get(0).contains("cairn-group / etcd = 2.50×") && targets.get(0).endsWith(": met"),
                targets.get(0));
        assertTrue(targets.get(1).contains("cairn-group-follower / etcd = 1.00×") && targets.get(1).endsWith("NOT met"),
                targets.get(1));
        assertTrue(targets.get(2).contains("cairn-group / cairn-single = 0.50×") && targets.get(2).endsWith("NOT met"),
                targets.get(2));
    }

    @Test
    void aTargetWithoutBothSidesIsNotJudged() {
        ReplicationReport report = new ReplicationReport("now", "cmd", "ext4", "objstore:200", 1.0);
        report.add("cairn-group", GroupOp.PUT, 8, rounds(1_000, 1e3));
        assertTrue(report.targets().getFirst().endsWith("not measured in this run"), report.targets().getFirst());
        assertTrue(report.ratios().isEmpty());
    }
}
