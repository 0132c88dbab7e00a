package io.cairn.tree;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The frame budget never leaves a multi-key write half done: a batch or rename either fails before it changes
 * anything, or completes (its spills may then pass the budget by the few frames they need). Runs trees of small
 * frames into their budget with batches and renames of large values, checking every outcome against a model.
 */
class FrameBudgetTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void batchesAndRenamesAreAllOrNothingAtTheBudget(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int budget = 6 + rnd.nextInt(6);
        TreeModel model = new TreeModel();
        List<byte[]> keys = new ArrayList<>();
        int failures = 0;
        try (Tree tree = Tree.inMemory(TreeOptions.defaults().frameSize(8192).frameBudget(budget))) {
            for (int op = 0; op < 3000 && failures < 40; op++) {
                TreeModel before = model.copy();
                try {
                    if (rnd.nextInt(3) == 0 && !keys.isEmpty()) {
                        byte[] source = keys.get(rnd.nextInt(keys.size()));
                        byte[] target = key(rnd);
                        if (model.map.containsKey(source) && !model.map.containsKey(target)) {
                            tree.rename(source, target, false);
                            TreeModel.Entry e = model.map.remove(source);
                            model.map.put(target, new TreeModel.Entry(e.value(), tree.getRecord(target).version()));
                            keys.add(target);
                        }
                    } else {
                        List<byte[]> written = new ArrayList<>();
                        List<byte[]> values = new ArrayList<>();
                        for (int i = 1 + rnd.nextInt(6); i > 0; i--) {
                            written.add(key(rnd));
                            values.add(new byte[200 + rnd.nextInt(1200)]);
                        }
                        tree.atomic(b -> {
                            for (int i = 0; i < written.size(); i++) {
                                b.put(written.get(i), values.get(i));
                            }
                        });
                        for (int i = 0; i < written.size(); i++) {
                            model.map.put(written.get(i),
                                    new TreeModel.Entry(values.get(i), tree.getRecord(written.get(i)).version()));
                            keys.add(written.get(i));
                        }
                    }
                } catch (IllegalStateException e) {
                    assertTrue(e.getMessage().contains("frame budget"), e.getMessage());
                    failures++;
                    model = before;
                }
                assertSameContents(model, tree, "seed " + seed + " after operation " + op);
            }
            assertTrue(failures > 0, "the budget was reached");
        }
    }

    @Test
    void renameAtAnExhaustedBudgetFailsBeforeDeletingTheSource() {
        try (Tree tree = Tree.inMemory(TreeOptions.defaults().frameSize(8192).frameBudget(2))) {
            int written = 0;
            try {
                for (;; written++) {
                    tree.put(("k" + written).getBytes(UTF_8), new byte[300]);
                }
            } catch (IllegalStateException expected) {
                assertTrue(expected.getMessage().contains("frame budget"), expected.getMessage());
            }
            byte[] source = "k0".getBytes(UTF_8);
            byte[] target = "renamed-with-a-much-longer-name".getBytes(UTF_8);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> tree.rename(source, target, false));
            assertTrue(e.getMessage().contains("frame budget"), e.getMessage());
            assertArrayEquals(new byte[300], tree.get(source), "the source is still there");
            assertNull(tree.get(target), "the target was not written");
            assertEquals(written, tree.stats().keys());
        }
    }

    private static void assertSameContents(TreeModel model, Tree tree, String where) {
        List<ScanEntry> all = tree.scan(new byte[0]).toList();
        assertEquals(model.map.size(), all.size(), where + ": key count");
        int i = 0;
        for (Map.Entry<byte[], TreeModel.Entry> e : model.map.entrySet()) {
            ScanEntry s = all.get(i++);
            assertArrayEquals(e.getKey(), s.key(), where + ": key");
            assertArrayEquals(e.getValue().value(), s.value(), where + ": value");
        }
    }

    private static byte[] key(SplittableRandom rnd) {
        return ("d" + rnd.nextInt(4) + "/f" + rnd.nextInt(100_000)).getBytes(UTF_8);
    }
}
