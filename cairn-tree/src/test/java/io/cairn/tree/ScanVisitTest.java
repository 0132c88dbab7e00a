package io.cairn.tree;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.tree.engine.ScanBuffer;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Scan#visit}: entries read in place. The model test compares it with iteration on random trees; these
 * cases cover what a visitor can do wrong or unusually (keep the view, throw, scan or write from inside).
 */
class ScanVisitTest {
    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private static Tree treeWith(int keys) {
        Tree t = Tree.inMemory();
        for (int i = 0; i < keys; i++) {
            t.put(b("dir/f%05d".formatted(i)), b("value-" + i));
        }
        return t;
    }

    @Test
    void visitsEveryEntryAcrossChunksInOrder() {
        int keys = 3 * ScanBuffer.CHUNK + 17;
        try (Tree t = treeWith(keys)) {
            List<String> seen = new ArrayList<>();
            long shown = t.scan(b("dir/")).visit(v -> {
                assertEquals("value-" + seen.size(), new String(v.valueBytes(), UTF_8));
                seen.add(v.keyString());
                return true;
            });
            assertEquals(keys, shown);
            assertEquals(keys, seen.size());
            for (int i = 0; i < keys; i++) {
                assertEquals("dir/f%05d".formatted(i), seen.get(i));
            }
        }
    }

    @Test
    void stopsWhenTheVisitorSaysSo() {
        try (Tree t = treeWith(1000)) {
            List<String> seen = new ArrayList<>();
            long shown = t.scan(b("dir/")).startAfter(b("dir/f00099")).visit(v -> {
                seen.add(v.keyString());
                return seen.size() < 300;
            });
            assertEquals(300, shown);
            assertEquals("dir/f00100", seen.getFirst());
            assertEquals("dir/f00399", seen.getLast());
        }
    }

    @Test
    void aViewKeptPastItsVisitRefusesToRead() {
        try (Tree t = treeWith(3)) {
            ScanView[] kept = new ScanView[1];
            t.scan(b("dir/")).visit(v -> {
                kept[0] = v;
                return true;
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> kept[0].key());
            assertTrue(e.getMessage().contains("only during the visit"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> kept[0].valueBytes());
            assertEquals("ScanView[released]", kept[0].toString());
        }
    }

    @Test
    void segmentsAreReadOnlyViewsOfTheEntry() {
        try (Tree t = treeWith(1)) {
            t.scan(b("dir/")).visit(v -> {
                assertTrue(v.key().isReadOnly());
                assertTrue(v.value().isReadOnly());
                assertThrows(IllegalArgumentException.class, () -> v.key().set(ValueLayout.JAVA_BYTE, 0, (byte) 1));
                assertArrayEquals(b("dir/f00000"), v.key().toArray(ValueLayout.JAVA_BYTE));
                assertArrayEquals(b("value-0"), v.value().toArray(ValueLayout.JAVA_BYTE));
                return true;
            });
        }
    }

    @Test
    void commonPrefixesAndKeysOnlyEntriesHaveNoValue() {
        try (Tree t = treeWith(5)) {
            t.put(b("top"), b("x"));
            List<ScanEntry> seen = new ArrayList<>();
            t.scan(new byte[0]).delimiter((byte) '/').visit(v -> {
                if (v.isCommonPrefix()) {
                    assertNull(v.value());
                    assertNull(v.valueBytes());
                    assertEquals(0, v.version());
                }
                seen.add(v.toEntry());
                return true;
            });
            assertEquals(t.scan(new byte[0]).delimiter((byte) '/').toList(), seen);
            t.scan(b("dir/")).keysOnly().visit(v -> {
                assertNull(v.value());
                assertTrue(v.version() > 0);
                return true;
            });
        }
    }

    @Test
    void aVisitorMayScanAndWriteTheTree() {
        try (Tree t = treeWith(600)) {
            byte[] filler = new byte[700];
            Arrays.fill(filler, (byte) 'x');
            for (int i = 0; i < 20; i++) {
                t.put(b("other/" + i), filler);
            }
            List<Long> innerCounts = new ArrayList<>();
            long shown = t.scan(b("dir/")).visit(v -> {
                // a nested scan gets its own buffers (had it reused the outer scan's, its 14 KB of records would
                // overwrite the outer entries): the outer view must still show its own entry afterwards
                String before = v.keyString();
                byte[] value = v.valueBytes();
                innerCounts.add((long) t.scan(b("other/")).toList().size());
                t.put(b("copy/" + before), value);
                assertEquals(before, v.keyString());
                assertArrayEquals(value, v.valueBytes());
                return true;
            });
            assertEquals(600, shown);
            assertTrue(innerCounts.stream().allMatch(c -> c == 20));
            assertEquals(600, t.prefixCount(b("copy/dir/"), Long.MAX_VALUE));
            assertArrayEquals(b("value-599"), t.get(b("copy/dir/f00599")));
        }
    }

    @Test
    void anExceptionFromTheVisitorEndsTheScanAndLeavesLaterScansIntact() {
        try (Tree t = treeWith(10)) {
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                    () -> t.scan(b("dir/")).visit(v -> {
                        throw boom;
                    }));
            assertSame(boom, thrown);
            assertEquals(10, t.scan(b("dir/")).toList().size());
            assertEquals(10, t.scan(b("dir/")).visit(v -> true));
        }
    }

    @Test
    void largeValuesGrowTheBufferAndLaterSmallScansStayCorrect() {
        try (Tree t = Tree.inMemory()) {
            byte[] big = new byte[60_000];
            for (int i = 0; i < 40; i++) {
                Arrays.fill(big, (byte) i);
                t.put(b("big/%02d".formatted(i)), big);
            }
            t.put(b("small"), b("s"));
            int[] index = {0};
            assertEquals(40, t.scan(b("big/")).visit(v -> {
                byte[] value = v.valueBytes();
                assertEquals(60_000, value.length);
                assertEquals(index[0], value[0]);
                assertEquals(index[0]++, value[59_999]);
                return true;
            }));
            assertEquals(List.of(ScanEntry.key(b("small"), b("s"), t.getRecord(b("small")).version())),
                    t.scan(b("small")).toList());
        }
    }

    @Test
    void aBatchGuardThatListsThousandsOfKeysLeavesLaterScansIntact() {
        try (Tree t = treeWith(3000)) {
            // the guard lists up to (deleted + 1) stored keys in one pass: the thread's buffers grow, then shrink
            assertTrue(t.atomic(batch -> {
                for (int i = 0; i < 3000; i++) {
                    batch.delete(b("dir/f%05d".formatted(i)));
                }
                batch.assertPrefixEmpty(b("dir/"));
            }));
            assertEquals(0, t.prefixCount(b("dir/"), 10));
            t.put(b("dir/x"), b("y"));
            List<String> seen = new ArrayList<>();
            t.scan(b("dir/")).visit(v -> seen.add(v.keyString()));
            assertEquals(List.of("dir/x"), seen);
            assertFalse(t.atomic(batch -> batch.assertPrefixEmpty(b("dir/"))));
        }
    }

    @Test
    void rejectsNullVisitorAndClosedTree() {
        Tree t = treeWith(2);
        Scan scan = t.scan(b("dir/"));
        NullPointerException npe = assertThrows(NullPointerException.class, () -> scan.visit(null));
        assertEquals("visitor", npe.getMessage());
        t.close();
        assertThrows(IllegalStateException.class, () -> scan.visit(v -> true));
    }
}
