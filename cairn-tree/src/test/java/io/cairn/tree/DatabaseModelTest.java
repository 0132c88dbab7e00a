package io.cairn.tree;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.stack.Durability;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The database against a model, a {@link TreeMap} of key → value per tree name: random puts, deletes and renames on
 * random trees, batches across trees whose guards hold or fail (a failed guard anywhere changes nothing anywhere),
 * batches naming a missing tree (refused whole), trees dropped and created again under the same name, checkpoints
 * and reopens. After every step the database's tree names match the model's, and every few steps all contents do.
 */
class DatabaseModelTest {
    @TempDir
    Path dir;

    private static final int TREE_NAMES = 5;
    private static final int KEYS = 40;

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void randomOperationsAcrossTreesMatchTheModel(long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        TreeOptions options = TreeOptions.defaults().durability(Durability.NONE).frameSize(8192);
        Map<String, TreeMap<String, String>> model = new TreeMap<>();
        Database db = Database.open(dir, options);
        try {
            for (int step = 0; step < 3_000; step++) {
                String name = "tree-" + random.nextInt(TREE_NAMES);
                String key = "dir-" + random.nextInt(4) + "/k" + random.nextInt(KEYS);
                String value = "v" + step;
                TreeMap<String, String> tree = model.get(name);
                int op = random.nextInt(100);
                if (op < 4) {
                    if (tree == null) {
                        db.createTree(name);
                        model.put(name, new TreeMap<>());
                    } else {
                        Database open = db;
                        assertThrows(IllegalStateException.class, () -> open.createTree(name), name);
                    }
                } else if (op < 7) {
                    assertEquals(tree != null, db.dropTree(name), "drop " + name);
                    model.remove(name);
                } else if (op < 9) {
                    db.checkpoint();
                } else if (op < 10) {
                    db.close();
                    db = Database.open(dir, options);
                } else if (tree == null) {
                    Database open = db;
                    assertThrows(NoSuchElementException.class, () -> open.openTree(name));
                } else if (op < 45) {
                    db.openTree(name).put(b(key), b(value));
                    tree.put(key, value);
                } else if (op < 60) {
                    db.openTree(name).delete(b(key));
                    tree.remove(key);
                } else if (op < 68) {
                    String target = "dir-" + random.nextInt(4) + "/k" + random.nextInt(KEYS);
                    if (tree.containsKey(key) && !tree.containsKey(target)) {
                        db.openTree(name).rename(b(key), b(target), false);
                        tree.put(target, tree.remove(key));
                    }
                } else {
                    batch(db, model, random, step);
                }
                assertEquals(List.copyOf(model.keySet()), db.treeNames(), "step " + step);
                if (step % 100 == 99) {
                    assertEquals(model, contents(db), "step " + step);
                }
            }
            db.close();
            db = Database.open(dir, options);
            assertEquals(model, contents(db), "after the last reopen");
        } finally {
            db.close();
        }
    }

    /**
     * A batch over two or three trees: a put and a delete in each, each tree's guard first (a key absent or a
     * version held, true or false as the model says); sometimes a tree that does not exist.
     */
    private static void batch(Database db, Map<String, TreeMap<String, String>> model, SplittableRandom random,
            int step) {
        List<String> names = new ArrayList<>();
        for (int n = 2 + random.nextInt(2); names.size() < n;) {
            String name = "tree-" + random.nextInt(TREE_NAMES);
            if (!names.contains(name)) {
                names.add(name); // each tree once, so every guard sees its tree as before the batch
            }
        }
        boolean guardsHold = true;
        boolean missingTree = false;
        Map<String, TreeMap<String, String>> after = new TreeMap<>();
        model.forEach((n, t) -> after.put(n, new TreeMap<>(t)));
        record Op(String tree, String guardKey, boolean guardAbsent, long guardVersion, String put, String delete) {}
        List<Op> ops = new ArrayList<>();
        for (String name : names) {
            TreeMap<String, String> t = after.get(name);
            String guardKey = "dir-0/k" + random.nextInt(KEYS);
            String put = "dir-" + random.nextInt(4) + "/k" + random.nextInt(KEYS);
            String delete = "dir-" + random.nextInt(4) + "/k" + random.nextInt(KEYS);
            if (t == null) {
                missingTree = true;
                ops.add(new Op(name, guardKey, true, 0, put, delete));
                continue;
            }
            boolean absentGuard = random.nextBoolean();
            long version = 0;
            if (absentGuard) {
                guardsHold &= !t.containsKey(guardKey);
            } else {
                Record r = db.openTree(name).getRecord(b(guardKey));
                boolean stale = random.nextInt(4) == 0;
                version = r == null ? 1 : r.version() + (stale ? 1 : 0);
                guardsHold &= r != null && !stale;
            }
            ops.add(new Op(name, guardKey, absentGuard, version, put, delete));
            t.put(put, "b" + step);
            t.remove(delete);
        }
        Consumer<DatabaseBatch> body = x -> {
            for (Op op : ops) {
                AtomicBatch batch = x.tree(op.tree());
                if (op.guardAbsent()) {
                    batch.assertAbsent(b(op.guardKey()));
                } else {
                    batch.assertVersion(b(op.guardKey()), op.guardVersion());
                }
                batch.put(b(op.put()), b("b" + step)).delete(b(op.delete()));
            }
        };
        if (missingTree) {
            assertThrows(NoSuchElementException.class, () -> db.atomic(body), "step " + step);
            return; // refused whole: the contents check finds any tree it changed
        }
        boolean applied = db.atomic(body);
        assertEquals(guardsHold, applied, "step " + step + ": the guards " + (guardsHold ? "hold" : "fail"));
        if (applied) {
            model.clear();
            model.putAll(after);
        }
    }

    private static Map<String, TreeMap<String, String>> contents(Database db) {
        Map<String, TreeMap<String, String>> out = new TreeMap<>();
        for (String name : db.treeNames()) {
            TreeMap<String, String> t = new TreeMap<>();
            db.openTree(name).scan(new byte[0]).forEach(e -> t.put(e.keyString(), new String(e.value(), UTF_8)));
            out.put(name, t);
        }
        return out;
    }
}
