package io.cairn.tree;

import io.cairn.stack.testkit.UnsyncedStorageIo;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Eight threads at once: four writers on disjoint prefixes, two writers on interleaved keys of one shared prefix
 * (plus a contended compare-and-put counter), one thread running atomic batches, one reader. Every value carries a
 * checksum of its key and of itself, so a torn or misplaced read is detected; batch invariants are checked by
 * scans and snapshots while the batches run; at the end the tree must equal the writers' models.
 */
class ConcurrentTreeTest {
    private static final int OPS = 25_000;
    private int ops = OPS;

    /** Runs the stress with {@code ops} operations per writer (the soak profile runs it longer). */
    static void run(int frameSize, int ops) throws Exception {
        ConcurrentTreeTest t = new ConcurrentTreeTest();
        t.ops = ops;
        t.mixedWritersReadersScansAndBatchesStayConsistent(frameSize);
    }
    private static final byte[] BANK = "bank/".getBytes(UTF_8);
    private static final byte[] GROUP = "group/".getBytes(UTF_8);
    private static final int GROUP_SIZE = 12;

    @ParameterizedTest(name = "frame size {0}")
    @ValueSource(ints = {8192, 524288})
    void mixedWritersReadersScansAndBatchesStayConsistent(int frameSize) throws Exception {
        try (Tree tree = Tree.inMemory(TreeOptions.defaults().frameSize(frameSize))) {
            stress(tree, "frame size " + frameSize);
        }
    }

    /**
     * The same on a file-backed tree whose cache holds 16 of its (8 KiB) frames: every thread's reads and writes
     * keep loading frames and evicting others, checkpoints run in the background whenever dirty frames fill the
     * cache and from a thread of their own, and the snapshots and scans of the reader cross frames that come and
     * go. Reopened afterwards, the tree still holds exactly the writers' models.
     */
    @Test
    void aFileBackedTreeWithATinyCacheStaysConsistentUnderConstantEviction(@TempDir Path dir) throws Exception {
        TreeOptions options = TreeOptions.defaults().frameSize(8192).cacheBytes(16 * 8192)
                .durability(io.cairn.stack.Durability.NONE).io(new UnsyncedStorageIo());
        TreeStats.Cache cache;
        List<TreeMap<byte[], byte[]>> models;
        ops = 8_000;
        try (Tree tree = Tree.open(dir, options)) {
            AtomicBoolean done = new AtomicBoolean();
            Thread checkpointer = Thread.ofPlatform().start(() -> {
                while (!done.get()) {
                    tree.checkpoint();
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
                }
            });
            try {
                models = stress(tree, "tiny cache");
            } finally {
                done.set(true);
                checkpointer.join();
            }
            cache = tree.stats().durable().cache();
        }
        assertTrue(cache.evictions() > 1000 && cache.misses() > 1000, "frames came and went: " + cache);
        try (Tree again = Tree.open(dir, options)) {
            checkModels(again, models);
        }
    }

    /** Runs the eight threads on {@code tree} and checks the result; returns the writers' models. */
    private List<TreeMap<byte[], byte[]>> stress(Tree tree, String what) throws Exception {
        {
            tree.put(key("bank/a"), value(key("bank/a"), new byte[] {1}));
            tree.put(key("counter"), ByteBuffer.allocate(8).putLong(0).array());
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong increments = new AtomicLong();
            List<TreeMap<byte[], byte[]>> models = new ArrayList<>();
            List<Thread> writers = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < 6; t++) {
                TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
                models.add(model);
                int id = t;
                writers.add(worker(failures, start, "writer-" + t, () -> {
                    if (id < 4) {
                        disjointWriter(tree, id, model, ops);
                    } else {
                        sharedWriter(tree, id, model, increments, ops);
                    }
                }));
            }
            long[] batches = new long[1];
            Thread batcher = worker(failures, start, "batcher", () -> batches[0] = batcher(tree, done));
            Thread reader = worker(failures, start, "reader", () -> reader(tree, done));
            writers.forEach(Thread::start);
            batcher.start();
            reader.start();
            start.countDown();
            for (Thread w : writers) {
                w.join();
            }
            done.set(true);
            batcher.join();
            reader.join();
            if (!failures.isEmpty()) {
                AssertionError e = new AssertionError("concurrent failures: " + failures.size());
                failures.forEach(e::addSuppressed);
                throw e;
            }
            checkModels(tree, models);
            assertEquals(increments.get(), ByteBuffer.wrap(tree.get(key("counter"))).getLong(), "counter");
            assertTrue(batches[0] > 0, "batches ran");
            System.out.println(what + ": " + batches[0] + " batches, " + increments.get() + " increments, "
                    + tree.stats());
            return models;
        }
    }

    /** The tree holds exactly what the six writers' models say under their prefixes. */
    private static void checkModels(Tree tree, List<TreeMap<byte[], byte[]>> models) {
        for (int t = 0; t < 6; t++) {
            byte[] prefix = t < 4 ? key("own-" + t + "/") : key("shared/");
            TreeMap<byte[], byte[]> expect = new TreeMap<>(Arrays::compareUnsigned);
            for (int u = t < 4 ? t : 4; u <= (t < 4 ? t : 5); u++) {
                expect.putAll(models.get(u));
            }
            List<ScanEntry> actual = tree.scan(prefix).toList();
            assertEquals(expect.size(), actual.size(), "keys under " + new String(prefix, UTF_8));
            int i = 0;
            for (Map.Entry<byte[], byte[]> e : expect.entrySet()) {
                assertArrayEquals(e.getKey(), actual.get(i).key());
                assertArrayEquals(e.getValue(), actual.get(i++).value());
            }
        }
    }

    private static void disjointWriter(Tree tree, int id, TreeMap<byte[], byte[]> model, int ops) {
        SplittableRandom rnd = new SplittableRandom(id);
        for (int i = 0; i < ops; i++) {
            byte[] k = key("own-" + id + "/d" + rnd.nextInt(20) + "/f" + rnd.nextInt(300));
            if (rnd.nextInt(4) == 0) {
                tree.delete(k);
                model.remove(k);
            } else {
                byte[] v = value(k, randomPayload(rnd));
                tree.put(k, v);
                model.put(k, v);
            }
        }
    }

    /** Two threads write alternate keys of the same directories (same frames and nodes) and bump one counter. */
    private static void sharedWriter(Tree tree, int id, TreeMap<byte[], byte[]> model, AtomicLong increments,
            int ops) {
        SplittableRandom rnd = new SplittableRandom(id);
        for (int i = 0; i < ops; i++) {
            int file = rnd.nextInt(2000) * 2 + (id - 4);
            byte[] k = key("shared/d" + rnd.nextInt(8) + "/f" + file);
            int op = rnd.nextInt(10);
            if (op < 2) {
                tree.delete(k);
                model.remove(k);
            } else if (op < 3) {
                for (;;) {
                    Record r = tree.getRecord(key("counter"));
                    long next = ByteBuffer.wrap(r.value()).getLong() + 1;
                    if (tree.compareAndPut(key("counter"), r.version(), ByteBuffer.allocate(8).putLong(next).array())) {
                        increments.incrementAndGet();
                        break;
                    }
                }
            } else {
                byte[] v = value(k, randomPayload(rnd));
                tree.put(k, v);
                model.put(k, v);
            }
        }
    }

    /**
     * Moves a token between bank/a and bank/b with rename, and rewrites a group of keys to one generation with a
     * batch, while checking that scans and snapshots always see exactly one token and one generation.
     */
    private static long batcher(Tree tree, AtomicBoolean done) {
        long n = 0;
        boolean atA = true;
        while (!done.get() || n < 50) {
            if (n % 2 == 0) {
                tree.rename(key(atA ? "bank/a" : "bank/b"), key(atA ? "bank/b" : "bank/a"), false);
                atA = !atA;
            } else {
                long generation = n;
                assertTrue(tree.atomic(b -> {
                    for (int i = 0; i < GROUP_SIZE; i++) {
                        byte[] k = key("group/k" + i);
                        b.put(k, value(k, ByteBuffer.allocate(8).putLong(generation).array()));
                    }
                }));
            }
            n++;
            checkInvariants(tree);
        }
        return n;
    }

    private static void reader(Tree tree, AtomicBoolean done) {
        SplittableRandom rnd = new SplittableRandom(99);
        while (!done.get()) {
            int t = rnd.nextInt(6);
            byte[] k = t < 4 ? key("own-" + t + "/d" + rnd.nextInt(20) + "/f" + rnd.nextInt(300))
                    : key("shared/d" + rnd.nextInt(8) + "/f" + rnd.nextInt(4000));
            byte[] v = tree.get(k);
            if (v != null) {
                checkValue(k, v);
            }
            if (rnd.nextInt(20) == 0) {
                byte[] prefix = t < 4 ? key("own-" + t + "/") : key("shared/");
                byte[] last = null;
                for (ScanEntry e : tree.scan(prefix).delimiter((byte) '/').limit(1000)) {
                    assertTrue(e.isCommonPrefix(), "directories only at this level");
                    assertTrue(last == null || Arrays.compareUnsigned(last, e.key()) < 0, "ascending");
                    last = e.key();
                }
                for (ScanEntry e : tree.scan(prefix).limit(500)) {
                    checkValue(e.key(), e.value());
                }
                // the same listing read in place: every value checked from the scan's buffer
                tree.scan(prefix).limit(500).visit(view -> {
                    checkValue(view.keyBytes(), Arrays.copyOfRange(view.array(), view.valueOffset(),
                            view.valueOffset() + view.valueLength()));
                    return true;
                });
            }
            if (rnd.nextInt(50) == 0) {
                checkInvariants(tree);
            }
        }
    }

    private static void checkInvariants(Tree tree) {
        List<ScanEntry> bank = tree.scan(BANK).toList();
        assertEquals(1, bank.size(), "exactly one token in the bank: " + bank);
        checkGroup(tree.scan(GROUP).toList());
        checkGroup(visited(tree.scan(GROUP)));
        try (Snapshot s = tree.snapshot(GROUP)) {
            checkGroup(s.scan(GROUP).toList());
            checkGroup(visited(s.scan(GROUP)));
        }
    }

    private static List<ScanEntry> visited(Scan scan) {
        List<ScanEntry> entries = new ArrayList<>();
        scan.visit(v -> entries.add(v.toEntry()));
        return entries;
    }

    private static void checkGroup(List<ScanEntry> group) {
        if (group.isEmpty()) {
            return; // before the first batch
        }
        assertEquals(GROUP_SIZE, group.size(), "whole group");
        byte[] generation = payload(group.get(0).key(), group.get(0).value());
        for (ScanEntry e : group) {
            assertArrayEquals(generation, payload(e.key(), e.value()), "one batch's generation across the group");
        }
    }

    private static Thread worker(ConcurrentLinkedQueue<Throwable> failures, CountDownLatch start, String name,
            Runnable body) {
        Thread t = new Thread(() -> {
            try {
                start.await();
                body.run();
            } catch (Throwable e) {
                failures.add(e);
            }
        }, name);
        t.setDaemon(true);
        return t;
    }

    private static byte[] key(String s) {
        return s.getBytes(UTF_8);
    }

    private static byte[] randomPayload(SplittableRandom rnd) {
        byte[] p = new byte[rnd.nextInt(40)];
        rnd.nextBytes(p);
        return p;
    }

    /** value := crc32c(key):u32 crc32c(payload):u32 payload */
    static byte[] value(byte[] key, byte[] payload) {
        return ByteBuffer.allocate(8 + payload.length).putInt(crc(key)).putInt(crc(payload)).put(payload).array();
    }

    static void checkValue(byte[] key, byte[] value) {
        payload(key, value);
    }

    private static byte[] payload(byte[] key, byte[] value) {
        ByteBuffer b = ByteBuffer.wrap(value);
        assertEquals(crc(key), b.getInt(), () -> "value belongs to another key: " + new String(key, UTF_8));
        int payloadCrc = b.getInt();
        byte[] payload = Arrays.copyOfRange(value, 8, value.length);
        assertEquals(payloadCrc, crc(payload), "torn value");
        return payload;
    }

    private static int crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return (int) c.getValue();
    }
}
