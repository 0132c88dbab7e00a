package io.cairn.tree;

import io.cairn.stack.testkit.UnsyncedStorageIo;
import static io.cairn.tree.DatabaseTest.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Database#vacuum}: the frame file shrinks to what its frames need, under writers and through faults. */
class VacuumTest {
    @TempDir
    Path dir;

    private static final TreeOptions SMALL_FRAMES = TreeOptions.defaults().frameSize(8192);

    /** A tree "big" written first (its frames take the file's first slots), then "kept"; "big" is dropped. */
    private static void dropTheFirstTree(Database db) {
        Tree big = db.createTree("big");
        Tree kept = db.createTree("kept");
        db.atomic(x -> {
            for (int i = 0; i < 2_400; i++) {
                x.tree("big").put(b("bucket-" + i % 10 + "/object-" + i), new byte[40]);
            }
        });
        db.checkpoint();
        db.atomic(x -> {
            for (int i = 0; i < 500; i++) {
                x.tree("kept").put(b("bucket-" + i % 10 + "/object-" + i), b("value " + i));
            }
        });
        db.checkpoint();
        assertTrue(big.stats().frames() > 3 * kept.stats().frames(), "big is the bulk of the file");
        db.dropTree("big");
    }

    /**
     * With a cache of 8 frames under trees of many more, the frames a vacuum moves are mostly evicted: the cache
     * must load them from their new slots afterwards, since the old ones are cut off with the file's tail.
     */
    @Test
    void framesAVacuumMovedAreLoadedFromTheirNewSlotsOnceEvicted() throws Exception {
        TreeOptions tiny = SMALL_FRAMES.cacheBytes(8 * 8192);
        Map<String, Map<String, String>> expected;
        try (Database db = Database.open(dir, tiny)) {
            Tree big = db.createTree("big");
            Tree kept = db.createTree("kept");
            for (String name : new String[] {"big", "kept"}) {
                for (int from = 0; from < 3_000; from += 100) {
                    int start = from;
                    db.atomic(x -> {
                        for (int i = start; i < start + 100; i++) {
                            x.tree(name).put(b("bucket-" + i % 10 + "/object-" + i), new byte[200]);
                        }
                    });
                }
                db.checkpoint();
            }
            assertTrue(kept.stats().frames() > 3 * 8, "the kept tree is many times the cache: " + kept.stats());
            assertTrue(big.stats().frames() > 3 * 8);
            db.dropTree("big");
            expected = DatabaseContents.of(db);
            VacuumReport report = db.vacuum();
            assertTrue(report.framesMoved() > 8, report.toString());
            assertEquals(expected, DatabaseContents.of(db), "read through the cache after the vacuum");
        }
        try (Database db = Database.open(dir, tiny)) {
            assertEquals(expected, DatabaseContents.of(db), "after a reopen");
        }
    }

    @Test
    void aDroppedTreesSpaceReturnsToTheFileSystemWhileWritersGoOn() throws Exception {
        Map<String, Map<String, String>> expected;
        try (Database db = Database.open(dir, SMALL_FRAMES)) {
            dropTheFirstTree(db);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger written = new AtomicInteger();
            Thread writer = Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    int n = written.getAndIncrement();
                    db.openTree("kept").put(b("during/" + n), b("w" + n));
                }
            });
            VacuumReport report = db.vacuum();
            stop.set(true);
            writer.join();
            assertTrue(report.framesMoved() > 0, report.toString());
            assertTrue(report.bytesReturned() >= 0.6 * report.fileBytesBefore(), report.toString());
            assertEquals(Files.size(dir.resolve("frames.stack")), report.fileBytesAfter());
            assertTrue(written.get() > 0);
            expected = DatabaseContents.of(db);
            db.vacuum(); // its checkpoint writes the frames the writer changed to new slots, and moves them down
            VacuumReport again = db.vacuum();
            assertEquals(0, again.framesMoved(), "nothing changed since, nothing to move: " + again);
            assertEquals(again.fileBytesBefore(), again.fileBytesAfter());
        }
        try (Database db = Database.open(dir, SMALL_FRAMES)) {
            assertEquals(expected, DatabaseContents.of(db), "after a reopen");
            db.openTree("kept").put(b("after"), b("vacuum"));
            db.checkpoint(); // new frame images go to slots past the cut: the file grows again from there
        }
        try (Database db = Database.openReadOnly(dir)) {
            assertEquals(expected.get("kept").size() + 1, db.openTree("kept").stats().keys());
        }
    }

    /**
     * Every write and force of a vacuum fails in turn, with and without a power loss after it: the reopened
     * database holds exactly what it held, and works.
     */
    @Test
    void aFaultAnywhereInAVacuumLosesNothing() throws IOException {
        int points = 0;
        for (String fault : new String[] {"fail-write", "tear-write", "fail-force"}) {
            for (boolean powerLoss : new boolean[] {false, true}) {
                for (int n = 1;; n++) {
                    Path store = Files.createDirectory(dir.resolve(fault + "-" + powerLoss + "-" + n));
                    if (!faultOnce(store, fault, n, powerLoss)) {
                        break;
                    }
                    points++;
                }
            }
        }
        assertTrue(points > 20, "fault points tried: " + points);
    }

    private static boolean faultOnce(Path store, String fault, int n, boolean powerLoss) throws IOException {
        FaultyStorageIo io = new FaultyStorageIo(new UnsyncedStorageIo());
        Database db = Database.open(store, SMALL_FRAMES.io(io));
        dropTheFirstTree(db);
        db.checkpoint();
        Map<String, Map<String, String>> before = DatabaseContents.of(db);
        boolean reached = MaintenanceFault.inject(io, db, fault, n, powerLoss, db::vacuum);
        String what = fault + " #" + n + (powerLoss ? " with power loss" : "");
        try (Database again = Database.open(store, SMALL_FRAMES.io(new FaultyStorageIo(new UnsyncedStorageIo())))) {
            assertEquals(before, DatabaseContents.of(again), what);
            again.openTree("kept").put(b("later"), b("L"));
            again.vacuum();
        }
        try (Database last = Database.openReadOnly(store)) {
            assertEquals("L", new String(last.openTree("kept").get(b("later"))), what);
        }
        return reached;
    }
}
