package io.cairn.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BStack#sync()} and {@link Durability#ASYNC}: what survives a simulated power loss. */
class BStackSyncTest {
    @TempDir
    Path dir;

    @Test
    void syncMakesUnforcedPushesSurviveAPowerLoss() throws IOException {
        FaultyStorageIo io = new FaultyStorageIo();
        Path path = dir.resolve("s.stack");
        BStackOptions options = BStackOptions.defaults().withDurability(Durability.NONE).withIo(io);
        try (BStack s = BStack.open(path, options)) {
            s.push(new byte[] {1, 2, 3});
            long forces = io.forces();
            s.sync();
            assertEquals(forces + 1, io.forces(), "sync is one force");
            s.push(new byte[] {4});
            io.crash();
        }
        try (BStack s = BStack.open(path, options)) {
            assertArrayEquals(new byte[] {1, 2, 3}, s.peek(0), "the synced push survives, the later one is lost");
        }
    }

    @Test
    void asyncForcesOnCleanClose() throws IOException {
        FaultyStorageIo io = new FaultyStorageIo();
        Path path = dir.resolve("a.stack");
        BStackOptions options = BStackOptions.defaults().withDurability(Durability.ASYNC).withIo(io);
        try (BStack s = BStack.open(path, options)) {
            s.push(new byte[] {7, 8});
        }
        io.crash();
        try (BStack s = BStack.open(path, options)) {
            assertArrayEquals(new byte[] {7, 8}, s.peek(0), "a clean close forced the push");
        }
    }
}
