package io.cairn.tree;

import io.cairn.stack.testkit.UnsyncedStorageIo;
import static io.cairn.tree.DatabaseTest.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.Durability;
import io.cairn.stack.StoreFailedException;
import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Database#atomic}'s errors tell "definitely not applied" from "outcome unknown": a failure before the
 * record reached the log changes nothing, a failed write or force after it throws {@link OutcomeUnknownException},
 * and a reopen finds that batch whole in every tree or in none.
 */
class AtomicOutcomeTest {
    @TempDir
    Path dir;

    private static void batch(DatabaseBatch x) {
        x.tree("a").put(b("k"), b("new a"));
        x.tree("b").put(b("k"), b("new b")).delete(b("gone"));
    }

    private static Database seeded(Path where, FaultyStorageIo io) {
        Database db;
        try {
            db = Database.open(where, TreeOptions.defaults().io(io).durability(Durability.SYNC));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        db.createTree("a").put(b("k"), b("old a"));
        db.createTree("b").put(b("gone"), b("here"));
        return db;
    }

    @Test
    void aFailureBeforeTheLogAppliesNothing() throws IOException {
        try (Database db = seeded(dir, new FaultyStorageIo())) {
            Map<String, Map<String, String>> before = DatabaseContents.of(db);
            assertThrows(NoSuchElementException.class, () -> db.atomic(x -> {
                batch(x);
                x.tree("missing").put(b("k"), b("v"));
            }));
            assertThrows(IllegalArgumentException.class, () -> db.atomic(x -> {
                batch(x);
                x.tree("b").put(new byte[70_000], b("key too long"));
            }));
            assertEquals(before, DatabaseContents.of(db), "a refused batch changed nothing");
            assertTrue(db.atomic(AtomicOutcomeTest::batch), "and the database still takes batches");
        }
    }

    @Test
    void aFailedWriteOrForceAfterTheLogIsOutcomeUnknownAndWholeAfterAReopen() throws IOException {
        for (String fault : new String[] {"fail-write", "fail-force"}) {
            for (boolean powerLoss : new boolean[] {false, true}) {
                Path where = dir.resolve(fault + "-" + powerLoss);
                FaultyStorageIo io = new FaultyStorageIo(new UnsyncedStorageIo());
                Database db = seeded(where, io);
                Map<String, Map<String, String>> before = DatabaseContents.of(db);
                long last = db.lastSequence();
                if (fault.equals("fail-write")) {
                    io.failWrite(1);
                } else {
                    io.failForce(1);
                }
                OutcomeUnknownException e = assertThrows(OutcomeUnknownException.class,
                        () -> db.atomic(AtomicOutcomeTest::batch), fault);
                assertEquals(last + 1, e.sequence(), "the batch took the next sequence");
                assertTrue(e.getCause() != null, "the I/O failure is the cause");
                assertThrows(java.io.UncheckedIOException.class, () -> db.atomic(AtomicOutcomeTest::batch),
                        "the store is failed until reopened");
                io.clearFaults();
                if (powerLoss) {
                    io.crash();
                } else {
                    try {
                        db.close();
                    } catch (RuntimeException failed) {
                        assertTrue(failed.getCause() instanceof StoreFailedException, failed.toString());
                    }
                }
                try (Database again = Database.open(where)) {
                    Map<String, Map<String, String>> after = DatabaseContents.of(again);
                    Map<String, String> a = after.get("a");
                    Map<String, String> bt = after.get("b");
                    boolean applied = a.get("6b").startsWith("6e6577"); // "new a"
                    assertEquals(applied, bt.containsKey("6b"), fault + ": b's put goes with a's");
                    assertEquals(!applied, bt.containsKey("676f6e65"), fault + ": b's delete goes with a's put");
                    if (!applied) {
                        assertEquals(before, after, fault + ": absent, so nothing of it");
                    }
                }
            }
        }
    }
}
