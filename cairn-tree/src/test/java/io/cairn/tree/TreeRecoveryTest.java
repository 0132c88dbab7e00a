package io.cairn.tree;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.BStack;
import io.cairn.stack.testkit.FaultyStorageIo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Tree#recovery()}: what an open replayed and repaired, read without walking the tree. */
class TreeRecoveryTest {
    @TempDir
    Path dir;

    @Test
    void reportsReplayedRecordsAndATornTailCut() throws Exception {
        FaultyStorageIo io = new FaultyStorageIo();
        Tree t = Tree.open(dir, TreeOptions.defaults().io(io));
        for (int i = 0; i < 10; i++) {
            t.put(("k" + i).getBytes(UTF_8), new byte[] {(byte) i});
        }
        io.crash(); // no close, so no checkpoint: the tree's creation and the ten puts are in the log only
        List<Path> segments;
        try (Stream<Path> files = Files.list(dir.resolve("wal"))) {
            segments = files.sorted().toList();
        }
        try (BStack last = BStack.open(segments.getLast())) {
            last.push(new byte[] {1, 2, 3, 4, 5}); // a record a crash cut short
        }
        try (Tree again = Tree.open(dir)) {
            TreeStats.Recovery r = again.recovery();
            assertEquals(11, r.replayedRecords(), "CREATE_TREE of the new store's tree, then ten puts");
            assertEquals(5, r.walBytesCut());
            assertTrue(r.recoveryNanos() > 0);
            assertEquals(again.stats().durable().replayedRecords(), r.replayedRecords());
            assertArrayEquals(new byte[] {9}, again.get("k9"));
        }
        try (Tree clean = Tree.open(dir)) {
            assertEquals(0, clean.recovery().replayedRecords(), "a clean close checkpointed");
            assertEquals(0, clean.recovery().walBytesCut());
        }
        try (Tree memory = Tree.inMemory()) {
            assertNull(memory.recovery());
        }
    }
}
