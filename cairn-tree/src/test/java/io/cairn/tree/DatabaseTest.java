package io.cairn.tree;

import io.cairn.stack.testkit.UnsyncedStorageIo;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.StoreLockedException;
import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database's behaviours at their edges: trees and names, fencing, Tree.open compatibility, batches. */
class DatabaseTest {
    @TempDir
    Path dir;

    static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void treesAreCreatedOpenedListedAndDropped() throws IOException {
        try (Database db = Database.open(dir)) {
            assertEquals(List.of(), db.treeNames());
            Tree b = db.createTree("b");
            Tree a = db.tree("a");
            assertEquals(List.of("a", "b"), db.treeNames());
            assertSame(a, db.openTree("a"), "one handle per tree");
            assertSame(a, db.tree("a"));
            a.put(b("k"), b("in a"));
            b.put(b("k"), b("in b"));
            assertArrayEquals(b("in a"), db.openTree("a").get(b("k")));
            assertArrayEquals(b("in b"), db.openTree("b").get(b("k")));
            IllegalStateException exists = assertThrows(IllegalStateException.class, () -> db.createTree("a"));
            assertTrue(exists.getMessage().contains("'a' already exists"), exists.getMessage());
            NoSuchElementException missing = assertThrows(NoSuchElementException.class, () -> db.openTree("c"));
            assertTrue(missing.getMessage().contains("'c'"), missing.getMessage());
            assertFalse(db.dropTree("c"));
            assertTrue(db.dropTree("b"));
            assertEquals(List.of("a"), db.treeNames());
        }
        try (Database db = Database.open(dir)) {
            assertEquals(List.of("a"), db.treeNames());
            assertArrayEquals(b("in a"), db.openTree("a").get(b("k")));
        }
    }

    @Test
    void namesAreOneTo255BytesOfUtf8WithoutNul() throws IOException {
        try (Database db = Database.open(dir)) {
            for (String bad : new String[] {"", "x".repeat(256), "a\u0000b", "\ud800", "é".repeat(128)}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> db.createTree(bad));
                assertTrue(e.getMessage().contains("tree name"), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> db.openTree(bad));
                assertThrows(IllegalArgumentException.class, () -> db.atomic(x -> x.tree(bad)));
            }
            assertThrows(IllegalArgumentException.class, () -> db.createTree(null));
            db.createTree("x".repeat(255));
            db.createTree("é".repeat(127) + "x");
            db.createTree("tenants/eu-west/ü 🌲");
            assertEquals(3, db.treeNames().size());
        }
        try (Database db = Database.open(dir)) {
            assertTrue(db.treeNames().contains("tenants/eu-west/ü 🌲"));
        }
    }

    @Test
    void aDroppedTreesHandlesFailEveryCallNamingIt() throws IOException {
        try (Database db = Database.open(dir)) {
            Tree t = db.createTree("doomed");
            t.put(b("k"), b("v"));
            Snapshot before = t.snapshot(new byte[0]);
            assertTrue(db.dropTree("doomed"));
            List<Consumer<Tree>> calls = List.of(x -> x.get(b("k")), x -> x.put(b("k"), b("w")),
                    x -> x.delete(b("k")), x -> x.getRecord(b("k")), x -> x.putIfAbsent(b("n"), b("w")),
                    x -> x.compareAndPut(b("k"), 1, b("w")), x -> x.deleteIfVersion(b("k"), 1),
                    x -> x.rename(b("k"), b("m"), false), x -> x.atomic(batch -> batch.put(b("a"), b("b"))),
                    x -> x.scan(new byte[0]).iterator().hasNext(), x -> x.prefixCount(new byte[0], 10),
                    x -> x.longestPrefix(b("k")), x -> x.snapshot(new byte[0]), Tree::stats, Tree::sync,
                    Tree::checkpoint);
            for (Consumer<Tree> call : calls) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> call.accept(t));
                assertTrue(e.getMessage().contains("'doomed' was dropped"), e.getMessage());
            }
            assertArrayEquals(b("v"), before.get(b("k")), "a snapshot taken before the drop stays readable");
            Tree again = db.createTree("doomed");
            assertNotSame(t, again);
            assertNull(again.get(b("k")), "a tree created under a dropped name starts empty");
            again.put(b("k"), b("new"));
            assertThrows(IllegalStateException.class, () -> t.get(b("k")), "the old handle stays fenced");
            assertTrue(db.atomic(x -> x.tree("doomed").put(b("z"), b("z"))), "batches reach the new tree");
            assertArrayEquals(b("z"), again.get(b("z")));
        }
    }

    @Test
    void writersInFlightFinishBeforeTheDropAndNoneAfter() throws Exception {
        try (Database db = Database.open(dir, TreeOptions.defaults().durability(io.cairn.stack.Durability.NONE))) {
            Tree t = db.createTree("busy");
            Tree other = db.createTree("other");
            java.util.concurrent.atomic.AtomicLong acknowledged = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicReference<Throwable> unexpected = new java.util.concurrent.atomic.AtomicReference<>();
            Thread[] writers = new Thread[3];
            for (int w = 0; w < writers.length; w++) {
                int id = w;
                writers[w] = Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0;; i++) {
                            if (i % 3 == 0) {
                                t.atomic(batch -> batch.put(b("batch-" + id), b("x")));
                            } else {
                                t.put(b("w" + id + "-" + i), b("v"));
                            }
                            acknowledged.incrementAndGet();
                        }
                    } catch (IllegalStateException fenced) {
                        if (!fenced.getMessage().contains("'busy' was dropped")) {
                            unexpected.set(fenced);
                        }
                    } catch (Throwable e) {
                        unexpected.set(e);
                    }
                });
            }
            while (acknowledged.get() < 2_000) {
                Thread.onSpinWait();
            }
            assertTrue(db.dropTree("busy"));
            for (Thread w : writers) {
                w.join(10_000);
                assertFalse(w.isAlive(), "a writer of a dropped tree did not stop");
            }
            assertNull(unexpected.get(), () -> "a writer failed otherwise: " + unexpected.get());
            other.put(b("still"), b("works"));
            db.checkpoint();
        }
        try (Database db = Database.open(dir)) {
            assertEquals(List.of("other"), db.treeNames(), "the drop is durable; no write of it came after");
        }
    }

    @Test
    void aDroppedTreesFramesAreReusedSoTheFileDoesNotGrow() throws IOException {
        TreeOptions small = TreeOptions.defaults().frameSize(8192);
        long sizeAfterFirst;
        try (Database db = Database.open(dir, small)) {
            fill(db.createTree("one"), 3_000);
            db.checkpoint();
            sizeAfterFirst = Files.size(dir.resolve("frames.stack"));
            long frames = db.openTree("one").stats().frames();
            assertTrue(frames > 20, "the tree spans many frames: " + frames);
            for (int round = 0; round < 3; round++) {
                assertTrue(db.dropTree("one"));
                db.checkpoint(); // publishes a manifest without the dropped frames: their slots are free
                fill(db.createTree("one"), 3_000);
                db.checkpoint();
            }
            assertTrue(Files.size(dir.resolve("frames.stack")) <= 2 * sizeAfterFirst,
                    "slots of dropped frames were not reused: " + Files.size(dir.resolve("frames.stack")) + " vs "
                            + sizeAfterFirst);
        }
    }

    private static void fill(Tree t, int keys) {
        for (int i = 0; i < keys; i++) {
            t.put(b("bucket-" + i % 13 + "/object-" + i), b("value-" + i));
        }
    }

    @Test
    void aTreeDirectoryOpensAsADatabaseOfOneTreeAndBack() throws IOException {
        try (Tree t = Tree.open(dir)) {
            t.put(b("k"), b("v"));
        }
        try (Database db = Database.open(dir)) {
            assertEquals(List.of("default"), db.treeNames());
            assertArrayEquals(b("v"), db.openTree("default").get(b("k")));
            db.dropTree("default");
            db.createTree("renamed").put(b("x"), b("y"));
        }
        try (Tree t = Tree.open(dir)) {
            assertArrayEquals(b("y"), t.get(b("x")), "a database of one tree opens as that tree, whatever its name");
        }
        try (Tree t = Tree.openReadOnly(dir)) {
            assertArrayEquals(b("y"), t.get(b("x")));
        }
        try (Database db = Database.open(dir)) {
            db.createTree("second");
        }
        IllegalArgumentException several = assertThrows(IllegalArgumentException.class, () -> Tree.open(dir));
        assertTrue(several.getMessage().contains("2 trees ('renamed', 'second')"), several.getMessage());
        assertTrue(several.getMessage().contains("Database.open"), several.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tree.openReadOnly(dir));
        try (Database db = Database.open(dir)) {
            assertEquals(List.of("renamed", "second"), db.treeNames(), "a refused Tree.open changed nothing");
            db.dropTree("renamed");
            db.dropTree("second");
        }
        try (Tree t = Tree.open(dir)) {
            t.put(b("fresh"), b("1"));
        }
        try (Database db = Database.open(dir)) {
            assertEquals(List.of("default"), db.treeNames(), "Tree.open of an empty database makes its tree");
        }
    }

    @Test
    void theDirectoryLockCoversDatabasesAndTrees() throws IOException {
        try (Database db = Database.open(dir)) {
            db.createTree("t");
            assertThrows(StoreLockedException.class, () -> Database.open(dir));
            assertThrows(StoreLockedException.class, () -> Tree.open(dir));
            assertThrows(StoreLockedException.class, () -> Database.openReadOnly(dir));
        }
        try (Database reader = Database.openReadOnly(dir); Database second = Database.openReadOnly(dir)) {
            assertEquals(List.of("t"), reader.treeNames());
            assertEquals(List.of("t"), second.treeNames());
            assertThrows(UnsupportedOperationException.class, () -> reader.createTree("u"));
            assertThrows(UnsupportedOperationException.class, () -> reader.dropTree("t"));
            assertThrows(UnsupportedOperationException.class, () -> reader.atomic(x -> x.tree("t")));
            assertThrows(UnsupportedOperationException.class, () -> reader.openTree("t").put(b("k"), b("v")));
            assertThrows(UnsupportedOperationException.class, reader::checkpoint);
            assertEquals(List.of("t"), reader.tree("t") != null ? reader.treeNames() : List.of());
            assertThrows(NoSuchElementException.class, () -> reader.tree("absent"));
            assertThrows(StoreLockedException.class, () -> Database.open(dir));
        }
    }

    @Test
    void aBatchAcrossTreesChecksEveryGuardFirstAndAppliesAsOne() throws IOException {
        try (Database db = Database.open(dir)) {
            Tree a = db.createTree("a");
            Tree c = db.createTree("c");
            a.put(b("balance"), b("10"));
            long version = a.getRecord(b("balance")).version();
            assertFalse(db.atomic(x -> {
                x.tree("a").put(b("balance"), b("5"));
                x.tree("c").put(b("balance"), b("5")).assertAbsent(b("balance")).assertVersion(b("nothing"), 1);
            }), "a guard in the last tree fails the whole batch");
            assertArrayEquals(b("10"), a.get(b("balance")));
            assertNull(c.get(b("balance")));
            long before = db.lastSequence();
            assertTrue(db.atomic(x -> {
                x.tree("a").compareAndPut(b("balance"), version, b("5"));
                x.tree("c").putIfAbsent(b("balance"), b("5")).assertPrefixEmpty(b("other/"));
                x.tree("a").put(b("log/1"), b("moved 5 to c"));
            }));
            assertEquals(before + 1, db.lastSequence(), "one record for the whole batch");
            assertArrayEquals(b("5"), a.get(b("balance")));
            assertArrayEquals(b("5"), c.get(b("balance")));
            assertArrayEquals(b("moved 5 to c"), a.get(b("log/1")));
            assertTrue(db.atomic(x -> { }), "an empty batch is applied");
            assertEquals(before + 1, db.lastSequence(), "an empty batch writes nothing");
            assertThrows(NoSuchElementException.class, () -> db.atomic(x -> {
                x.tree("a").put(b("half"), b("no"));
                x.tree("missing").put(b("k"), b("v"));
            }));
            assertNull(a.get(b("half")), "a batch naming a missing tree changed nothing");
            assertThrows(IllegalArgumentException.class, () -> db.atomic(x -> x.tree("a").put(new byte[70_000],
                    b("v"))));
        }
        try (Database db = Database.open(dir)) {
            assertArrayEquals(b("5"), db.openTree("c").get(b("balance")));
            assertArrayEquals(b("moved 5 to c"), db.openTree("a").get(b("log/1")));
        }
    }

    @Test
    void aSnapshotOfTheDatabaseIsOneMomentAcrossTrees() throws IOException {
        try (Database db = Database.open(dir)) {
            db.createTree("x").put(b("k"), b("1"));
            db.createTree("y").put(b("k"), b("1"));
            db.createTree("z").put(b("p/k"), b("1"));
            long at = db.lastSequence();
            try (DatabaseSnapshot all = db.snapshot();
                    DatabaseSnapshot some = db.snapshot(Map.of("z", b("p/"), "x", new byte[0]))) {
                db.atomic(w -> {
                    w.tree("x").put(b("k"), b("2"));
                    w.tree("y").put(b("k"), b("2"));
                    w.tree("z").put(b("p/k"), b("2"));
                });
                db.dropTree("y");
                assertEquals(at, all.sequence());
                assertEquals(List.of("x", "y", "z"), all.treeNames());
                assertArrayEquals(b("1"), all.tree("x").get(b("k")));
                assertArrayEquals(b("1"), all.tree("y").get(b("k")), "a dropped tree stays in the snapshot");
                assertArrayEquals(b("1"), all.tree("z").get(b("p/k")));
                assertEquals(List.of("x", "z"), some.treeNames());
                assertArrayEquals(b("1"), some.tree("z").get(b("p/k")));
                assertThrows(IllegalArgumentException.class, () -> some.tree("z").get(b("q")), "outside its scope");
                assertThrows(NoSuchElementException.class, () -> some.tree("y"));
                assertArrayEquals(b("2"), db.openTree("x").get(b("k")));
            }
            assertThrows(NoSuchElementException.class, () -> db.snapshot(Map.of("nope", new byte[0])));
            DatabaseSnapshot open = db.snapshot();
            db.close();
            assertThrows(IllegalStateException.class, open::sequence, "closing the database closes its snapshots");
        }
    }

    @Test
    void aHandleOfAClosedDatabaseOrAClosedHandleRefusesCalls() throws IOException {
        Database db = Database.open(dir);
        Tree t = db.createTree("t");
        t.close();
        assertThrows(IllegalStateException.class, () -> t.get(b("k")));
        Tree reopened = db.openTree("t");
        assertNotSame(t, reopened, "a closed handle is not handed out again");
        reopened.put(b("k"), b("v"));
        db.close();
        db.close();
        assertThrows(IllegalStateException.class, () -> reopened.get(b("k")));
        assertThrows(IllegalStateException.class, db::treeNames);
    }

    @Test
    void treesSurviveAPowerLossThroughTheLog() throws IOException {
        FaultyStorageIo io = new FaultyStorageIo(new UnsyncedStorageIo());
        TreeOptions options = TreeOptions.defaults().io(io).frameSize(8192);
        Database db = Database.open(dir, options);
        db.createTree("kept").put(b("k"), b("v"));
        db.createTree("gone");
        db.checkpoint();
        db.dropTree("gone");
        db.createTree("late");
        db.atomic(x -> {
            x.tree("kept").put(b("k2"), b("v2"));
            x.tree("late").put(b("k"), b("late"));
        });
        io.crash();
        try {
            db.close();
        } catch (RuntimeException expected) {
            // the crashed handle's files are gone
        }
        try (Database again = Database.open(dir, TreeOptions.defaults().io(io))) {
            assertEquals(List.of("kept", "late"), again.treeNames());
            assertArrayEquals(b("v2"), again.openTree("kept").get(b("k2")));
            assertArrayEquals(b("late"), again.openTree("late").get(b("k")));
        }
    }
}
