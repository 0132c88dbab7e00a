package io.cairn.tree.wal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.Durability;
import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit with gathering (several {@code SYNC} writers at once, so leaders wait for the others' records before
 * they force): for every N, the Nth write fails or is torn, or the Nth force fails, with and without a simulated
 * power loss afterwards. After a reopen the log must hold exactly the records appended, in sequence order, up to
 * some point at or after the last acknowledged one (an {@code awaitDurable} that returned), and take appends again.
 */
class GatherFaultTest {
    private static final int THREADS = 4;
    private static final int PER_THREAD = 12;

    @TempDir
    Path dir;

    private enum Fault { FAIL_WRITE, TEAR_WRITE, FAIL_FORCE }

    @TestFactory
    List<DynamicTest> everyFaultOfGatheredGroupsKeepsEveryAcknowledgedRecord() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Fault fault : Fault.values()) {
            for (boolean powerLoss : new boolean[] {false, true}) {
                tests.add(DynamicTest.dynamicTest(fault + (powerLoss ? " + power loss" : ""),
                        () -> everyN(fault, powerLoss)));
            }
        }
        return tests;
    }

    private void everyN(Fault fault, boolean powerLoss) throws Exception {
        long gathered = 0;
        for (int n = 1; ; n++) {
            Path wal = dir.resolve(fault + "-" + powerLoss + "-" + n);
            String where = fault + " #" + n + (powerLoss ? " + power loss" : "");
            // slow forces, so writers pile up behind each one and leaders gather
            FaultyStorageIo io = new FaultyStorageIo(CountingIo.slowSkippedForces(Duration.ofMillis(1)));
            switch (fault) {
                case FAIL_WRITE -> io.failWrite(n);
                case TEAR_WRITE -> io.tearWrite(n);
                case FAIL_FORCE -> io.failForce(n);
            }
            Outcome outcome = run(wal, io);
            gathered += outcome.gathers();
            if (powerLoss) {
                io.crash();
            }
            check(wal, outcome, where);
            if (!outcome.faulted()) {
                assertTrue(n > 10, where + ": the workload finished before any fault: too few I/O calls?");
                assertTrue(gathered > 0, where + ": no leader ever gathered a group");
                System.out.println(where + ": every N up to " + (n - 1) + " faulted the workload; " + gathered
                        + " gathered groups");
                return;
            }
        }
    }

    /** Records appended by sequence, the highest acknowledged, whether a fault stopped the run, gathers made. */
    private record Outcome(Map<Long, Redo> appended, long acknowledged, boolean faulted, long gathers) {}

    private static Outcome run(Path wal, FaultyStorageIo io) throws Exception {
        Map<Long, Redo> appended = new ConcurrentHashMap<>();
        AtomicLong acknowledged = new AtomicLong();
        WriteAheadLog log;
        try {
            log = WriteAheadLog.open(wal, WalTesting.options(Durability.SYNC, io));
        } catch (IOException e) {
            return new Outcome(appended, 0, true, 0);
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        AtomicLong failures = new AtomicLong();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            writers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < PER_THREAD; i++) {
                        Redo redo = WalTesting.redo(thread + 1, i);
                        long seq = WalTesting.append(log, redo);
                        appended.put(seq, redo);
                        log.awaitDurable(seq);
                        acknowledged.accumulateAndGet(seq, Math::max);
                    }
                } catch (IOException | InterruptedException e) {
                    failures.incrementAndGet();
                }
            }));
        }
        start.countDown();
        for (Thread writer : writers) {
            writer.join();
        }
        long gathers = failures.get() > 0 ? 0 : log.stats().gathers(); // (a failed log's segments refuse reads)
        try {
            log.close();
        } catch (IOException | RuntimeException e) {
            failures.incrementAndGet(); // a failed log's close reports the failure again; the files are released
        }
        return new Outcome(appended, acknowledged.get(), failures.get() > 0, gathers);
    }

    private static void check(Path wal, Outcome outcome, String where) throws IOException {
        WalTesting.checkReopened(wal, outcome.appended()::get, outcome.appended().size(), outcome.acknowledged(), 0,
                where);
    }
}
