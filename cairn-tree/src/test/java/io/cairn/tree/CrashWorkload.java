package io.cairn.tree;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The deterministic workload of the SIGKILL test: thread {@code t} works on its own keys ({@code t<t>/k..}) with
 * puts, deletes, renames and atomic batches drawn from a random sequence seeded by {@code t}, so the test can replay
 * any prefix of a thread's operations on a {@link TreeMap} and compare it with what a crashed tree recovered.
 */
final class CrashWorkload {
    static final int KEYS = 16;

    private final int thread;
    private final SplittableRandom rnd;

    CrashWorkload(int thread, long seed) {
        this.thread = thread;
        this.rnd = new SplittableRandom(seed * 1_000_003 + thread);
    }

    String prefix() {
        return "t" + thread + "/";
    }

    private String key(int k) {
        return prefix() + "k" + k;
    }

    /** One operation: applied to the tree when {@code tree} is set, and always to the model. */
    void step(int index, Tree tree, TreeMap<String, String> model) {
        String value = "v" + thread + "-" + index;
        int kind = rnd.nextInt(100);
        String a = key(rnd.nextInt(KEYS));
        String b = key(rnd.nextInt(KEYS));
        String c = key(rnd.nextInt(KEYS));
        if (kind < 50) {
            if (tree != null) {
                tree.put(bytes(a), bytes(value));
            }
            model.put(a, value);
        } else if (kind < 65) {
            if (tree != null) {
                tree.delete(bytes(a));
            }
            model.remove(a);
        } else if (kind < 80) {
            boolean moved = model.containsKey(a);
            if (tree != null) {
                try {
                    tree.rename(bytes(a), bytes(b), true);
                } catch (NoSuchElementException e) {
                    if (moved) {
                        throw new AssertionError("rename of present " + a + " found it missing", e);
                    }
                }
            }
            if (moved) {
                model.put(b, model.remove(a));
            }
        } else {
            if (tree != null) {
                tree.atomic(batch -> batch.put(bytes(a), bytes(value)).put(bytes(b), bytes(value + "b"))
                        .delete(bytes(c)));
            }
            // applied in key order, net per key: a put of the same key twice keeps the later value
            model.put(a, value);
            model.put(b, value + "b");
            model.remove(c);
        }
    }

    /** The model after each prefix of operations: element {@code j + 1} is the state after operation {@code j}. */
    static List<TreeMap<String, String>> states(int thread, long seed, int lastIndex) {
        CrashWorkload w = new CrashWorkload(thread, seed);
        List<TreeMap<String, String>> out = new ArrayList<>();
        TreeMap<String, String> model = new TreeMap<>();
        out.add(new TreeMap<>(model));
        for (int i = 0; i <= lastIndex; i++) {
            w.step(i, null, model);
            out.add(new TreeMap<>(model));
        }
        return out;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
