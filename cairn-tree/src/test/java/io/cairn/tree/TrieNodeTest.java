package io.cairn.tree;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trie view of a tree's keys ({@link Tree#trie}, {@link TrieNode}): node by node it must agree with the sorted
 * keys (which bytes continue a prefix, whether a key ends there, its value), across spills, Splits, Blobs, long
 * prefixes and leaf suffixes, for nodes found before any number of later writes, under concurrent writers (a key
 * present for a whole walk is found, one never written is not), on snapshots and on reopened durable trees.
 */
class TrieNodeTest {
    /** Small frames: a few thousand keys make hundreds of frames, Splits and Blobs. */
    private static final TreeOptions SMALL = TreeOptions.defaults().frameSize(8192);

    private static NavigableMap<byte[], byte[]> model() {
        return new TreeMap<>(Arrays::compareUnsigned);
    }

    /** Keys that exercise every node kind: shared path prefixes, long runs, K and K+0x00, high bytes, the empty key. */
    private static byte[] randomKey(SplittableRandom rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> ("d" + rnd.nextInt(12) + "/f" + rnd.nextInt(3000)).getBytes(UTF_8);
            case 1 -> ("d" + rnd.nextInt(3) + "/" + "x".repeat(rnd.nextInt(400)) + rnd.nextInt(50)).getBytes(UTF_8);
            case 2 -> {
                byte[] k = new byte[rnd.nextInt(6)];
                for (int i = 0; i < k.length; i++) {
                    k[i] = (byte) (rnd.nextBoolean() ? 0 : 0xFF - rnd.nextInt(3));
                }
                yield k;
            }
            case 3 -> {
                byte[] k = new byte[1 + rnd.nextInt(20)];
                rnd.nextBytes(k);
                yield k;
            }
            default -> ("w" + Integer.toString(rnd.nextInt(40_000), 36)).getBytes(UTF_8);
        };
    }

    @Test
    void everyNodeAgreesWithTheSortedKeys() {
        for (long seed = 1; seed <= 3; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            NavigableMap<byte[], byte[]> model = model();
            try (Tree tree = Tree.inMemory(SMALL)) {
                for (int i = 0; i < 4000; i++) {
                    byte[] k = randomKey(rnd);
                    if (rnd.nextInt(5) == 0) {
                        tree.delete(k);
                        model.remove(k);
                    } else {
                        byte[] v = ("v" + i).getBytes(UTF_8);
                        tree.put(k, v);
                        model.put(k, v);
                    }
                }
                assertTrue(tree.stats().frames() > 20, "spans many frames: " + tree.stats().frames());
                String at = "seed " + seed;
                assertEquals(model.size(), checkAll(tree.trie(new byte[0]), new byte[0], model, at));
                for (byte[] base : List.of("d1".getBytes(UTF_8), "d0/xxx".getBytes(UTF_8), new byte[] {0},
                        new byte[] {(byte) 0xFF}, "nothing here".getBytes(UTF_8))) {
                    assertEquals(under(model, base).size(), checkAll(tree.trie(base), base, model, at));
                }
            }
        }
    }

    @Test
    void nodesFoundBeforeLaterWritesAnswerForTheTreeAsItIsNow() {
        SplittableRandom rnd = new SplittableRandom(11);
        NavigableMap<byte[], byte[]> model = model();
        try (Tree tree = Tree.inMemory(SMALL)) {
            for (int i = 0; i < 3000; i++) {
                byte[] k = randomKey(rnd);
                tree.put(k, k);
                model.put(k, k);
            }
            List<TrieNode> old = new ArrayList<>();
            collect(tree.trie(new byte[0]), old);
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 4000; i++) { // spills, compactions, merges and lifts move every frame
                    byte[] k = randomKey(rnd);
                    if (rnd.nextBoolean()) {
                        tree.put(k, ("r" + round).getBytes(UTF_8));
                        model.put(k, ("r" + round).getBytes(UTF_8));
                    } else {
                        tree.delete(k);
                        model.remove(k);
                    }
                }
                for (int i = 0; i < old.size(); i += 7) {
                    TrieNode n = old.get(i);
                    checkNode(n, n.key(), model, "round " + round + " node " + i);
                }
            }
        }
    }

    @Test
    void aRootFoundWhenItsBaseWasEmptySeesKeysWrittenLater() {
        try (Tree tree = Tree.inMemory()) {
            TrieNode root = tree.trie(key("base/"));
            assertFalse(root.isFinal());
            assertEquals(0, root.childCount());
            assertNull(root.child('a'));
            tree.put(key("base/ab"), key("1"));
            tree.put(key("base/"), key("0"));
            tree.put(key("other"), key("2"));
            assertTrue(root.isFinal());
            assertArrayEquals(key("0"), root.value());
            TrieNode b = root.child('a').child('b');
            assertArrayEquals(key("1"), b.value());
            assertEquals(tree.getRecord(key("base/ab")), b.record());
            assertArrayEquals(key("ab"), b.key());
            assertEquals(2, b.depth());
            assertEquals(tree.trie(key("base/")).child('a').child('b'), b, "nodes are their key prefixes");
            tree.delete(key("base/ab"));
            assertNull(root.child('a'), "the prefix has no key any more");
            assertFalse(b.isFinal(), "a node of a removed key is empty");
            assertEquals(0, b.childCount());
        }
    }

    @Test
    void aSnapshotsTrieKeepsItsMoment() {
        SplittableRandom rnd = new SplittableRandom(5);
        NavigableMap<byte[], byte[]> model = model();
        try (Tree tree = Tree.inMemory(SMALL)) {
            for (int i = 0; i < 3000; i++) {
                byte[] k = ("d" + rnd.nextInt(5) + "/f" + rnd.nextInt(5000)).getBytes(UTF_8);
                tree.put(k, k);
                model.put(k, k);
            }
            try (Snapshot snap = tree.snapshot(key("d2"))) {
                TrieNode root = snap.trie(key("d2/"));
                List<TrieNode> nodes = new ArrayList<>();
                collect(root, nodes);
                for (int i = 0; i < 8000; i++) {
                    byte[] k = ("d" + rnd.nextInt(5) + "/f" + rnd.nextInt(5000)).getBytes(UTF_8);
                    if (rnd.nextBoolean()) {
                        tree.put(k, key("new"));
                    } else {
                        tree.delete(k);
                    }
                }
                assertTrue(snap.retainedBytes() > 0, "the writes changed frames the snapshot covers");
                assertEquals(under(model, key("d2/")).size(), checkAll(root, key("d2/"), model, "snapshot"));
                for (int i = 0; i < nodes.size(); i += 5) {
                    checkNode(nodes.get(i), nodes.get(i).key(), under(model, key("d2/")), "old snapshot node",
                            key("d2/"));
                }
                assertThrows(IllegalArgumentException.class, () -> snap.trie(key("d3/")));
                snap.close();
                assertThrows(IllegalStateException.class, root::isFinal);
            }
        }
    }

    @Test
    void walksDuringWritesFindEveryStableKeyAndNothingNeverWritten() throws InterruptedException {
        NavigableMap<byte[], byte[]> stable = model();
        try (Tree tree = Tree.inMemory(SMALL)) {
            SplittableRandom rnd = new SplittableRandom(3);
            for (int i = 0; i < 2000; i++) {
                byte[] k = ("s" + rnd.nextInt(6) + "/" + i).getBytes(UTF_8);
                tree.put(k, k);
                stable.put(k, k);
            }
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                long seed = w;
                writers.add(Thread.ofPlatform().start(() -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    try {
                        while (!stop.get()) { // churn keys interleaved with the stable ones: "s3/77x", "s3/7z..."
                            byte[] k = ("s" + r.nextInt(6) + "/" + r.nextInt(2000) + "z".repeat(r.nextInt(3))
                                    + "x" + r.nextInt(30)).getBytes(UTF_8);
                            if (r.nextBoolean()) {
                                tree.put(k, k);
                            } else {
                                tree.delete(k);
                            }
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            try {
                for (int walk = 0; walk < 6; walk++) {
                    NavigableMap<byte[], byte[]> seen = model();
                    keys(tree.trie(new byte[0]), new byte[0], seen);
                    for (byte[] k : stable.keySet()) {
                        assertArrayEquals(k, seen.get(k), "stable key " + new String(k, UTF_8));
                    }
                    for (byte[] k : seen.keySet()) {
                        String s = new String(k, UTF_8);
                        assertTrue(stable.containsKey(k) || s.matches("s[0-5]/\\d+z*x\\d+"), "foreign key " + s);
                        assertArrayEquals(k, seen.get(k), "value of " + s);
                    }
                }
            } finally {
                stop.set(true);
                for (Thread t : writers) {
                    t.join();
                }
            }
            assertTrue(failures.isEmpty(), () -> "writer failed: " + failures.peek());
        }
    }

    @Test
    void aReopenedDurableTreeWalksTheSameTrie(@TempDir Path dir) throws Exception {
        NavigableMap<byte[], byte[]> model = model();
        SplittableRandom rnd = new SplittableRandom(9);
        try (Tree tree = Tree.open(dir, SMALL.durability(io.cairn.stack.Durability.NONE))) {
            for (int i = 0; i < 2000; i++) {
                byte[] k = randomKey(rnd);
                tree.put(k, k);
                model.put(k, k);
            }
        }
        try (Tree tree = Tree.open(dir, SMALL)) {
            TrieNode root = tree.trie(new byte[0]);
            assertEquals(model.size(), checkAll(root, new byte[0], model, "reopened"));
            byte[] k = randomKey(rnd);
            tree.put(k, key("after"));
            model.put(k, key("after"));
            assertEquals(model.size(), checkAll(root, new byte[0], model, "after a write"));
        }
        try (Tree tree = Tree.openReadOnly(dir)) {
            assertEquals(model.size(), checkAll(tree.trie(new byte[0]), new byte[0], model, "read-only"));
        }
    }

    @Test
    void argumentsAndClosedTrees() {
        Tree tree = Tree.inMemory();
        tree.put(key("ab"), key("v"));
        TrieNode root = tree.trie(new byte[0]);
        assertThrows(IllegalArgumentException.class, () -> root.child(256));
        assertThrows(IllegalArgumentException.class, () -> root.child(-1));
        assertThrows(NullPointerException.class, () -> tree.trie(null));
        assertThrows(NullPointerException.class, () -> root.forEachChild(null));
        assertEquals(root.child('a'), tree.trie(new byte[0]).child('a'));
        assertFalse(root.equals(root.child('a')));
        assertFalse(root.equals(Tree.inMemory().trie(new byte[0])), "nodes of different tries differ");
        tree.close();
        assertThrows(IllegalStateException.class, root::isFinal);
        assertThrows(IllegalStateException.class, () -> root.child('a'));
        assertThrows(IllegalStateException.class, () -> tree.trie(new byte[0]));
    }

    // ---- checks

    /** Checks every node under {@code root} against {@code model}; returns the keys found. */
    private static int checkAll(TrieNode root, byte[] base, NavigableMap<byte[], byte[]> model, String at) {
        List<TrieNode> nodes = new ArrayList<>();
        collect(root, nodes);
        int keys = 0;
        for (TrieNode n : nodes) {
            checkNode(n, n.key(), model, at, base);
            keys += n.isFinal() ? 1 : 0;
        }
        return keys;
    }

    private static void checkNode(TrieNode n, byte[] key, NavigableMap<byte[], byte[]> model, String at) {
        checkNode(n, key, model, at, new byte[0]);
    }

    private static void checkNode(TrieNode n, byte[] key, NavigableMap<byte[], byte[]> model, String at,
            byte[] base) {
        byte[] full = concat(base, key);
        String where = at + ", key " + HexFormat.of().formatHex(full);
        byte[] expected = model.get(full);
        assertEquals(expected != null, n.isFinal(), where + ": final");
        assertArrayEquals(expected, n.value(), where + ": value");
        TreeSet<Integer> next = new TreeSet<>(); // the bytes after full, found by jumping from one to the next
        byte[] probe = Arrays.copyOf(full, full.length + 1);
        for (byte[] k = model.higherKey(full); k != null && Keys.startsWith(k, full); k = model.ceilingKey(probe)) {
            int b = k[full.length] & 0xFF;
            next.add(b);
            if (b == 0xFF) {
                break;
            }
            probe[full.length] = (byte) (b + 1);
        }
        List<Integer> children = new ArrayList<>();
        n.forEachChild((b, child) -> {
            children.add(b);
            assertEquals(n.depth() + 1, child.depth(), where);
        });
        assertEquals(List.copyOf(next), children, where + ": children");
        assertEquals(next.size(), n.childCount(), where + ": child count");
        for (int b : new int[] {0, 'x', 0xFF, next.isEmpty() ? 1 : next.first(), next.isEmpty() ? 2 : next.last()}) {
            assertEquals(next.contains(b), n.child(b) != null, where + ": child " + b);
        }
    }

    private static void collect(TrieNode n, List<TrieNode> out) {
        out.add(n);
        n.forEachChild((b, child) -> collect(child, out));
    }

    private static void keys(TrieNode n, byte[] key, Map<byte[], byte[]> out) {
        byte[] value = n.value();
        if (value != null) {
            out.put(key, value);
        }
        n.forEachChild((b, child) -> keys(child, concat(key, new byte[] {(byte) b}), out));
    }

    private static NavigableMap<byte[], byte[]> under(NavigableMap<byte[], byte[]> model, byte[] prefix) {
        NavigableMap<byte[], byte[]> out = model();
        for (Map.Entry<byte[], byte[]> e : model.tailMap(prefix, true).entrySet()) {
            if (!Keys.startsWith(e.getKey(), prefix)) {
                break;
            }
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] key(String s) {
        return s.getBytes(UTF_8);
    }
}
