package io.cairn.tree.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.Durability;
import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongFunction;

/** Shared by the WAL tests: deterministic records, appending any {@link Redo}, reading everything back. */
final class WalTesting {
    private WalTesting() {}

    /**
     * Record {@code i} of a run with {@code seed}: a put, delete, rename or batch (across trees), with keys and
     * values of varied sizes, determined by (seed, i) alone so a checker can recompute what was appended.
     */
    static Redo redo(long seed, long i) {
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + i);
        int kind = random.nextInt(10);
        if (kind < 5) {
            return effect(random, i, 0);
        }
        if (kind < 7) {
            return new Redo.Delete(random.nextInt(3), key(random, i, 0));
        }
        if (kind < 8) {
            return new Redo.Rename(random.nextInt(3), key(random, i, 1), key(random, i, 2), value(random), i + 1);
        }
        List<Redo.Effect> effects = new ArrayList<>();
        int n = 1 + random.nextInt(6);
        for (int k = 0; k < n; k++) {
            effects.add(effect(random, i, k));
        }
        return new Redo.Batch(effects);
    }

    private static Redo.Effect effect(Random random, long i, int k) {
        return switch (random.nextInt(3)) {
            case 0 -> new Redo.Delete(random.nextInt(3), key(random, i, k));
            case 1 -> new Redo.Rename(random.nextInt(3), key(random, i, k), key(random, i, k + 100), value(random),
                    i + 1);
            default -> new Redo.Put(random.nextInt(3), key(random, i, k), value(random), i + 1);
        };
    }

    private static byte[] key(Random random, long i, int k) {
        return ("/bucket-" + random.nextInt(4) + "/dir-" + random.nextInt(50) + "/obj-" + i + "-" + k)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] value(Random random) {
        int size = random.nextInt(20) == 0 ? 1000 + random.nextInt(9000) : random.nextInt(120);
        byte[] value = new byte[size];
        random.nextBytes(value);
        return value;
    }

    /** Appends any redo through the matching append method; returns its sequence. */
    static long append(WriteAheadLog log, Redo redo) throws IOException {
        return switch (redo) {
            case Redo.Put p -> log.appendPut(p.treeId(), p.key(), p.value(), p.version());
            case Redo.Delete d -> log.appendDelete(d.treeId(), d.key());
            case Redo.Rename r -> log.appendRename(r.treeId(), r.source(), r.target(), r.value(), r.version());
            case Redo.Envelope e -> log.appendEnvelope(e.payload(), e.batch()).sequence();
            default -> log.append(redo);
        };
    }

    /** Every durable record after {@code after}, through replay. */
    static List<LogEntry> replayAll(WriteAheadLog log, long after) throws IOException {
        List<LogEntry> entries = new ArrayList<>();
        log.replay(after, (sequence, redo) -> entries.add(new LogEntry(sequence, redo)));
        return entries;
    }

    /** The encoded size of a record holding {@code redo}: frame and body. */
    static long recordBytes(Redo redo) {
        return WalFormat.RECORD_OVERHEAD + RedoCodec.size(redo);
    }

    /**
     * Reopens the log a fault test left in {@code wal} and checks it holds exactly the records appended (by
     * sequence, through {@code appended}) after {@code retired}, up to some sequence at or after
     * {@code acknowledged} and at most {@code appendedCount}, and that it takes an append again.
     */
    static void checkReopened(Path wal, LongFunction<Redo> appended, long appendedCount, long acknowledged,
            long retired, String where) throws IOException {
        if (Files.notExists(wal)) {
            assertEquals(0, acknowledged, where);
            return;
        }
        try (WriteAheadLog log = WriteAheadLog.open(wal, options(Durability.SYNC, CountingIo.skippedForces()))) {
            long last = log.lastSequence();
            assertTrue(last >= acknowledged, where + ": last " + last + " < acknowledged " + acknowledged);
            assertTrue(last <= appendedCount, where + ": more records than appended");
            List<LogEntry> entries = replayAll(log, retired);
            assertEquals(last - retired, entries.size(), where);
            for (LogEntry entry : entries) {
                assertEquals(appended.apply(entry.sequence()), entry.redo(), where + ": record " + entry.sequence());
            }
            Redo next = redo(3, last + 1);
            assertEquals(last + 1, append(log, next), where);
            log.awaitDurable(last + 1);
        }
    }

    static WalOptions options(Durability durability, StorageIo io) {
        return WalOptions.defaults().withDurability(durability).withIo(io);
    }
}
