package io.cairn.tree.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.Durability;
import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent writers share forces (counted through the seam, each force made slow so the count does not depend on
 * the disk under the test), and concurrent writers, a change-feed reader, rolls and retirements keep every record.
 */
class GroupCommitTest {
    @TempDir
    Path dir;

    private static byte[] key(int thread, int i) {
        return ("/t" + thread + "/" + i).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] value(int thread, int i) {
        byte[] v = new byte[(thread * 7 + i) % 90];
        for (int k = 0; k < v.length; k++) {
            v[k] = (byte) (thread * 31 + i + k);
        }
        return v;
    }

    @Test
    void concurrentSyncWritersShareForces() throws Exception {
        int threads = 8;
        int perThread = 150;
        CountingIo io = CountingIo.slowForces(Duration.ofMillis(2));
        try (WriteAheadLog log = WriteAheadLog.open(dir, WalTesting.options(Durability.SYNC, io))) {
            long before = io.forces();
            runWriters(log, threads, perThread, null);
            long forces = io.forces() - before;
            WalStats stats = log.stats();
            assertEquals(threads * perThread, stats.appendedRecords());
            assertEquals(forces, stats.forces(), "the log counts every force it makes");
            System.out.println("group commit: " + forces + " forces for " + threads * perThread + " records, group"
                    + " sizes by power-of-two bucket " + java.util.Arrays.toString(stats.groupSizes()));
            assertTrue(forces * 3 < threads * perThread, forces + " forces for " + threads * perThread
                    + " records: writers did not share them");
            long groupsOfSeveral = 0;
            for (int b = 2; b < stats.groupSizes().length; b++) {
                groupsOfSeveral += stats.groupSizes()[b];
            }
            assertTrue(groupsOfSeveral > 0, "no group held more than one record");
            assertTrue(stats.gathers() > 0, "no leader gathered the other writers' records");
        }
        try (WriteAheadLog log = WriteAheadLog.open(dir, WalTesting.options(Durability.SYNC, StorageIo.fileSystem()))) {
            checkEveryThreadsRecordsInOrder(WalTesting.replayAll(log, 0), threads, perThread);
        }
    }

    @Test
    void aWriterAloneNeverWaitsToGather() throws Exception {
        try (WriteAheadLog log = WriteAheadLog.open(dir, WalTesting.options(Durability.SYNC,
                CountingIo.slowForces(Duration.ofMillis(1))))) {
            runWriters(log, 1, 200, null);
            assertEquals(0, log.stats().gathers(), "a single writer's force waited for writers that are not there");
            assertEquals(200, log.stats().forces(), "one force per record of a single writer");
        }
    }

    /** Each writer appends puts of its own keys and waits for each; returns when all are done. */
    private static void runWriters(WriteAheadLog log, int threads, int perThread, AtomicLong acked)
            throws Exception {
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        long seq = log.appendPut(thread, key(thread, i), value(thread, i), i + 1);
                        log.awaitDurable(seq);
                        if (acked != null) {
                            acked.accumulateAndGet(seq, Math::max);
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        if (!errors.isEmpty()) {
            AssertionError failure = new AssertionError("a writer failed");
            errors.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    private static void checkEveryThreadsRecordsInOrder(List<LogEntry> entries, int threads, int perThread) {
        int[] next = new int[threads];
        for (int i = 0; i < entries.size(); i++) {
            assertEquals(i + 1, entries.get(i).sequence());
            Redo.Put put = (Redo.Put) entries.get(i).redo();
            int t = put.treeId();
            assertArrayEquals(key(t, next[t]), put.key(), "thread " + t + " record " + next[t]);
            assertArrayEquals(value(t, next[t]), put.value());
            assertEquals(next[t] + 1, put.version());
            next[t]++;
        }
        for (int t = 0; t < threads; t++) {
            assertEquals(perThread, next[t], "records of thread " + t);
        }
    }

    @Test
    void writersFeedReaderRollsAndRetirementsTogetherLoseNothing() throws Exception {
        stress(6, 400);
    }

    @Test
    @Tag("soak")
    void writersFeedReaderRollsAndRetirementsSoak() throws Exception {
        stress(8, Integer.getInteger("cairn.soak.walRecordsPerThread", 20_000));
    }

    private void stress(int threads, int perThread) throws Exception {
        WalOptions options = WalTesting.options(Durability.SYNC, StorageIo.fileSystem()).withBufferBytes(8192);
        try (WriteAheadLog log = WriteAheadLog.open(dir, options)) {
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong readThrough = new AtomicLong();
            List<LogEntry> fed = new ArrayList<>();
            ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    long after = 0;
                    while (!done.get() || after < log.durableSequence()) {
                        List<LogEntry> chunk = log.read(after, 1 + (int) (after % 17), 100 + after % 3000);
                        for (LogEntry entry : chunk) {
                            assertEquals(++after, entry.sequence());
                        }
                        fed.addAll(chunk);
                        readThrough.set(after);
                        if (chunk.isEmpty()) {
                            Thread.onSpinWait();
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            Thread maintainer = Thread.ofPlatform().start(() -> {
                try {
                    while (!done.get()) {
                        log.rollSegment();
                        Thread.sleep(3);
                        log.retireThrough(Math.min(readThrough.get(), log.durableSequence()));
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            try {
                runWriters(log, threads, perThread, null);
            } finally {
                done.set(true);
                reader.join();
                maintainer.join();
            }
            if (!errors.isEmpty()) {
                AssertionError failure = new AssertionError("the reader or the maintainer failed");
                errors.forEach(failure::addSuppressed);
                throw failure;
            }
            checkEveryThreadsRecordsInOrder(fed, threads, perThread);
            assertTrue(log.stats().segments() >= 1);
        }
    }
}
