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
 * any prefix of a thread's operations on a {@link TreeMap} and compare it with what a crashed tree recovered. On a
 * database the keys are spread over {@link #TREES} and a batch spans up to three of them; the model's keys are then
 * {@code <tree>:<key>}.
 */
final class CrashWorkload {
    static final int KEYS = 16;
    /** The trees of the database workload. */
    static final List<String> TREES = List.of("red", "green", "blue");

    private final int thread;
    private final int trees;
    private final SplittableRandom rnd;

    /** A workload on one tree ({@code trees} = 1) or on the first {@code trees} of {@link #TREES}. */
    CrashWorkload(int thread, long seed, int trees) {
        this.thread = thread;
        this.trees = trees;
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
        step(index, null, tree, model);
    }

    /** One operation: applied to the database's trees when {@code db} is set, and always to the model. */
    void step(int index, Database db, TreeMap<String, String> model) {
        step(index, db, null, model);
    }

    private void step(int index, Database db, Tree tree, TreeMap<String, String> model) {
        String value = "v" + thread + "-" + index;
        int kind = rnd.nextInt(100);
        String a = key(rnd.nextInt(KEYS));
        String b = key(rnd.nextInt(KEYS));
        String c = key(rnd.nextInt(KEYS));
        String ta = TREES.get(rnd.nextInt(trees));
        String tb = TREES.get(rnd.nextInt(trees));
        String tc = TREES.get(rnd.nextInt(trees));
        Tree target = db != null ? db.openTree(ta) : tree;
        String ma = modelKey(ta, a);
        if (kind < 50) {
            if (target != null) {
                target.put(bytes(a), bytes(value));
            }
            model.put(ma, value);
        } else if (kind < 65) {
            if (target != null) {
                target.delete(bytes(a));
            }
            model.remove(ma);
        } else if (kind < 80) {
            boolean moved = model.containsKey(ma);
            if (target != null) {
                try {
                    target.rename(bytes(a), bytes(b), true);
                } catch (NoSuchElementException e) {
                    if (moved) {
                        throw new AssertionError("rename of present " + ma + " found it missing", e);
                    }
                }
            }
            if (moved) {
                model.put(modelKey(ta, b), model.remove(ma));
            }
        } else {
            if (db != null) {
                db.atomic(x -> {
                    x.tree(ta).put(bytes(a), bytes(value));
                    x.tree(tb).put(bytes(b), bytes(value + "b"));
                    x.tree(tc).delete(bytes(c));
                });
            } else if (tree != null) {
                tree.atomic(batch -> batch.put(bytes(a), bytes(value)).put(bytes(b), bytes(value + "b"))
                        .delete(bytes(c)));
            }
            // applied in key order, net per key: a put of the same key twice keeps the later value
            model.put(ma, value);
            model.put(modelKey(tb, b), value + "b");
            model.remove(modelKey(tc, c));
        }
    }

    private String modelKey(String tree, String key) {
        return trees == 1 ? key : tree + ":" + key;
    }

    /** The model after each prefix of operations: element {@code j + 1} is the state after operation {@code j}. */
    static List<TreeMap<String, String>> states(int thread, long seed, int trees, int lastIndex) {
        CrashWorkload w = new CrashWorkload(thread, seed, trees);
        List<TreeMap<String, String>> out = new ArrayList<>();
        TreeMap<String, String> model = new TreeMap<>();
        out.add(new TreeMap<>(model));
        for (int i = 0; i <= lastIndex; i++) {
            w.step(i, null, null, model);
            out.add(new TreeMap<>(model));
        }
        return out;
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
