package io.cairn.tree;

import io.cairn.stack.testkit.UnsyncedStorageIo;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.StoreLockedException;
import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file-backed tree's behaviour at its edges: reopen, crash, checkpoint, locks, read-only handles. */
class DurableTreeTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void writesSurviveACleanReopenAndVersionsKeepIncreasing() throws IOException {
        long last;
        try (Tree t = Tree.open(dir)) {
            assertTrue(t.isDurable());
            for (int i = 0; i < 1000; i++) {
                t.put(b("dir-" + i % 7 + "/file-" + i), b("v" + i));
            }
            t.delete(b("dir-0/file-0"));
            t.rename(b("dir-1/file-1"), b("moved"), false);
            assertTrue(t.atomic(batch -> batch.put(b("batched"), b("x")).delete(b("dir-2/file-2"))));
            last = t.getRecord(b("batched")).version();
        }
        try (Tree t = Tree.open(dir)) {
            assertEquals(999, t.stats().keys());
            assertNull(t.get(b("dir-0/file-0")));
            assertArrayEquals(b("v1"), t.get(b("moved")));
            assertArrayEquals(b("x"), t.get(b("batched")));
            assertArrayEquals(b("v999"), t.get(b("dir-5/file-999")));
            assertEquals(0, t.stats().durable().replayedRecords(), "a clean close checkpoints");
            t.put(b("after"), b("y"));
            assertTrue(t.getRecord(b("after")).version() > last, "versions continue after a reopen");
        }
    }

    @Test
    void acknowledgedSyncWritesSurviveAPowerLossWithAndWithoutACheckpoint() throws IOException {
        FaultyStorageIo io = new FaultyStorageIo();
        TreeMap<String, String> model = new TreeMap<>();
        Tree t = Tree.open(dir, TreeOptions.defaults().io(io).frameSize(8192));
        for (int i = 0; i < 3000; i++) {
            t.put(b("k" + i), b("v" + i));
            model.put("k" + i, "v" + i);
            if (i == 1500) {
                t.checkpoint();
            }
        }
        t.rename(b("k7"), b("k7-renamed"), false);
        model.put("k7-renamed", model.remove("k7"));
        io.crash(); // the process dies: nothing unforced survives, the handles are gone
        try (Tree again = Tree.open(dir, TreeOptions.defaults().io(new FaultyStorageIo()))) {
            assertEquals(model.size(), again.stats().keys());
            for (Map.Entry<String, String> e : model.entrySet()) {
                assertArrayEquals(b(e.getValue()), again.get(b(e.getKey())), e.getKey());
            }
            assertTrue(again.stats().durable().replayedRecords() > 0, "writes after the checkpoint were replayed");
        }
    }

    @Test
    void aLogThatGrowsPastTheThresholdIsCheckpointedInTheBackground() throws Exception {
        try (Tree t = Tree.open(dir, TreeOptions.defaults().durability(io.cairn.stack.Durability.NONE)
                .checkpointEvery(64 << 10).io(new UnsyncedStorageIo()))) {
            long before = t.stats().durable().checkpoints();
            byte[] value = b("v");
            for (int i = 0; i <= 4_000; i++) { // about 150 KiB of log
                t.put(b("bucket-" + i % 64 + "/file-" + i), value);
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (t.stats().durable().checkpoints() == before && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            TreeStats.Durable d = t.stats().durable();
            assertTrue(d.checkpoints() > before, "no background checkpoint: " + d);
            assertTrue(d.checkpointSequence() > 0, "the checkpoint covers the log: " + d);
        }
    }

    @Test
    void aSecondWriterIsRefusedNamingTheDirectory() throws IOException {
        try (Tree t = Tree.open(dir)) {
            StoreLockedException e = assertThrows(StoreLockedException.class, () -> Tree.open(dir));
            assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
            assertThrows(StoreLockedException.class, () -> Tree.openReadOnly(dir));
            t.put(b("a"), b("1"));
        }
    }

    @Test
    void readOnlyHandlesSeeEveryAcknowledgedWriteRejectMutationsAndChangeNoFile() throws IOException {
        FaultyStorageIo io = new FaultyStorageIo();
        Tree t = Tree.open(dir, TreeOptions.defaults().io(io));
        for (int i = 0; i < 200; i++) {
            t.put(b("k" + i), b("v" + i));
        }
        t.checkpoint();
        t.delete(b("k3"));
        t.put(b("late"), b("z"));
        io.crash();
        Map<Path, byte[]> before = contents(dir);
        try (Tree r1 = Tree.openReadOnly(dir); Tree r2 = Tree.openReadOnly(dir)) {
            assertTrue(r1.isReadOnly());
            assertArrayEquals(b("z"), r1.get(b("late")));
            assertNull(r2.get(b("k3")));
            assertEquals(200, r2.prefixCount(new byte[0], 1000));
            assertThrows(UnsupportedOperationException.class, () -> r1.put(b("x"), b("y")));
            assertThrows(UnsupportedOperationException.class, () -> r1.delete(b("k1")));
            assertThrows(UnsupportedOperationException.class, () -> r1.rename(b("k1"), b("k2"), true));
            assertThrows(UnsupportedOperationException.class, () -> r1.atomic(batch -> batch.delete(b("k1"))));
            assertThrows(UnsupportedOperationException.class, r1::checkpoint);
            assertThrows(UnsupportedOperationException.class, r1::sync);
            assertThrows(StoreLockedException.class, () -> Tree.open(dir));
        }
        Map<Path, byte[]> after = contents(dir);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((p, bytes) -> assertArrayEquals(bytes, after.get(p), "read-only opens changed " + p));
    }

    @Test
    void aLogShorterThanTheCheckpointIsCorruptionNotANewLog() throws IOException {
        try (Tree t = Tree.open(dir)) {
            t.put(b("k"), b("v"));
        }
        try (Stream<Path> wal = Files.list(dir.resolve("wal"))) {
            for (Path p : wal.toList()) {
                Files.delete(p);
            }
        }
        io.cairn.stack.CorruptedStoreException e = assertThrows(io.cairn.stack.CorruptedStoreException.class,
                () -> Tree.openReadOnly(dir));
        assertTrue(e.getMessage().contains("wal"), e.getMessage());
        assertThrows(io.cairn.stack.CorruptedStoreException.class, () -> Tree.open(dir));
    }

    @Test
    void aMissingStoreIsNotOpenedReadOnly() {
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Tree.openReadOnly(dir.resolve("none")));
        assertFalse(Files.exists(dir.resolve("none")));
    }

    static Map<Path, byte[]> contents(Path dir) throws IOException {
        Map<Path, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p), Files.readAllBytes(p));
            }
        }
        return out;
    }

    /**
     * A batch too large for one log record (16 MiB) used to be applied to the frames and only then refused by the
     * log: readers saw it, a reopen lost it. It must be refused before anything changes.
     */
    @Test
    void aBatchTooLargeForOneLogRecordChangesNothing() throws IOException {
        byte[] value = new byte[60_000];
        try (Tree t = Tree.open(dir)) {
            t.put(b("kept"), b("v"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.atomic(batch -> {
                for (int i = 0; i < 300; i++) {
                    batch.put(b("big-" + i), value);
                }
            }));
            assertTrue(e.getMessage().contains("exceeds the limit"), e.getMessage());
            assertTrue(t.get(b("big-0")) == null, "the refused batch is visible");
            assertEquals(1, t.stats().keys());
            t.put(b("after"), b("w"));
        }
        try (Tree t = Tree.open(dir)) {
            assertEquals(2, t.stats().keys());
            assertTrue(t.get(b("big-299")) == null, "the refused batch came back");
        }
    }

    @Test
    void aStoreKeepsTheFrameSizeItWasCreatedWithAndRefusesWritesThatDoNotFitIt() throws IOException {
        TreeOptions small = TreeOptions.defaults().frameSize(64 << 10);
        assertEquals(64 << 10, small.frameSize());
        assertEquals(8 * TreeOptions.DEFAULT_FRAME_BUDGET, small.frameBudget(), "a default budget keeps its 32 GiB");
        assertEquals(10, small.frameBudget(10).frameSize(4096).frameBudget(), "a budget set stays as set");
        try (Tree t = Tree.open(dir, small)) {
            for (int i = 0; i < 20_000; i++) {
                t.put(b("dir-" + i % 7 + "/file-" + i), b("v" + i));
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> t.put(b("dir-1/file-1"), new byte[40_000]));
            assertTrue(e.getMessage().contains("65536-byte frames"), e.getMessage());
            t.put(b("fits"), new byte[20_000]);
        }
        try (Tree t = Tree.open(dir)) { // the default options ask for 512 KiB frames: the store keeps its 64 KiB
            assertEquals(20_001, t.stats().keys());
            assertArrayEquals(b("v1"), t.get(b("dir-1/file-1")), "the refused write changed the key");
            assertThrows(IllegalArgumentException.class, () -> t.put(b("big"), new byte[40_000]));
            assertTrue(t.stats().frames() > 3, "20,000 keys span several 64 KiB frames: " + t.stats().frames());
        }
        assertThrows(IllegalArgumentException.class, () -> TreeOptions.defaults().frameSize(4095));
        assertThrows(IllegalArgumentException.class, () -> TreeOptions.defaults().frameSize(1 << 20));
    }
}
