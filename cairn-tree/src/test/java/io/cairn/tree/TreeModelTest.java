package io.cairn.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Model-based test: random operation mixes against {@link TreeModel}, over path-shaped keys from a tiny alphabet
 * (with '/' and 0x00, so prefixes collide and K / K+0x00 pairs occur), with small frames so the data spills into
 * many frames. Failures report the seed and operation index; rerun a seed by adding it to the list.
 */
class TreeModelTest {
    private static final byte[] ALPHABET = {'a', 'b', '/', 0, 'c', (byte) 0xFF};

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void randomOperationsMatchTheModelWithSmallFrames(long seed) {
        run(seed, TreeOptions.defaults().frameSize(8192), 12_000);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {101, 102})
    void randomOperationsMatchTheModelWithRealFrames(long seed) {
        run(seed, TreeOptions.defaults(), 12_000);
    }

    static void run(long seed, TreeOptions options, int ops) {
        run(seed, Backing.memory(options), ops);
    }

    /**
     * Where the tree under test lives: in memory, or in a directory where it can also be closed and reopened,
     * checkpointed, or lose its process to a simulated power failure ({@link #crash}: everything not forced is
     * dropped; with SYNC durability every acknowledged write must survive it).
     */
    interface Backing {
        Tree open();

        /** Chance per operation (of 1000) of a close and reopen, a crash and reopen, a checkpoint. */
        default int restartsPerMille() {
            return 0;
        }

        /** Drops everything not forced and kills the open handles (the tree is then reopened). */
        default void crash() {
            throw new UnsupportedOperationException("a memory tree cannot crash");
        }

        static Backing memory(TreeOptions options) {
            return () -> Tree.inMemory(options);
        }
    }

    /** Runs {@code ops} random operations against the model; returns the tree's statistics at the end. */
    static TreeStats run(long seed, Backing backing, int ops) {
        SplittableRandom rnd = new SplittableRandom(seed);
        TreeModel model = new TreeModel();
        long lastVersion = 0;
        List<byte[]> known = new ArrayList<>();
        Tree tree = backing.open();
        try {
            Snapshot snap = null;
            TreeModel snapModel = null;
            int i = 0;
            try {
                for (; i < ops; i++) {
                    byte[] key = pickKey(rnd, known);
                    int restart = backing.restartsPerMille() == 0 ? 1000 : rnd.nextInt(1000);
                    if (restart < 3 * backing.restartsPerMille()) {
                        snap = null; // closed with the tree
                        if (restart < backing.restartsPerMille()) {
                            tree.close();
                            tree = backing.open();
                        } else if (restart < 2 * backing.restartsPerMille()) {
                            backing.crash();
                            tree = backing.open();
                        } else {
                            tree.checkpoint();
                        }
                        assertEquals(model.map.size(), tree.stats().keys(), "key count after a restart");
                        continue;
                    }
                    int op = rnd.nextInt(100);
                    if (op < 30) {
                        byte[] value = value(rnd);
                        tree.put(key, value);
                        Record r = tree.getRecord(key);
                        assertTrue(r.version() > lastVersion, "versions increase");
                        lastVersion = r.version();
                        model.map.put(key, new TreeModel.Entry(value, r.version()));
                    } else if (op < 36) {
                        byte[] value = value(rnd);
                        boolean expect = !model.map.containsKey(key);
                        assertEquals(expect, tree.putIfAbsent(key, value), "putIfAbsent");
                        if (expect) {
                            model.map.put(key, new TreeModel.Entry(value, tree.getRecord(key).version()));
                        }
                    } else if (op < 42) {
                        TreeModel.Entry e = model.map.get(key);
                        long version = e != null && rnd.nextBoolean() ? e.version() : rnd.nextLong(lastVersion + 2);
                        boolean expect = e != null && e.version() == version;
                        byte[] value = value(rnd);
                        assertEquals(expect, tree.compareAndPut(key, version, value), "compareAndPut");
                        if (expect) {
                            model.map.put(key, new TreeModel.Entry(value, tree.getRecord(key).version()));
                        }
                    } else if (op < 55) {
                        assertEquals(model.map.remove(key) != null, tree.delete(key), "delete");
                    } else if (op < 58) {
                        TreeModel.Entry e = model.map.get(key);
                        long version = e != null && rnd.nextBoolean() ? e.version() : rnd.nextLong(lastVersion + 2);
                        boolean expect = e != null && e.version() == version;
                        assertEquals(expect, tree.deleteIfVersion(key, version), "deleteIfVersion");
                        if (expect) {
                            model.map.remove(key);
                        }
                    } else if (op < 62) {
                        rename(tree, model, key, pickKey(rnd, known), rnd.nextBoolean());
                    } else if (op < 66) {
                        batch(tree, model, rnd, known);
                    } else if (op < 78) {
                        TreeModel.Entry e = model.map.get(key);
                        Record r = tree.getRecord(key);
                        if (e == null) {
                            assertNull(r, "get of an absent key");
                        } else {
                            assertArrayEquals(e.value(), r.value(), "value");
                            assertEquals(e.version(), r.version(), "version");
                        }
                    } else if (op < 82) {
                        checkLongestPrefix(model, key, tree.longestPrefix(key), "longestPrefix");
                    } else if (op < 94) {
                        byte[] prefix = prefixOf(rnd, key);
                        checkScan(tree.scan(prefix), model, rnd, prefix);
                    } else if (op < 96) {
                        byte[] prefix = prefixOf(rnd, key);
                        long limit = rnd.nextInt(3) == 0 ? rnd.nextInt(5) : Long.MAX_VALUE;
                        assertEquals(model.prefixCount(prefix, limit), tree.prefixCount(prefix, limit), "count");
                        assertEquals(model.prefixCount(prefix, 1) == 0, tree.isPrefixEmpty(prefix), "empty");
                    } else if (op < 98) {
                        if (snap != null) {
                            checkSnapshot(snap, snapModel, rnd);
                            snap.close();
                        }
                        byte[] scope = prefixOf(rnd, key);
                        snap = tree.snapshot(scope);
                        snapModel = new TreeModel();
                        for (Map.Entry<byte[], TreeModel.Entry> e : model.map.entrySet()) {
                            if (Keys.startsWith(e.getKey(), scope)) {
                                snapModel.map.put(e.getKey(), e.getValue());
                            }
                        }
                    } else if (snap != null) {
                        checkSnapshot(snap, snapModel, rnd);
                    }
                }
                assertEquals(model.map.size(), tree.stats().keys(), "key count");
                checkScan(tree.scan(new byte[0]), model, rnd, new byte[0]);
                if (snap != null) {
                    snap.close();
                }
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + " failed at operation " + i + ": " + e.getMessage(), e);
            }
            TreeStats last = tree.stats();
            System.out.println("seed " + seed + ": " + model.map.size() + " keys, " + last);
            return last;
        } finally {
            tree.close();
        }
    }

    private static void checkSnapshot(Snapshot snap, TreeModel model, SplittableRandom rnd) {
        byte[] scope = snap.prefix();
        List<ScanEntry> all = snap.scan(scope).toList();
        assertEquals(model.scan(scope, null, -1, false, Long.MAX_VALUE), all, "snapshot contents");
        for (byte[] k : model.map.keySet()) {
            assertArrayEquals(model.map.get(k).value(), snap.get(k));
            break;
        }
        byte[] outside = Arrays.copyOf(scope, scope.length);
        if (outside.length > 0) {
            outside[outside.length - 1] ^= 1;
            byte[] o = outside;
            assertThrows(IllegalArgumentException.class, () -> snap.get(o), "read outside the snapshot");
        }
        checkScan(snap.scan(scope), model, rnd, scope);
        List<byte[]> keys = new ArrayList<>(model.map.keySet());
        for (int i = 0; i < 8 && !keys.isEmpty(); i++) {
            // a stored key, possibly extended or cut back towards the scope: the longest stored prefix must match
            byte[] k = keys.get(rnd.nextInt(keys.size()));
            byte[] query = rnd.nextBoolean() ? Arrays.copyOf(k, k.length + 1 + rnd.nextInt(3))
                    : Arrays.copyOf(k, scope.length + rnd.nextInt(k.length - scope.length + 1));
            checkLongestPrefix(model, query, snap.longestPrefix(query), "snapshot longestPrefix");
        }
    }

    /** {@code got} must be the model's longest stored prefix of {@code query}, with its value (or null if none). */
    private static void checkLongestPrefix(TreeModel model, byte[] query, PrefixRecord got, String what) {
        byte[] expect = model.longestPrefix(query);
        if (expect == null) {
            assertNull(got, what + ": no stored key is a prefix of the query");
        } else {
            assertArrayEquals(expect, got.key(), what + " key");
            assertArrayEquals(model.map.get(expect).value(), got.value(), what + " value");
        }
    }

    private static void checkScan(Scan scan, TreeModel model, SplittableRandom rnd, byte[] prefix) {
        byte[] startAfter = null;
        int delimiter = -1;
        boolean keysOnly = rnd.nextInt(4) == 0;
        long limit = Long.MAX_VALUE;
        if (rnd.nextBoolean()) {
            startAfter = randomKey(rnd);
            scan = scan.startAfter(startAfter);
        }
        if (rnd.nextBoolean()) {
            delimiter = rnd.nextBoolean() ? '/' : 0;
            scan = scan.delimiter((byte) delimiter);
        }
        if (keysOnly) {
            scan = scan.keysOnly();
        }
        if (rnd.nextInt(3) == 0) {
            limit = rnd.nextInt(600);
            scan = scan.limit(limit);
        }
        List<ScanEntry> expect = model.scan(prefix, startAfter, delimiter, keysOnly, limit);
        List<ScanEntry> actual = scan.toList();
        if (!expect.equals(actual)) {
            fail("scan prefix=" + hex(prefix) + " startAfter=" + (startAfter == null ? null : hex(startAfter))
                    + " delimiter=" + delimiter + " limit=" + limit + "\n expected " + expect.size() + ": "
                    + head(expect) + "\n actual   " + actual.size() + ": " + head(actual));
        }
        // the in-place reading path sees the same entries, and stops where its visitor says
        int stopAfter = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(400) : Integer.MAX_VALUE;
        List<ScanEntry> visited = new ArrayList<>();
        long shown = scan.visit(view -> {
            visited.add(inPlace(view));
            return visited.size() < stopAfter;
        });
        assertEquals(expect.subList(0, Math.min(expect.size(), stopAfter)), visited, "visited entries");
        assertEquals(visited.size(), shown, "visit count");
    }

    /** The view's entry, checking that its in-place segments hold what its copies hold. */
    private static ScanEntry inPlace(ScanView view) {
        byte[] key = view.key().toArray(ValueLayout.JAVA_BYTE);
        assertArrayEquals(view.keyBytes(), key, "key segment");
        assertEquals(key.length, view.keyLength(), "key length");
        byte[] value = view.value() == null ? null : view.value().toArray(ValueLayout.JAVA_BYTE);
        assertArrayEquals(view.valueBytes(), value, "value segment");
        assertEquals(value == null ? -1 : value.length, view.valueLength(), "value length");
        byte[] array = view.array();
        assertArrayEquals(key, Arrays.copyOfRange(array, view.keyOffset(), view.keyOffset() + key.length),
                "key in the buffer");
        if (value != null) {
            assertArrayEquals(value, Arrays.copyOfRange(array, view.valueOffset(), view.valueOffset() + value.length),
                    "value in the buffer");
        }
        return view.isCommonPrefix() ? ScanEntry.commonPrefix(key) : ScanEntry.key(key, value, view.version());
    }

    private static String head(List<ScanEntry> l) {
        return l.subList(0, Math.min(8, l.size())).toString();
    }

    private static void rename(Tree tree, TreeModel model, byte[] src, byte[] dst, boolean overwrite) {
        TreeModel.Entry e = model.map.get(src);
        if (e == null) {
            assertThrows(NoSuchElementException.class, () -> tree.rename(src, dst, overwrite), "missing source");
        } else if (!overwrite && model.map.containsKey(dst)) { // a key renamed onto itself included
            assertThrows(IllegalStateException.class, () -> tree.rename(src, dst, overwrite), "existing target");
        } else {
            tree.rename(src, dst, overwrite);
            model.map.remove(src);
            Record r = tree.getRecord(dst);
            assertArrayEquals(e.value(), r.value(), "renamed value");
            assertTrue(r.version() > e.version(), "the target gets a new version");
            model.map.put(dst, new TreeModel.Entry(e.value(), r.version()));
        }
    }

    /** A random batch, applied to a copy of the model by the documented rules, compared with the tree's answer. */
    private static void batch(Tree tree, TreeModel model, SplittableRandom rnd, List<byte[]> known) {
        TreeModel after = model.copy();
        boolean ok = true;
        List<java.util.function.Consumer<AtomicBatch>> steps = new ArrayList<>();
        int n = rnd.nextInt(5);
        for (int j = 0; j < n; j++) {
            byte[] k = pickKey(rnd, known);
            TreeModel.Entry cur = after.map.get(k);
            byte[] v = value(rnd);
            switch (rnd.nextInt(8)) {
                case 0 -> {
                    steps.add(b -> b.put(k, v));
                    after.map.put(k, new TreeModel.Entry(v, -1));
                }
                case 1 -> {
                    steps.add(b -> b.putIfAbsent(k, v));
                    ok &= cur == null;
                    after.map.put(k, new TreeModel.Entry(v, -1));
                }
                case 2 -> {
                    steps.add(b -> b.delete(k));
                    after.map.remove(k);
                }
                case 3 -> {
                    long ver = cur != null && cur.version() >= 0 ? cur.version() : 1;
                    steps.add(b -> b.compareAndPut(k, ver, v));
                    ok &= cur != null && cur.version() == ver;
                    after.map.put(k, new TreeModel.Entry(v, -1));
                }
                case 4 -> {
                    steps.add(b -> b.assertAbsent(k));
                    ok &= cur == null;
                }
                case 5 -> {
                    long ver = cur != null && cur.version() >= 0 ? cur.version() : 7;
                    steps.add(b -> b.assertVersion(k, ver));
                    ok &= cur != null && cur.version() == ver;
                }
                case 6 -> {
                    byte[] p = prefixOf(rnd, k);
                    steps.add(b -> b.assertPrefixEmpty(p));
                    ok &= after.prefixCount(p, 1) == 0;
                }
                default -> {
                    byte[] dst = pickKey(rnd, known);
                    boolean over = rnd.nextBoolean();
                    steps.add(b -> b.rename(k, dst, over));
                    if (cur == null || (!over && after.map.containsKey(dst))) {
                        ok = false;
                    } else {
                        after.map.remove(k);
                        after.map.put(dst, new TreeModel.Entry(cur.value(), -1));
                    }
                }
            }
        }
        boolean applied = tree.atomic(b -> steps.forEach(s -> s.accept(b)));
        assertEquals(ok, applied, "batch outcome");
        if (applied) {
            model.map.clear();
            for (Map.Entry<byte[], TreeModel.Entry> e : after.map.entrySet()) {
                TreeModel.Entry x = e.getValue();
                long version = x.version() >= 0 ? x.version() : tree.getRecord(e.getKey()).version();
                model.map.put(e.getKey(), new TreeModel.Entry(x.value(), version));
            }
        }
    }

    static byte[] randomKey(SplittableRandom rnd) {
        int len = rnd.nextInt(20) == 0 ? 200 + rnd.nextInt(400) : rnd.nextInt(9);
        byte[] k = new byte[len];
        for (int i = 0; i < len; i++) {
            k[i] = ALPHABET[rnd.nextInt(rnd.nextInt(8) == 0 ? ALPHABET.length : 3)];
        }
        return k;
    }

    private static byte[] pickKey(SplittableRandom rnd, List<byte[]> known) {
        if (!known.isEmpty() && rnd.nextInt(3) == 0) {
            return known.get(rnd.nextInt(known.size()));
        }
        byte[] k = randomKey(rnd);
        if (known.size() < 4000) {
            known.add(k);
        }
        return k;
    }

    private static byte[] prefixOf(SplittableRandom rnd, byte[] key) {
        return Arrays.copyOf(key, rnd.nextInt(Math.min(key.length, 6) + 1));
    }

    static byte[] value(SplittableRandom rnd) {
        byte[] v = new byte[rnd.nextInt(10) == 0 ? rnd.nextInt(300) : rnd.nextInt(24)];
        rnd.nextBytes(v);
        return v;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
