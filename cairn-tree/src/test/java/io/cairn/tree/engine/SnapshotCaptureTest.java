package io.cairn.tree.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Snapshot capture finds the frames below a scope from the frames' parent links instead of walking their nodes;
 * it must register exactly the frames the node walk finds, and fall back to the walk when a link is stale.
 */
class SnapshotCaptureTest {
    private static final int SMALL_FRAME = 8192;

    /** Path-shaped keys spread over many small frames, with deletes so that frames merge and get reused. */
    private static Engine manyFrames() {
        Engine art = Engine.inMemory(SMALL_FRAME, 1 << 16);
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 30_000; i++) {
            byte[] k = ("b" + rnd.nextInt(12) + "/t" + rnd.nextInt(6) + "/f" + rnd.nextInt(5000)).getBytes(UTF_8);
            if (rnd.nextInt(5) == 0) {
                art.delete(k);
            } else {
                art.put(k, k);
            }
        }
        return art;
    }

    private static TreeSet<Integer> ids(List<Frame> frames) {
        TreeSet<Integer> ids = new TreeSet<>();
        for (Frame f : frames) {
            assertTrue(ids.add(f.id), "frame " + f.id + " listed twice");
        }
        return ids;
    }

    @Test
    void parentLinksFindTheFramesTheNodeWalkFinds() {
        Engine art = manyFrames();
        try {
            assertTrue(art.table().liveCount() > 50, "the test needs many frames, got " + art.table().liveCount());
            for (String scope : List.of("", "b", "b1", "b1/", "b10/", "b3/t2", "b3/t2/", "b7/t5/f4", "zz")) {
                byte[] s = scope.getBytes(UTF_8);
                assertEquals(ids(SnapshotFrames.reachable(art.table(), art.root(), s, false)), ids(SnapshotFrames.reachable(art.table(), art.root(), s, true)),
                        "frames under '" + scope + "'");
            }
            assertEquals(art.table().liveCount(), SnapshotFrames.reachable(art.table(), art.root(), new byte[0], true).size(),
                    "the whole tree's scope reaches every live frame");
        } finally {
            art.close();
        }
    }

    @Test
    void aStaleParentLinkFallsBackToTheNodeWalk() {
        Engine art = manyFrames();
        try {
            byte[] scope = "b3/".getBytes(UTF_8);
            List<Frame> under = SnapshotFrames.reachable(art.table(), art.root(), scope, false);
            TreeSet<Integer> expected = ids(under);
            Frame outside = SnapshotFrames.reachable(art.table(), art.root(), new byte[0], false).stream()
                    .filter(f -> f != art.root() && !expected.contains(f.id)).findFirst().orElseThrow();
            int checked = 0;
            for (Frame moved : under) {
                if (moved == art.root()) {
                    continue;
                }
                // each frame in turn claims a parent outside the scope, as a link left stale by a bug would
                int parent = moved.parent;
                moved.parent = outside.id;
                assertEquals(expected, ids(SnapshotFrames.reachable(art.table(), art.root(), scope, true)),
                        "frames under 'b3/' with frame " + moved.id + " linked to frame " + outside.id);
                assertEquals(art.table().liveCount(), SnapshotFrames.reachable(art.table(), art.root(), new byte[0], true).size());
                moved.parent = parent;
                checked++;
            }
            assertTrue(checked > 3, "the scope should span several frames, got " + checked);
        } finally {
            art.close();
        }
    }
}
