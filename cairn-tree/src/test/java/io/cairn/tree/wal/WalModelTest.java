package io.cairn.tree.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.Durability;
import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random operation mixes against a model (the list of appended records and the retirement point): appends of every
 * kind, waits, syncs, rolls, retirements, bounded reads, replays, close/reopen in a random durability and read-only
 * opens. Seeds are printed on failure.
 */
class WalModelTest {
    @TempDir
    Path dir;

    /** Six random runs; {@code -Dcairn.walModelSeed=S} replays the run with seed S alone. */
    @Test
    void randomOperationsAgreeWithTheModel() throws Exception {
        Long seed = Long.getLong("cairn.walModelSeed");
        if (seed != null) {
            run(seed, 400);
            return;
        }
        long base = System.nanoTime();
        for (int run = 0; run < 6; run++) {
            run(base + run, 400);
        }
    }

    @Test
    @Tag("soak")
    void randomOperationsAgreeWithTheModelSoak() throws Exception {
        long base = System.nanoTime();
        for (int run = 0; run < Integer.getInteger("cairn.soak.walModelRuns", 200); run++) {
            run(base + run, 3_000);
        }
    }

    private void run(long seed, int operations) throws Exception {
        Random random = new Random(seed);
        Path wal = dir.resolve("run-" + seed);
        List<Redo> model = new ArrayList<>();
        long retired = 0;
        WriteAheadLog log = open(wal, random);
        int op = 0;
        try {
            for (; op < operations; op++) {
                int dice = random.nextInt(100);
                if (dice < 55) {
                    Redo redo = WalTesting.redo(seed, model.size() + 1);
                    assertEquals(model.size() + 1, WalTesting.append(log, redo));
                    model.add(redo);
                } else if (dice < 60 && !model.isEmpty()) {
                    long seq = 1 + random.nextInt(model.size());
                    log.awaitDurable(seq);
                    assertTrue(log.durableSequence() >= seq, "awaitDurable(" + seq + ") returned early");
                } else if (dice < 64) {
                    log.sync();
                    assertEquals(model.size(), log.durableSequence());
                } else if (dice < 70) {
                    log.rollSegment();
                } else if (dice < 75 && log.durableSequence() > retired) {
                    long through = retired + random.nextInt((int) (log.durableSequence() - retired) + 1);
                    log.retireThrough(through);
                    retired = through;
                } else if (dice < 88) {
                    checkRead(log, model, retired, random);
                } else if (dice < 92) {
                    long after = retired + random.nextInt(model.size() - (int) retired + 1);
                    long durableBefore = log.durableSequence();
                    List<LogEntry> all = WalTesting.replayAll(log, after);
                    assertTrue(all.size() >= durableBefore - after, "replay missed durable records");
                    assertTrue(all.isEmpty() || after + all.size() <= log.durableSequence(), "replay past durable");
                    assertEquals(model.subList((int) after, (int) after + all.size()),
                            all.stream().map(LogEntry::redo).toList());
                } else if (dice < 97) {
                    log.close();
                    log = open(wal, random);
                    assertEquals(model.size(), log.lastSequence());
                    assertEquals(model.size(), log.durableSequence());
                } else {
                    log.close();
                    try (WriteAheadLog reader = WriteAheadLog.openReadOnly(wal, StorageIo.fileSystem())) {
                        assertEquals(model.size(), reader.lastSequence());
                        checkRead(reader, model, retired, random);
                    }
                    log = open(wal, random);
                }
            }
            log.close();
        } catch (Throwable e) {
            AssertionError failure = new AssertionError("seed " + seed + ", operation " + op + ": " + e, e);
            try {
                log.close();
            } catch (IOException | RuntimeException suppressed) {
                failure.addSuppressed(suppressed);
            }
            throw failure;
        }
    }

    private static WriteAheadLog open(Path wal, Random random) throws IOException {
        Durability durability = Durability.values()[random.nextInt(Durability.values().length)];
        WalOptions options = WalTesting.options(durability, CountingIo.skippedForces())
                .withBufferBytes(random.nextBoolean() ? WalOptions.MIN_BUFFER_BYTES : 64 * 1024)
                .withAsyncFlushInterval(Duration.ofMillis(1 + random.nextInt(5)));
        return WriteAheadLog.open(wal, options);
    }

    /** A bounded read at a random position agrees with the model and honours its bounds. */
    private static void checkRead(WriteAheadLog log, List<Redo> model, long retired, Random random)
            throws IOException {
        long durable = log.durableSequence();
        // Records at or below the retirement point may be gone (whole segments go) or still there.
        long after = random.nextInt(model.size() + 1);
        int maxRecords = 1 + random.nextInt(20);
        long maxBytes = 1 + random.nextInt(5_000);
        List<LogEntry> got;
        try {
            got = log.read(after, maxRecords, maxBytes);
        } catch (IllegalArgumentException expired) {
            assertTrue(after < retired, "position " + after + " refused, but only records up to " + retired
                    + " were retired: " + expired.getMessage());
            return;
        }
        long bytes = 0;
        for (int i = 0; i < got.size(); i++) {
            assertEquals(after + 1 + i, got.get(i).sequence());
            assertEquals(model.get((int) after + i), got.get(i).redo());
            bytes += WalTesting.recordBytes(got.get(i).redo());
        }
        assertTrue(got.size() <= maxRecords, "read more than maxRecords");
        assertTrue(got.isEmpty() || after + got.size() <= log.durableSequence(), "read past the durable sequence");
        if (after < durable) {
            assertTrue(!got.isEmpty(), "nothing read though records are durable");
            assertTrue(got.size() == 1 || bytes <= maxBytes, "read past maxBytes");
            long next = after + got.size();
            if (got.size() < maxRecords && next < durable) {
                assertTrue(bytes + WalTesting.recordBytes(model.get((int) next)) > maxBytes, "stopped early");
            }
        }
    }
}
