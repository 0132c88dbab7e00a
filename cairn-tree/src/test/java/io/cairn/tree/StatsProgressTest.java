package io.cairn.tree;

import static io.cairn.tree.DatabaseTest.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Tree#stats(WorkProgress)} and {@link Database#stats(WorkProgress)} report the frames they walk. */
class StatsProgressTest {
    private static final TreeOptions SMALL = TreeOptions.defaults().frameSize(8192);

    @TempDir
    Path dir;

    private record Update(String stage, long done, long total) {}

    /** Asserts one update per frame, done counting 1, 2, ... up to {@code frames}, all of {@code frames}. */
    private static void assertCountsEveryFrame(List<Update> updates, long frames) {
        assertTrue(frames > 10, "the store spans many frames: " + frames);
        assertEquals(frames, updates.size(), "one update per frame: " + updates);
        for (int i = 0; i < updates.size(); i++) {
            assertEquals(new Update("checking", i + 1, frames), updates.get(i));
        }
    }

    private static void fill(Tree t, String prefix, int keys) {
        for (int i = 0; i < keys; i++) {
            t.put(b(prefix + i % 13 + "/object-" + i), b("value-" + i));
        }
    }

    @Test
    void aTreeReportsEachFrameWalkedOfTheFramesItHolds() throws IOException {
        try (Tree t = Tree.open(dir, SMALL)) {
            fill(t, "bucket-", 3_000);
        }
        try (Tree t = Tree.openReadOnly(dir, SMALL)) {
            List<Update> updates = new ArrayList<>();
            TreeStats s = t.stats((stage, done, total) -> updates.add(new Update(stage, done, total)));
            assertCountsEveryFrame(updates, s.frames());
            assertEquals(s.frames(), t.stats().frames(), "the same walk as without progress");
            assertThrows(NullPointerException.class, () -> t.stats(null));
        }
    }

    @Test
    void aDatabaseReportsTheFramesOfAllItsTrees() throws IOException {
        try (Database db = Database.open(dir, SMALL)) {
            fill(db.createTree("one"), "bucket-", 3_000);
            fill(db.createTree("two"), "other-", 2_000);
        }
        try (Database db = Database.openReadOnly(dir)) {
            List<Update> updates = new ArrayList<>();
            DatabaseStats s = db.stats((stage, done, total) -> updates.add(new Update(stage, done, total)));
            long one = s.trees().get("one").frames();
            assertTrue(one > 1 && s.trees().get("two").frames() > 1, "both trees span frames: " + s.trees());
            assertCountsEveryFrame(updates, one + s.trees().get("two").frames());
            assertThrows(NullPointerException.class, () -> db.stats(null));
        }
    }
}
