package io.cairn.tree;

import static io.cairn.tree.DatabaseTest.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.testkit.FaultyStorageIo;
import io.cairn.stack.testkit.UnsyncedStorageIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Database#compact} and {@link Database#gc}: frames left half empty by deletes are gathered (and the space
 * returned by a vacuum), with exactly the same records, versions included; under readers, writers and snapshots;
 * through a fault at every write and force of a compaction; and garbage a crashed compaction left is collected.
 */
class CompactTest {
    @TempDir
    Path dir;

    private static final TreeOptions SMALL_FRAMES = TreeOptions.defaults().frameSize(8192);
    private static final List<String> TREES = List.of("a", "b");

    private static byte[] key(int i) {
        return b("bucket-" + i % 10 + "/object-" + i);
    }

    /**
     * Both trees get {@code keys} keys in batches of 1,000, then seven of every eight are deleted again: the frames are
     * left sparse (a frame is merged into its parent only below 1/8 full).
     */
    private static void loadAndThin(Database db, int keys) {
        for (String name : TREES) {
            db.tree(name);
            for (int from = 0; from < keys; from += 1_000) {
                int start = from;
                db.atomic(x -> {
                    for (int i = start; i < Math.min(keys, start + 1_000); i++) {
                        x.tree(name).put(key(i), b("value " + i + " of " + name));
                    }
                });
            }
            for (int from = 0; from < keys; from += 1_000) {
                int start = from;
                db.atomic(x -> {
                    for (int i = start; i < Math.min(keys, start + 1_000); i++) {
                        if (i % 8 != 0) {
                            x.tree(name).delete(key(i));
                        }
                    }
                });
            }
        }
        db.checkpoint();
    }

    private static long frames(Database db) {
        long n = 0;
        for (String name : db.treeNames()) {
            n += db.openTree(name).stats().frames();
        }
        return n;
    }

    @Test
    void halfEmptyFramesAreGatheredAndAVacuumReturnsTheirSpace() throws IOException {
        Map<String, Map<String, String>> expected;
        try (Database db = Database.open(dir, SMALL_FRAMES)) {
            loadAndThin(db, 6_000);
            expected = DatabaseContents.of(db);
            db.vacuum(); // what the deletes freed without a compaction goes first
            long before = frames(db);
            CompactReport report = db.compact();
            assertEquals(2, report.trees(), report.toString());
            long after = frames(db);
            assertTrue(after <= 0.6 * before, "frames " + before + " -> " + after + ": " + report);
            assertEquals(report.framesBefore() - report.framesAfter(), before - after, report.toString());
            assertEquals(expected, DatabaseContents.of(db), "the same keys, values and versions");
            VacuumReport vacuum = db.vacuum();
            System.out.println("frames " + before + " -> " + after + "; " + vacuum);
            assertTrue(vacuum.bytesReturned() >= 0.4 * vacuum.fileBytesBefore(), vacuum.toString());
            assertEquals(0, db.gc(), "a compaction leaves no frame unreachable");
            db.openTree("a").put(b("after"), b("compaction"));
            expected = DatabaseContents.of(db);
        }
        try (Database db = Database.open(dir, SMALL_FRAMES)) {
            assertEquals(expected, DatabaseContents.of(db), "after a reopen");
            assertEquals(0, db.compact().framesFreed(), "a compact tree stays as it is");
        }
    }

    @Test
    void emptyTreesAndAnEmptyDatabaseCompact() throws IOException {
        try (Database db = Database.open(dir, SMALL_FRAMES)) {
            assertEquals(0, db.compact().trees(), "no tree");
            Tree empty = db.createTree("empty");
            Tree emptied = db.createTree("emptied");
            emptied.put(b("k"), b("v"));
            emptied.delete(b("k"));
            assertEquals(0, db.compact().trees(), "a copy of an empty tree is no smaller: nothing changes");
            assertNull(empty.get(b("k")));
            emptied.put(b("again"), b("v"));
            assertArrayEquals(b("v"), emptied.get(b("again")));
        }
        try (Database db = Database.openReadOnly(dir)) {
            assertThrows(UnsupportedOperationException.class, db::compact);
            assertThrows(UnsupportedOperationException.class, db::gc);
            assertArrayEquals(b("v"), db.openTree("emptied").get(b("again")));
        }
    }

    @Test
    void aSnapshotTakenBeforeACompactionKeepsItsView() throws IOException {
        try (Database db = Database.open(dir, SMALL_FRAMES)) {
            loadAndThin(db, 3_000);
            try (DatabaseSnapshot snapshot = db.snapshot()) {
                Map<String, Map<String, String>> seen = DatabaseContents.of(snapshot);
                db.compact();
                for (int i = 0; i < 3_000; i += 8) {
                    db.openTree("a").delete(key(i));
                }
                db.compact();
                assertEquals(seen, DatabaseContents.of(snapshot));
            }
        }
    }

    /**
     * Writers (point writes and batches across both trees) and readers run while compactions run again and again:
     * every reader sees every stable key, every batch generation whole, and the writers' models are the outcome.
     */
    @Test
    void readersAndWritersCarryOnDuringCompactions() throws Exception {
        try (Database db = Database.open(dir, SMALL_FRAMES.cacheBytes(16 * 8192))) {
            loadAndThin(db, 4_000);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Map<String, String> written = new ConcurrentHashMap<>();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                threads.add(Thread.ofPlatform().start(() -> run(failure, () -> {
                    SplittableRandom rnd = new SplittableRandom(writer);
                    for (int n = 0; !stop.get(); n++) {
                        String k = "writer-" + writer + "/" + rnd.nextInt(300);
                        String name = TREES.get(n % 2);
                        Tree t = db.openTree(name);
                        String mk = name + ":" + k;
                        if (rnd.nextInt(4) == 0) {
                            t.delete(b(k));
                            written.remove(mk);
                        } else {
                            t.put(b(k), b("w" + n));
                            written.put(mk, "w" + n);
                        }
                    }
                })));
            }
            threads.add(Thread.ofPlatform().start(() -> run(failure, () -> {
                for (int g = 0; !stop.get(); g++) {
                    int generation = g;
                    db.atomic(x -> {
                        x.tree("a").put(b("generation"), b("g" + generation));
                        x.tree("b").put(b("generation"), b("g" + generation));
                    });
                }
            })));
            threads.add(Thread.ofPlatform().start(() -> run(failure, () -> {
                while (!stop.get()) {
                    for (int i = 0; i < 4_000; i += 40) { // the kept keys are never touched again
                        byte[] v = db.openTree("a").get(key(i));
                        if (v == null || !new String(v).equals("value " + i + " of a")) {
                            throw new AssertionError("stable key " + i + " read as " + (v == null ? null
                                    : new String(v)));
                        }
                    }
                    try (DatabaseSnapshot s = db.snapshot()) {
                        byte[] ga = s.tree("a").get(b("generation"));
                        byte[] gb = s.tree("b").get(b("generation"));
                        if (ga != null && !java.util.Arrays.equals(ga, gb)) {
                            throw new AssertionError("half a batch: " + new String(ga) + " / " + new String(gb));
                        }
                        long even = s.tree("b").prefixCount(b("bucket-4/"), Long.MAX_VALUE);
                        if (even != 100) {
                            throw new AssertionError("bucket-4 of b holds " + even + " keys, not 100");
                        }
                    }
                }
            })));
            long freed = 0;
            for (int round = 0; round < 4 && failure.get() == null; round++) {
                freed += db.compact().framesFreed();
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            if (failure.get() != null) {
                throw new AssertionError("a reader or writer failed", failure.get());
            }
            assertTrue(freed > 0, "the compactions freed frames");
            for (int w = 0; w < 2; w++) {
                for (String name : TREES) {
                    Map<String, String> actual = new java.util.TreeMap<>();
                    db.openTree(name).scan(b("writer-" + w + "/"))
                            .forEach(e -> actual.put(name + ":" + e.keyString(), new String(e.value())));
                    Map<String, String> model = new java.util.TreeMap<>();
                    String mine = name + ":writer-" + w + "/";
                    written.forEach((k, v) -> {
                        if (k.startsWith(mine)) {
                            model.put(k, v);
                        }
                    });
                    assertEquals(model, actual, "writer " + w + " in " + name);
                }
            }
        }
    }

    private static void run(AtomicReference<Throwable> failure, Runnable body) {
        try {
            body.run();
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    /**
     * Writes and forces of a compaction (and the vacuum after it) fail in turn (all of them under {@code -Psoak},
     * else a sample growing sparser), with and without a power loss after it; the cache holds 8 frames, so the compaction checkpoints its half-built copies too. The reopened
     * database holds exactly what it held, a gc releases what a crash left unreachable, and it works.
     */
    @Test
    void aFaultAnywhereInACompactionLosesNothing() throws IOException {
        faults(2, 12);
    }

    @Tag("soak")
    @Test
    void aFaultAtEveryPointOfACompactionLosesNothing() throws IOException {
        faults(Integer.MAX_VALUE, 100);
    }

    /** Faults at write or force n = 1, 2, ... (then each about 1/{@code stride} after the last) of every kind. */
    private void faults(int stride, int atLeast) throws IOException {
        int points = 0;
        int collected = 0;
        for (String fault : new String[] {"fail-write", "tear-write", "fail-force"}) {
            for (int n = 1;; n += 1 + n / stride) {
                boolean powerLoss = n % 2 == 1;
                Path store = Files.createDirectory(dir.resolve(fault + "-" + n));
                int outcome = faultOnce(store, fault, n, powerLoss);
                if (outcome < 0) {
                    break;
                }
                collected += outcome > 0 ? 1 : 0;
                points++;
            }
        }
        System.out.println(points + " fault points, " + collected + " of them left frames for gc");
        assertTrue(points >= atLeast, "fault points tried: " + points);
        assertTrue(collected > 0, "some crash left frames of a half-built copy for gc: " + collected);
    }

    private static final TreeOptions TINY_CACHE = SMALL_FRAMES.cacheBytes(8 * 8192);

    /** Returns -1 once the fault is past the compaction's last write or force, else the frames gc released. */
    private static int faultOnce(Path store, String fault, int n, boolean powerLoss) throws IOException {
        FaultyStorageIo io = new FaultyStorageIo(new UnsyncedStorageIo());
        Database db = Database.open(store, TINY_CACHE.io(io));
        loadAndThin(db, 6_000);
        Map<String, Map<String, String>> before = DatabaseContents.of(db);
        boolean reached = MaintenanceFault.inject(io, db, fault, n, powerLoss, () -> {
            db.compact();
            db.vacuum();
        });
        String what = fault + " #" + n + (powerLoss ? " with power loss" : "");
        long released;
        try (Database again = Database.open(store, TINY_CACHE.io(new FaultyStorageIo(new UnsyncedStorageIo())))) {
            assertEquals(before, DatabaseContents.of(again), what);
            released = again.gc();
            assertEquals(0, again.gc(), what);
            assertEquals(before, DatabaseContents.of(again), what + ", after gc");
            again.openTree("a").put(b("later"), b("L"));
        }
        try (Database last = Database.openReadOnly(store)) {
            assertEquals("L", new String(last.openTree("a").get(b("later"))), what);
            assertEquals(before.get("b"), DatabaseContents.of(last).get("b"), what);
        }
        return reached ? (int) released : -1;
    }
}
