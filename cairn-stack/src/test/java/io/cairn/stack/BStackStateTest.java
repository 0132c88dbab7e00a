package io.cairn.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handle's explicit lifecycle: once a force or a rollback fails, the durable state is unknown and every later
 * call throws {@link StoreFailedException} naming the file and carrying the first error, until the file is reopened.
 */
class BStackStateTest {
    @TempDir
    Path dir;

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Every call a failed handle must refuse, reads included. */
    private static List<Executable> calls(BStack stack) {
        return List.of(stack::length, stack::isEmpty, () -> stack.push(ascii("x")), () -> stack.pop(1),
                () -> stack.get(0, 1), () -> stack.peek(0), () -> stack.getInto(0, new byte[1]),
                () -> stack.set(0, ascii("y")), () -> stack.extend(1), () -> stack.sync(),
                () -> stack.newInputStream(0).read());
    }

    private static void assertFailedWith(BStack stack, Path path, IOException first) {
        for (Executable call : calls(stack)) {
            StoreFailedException e = assertThrows(StoreFailedException.class, call);
            assertSame(first, e.getCause(), "every call carries the first error");
            assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("must be reopened"), e.getMessage());
        }
    }

    @Test
    void aFailedForceFailsTheHandleForEveryLaterCall() throws IOException {
        Path path = dir.resolve("f.bstack");
        FaultyStorageIo io = new FaultyStorageIo();
        BStack stack = BStack.open(path, BStackOptions.defaults().withIo(io));
        stack.push(ascii("abc"));
        io.failForce(1);
        StoreFailedException failed = assertThrows(StoreFailedException.class, () -> stack.push(ascii("def")));
        IOException first = (IOException) failed.getCause();
        assertTrue(first.getMessage().contains("injected force failure"), first.getMessage());
        assertFailedWith(stack, path, first);
        stack.close();
        stack.close();
        assertThrows(IllegalStateException.class, stack::length, "closed wins over failed");
        try (BStack reopened = BStack.open(path)) {
            byte[] content = reopened.peek(0);
            assertTrue(Arrays.equals(ascii("abc"), content) || Arrays.equals(ascii("abcdef"), content));
        }
    }

    @Test
    void aFailedRollbackOfA02WriteFailsTheHandle() throws IOException {
        Path path = dir.resolve("r.bstack");
        FaultyStorageIo io = new FaultyStorageIo();
        BStack stack = BStack.open(path, BStackOptions.defaults().withIo(io).withFormat(StackFormat.V0_2));
        stack.push(ascii("abcdef"));
        io.tearWrite(1);
        io.failWrite(2); // the rollback of the torn overwrite
        StoreFailedException failed = assertThrows(StoreFailedException.class, () -> stack.set(0, ascii("XYZ")));
        IOException first = (IOException) failed.getCause();
        assertTrue(first.getMessage().contains("injected torn write"), first.getMessage());
        assertTrue(first.getSuppressed()[0].getMessage().contains("injected write failure"));
        assertFailedWith(stack, path, first);
        stack.close();
    }

    @Test
    void aFailedWriteOfA02FileRollsBackAndKeepsTheHandleOpen() throws IOException {
        Path path = dir.resolve("w.bstack");
        FaultyStorageIo io = new FaultyStorageIo();
        try (BStack stack = BStack.open(path, BStackOptions.defaults().withIo(io).withFormat(StackFormat.V0_2))) {
            stack.push(ascii("abc"));
            io.failWrite(1);
            IOException e = assertThrows(IOException.class, () -> stack.push(ascii("def")));
            assertTrue(!(e instanceof StoreFailedException), "a rolled-back write does not fail the handle");
            stack.push(ascii("g"));
            assertArrayEquals(ascii("abcg"), stack.peek(0));
        }
    }

    @Test
    void aFailedWriteOfA04FileInterruptsReadsUntilTheNextWriteReplaysIt() throws IOException {
        Path path = dir.resolve("i.bstack");
        FaultyStorageIo io = new FaultyStorageIo();
        try (BStack stack = BStack.open(path, BStackOptions.defaults().withIo(io))) {
            stack.push(new byte[300]);
            io.failWrite(3); // stage, arm, then the in-place write of a journaled set fails
            IOException e = assertThrows(IOException.class, () -> stack.set(220, ascii("new bytes across a block")));
            for (Executable read : List.<Executable>of(stack::length, () -> stack.get(0, 1), () -> stack.peek(0),
                    () -> stack.getInto(0, new byte[1]), () -> stack.newInputStream(0).read())) {
                InterruptedWriteException refused = assertThrows(InterruptedWriteException.class, read);
                assertSame(e, refused.getCause());
                assertTrue(refused.getMessage().contains(path.toString()), refused.getMessage());
            }
            stack.push(ascii("!")); // replays the armed journal first: the set rolls forward
            assertArrayEquals(ascii("new bytes across a block"), stack.get(220, 244));
            assertEquals(301, stack.length());
            assertFalse(stack.recover(), "nothing left to replay");
        }
    }

    @Test
    void recoverReplaysAnInterruptedWriteOnDemand() throws IOException {
        Path path = dir.resolve("rec.bstack");
        FaultyStorageIo io = new FaultyStorageIo();
        try (BStack stack = BStack.open(path, BStackOptions.defaults().withIo(io))) {
            stack.push(new byte[300]);
            io.failWrite(1); // the stage: nothing armed, so the write rolls back
            assertThrows(IOException.class, () -> stack.set(100, new byte[200]));
            assertThrows(InterruptedWriteException.class, stack::length);
            assertTrue(stack.recover());
            assertEquals(300, stack.length());
            assertFalse(stack.recover());
        }
        assertEquals(32 + 300, java.nio.file.Files.size(path), "the stage was cut");
    }

    @Test
    void aFailedForceDuringTheReplayFailsTheHandle() throws IOException {
        Path path = dir.resolve("ff.bstack");
        FaultyStorageIo io = new FaultyStorageIo();
        BStack stack = BStack.open(path, BStackOptions.defaults().withIo(io));
        stack.push(new byte[300]);
        io.failWrite(3);
        IOException first = assertThrows(IOException.class, () -> stack.set(100, new byte[200]));
        io.failForce(1);
        StoreFailedException failed = assertThrows(StoreFailedException.class, stack::recover);
        assertSame(first, failed.getCause(), "the first error stays the cause");
        assertFailedWith(stack, path, first);
        stack.close();
        try (BStack reopened = BStack.open(path)) {
            assertArrayEquals(new byte[200], reopened.get(100, 300));
        }
    }
}
