package io.cairn.bench.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A child's '@' lines parse back into its report, and forks of one engine pool their rounds for the median. */
class ChildReportTest {

    private static ChildReport report(String... lines) {
        ChildReport report = new ChildReport();
        for (String line : lines) {
            report.accept(line);
        }
        return report;
    }

    @Test
    void resultLinesRoundTripAndGiveTheMedianPerMetric() {
        ChildReport report = report(ChildReport.memoryLine(1234, true, 56),
                ChildReport.resultLine(4, Operation.LIST, new double[][] {{30, 10, 20}, {60, 40, 50}}));
        assertEquals(1234, report.memoryBytes);
        assertTrue(report.memoryReportedByEngine);
        assertEquals(56, report.loadMillis);
        assertEquals(20, report.median(4, Operation.LIST, Metric.WALL));
        assertEquals(50, report.median(4, Operation.LIST, Metric.CPU));
        assertTrue(Double.isNaN(report.median(1, Operation.LIST, Metric.WALL)), "a row the child did not measure");
    }

    @Test
    void forksPoolTheirRoundsAndKeepTheFirstForksMemory() {
        ChildReport first = report(ChildReport.memoryLine(1000, false, 7),
                ChildReport.resultLine(1, Operation.GET, new double[][] {{10, 11, 12}, {20, 21, 22}}));
        ChildReport second = report(ChildReport.memoryLine(2000, false, 9),
                ChildReport.resultLine(1, Operation.GET, new double[][] {{30, 31, 32}, {40, 41, 42}}),
                ChildReport.resultLine(4, Operation.LIST, new double[][] {{5}, {6}}));
        ChildReport third = report(ChildReport.memoryLine(3000, false, 8),
                ChildReport.resultLine(1, Operation.GET, new double[][] {{13, 35, 40}, {23, 45, 50}}));
        first.pool(second);
        first.pool(third);
        // wall rounds 10 11 12 | 30 31 32 | 13 35 40: the median of all nine is 30, none of the forks' (11, 31, 35)
        assertEquals(30, first.median(1, Operation.GET, Metric.WALL));
        assertEquals(40, first.median(1, Operation.GET, Metric.CPU));
        assertEquals(5, first.median(4, Operation.LIST, Metric.WALL), "a row only a later fork measured");
        assertEquals(1000, first.memoryBytes);
        assertEquals(7, first.loadMillis);
        assertEquals(31, second.median(1, Operation.GET, Metric.WALL), "the fork pooled in is left unchanged");
    }

    @Test
    void forksOptionMustBePositiveAndReachesTheChildren() {
        HarnessOptions options = HarnessOptions.parse(List.of("--forks", "2"));
        assertEquals(2, options.forks());
        assertEquals(2, HarnessOptions.parse(options.toArgs()).forks());
        assertEquals(3, HarnessOptions.parse(List.of()).forks(), "the default");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HarnessOptions.parse(List.of("--forks", "0")));
        assertTrue(e.getMessage().contains("--forks"), e.getMessage());
    }

    @Test
    void latenciesForcesAndFactsRoundTripAndPool() {
        org.HdrHistogram.Histogram first = Rounds.histogram();
        for (int i = 1; i <= 100; i++) {
            first.recordValue(i * 1_000L);
        }
        org.HdrHistogram.Histogram second = Rounds.histogram();
        second.recordValue(5_000_000L);
        ChildReport a = report(ChildReport.latencyLine(1, Operation.PUT, first),
                ChildReport.forcesLine(1, Operation.PUT, new ChildReport.Forces(100, 200)),
                ChildReport.factLine("openMs", 42), ChildReport.factLine("fileBytes", 1 << 20));
        ChildReport b = report(ChildReport.latencyLine(1, Operation.PUT, second),
                ChildReport.forcesLine(1, Operation.PUT, new ChildReport.Forces(100, 0)),
                ChildReport.factLine("openMs", 99));
        assertEquals(50_000, a.latency(1, Operation.PUT, 50), 500);
        assertEquals(2.0, a.forcesPerOp(1, Operation.PUT));
        assertEquals(42, a.fact("openMs"));
        assertEquals(-1, a.fact("recoveryMs"), "a fact not reported");
        a.pool(b);
        assertEquals(101, a.latencies.get(1).get(Operation.PUT).getTotalCount(), "every op of both forks");
        assertEquals(5_000_000, a.latency(1, Operation.PUT, 100), 50_000);
        assertEquals(1.0, a.forcesPerOp(1, Operation.PUT), "200 forces over 200 ops");
        assertEquals(42, a.fact("openMs"), "facts stay the first fork's");
        assertEquals(1, b.latencies.get(1).get(Operation.PUT).getTotalCount(), "the fork pooled in is left unchanged");
        assertTrue(Double.isNaN(a.forcesPerOp(8, Operation.PUT)), "not measured");
        ChildReport uncounted = report(ChildReport.forcesLine(1, Operation.GET, new ChildReport.Forces(10, -1)));
        assertTrue(Double.isNaN(uncounted.forcesPerOp(1, Operation.GET)), "not counted");
        uncounted.pool(report(ChildReport.forcesLine(1, Operation.GET, new ChildReport.Forces(10, 3))));
        assertTrue(Double.isNaN(uncounted.forcesPerOp(1, Operation.GET)), "one uncounted fork makes the sum unknown");
        assertThrows(IllegalArgumentException.class, () -> ChildReport.factLine("two words", 1));
    }
}
