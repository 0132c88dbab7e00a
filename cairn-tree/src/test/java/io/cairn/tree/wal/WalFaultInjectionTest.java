package io.cairn.tree.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.Durability;
import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * For every N: fail or tear the Nth write, or fail the Nth force, of a workload of appends, group commits, syncs,
 * rolls and retirements (the open included), with and without a simulated power loss afterwards. After a reopen
 * the log must be exactly a prefix of what was appended (from the last retirement on), holding every record whose
 * {@code awaitDurable} or {@code sync} returned, and must take appends again.
 */
class WalFaultInjectionTest {
    private static final int RECORDS = 40;

    @TempDir
    Path dir;

    private enum Fault { FAIL_WRITE, TEAR_WRITE, FAIL_FORCE }

    @TestFactory
    Stream<DynamicTest> everyFaultLeavesAPrefixHoldingEveryAcknowledgedRecord() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Durability durability : List.of(Durability.SYNC, Durability.ASYNC)) {
            for (Fault fault : Fault.values()) {
                for (boolean powerLoss : new boolean[] {false, true}) {
                    tests.add(DynamicTest.dynamicTest(durability + " " + fault + (powerLoss ? " + power loss" : ""),
                            () -> everyN(durability, fault, powerLoss)));
                }
            }
        }
        return tests.stream();
    }

    private void everyN(Durability durability, Fault fault, boolean powerLoss) throws Exception {
        for (int n = 1; ; n++) {
            Path wal = dir.resolve(durability + "-" + fault + "-" + powerLoss + "-" + n);
            String where = durability + " " + fault + " #" + n + (powerLoss ? " + power loss" : "");
            FaultyStorageIo io = new FaultyStorageIo(CountingIo.skippedForces());
            switch (fault) {
                case FAIL_WRITE -> io.failWrite(n);
                case TEAR_WRITE -> io.tearWrite(n);
                case FAIL_FORCE -> io.failForce(n);
            }
            Outcome outcome = run(wal, io, durability);
            if (powerLoss) {
                io.crash();
            }
            check(wal, outcome, where);
            if (!outcome.faulted()) {
                assertTrue(n > 10, where + ": the workload finished before any fault: too few I/O calls?");
                System.out.println(where + ": every N up to " + (n - 1) + " faulted the workload");
                return;
            }
        }
    }

    /** What the workload did: records appended (index = sequence - 1), acknowledged and retired through. */
    private record Outcome(List<Redo> appended, long acknowledged, long retired, boolean faulted) {}

    private static Outcome run(Path wal, FaultyStorageIo io, Durability durability) {
        List<Redo> appended = new ArrayList<>();
        long acknowledged = 0;
        long retired = 0;
        WalOptions options = WalTesting.options(durability, io).withAsyncFlushInterval(Duration.ofMillis(1))
                .withBufferBytes(WalOptions.MIN_BUFFER_BYTES);
        WriteAheadLog log = null;
        try {
            log = WriteAheadLog.open(wal, options);
            for (int i = 1; i <= RECORDS; i++) {
                Redo redo = WalTesting.redo(i % 2 == 0 ? 1 : 2, i);
                long seq = WalTesting.append(log, redo);
                appended.add(redo);
                assertEquals(appended.size(), seq);
                if (i % 3 == 0) {
                    if (durability == Durability.SYNC) {
                        log.awaitDurable(seq);
                    } else {
                        log.sync();
                    }
                    acknowledged = seq;
                }
                if (i % 7 == 0) {
                    log.rollSegment();
                }
                if (i % 11 == 0 && acknowledged > 3) {
                    log.retireThrough(acknowledged - 3);
                    retired = acknowledged - 3;
                }
            }
            log.close();
            return new Outcome(appended, appended.size(), retired, false);
        } catch (IOException e) {
            if (log != null) {
                try {
                    log.close();
                } catch (IOException | RuntimeException ignored) {
                    // the log is failed; close releases the files whatever the outcome of its last write
                }
            }
            return new Outcome(appended, acknowledged, retired, true);
        }
    }

    private static void check(Path wal, Outcome outcome, String where) throws IOException {
        WalTesting.checkReopened(wal, sequence -> outcome.appended().get((int) sequence - 1),
                outcome.appended().size(), outcome.acknowledged(), outcome.retired(), where);
    }
}
