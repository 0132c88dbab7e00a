package io.cairn.tree;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Copy-on-write snapshots: a snapshot keeps reading the frames as they were at capture while writes (including
 * ones that spill, compact and merge frames) go on, retains a copy only of frames written since, and frees them on
 * close.
 */
class SnapshotTest {
    /** Small frames: a few thousand keys span many frames, so writes spill, compact and merge all the time. */
    private static final TreeOptions SMALL = TreeOptions.defaults().frameSize(8192);

    @Test
    void snapshotKeepsItsContentsWhileEveryFrameIsRewritten() {
        try (Tree tree = Tree.inMemory(SMALL)) {
            for (int i = 0; i < 4000; i++) {
                tree.put(key("d" + i % 7 + "/f" + i), ("v" + i).getBytes(UTF_8));
            }
            byte[] scope = key("d3/");
            List<ScanEntry> before = tree.scan(scope).toList();
            long framesBefore = tree.stats().frames();
            assertTrue(framesBefore > 20, "the data spans many frames: " + framesBefore);
            try (Snapshot snap = tree.snapshot(scope)) {
                assertEquals(0, snap.retainedBytes(), "nothing is copied until a write changes a frame");
                SplittableRandom rnd = new SplittableRandom(7);
                for (int i = 0; i < 20_000; i++) {
                    byte[] k = key("d" + rnd.nextInt(7) + "/f" + rnd.nextInt(6000));
                    switch (rnd.nextInt(4)) {
                        case 0, 1 -> tree.put(k, ("w" + i).getBytes(UTF_8));
                        case 2 -> tree.delete(k);
                        default -> {
                            if (tree.get(k) != null && tree.get(key(new String(k, UTF_8) + "x")) == null) {
                                tree.rename(k, key(new String(k, UTF_8) + "x"), false);
                            }
                        }
                    }
                }
                assertTrue(snap.retainedBytes() > 0, "written frames were copied");
                assertTrue(snap.retainedBytes() <= framesBefore * 8192L,
                        "at most one copy per frame the scope could reach: " + snap.retainedBytes());
                assertEquals(before, snap.scan(scope).toList(), "snapshot scan");
                for (ScanEntry e : before) {
                    Record r = snap.getRecord(e.key());
                    assertArrayEquals(e.value(), r.value(), "snapshot get");
                    assertEquals(e.version(), r.version(), "snapshot version");
                }
                assertEquals(before.size(), snap.prefixCount(scope, Long.MAX_VALUE), "snapshot count");
                assertNull(snap.get(key("d3/f" + 100_000)), "a key written after capture is absent");
                assertTrue(!tree.scan(scope).toList().equals(before), "the live tree did change");
            }
        }
    }

    @Test
    void concurrentWritersNeverLeakIntoAnOpenSnapshot() throws InterruptedException {
        int groupSize = 40;
        try (Tree tree = Tree.inMemory(SMALL)) {
            writeGeneration(tree, groupSize, 0);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong generations = new AtomicLong();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                threads.add(new Thread(() -> {
                    try {
                        SplittableRandom rnd = new SplittableRandom(writer);
                        for (int g = 1; !stop.get(); g++) {
                            if (writer == 0) {
                                writeGeneration(tree, groupSize, g);
                                generations.incrementAndGet();
                            } else {
                                // churn beside the group: spills and merges in neighbouring frames
                                byte[] k = key("noise/" + rnd.nextInt(3000));
                                if (rnd.nextBoolean()) {
                                    tree.put(k, new byte[rnd.nextInt(64)]);
                                } else {
                                    tree.delete(k);
                                }
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            threads.forEach(Thread::start);
            try {
                for (int round = 0; round < 200; round++) {
                    try (Snapshot snap = tree.snapshot(key("group/"))) {
                        List<ScanEntry> first = snap.scan(key("group/")).toList();
                        checkOneGeneration(first, groupSize);
                        for (int again = 0; again < 3; again++) {
                            // let the writer rewrite the group (and so the frames the snapshot reads) meanwhile
                            long seen = generations.get();
                            long deadline = System.nanoTime() + 2_000_000_000L;
                            while (generations.get() < seen + 2 && System.nanoTime() < deadline) {
                                Thread.yield();
                            }
                            assertEquals(first, snap.scan(key("group/")).toList(), "a snapshot never changes");
                        }
                        ScanEntry one = first.get(round % groupSize);
                        assertArrayEquals(one.value(), snap.get(one.key()), "point read of the snapshot");
                    }
                }
            } finally {
                stop.set(true);
                for (Thread t : threads) {
                    t.join();
                }
            }
            assertTrue(failures.isEmpty(), "writer failures: " + failures);
            assertTrue(generations.get() > 200, "the writer rewrote the group while snapshots were open: "
                    + generations.get());
        }
    }

    @Test
    void snapshotsAreIndependentAndClosingOneKeepsTheOther() {
        try (Tree tree = Tree.inMemory(SMALL)) {
            for (int i = 0; i < 2000; i++) {
                tree.put(key("k/" + i), key("a" + i));
            }
            Snapshot first = tree.snapshot(key("k/"));
            for (int i = 0; i < 2000; i++) {
                tree.put(key("k/" + i), key("b" + i));
            }
            try (Snapshot second = tree.snapshot(key("k/1"))) {
                for (int i = 0; i < 2000; i++) {
                    tree.put(key("k/" + i), key("c" + i));
                }
                first.close();
                assertThrows(IllegalStateException.class, () -> first.get(key("k/1")), "closed snapshot");
                assertThrows(IllegalStateException.class, first::retainedBytes, "closed snapshot");
                for (int i : new int[] {1, 10, 15, 19, 100, 150, 1000, 1999}) {
                    assertArrayEquals(key("b" + i), second.get(key("k/" + i)), "second snapshot");
                }
                assertArrayEquals(key("c1"), tree.get(key("k/1")), "live tree");
            }
        }
    }

    @Test
    void longestPrefixNeverAnswersWithAKeyOutsideTheScope() {
        try (Tree tree = Tree.inMemory()) {
            tree.put(key("a"), key("outside"));
            tree.put(key("a/b/c"), key("inside"));
            try (Snapshot snap = tree.snapshot(key("a/b"))) {
                assertNull(snap.longestPrefix(key("a/b/x")), "'a' is a prefix of the query but outside the scope");
                PrefixRecord r = snap.longestPrefix(key("a/b/c/d"));
                assertArrayEquals(key("a/b/c"), r.key());
                assertArrayEquals(key("inside"), r.value());
                assertThrows(IllegalArgumentException.class, () -> snap.longestPrefix(key("a/")), "outside");
            }
        }
    }

    @Test
    void closingTheTreeClosesItsSnapshots() {
        Tree tree = Tree.inMemory();
        tree.put(key("x"), key("1"));
        Snapshot snap = tree.snapshot(new byte[0]);
        tree.close();
        assertThrows(IllegalStateException.class, () -> snap.get(key("x")));
        snap.close(); // harmless after the tree closed it
    }

    private static void writeGeneration(Tree tree, int groupSize, int generation) {
        tree.atomic(b -> {
            for (int i = 0; i < groupSize; i++) {
                b.put(key("group/" + i), key("gen-" + generation));
            }
        });
    }

    private static void checkOneGeneration(List<ScanEntry> group, int groupSize) {
        assertEquals(groupSize, group.size(), "whole group");
        byte[] generation = group.get(0).value();
        for (ScanEntry e : group) {
            assertArrayEquals(generation, e.value(), "one batch's generation across the group");
        }
    }

    private static byte[] key(String s) {
        return s.getBytes(UTF_8);
    }
}
