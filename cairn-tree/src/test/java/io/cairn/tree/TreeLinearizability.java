package io.cairn.tree;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.testkit.Linearizability;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.function.Supplier;

/**
 * Records histories of {@code get}, {@code put}, {@code putIfAbsent}, {@code compareAndPut}, {@code delete} and
 * {@code rename} on a handful of keys from several threads, and checks each with {@link Linearizability} against a
 * sequential model of the tree.
 *
 * <p>Versions are drawn by the tree, so the model cannot predict their numbers; it predicts which write a key holds
 * (a token: the operation that wrote it) and learns each token's version from the reads that show it. A token has one
 * version and a version one token (every write gets a fresh version), which is all {@code compareAndPut} needs: it
 * succeeds exactly when the key holds the write whose version it names.
 */
final class TreeLinearizability {
    static final int KEYS = 3;
    static final int THREADS = 3;
    static final int OPS_PER_THREAD = 5;

    private TreeLinearizability() {}

    /** What a key holds: a value (its unique id) written by the operation {@code token}; null slot = absent. */
    record Slot(int value, int token) {}

    /** The model: each key's slot, and every version learned so far with the token it belongs to. */
    record Model(List<Slot> slots, Map<Long, Integer> tokenOfVersion) {
        Slot slot(int key) {
            return slots.get(key);
        }

        Model with(int key, Slot slot) {
            List<Slot> next = new ArrayList<>(slots);
            next.set(key, slot);
            return new Model(java.util.Collections.unmodifiableList(next), tokenOfVersion);
        }

        /** This model with {@code version} bound to {@code token}, or null if either is bound to another. */
        Model bind(int token, long version) {
            Integer owner = tokenOfVersion.get(version);
            if (owner != null) {
                return owner == token ? this : null;
            }
            if (tokenOfVersion.containsValue(token)) {
                return null;
            }
            Map<Long, Integer> next = new HashMap<>(tokenOfVersion);
            next.put(version, token);
            return new Model(slots, Map.copyOf(next));
        }
    }

    /**
     * Runs {@code rounds} rounds on fresh trees from {@code trees} and fails with the first history that has no
     * linearization.
     */
    static void check(Supplier<Tree> trees, int rounds, long seed) throws Exception {
        check(trees, rounds, seed, 0);
    }

    /**
     * As {@link #check(Supplier, int, long)}, with {@code filler} more keys stored under the checked keys'
     * directories first, and a thread reading random ones of them while the checked threads run: in a file-backed
     * tree with a small cache, the checked keys' frames are then evicted and reloaded during the history.
     */
    static void check(Supplier<Tree> trees, int rounds, long seed, int filler) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int round = 0; round < rounds; round++) {
            try (Tree tree = trees.get()) {
                List<Linearizability.Call<Model>> history = new ArrayList<>();
                fill(tree, filler);
                Model initial = preload(tree, rnd.split(), history);
                java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
                Thread churn = Thread.ofPlatform().start(() -> readFiller(tree, filler, done));
                try {
                    runThreads(tree, rnd.split(), history);
                } finally {
                    done.set(true);
                    churn.join();
                }
                boolean ok = Linearizability.check(initial, history);
                assertTrue(ok, "seed " + seed + " round " + round + ": no linearization of\n"
                        + Linearizability.describe(history));
            }
        }
    }

    private static byte[] fillerKey(int i) {
        return ("dir/key-" + i % KEYS + "/filler-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static void fill(Tree tree, int filler) {
        for (int from = 0; from < filler; from += 500) {
            int start = from;
            tree.atomic(batch -> {
                for (int i = start; i < Math.min(filler, start + 500); i++) {
                    batch.put(fillerKey(i), value(i));
                }
            });
        }
    }

    /** Reads random filler keys (and lists a directory now and then) until {@code done}. */
    static void readFiller(Tree tree, int filler, java.util.concurrent.atomic.AtomicBoolean done) {
        SplittableRandom rnd = new SplittableRandom(filler);
        while (filler > 0 && !done.get()) {
            int i = rnd.nextInt(filler);
            byte[] v = tree.get(fillerKey(i));
            if (v == null || ByteBuffer.wrap(v).getInt() != i) {
                throw new AssertionError("filler key " + i + " reads " + java.util.Arrays.toString(v));
            }
            if (rnd.nextInt(64) == 0) {
                tree.prefixCount(("dir/key-" + rnd.nextInt(KEYS) + "/").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        Long.MAX_VALUE);
            }
        }
    }

    private static byte[] key(int k) {
        return ("dir/key-" + k).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] value(int id) {
        return ByteBuffer.allocate(4).putInt(id).array();
    }

    /** Stores some of the keys before the threads start; their writes are the model's initial tokens. */
    private static Model preload(Tree tree, SplittableRandom rnd, List<Linearizability.Call<Model>> history) {
        List<Slot> slots = new ArrayList<>();
        Map<Long, Integer> versions = new HashMap<>();
        for (int k = 0; k < KEYS; k++) {
            if (rnd.nextBoolean()) {
                int id = -1 - k;
                tree.put(key(k), value(id));
                slots.add(new Slot(id, id));
                versions.put(tree.getRecord(key(k)).version(), id);
            } else {
                slots.add(null);
            }
        }
        return new Model(java.util.Collections.unmodifiableList(slots), Map.copyOf(versions));
    }

    private static void runThreads(Tree tree, SplittableRandom rnd, List<Linearizability.Call<Model>> history)
            throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<List<Linearizability.Call<Model>>> perThread = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < THREADS; t++) {
            List<Linearizability.Call<Model>> mine = new ArrayList<>();
            perThread.add(mine);
            SplittableRandom own = rnd.split();
            int thread = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    long[] seen = new long[KEYS];
                    for (int i = 0; i < OPS_PER_THREAD; i++) {
                        mine.add(oneCall(tree, own, thread * 100 + i, seen));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("a worker failed", failures.getFirst());
        }
        perThread.forEach(history::addAll);
    }

    /** Performs one random operation, timing it, and returns it with the model step that checks its result. */
    private static Linearizability.Call<Model> oneCall(Tree tree, SplittableRandom rnd, int token, long[] seen) {
        int k = rnd.nextInt(KEYS);
        byte[] key = key(k);
        long invoked;
        switch (rnd.nextInt(6)) {
            case 0 -> {
                invoked = System.nanoTime();
                Record r = tree.getRecord(key);
                long returned = System.nanoTime();
                int got = r == null ? 0 : ByteBuffer.wrap(r.value()).getInt();
                long version = r == null ? 0 : r.version();
                if (r != null) {
                    seen[k] = version;
                }
                return new Linearizability.Call<>(invoked, returned, m -> {
                    Slot s = m.slot(k);
                    if (r == null) {
                        return s == null ? m : null;
                    }
                    return s != null && s.value() == got ? m.bind(s.token(), version) : null;
                }, "get " + k + " = " + (r == null ? "absent" : got + " @" + version));
            }
            case 1 -> {
                invoked = System.nanoTime();
                tree.put(key, value(token));
                long returned = System.nanoTime();
                return new Linearizability.Call<>(invoked, returned, m -> m.with(k, new Slot(token, token)),
                        "put " + k + " = " + token);
            }
            case 2 -> {
                invoked = System.nanoTime();
                boolean done = tree.putIfAbsent(key, value(token));
                long returned = System.nanoTime();
                return new Linearizability.Call<>(invoked, returned,
                        m -> (m.slot(k) == null) != done ? null : done ? m.with(k, new Slot(token, token)) : m,
                        "putIfAbsent " + k + " = " + token + " -> " + done);
            }
            case 3 -> {
                long expected = seen[k] != 0 && rnd.nextInt(4) != 0 ? seen[k] : 1_000_000 + rnd.nextInt(10);
                invoked = System.nanoTime();
                boolean done = tree.compareAndPut(key, expected, value(token));
                long returned = System.nanoTime();
                return new Linearizability.Call<>(invoked, returned, m -> compareAndPut(m, k, expected, token, done),
                        "compareAndPut " + k + " @" + expected + " = " + token + " -> " + done);
            }
            case 4 -> {
                invoked = System.nanoTime();
                boolean done = tree.delete(key);
                long returned = System.nanoTime();
                return new Linearizability.Call<>(invoked, returned,
                        m -> (m.slot(k) != null) != done ? null : m.with(k, null),
                        "delete " + k + " -> " + done);
            }
            default -> {
                int target = rnd.nextInt(KEYS);
                boolean overwrite = rnd.nextBoolean();
                invoked = System.nanoTime();
                String outcome;
                try {
                    tree.rename(key, key(target), overwrite);
                    outcome = "moved";
                } catch (NoSuchElementException e) {
                    outcome = "missing";
                } catch (IllegalStateException e) {
                    outcome = "exists";
                }
                long returned = System.nanoTime();
                String result = outcome;
                return new Linearizability.Call<>(invoked, returned, m -> rename(m, k, target, overwrite, token, result),
                        "rename " + k + " -> " + target + (overwrite ? " (overwrite)" : "") + ": " + outcome);
            }
        }
    }

    private static Model compareAndPut(Model m, int k, long expected, int token, boolean done) {
        Slot s = m.slot(k);
        if (s == null) {
            return done ? null : m;
        }
        if (done) {
            Model bound = m.bind(s.token(), expected);
            return bound == null ? null : bound.with(k, new Slot(token, token));
        }
        // a failed compareAndPut is consistent unless the key's write is known to have exactly that version
        Integer owner = m.tokenOfVersion().get(expected);
        return owner != null && owner == s.token() ? null : m;
    }

    private static Model rename(Model m, int source, int target, boolean overwrite, int token, String outcome) {
        Slot s = m.slot(source);
        String expected = s == null ? "missing" : !overwrite && m.slot(target) != null ? "exists" : "moved";
        if (!expected.equals(outcome)) {
            return null;
        }
        return outcome.equals("moved") ? m.with(source, null).with(target, new Slot(s.value(), token)) : m;
    }
}
