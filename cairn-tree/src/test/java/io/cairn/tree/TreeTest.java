package io.cairn.tree;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** Behaviour of the public API at its edges. */
class TreeTest {
    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void keyAndKeyExtendedByZeroBytesCoexist() {
        try (Tree t = Tree.inMemory()) {
            t.put(b("k"), b("1"));
            t.put(new byte[] {'k', 0}, b("2"));
            t.put(new byte[] {'k', 0, 0}, b("3"));
            assertArrayEquals(b("1"), t.get(b("k")));
            assertArrayEquals(b("2"), t.get(new byte[] {'k', 0}));
            assertArrayEquals(b("3"), t.get(new byte[] {'k', 0, 0}));
            assertTrue(t.delete(new byte[] {'k', 0}));
            assertArrayEquals(b("1"), t.get(b("k")));
            assertArrayEquals(b("3"), t.get(new byte[] {'k', 0, 0}));
            assertEquals(2, t.prefixCount(b("k"), 10));
        }
    }

    @Test
    void emptyKeyIsAnOrdinaryKey() {
        try (Tree t = Tree.inMemory()) {
            t.put(new byte[0], b("root"));
            t.put(b("a"), b("x"));
            assertArrayEquals(b("root"), t.get(new byte[0]));
            assertArrayEquals(new byte[0], t.longestPrefix(b("zzz")).key());
            assertEquals(2, t.scan(new byte[0]).toList().size());
            assertTrue(t.delete(new byte[0]));
            assertNull(t.get(new byte[0]));
        }
    }

    @Test
    void oversizedKeysAndValuesAreRejectedNamingTheLength() {
        try (Tree t = Tree.inMemory()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> t.put(new byte[65_535], b("v")));
            assertTrue(e.getMessage().contains("65535"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> t.put(b("k"), new byte[65_536]));
            assertTrue(e.getMessage().contains("65536"), e.getMessage());
            t.put(new byte[65_534], new byte[65_535]);
            assertEquals(65_535, t.get(new byte[65_534]).length);
            assertEquals(1, t.stats().keys());
        }
    }

    @Test
    void versionsIncreaseAcrossKeysAndGuardConditionalWrites() {
        try (Tree t = Tree.inMemory()) {
            t.put(b("a"), b("1"));
            long va = t.getRecord(b("a")).version();
            t.put(b("b"), b("1"));
            long vb = t.getRecord(b("b")).version();
            assertTrue(vb > va);
            assertFalse(t.compareAndPut(b("a"), vb, b("2")));
            assertTrue(t.compareAndPut(b("a"), va, b("2")));
            assertTrue(t.getRecord(b("a")).version() > vb);
            assertFalse(t.putIfAbsent(b("a"), b("3")));
            assertFalse(t.deleteIfVersion(b("a"), va));
            assertTrue(t.deleteIfVersion(b("a"), t.getRecord(b("a")).version()));
            assertFalse(t.compareAndPut(b("a"), va, b("4")), "absent key never matches");
        }
    }

    @Test
    void renameMovesTheValueOrFailsWithoutChanges() {
        try (Tree t = Tree.inMemory()) {
            t.put(b("dir/a"), b("A"));
            t.put(b("dir/b"), b("B"));
            assertThrows(NoSuchElementException.class, () -> t.rename(b("dir/x"), b("dir/y"), true));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> t.rename(b("dir/a"), b("dir/b"), false));
            assertTrue(e.getMessage().contains("already exists"), e.getMessage());
            assertArrayEquals(b("A"), t.get(b("dir/a")));
            t.rename(b("dir/a"), b("dir/b"), true);
            assertNull(t.get(b("dir/a")));
            assertArrayEquals(b("A"), t.get(b("dir/b")));
        }
    }

    @Test
    void renameOfAKeyOntoItselfWithoutOverwriteIsRefusedAndChangesNothing() {
        try (Tree t = Tree.inMemory()) {
            t.put(b("k"), b("v"));
            Record before = t.getRecord(b("k"));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> t.rename(b("k"), b("k"), false));
            assertTrue(e.getMessage().contains("already exists"), e.getMessage());
            assertEquals(before, t.getRecord(b("k")));
            assertFalse(t.atomic(batch -> batch.rename(b("k"), b("k"), false)), "the batch form refuses too");
            assertEquals(before, t.getRecord(b("k")));
        }
    }

    @Test
    void renameOfAKeyOntoItselfWithOverwriteGivesItANewVersion() {
        try (Tree t = Tree.inMemory()) {
            t.put(b("k"), b("v"));
            long before = t.getRecord(b("k")).version();
            t.rename(b("k"), b("k"), true);
            Record after = t.getRecord(b("k"));
            assertArrayEquals(b("v"), after.value());
            assertTrue(after.version() > before, "version " + after.version() + " after " + before);
            assertTrue(t.atomic(batch -> batch.rename(b("k"), b("k"), true)));
            Record again = t.getRecord(b("k"));
            assertArrayEquals(b("v"), again.value(), "the batch form keeps the value");
            assertTrue(again.version() > after.version(), "the batch form gives a new version too");
        }
    }

    /**
     * A null value is refused whatever the tree holds under the key, with an exception naming the argument and
     * thrown before the engine is entered (so never from under a frame latch).
     */
    @Test
    void pointWritesRefuseANullValueBeforeTouchingTheTree() {
        try (Tree t = Tree.inMemory()) {
            t.put(b("present"), b("v"));
            long version = t.getRecord(b("present")).version();
            List<org.junit.jupiter.api.function.Executable> writes = List.of(
                    () -> t.put(b("present"), null),
                    () -> t.put(b("absent"), null),
                    () -> t.putIfAbsent(b("present"), null),
                    () -> t.putIfAbsent(b("absent"), null),
                    () -> t.compareAndPut(b("present"), 999, null),
                    () -> t.compareAndPut(b("present"), version, null),
                    () -> t.compareAndPut(b("absent"), 999, null));
            for (org.junit.jupiter.api.function.Executable write : writes) {
                NullPointerException e = assertThrows(NullPointerException.class, write);
                assertTrue(String.valueOf(e.getMessage()).contains("value"), "names the argument: " + e.getMessage());
                for (StackTraceElement frame : e.getStackTrace()) {
                    assertFalse(frame.getClassName().startsWith("io.cairn.tree.engine."),
                            "thrown inside the engine at " + frame);
                }
            }
            assertEquals(new Record(b("v"), version), t.getRecord(b("present")));
            assertNull(t.get(b("absent")));
            t.put(b("absent"), b("w"));
            assertArrayEquals(b("w"), t.get(b("absent")), "the tree is still usable");
        }
    }

    @Test
    void failedGuardLeavesTheTreeUnchangedAndEmptyBatchSucceeds() {
        try (Tree t = Tree.inMemory()) {
            t.put(b("x"), b("1"));
            assertTrue(t.atomic(batch -> { }));
            assertFalse(t.atomic(batch -> batch.put(b("y"), b("2")).assertAbsent(b("x"))));
            assertNull(t.get(b("y")));
            assertTrue(t.atomic(batch -> batch.delete(b("x")).assertAbsent(b("x")).assertPrefixEmpty(b("x"))
                    .put(b("y"), b("2"))));
            assertNull(t.get(b("x")));
            assertArrayEquals(b("2"), t.get(b("y")));
        }
    }

    @Test
    void delimiterScanRollsUpDirectoriesAndResumesAfterThem() {
        try (Tree t = Tree.inMemory()) {
            for (String k : List.of("d/a", "d/b/1", "d/b/2", "d/c", "d/e/x/y", "e")) {
                t.put(b(k), b(k));
            }
            List<ScanEntry> ls = t.scan(b("d/")).delimiter((byte) '/').toList();
            assertEquals(List.of("d/a", "d/b/", "d/c", "d/e/"), ls.stream().map(ScanEntry::keyString).toList());
            assertTrue(ls.get(1).isCommonPrefix());
            assertNull(ls.get(1).value());
            List<ScanEntry> rest = t.scan(b("d/")).delimiter((byte) '/').startAfter(b("d/b/")).toList();
            assertEquals(List.of("d/c", "d/e/"), rest.stream().map(ScanEntry::keyString).toList());
            assertEquals(2, t.scan(b("d/")).limit(2).stream().count());
            assertNull(t.scan(b("d/")).keysOnly().toList().get(0).value());
        }
    }

    @Test
    void snapshotIgnoresLaterWritesAndRejectsReadsOutsideItsPrefix() {
        try (Tree t = Tree.inMemory()) {
            t.put(b("s/1"), b("old"));
            try (Snapshot s = t.snapshot(b("s/"))) {
                t.put(b("s/1"), b("new"));
                t.put(b("s/2"), b("new"));
                assertArrayEquals(b("old"), s.get(b("s/1")));
                assertNull(s.get(b("s/2")));
                assertEquals(1, s.prefixCount(b("s/"), 10));
                assertThrows(IllegalArgumentException.class, () -> s.get(b("t/1")));
                assertThrows(IllegalArgumentException.class, () -> s.scan(b("")));
            }
        }
    }

    @Test
    void useAfterCloseFailsAndCloseIsIdempotent() {
        Tree t = Tree.inMemory();
        t.put(b("a"), b("1"));
        t.close();
        t.close();
        assertThrows(IllegalStateException.class, () -> t.get(b("a")));
        assertThrows(IllegalStateException.class, () -> t.put(b("a"), b("1")));
        assertThrows(IllegalStateException.class, () -> t.scan(b("")));
        assertThrows(IllegalStateException.class, t::stats);
    }

    @Test
    void frameBudgetExhaustionFailsTheWriteCleanly() {
        try (Tree t = Tree.inMemory(TreeOptions.defaults().frameSize(8192).frameBudget(2))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                for (int i = 0; i < 100_000; i++) {
                    t.put(b("key-" + i), new byte[40]);
                }
            });
            assertTrue(e.getMessage().contains("frame budget"), e.getMessage());
            assertArrayEquals(new byte[40], t.get(b("key-0")));
        }
    }

    @Test
    void deletingEverythingMergesSpilledFramesBack() {
        try (Tree t = Tree.inMemory(TreeOptions.defaults().frameSize(8192))) {
            for (int i = 0; i < 20_000; i++) {
                t.put(b("dir-" + (i % 37) + "/file-" + i), b("v" + i));
            }
            long spread = t.stats().frames();
            assertTrue(spread > 50, "spilled into many frames: " + spread);
            for (int i = 0; i < 20_000; i += 2) {
                t.delete(b("dir-" + (i % 37) + "/file-" + i));
            }
            assertEquals(10_000, t.stats().keys());
            for (int i = 1; i < 20_000; i += 2) {
                assertArrayEquals(b("v" + i), t.get(b("dir-" + (i % 37) + "/file-" + i)));
            }
            for (int i = 1; i < 20_000; i += 2) {
                t.delete(b("dir-" + (i % 37) + "/file-" + i));
            }
            TreeStats empty = t.stats();
            assertEquals(0, empty.keys());
            assertEquals(1, empty.frames(), "every child frame merged back: " + empty);
        }
    }

    @Test
    void keyPathRejectsBadSegmentsNamingThem() {
        assertEquals("a/b/c", new String(KeyPath.of("a", "b").push("c").toBytes(), UTF_8));
        assertEquals("a/b/", new String(KeyPath.of("a", "b").toPrefix(), UTF_8));
        for (String bad : List.of("", ".", "..", "x/y", "nul\0")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyPath.of("a", bad));
            assertTrue(e.getMessage().contains("segment"), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KeyPath.of("x/y")).getMessage()
                .contains("x/y"));
    }
}
