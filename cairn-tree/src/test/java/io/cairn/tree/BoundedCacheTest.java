package io.cairn.tree;

import io.cairn.stack.testkit.UnsyncedStorageIo;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.Durability;
import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file-backed tree holding many times more data than its cache: {@code cacheBytes} of 1 MiB (128 frames of 8 KiB)
 * under about 19 MiB of keys and values. Random operations against a {@link TreeMap} model, a snapshot kept across
 * them, close and reopen, and the memory the frames hold measured against the budget the whole time.
 */
class BoundedCacheTest {
    private static final int FRAME = 8192;
    private static final long CACHE = 1 << 20;
    /** Puts per batch, in the load and in the random operations. */
    private static final int BATCH = 10;
    /**
     * What the frames may hold beyond the cache, by design: writers wait at the door while what is unevictable and
     * what they may change would fill all but 1/16 of the cache (8 frames here), and a write in flight that finds
     * nothing evictable borrows a buffer rather than wait with latches held: at most two per key it changes (the
     * frame, and the copy a running checkpoint takes of it before the change). Measured: 0 to 26 frames over with
     * batches of 50 puts, 0 to 18 with single puts and batches of 10.
     */
    private static final long OVERHEAD = (CACHE / FRAME / 16 + 2 * 2 * BATCH) * FRAME;
    private static final int KEYS = 32_000;

    @TempDir
    Path dir;

    private final TreeOptions options = TreeOptions.defaults().frameSize(FRAME).cacheBytes(CACHE)
            .durability(Durability.NONE).io(new UnsyncedStorageIo());

    @Test
    void aTreeManyTimesLargerThanItsCacheMatchesTheModelWithinItsMemoryBudget() throws IOException {
        SplittableRandom rnd = new SplittableRandom(7);
        TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        byte[] snapScope = "dir-03/".getBytes(UTF_8);
        TreeMap<byte[], byte[]> snapModel;
        TreeStats.Cache loaded;
        TreeStats.Cache worked;
        try (Tree tree = Tree.open(dir, options)) {
            for (int from = 0; from < KEYS; from += BATCH) {
                int start = from;
                tree.atomic(batch -> {
                    for (int i = start; i < start + BATCH; i++) {
                        byte[] k = key(i).getBytes(UTF_8);
                        byte[] v = value(rnd, i);
                        batch.put(k, v);
                        model.put(k, v);
                    }
                });
            }
            loaded = tree.stats().durable().cache();
        }
        long dataBytes = 0;
        for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
            dataBytes += e.getKey().length + e.getValue().length;
        }
        assertTrue(dataBytes > 16 * CACHE, "the data is many times the cache: " + dataBytes);

        try (Tree tree = Tree.open(dir, options)) {
            snapModel = new TreeMap<>(model.subMap(snapScope, true, upperBound(snapScope), false));
            try (Snapshot snap = tree.snapshot(snapScope)) {
                for (int op = 0; op < 8_000; op++) {
                    step(tree, model, rnd);
                }
                // the snapshot's frames were changed, checkpointed and evicted meanwhile: it still reads its moment
                assertEquals(snapModel.size(), snap.prefixCount(snapScope, Long.MAX_VALUE), "snapshot count");
                assertSame(snapModel, snap.scan(snapScope).iterator());
            }
            assertFalse(model.subMap(snapScope, true, upperBound(snapScope), false).equals(snapModel),
                    "the operations changed the snapshot's scope");
            assertSame(model, tree.scan(new byte[0]).iterator());
            worked = tree.stats().durable().cache();
        }
        System.out.println("load: " + loaded + "\nwork: " + worked);
        for (TreeStats.Cache c : List.of(loaded, worked)) {
            assertEquals(CACHE, c.budgetBytes());
            assertTrue(c.peakBytes() <= CACHE + OVERHEAD, "frame memory stayed within the budget: " + c);
        }
        assertTrue(worked.evictions() > 10 * (CACHE / FRAME) && worked.misses() > 10 * (CACHE / FRAME),
                "frames were evicted and reloaded many times over: " + worked);

        try (Tree again = Tree.open(dir, options)) {
            assertSame(model, again.scan(new byte[0]).iterator());
            for (int i = 0; i < 2_000; i++) {
                byte[] k = key(rnd.nextInt(KEYS)).getBytes(UTF_8);
                assertArrayEquals(model.get(k), again.get(k), "get after reopen");
            }
            TreeStats s = again.stats();
            assertTrue(s.memoryBytes() <= CACHE, "a reader-only run stays within the cache: " + s);
            assertTrue(s.durable().cache().peakBytes() <= CACHE + OVERHEAD, "and so did the open: " + s);
        }
    }

    /**
     * A log written under a cache large enough to hold it all, then a crash: reopened with a 1 MiB cache, the replay
     * fills the cache with dirty frames and checkpoints on the way (a read-only open spills them to a scratch file
     * instead), so it stays within the cache and loses nothing.
     */
    @Test
    void aLogLargerThanTheCacheReplaysWithinIt() throws IOException {
        FaultyStorageIo io = new FaultyStorageIo(new UnsyncedStorageIo());
        TreeOptions big = options.durability(Durability.SYNC).cacheBytes(256L << 20).checkpointEvery(Long.MAX_VALUE);
        SplittableRandom rnd = new SplittableRandom(11);
        TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        Tree writer = Tree.open(dir, big.io(io.process()));
        for (int from = 0; from < 8_000; from += 100) {
            int start = from;
            writer.atomic(batch -> {
                for (int i = start; i < start + 100; i++) {
                    byte[] k = key(i).getBytes(UTF_8);
                    byte[] v = value(rnd, i);
                    batch.put(k, v);
                    model.put(k, v);
                }
            });
        }
        assertEquals(0, writer.stats().durable().checkpointSequence(), "everything is left to the log");
        io.crash(); // the writer's process is gone: its files stay as they were forced
        // a read-only handle cannot checkpoint: its replay spills the frames it changed to a private scratch file
        Map<Path, byte[]> files = DurableTreeTest.contents(dir);
        List<Path> scratchBefore = scratchDirectories();
        try (Tree reader = Tree.openReadOnly(dir, options.io(io.process()))) {
            TreeStats.Cache c = reader.stats().durable().cache();
            assertTrue(c.peakBytes() <= CACHE + OVERHEAD, "a read-only replay stays within the cache: " + c);
            assertSame(model, reader.scan(new byte[0]).iterator());
            assertTrue(c.evictions() > 0, "replayed frames left the cache and came back: " + c);
        }
        assertEquals(scratchBefore, scratchDirectories(), "the scratch file went with the handle");
        Map<Path, byte[]> after = DurableTreeTest.contents(dir);
        assertEquals(files.keySet(), after.keySet(), "the read-only open wrote no file of the store");
        files.forEach((p, bytes) -> assertArrayEquals(bytes, after.get(p), "the read-only open changed " + p));
        try (Tree again = Tree.open(dir, options.durability(Durability.SYNC).io(io.process()))) {
            TreeStats s = again.stats();
            assertEquals(81, s.durable().replayedRecords(), "the tree's creation and every batch were replayed");
            assertTrue(s.durable().checkpoints() > 0, "the replay checkpointed on the way: " + s.durable());
            assertTrue(s.durable().cache().peakBytes() <= CACHE + OVERHEAD, "within the cache: " + s.durable());
            assertSame(model, again.scan(new byte[0]).iterator());
        }
    }

    private static List<Path> scratchDirectories() throws IOException {
        try (java.util.stream.Stream<Path> all = java.nio.file.Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return all.filter(p -> p.getFileName().toString().startsWith("cairn-read-only-")).sorted().toList();
        }
    }

    @Test
    void cacheOptionsAreCheckedAndATinyCacheHoldsEightFrames() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TreeOptions.defaults().cacheBytes(0));
        assertTrue(e.getMessage().contains("cacheBytes") && e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TreeOptions.defaults().checkpointEvery(-1));
        assertTrue(e.getMessage().contains("checkpointEvery") && e.getMessage().contains("-1"), e.getMessage());
        try (Tree t = Tree.open(dir, options.cacheBytes(1))) {
            assertEquals(8L * FRAME, t.stats().durable().cache().budgetBytes());
        }
    }

    /** One random operation on the tree and the model, checking what it returns. */
    private static void step(Tree tree, TreeMap<byte[], byte[]> model, SplittableRandom rnd) {
        int i = rnd.nextInt(KEYS + KEYS / 10); // a tenth of the keys are new
        byte[] k = key(i).getBytes(UTF_8);
        int op = rnd.nextInt(100);
        if (op < 30) {
            assertArrayEquals(model.get(k), tree.get(k), "get");
        } else if (op < 55) {
            byte[] v = value(rnd, i);
            tree.put(k, v);
            model.put(k, v);
        } else if (op < 70) {
            assertEquals(model.remove(k) != null, tree.delete(k), "delete");
        } else if (op < 78) {
            byte[] target = key(rnd.nextInt(KEYS + KEYS / 10)).getBytes(UTF_8);
            if (model.containsKey(k) && !Arrays.equals(k, target)) {
                tree.rename(k, target, true);
                model.put(target, model.remove(k));
            }
        } else if (op < 88) {
            byte[] dirPrefix = Arrays.copyOf(k, 7);
            List<ScanEntry> got = tree.scan(dirPrefix).startAfter(k).limit(20).toList();
            Map<byte[], byte[]> after = model.subMap(k, false, upperBound(dirPrefix), false);
            assertEquals(Math.min(20, after.size()), got.size(), "scan length");
            Iterator<Map.Entry<byte[], byte[]>> want = after.entrySet().iterator();
            for (ScanEntry e : got) {
                Map.Entry<byte[], byte[]> w = want.next();
                assertArrayEquals(w.getKey(), e.key(), "scan key");
                assertArrayEquals(w.getValue(), e.value(), "scan value");
            }
        } else {
            List<byte[]> keys = new ArrayList<>();
            for (int n = 0; n < BATCH; n++) {
                keys.add(key(rnd.nextInt(KEYS)).getBytes(UTF_8));
            }
            List<byte[]> values = new ArrayList<>();
            tree.atomic(batch -> {
                for (byte[] bk : keys) {
                    byte[] v = value(rnd, bk.length);
                    batch.put(bk, v);
                    values.add(v);
                }
            });
            for (int n = 0; n < keys.size(); n++) {
                model.put(keys.get(n), values.get(n));
            }
        }
    }

    /** The iterator yields exactly the model's entries, in order. */
    private static void assertSame(TreeMap<byte[], byte[]> model, Iterator<ScanEntry> actual) {
        long n = 0;
        for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
            assertTrue(actual.hasNext(), "entry " + n + " of " + model.size() + " is missing");
            ScanEntry a = actual.next();
            assertArrayEquals(e.getKey(), a.key(), "key of entry " + n);
            assertArrayEquals(e.getValue(), a.value(), "value of entry " + n);
            n++;
        }
        assertFalse(actual.hasNext(), "more entries than the model's " + model.size());
    }

    /** Thirty-two directories of a thousand files each. */
    private static String key(int i) {
        return String.format("dir-%02d/file-%06d", i % 32, i);
    }

    /** 400 to 800 bytes that start with {@code seed}. */
    private static byte[] value(SplittableRandom rnd, int seed) {
        byte[] v = new byte[400 + rnd.nextInt(401)];
        rnd.nextBytes(v);
        ByteBuffer.wrap(v).putInt(seed);
        return v;
    }

    private static byte[] upperBound(byte[] prefix) {
        byte[] up = prefix.clone();
        up[up.length - 1]++;
        return up;
    }
}
