package io.cairn.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Read-only handles and locking, and the stream and channel adapters. */
class BStackReadOnlyAndAdaptersTest {
    @TempDir
    Path dir;

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private Path stackWith(String content) throws IOException {
        Path path = dir.resolve("s.bstack");
        try (BStack stack = BStack.open(path)) {
            stack.push(ascii(content));
        }
        return path;
    }

    // ---------------------------------------------------------------- read-only and locks

    @Test
    void readOnlyHandlesCoexistAndRead() throws IOException {
        Path path = stackWith("abc");
        try (BStack a = BStack.openReadOnly(path); BStack b = BStack.openReadOnly(path)) {
            assertTrue(a.isReadOnly());
            assertArrayEquals(ascii("abc"), a.peek(0));
            assertArrayEquals(ascii("bc"), b.get(1, 3));
        }
    }

    @Test
    void readOnlyHandlesRejectEveryMutation() throws IOException {
        Path path = stackWith("abc");
        try (BStack ro = BStack.openReadOnly(path)) {
            List<Executable> mutations = List.of(() -> ro.push(ascii("d")), () -> ro.push(new byte[0]),
                    () -> ro.pushAll(List.of(ascii("d"))), () -> ro.extend(1), () -> ro.pop(1),
                    () -> ro.popInto(new byte[1]), () -> ro.discard(1), () -> ro.set(0, ascii("x")),
                    () -> ro.zero(0, 1), () -> ro.atrunc(1, ascii("x")), () -> ro.splice(1, ascii("x")),
                    () -> ro.spliceInto(new byte[1], ascii("x")),
                    () -> ro.tryExtend(3, ascii("x")), () -> ro.tryExtendZeros(3, 1), () -> ro.tryDiscard(3, 1),
                    () -> ro.swap(0, ascii("x")), () -> ro.cas(0, ascii("a"), ascii("x")),
                    () -> ro.replace(1, t -> t), () -> ro.process(0, 1, b -> { }),
                    () -> ro.newOutputStream().write(1));
            for (Executable mutation : mutations) {
                assertThrows(UnsupportedOperationException.class, mutation);
            }
            assertArrayEquals(ascii("abc"), ro.peek(0));
        }
    }

    @Test
    void aWriterCannotOpenWhileReadOnlyHandlesHoldTheFile() throws IOException {
        Path path = stackWith("abc");
        try (BStack ro = BStack.openReadOnly(path)) {
            StoreLockedException e = assertThrows(StoreLockedException.class, () -> BStack.open(path));
            assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
            assertEquals(path, e.path());
            assertArrayEquals(ascii("abc"), ro.peek(0));
        }
        BStack.open(path).close(); // released with the last reader
    }

    @Test
    void aSecondWriterFailsAtOnceNamingThePath() throws IOException {
        Path path = stackWith("abc");
        try (BStack writer = BStack.open(path)) {
            StoreLockedException e = assertThrows(StoreLockedException.class, () -> BStack.open(path));
            assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
            assertThrows(StoreLockedException.class, () -> BStack.openReadOnly(path));
            writer.push(ascii("d"));
        }
        try (BStack again = BStack.open(path)) {
            assertArrayEquals(ascii("abcd"), again.peek(0));
        }
    }

    // ---------------------------------------------------------------- input stream

    @Test
    void inputStreamReadsFromTheOffsetToTheEnd() throws IOException {
        Path path = stackWith("abcdef");
        try (BStack stack = BStack.open(path); InputStream in = stack.newInputStream(2)) {
            assertEquals('c', in.read());
            assertEquals(3, in.available());
            assertArrayEquals(ascii("def"), in.readAllBytes());
            assertEquals(-1, in.read());
            assertEquals(-1, in.read(new byte[4], 0, 4));
            assertEquals(0, in.read(new byte[4], 0, 0));
        }
    }

    @Test
    void inputStreamSeesLaterPushesAndSkipsWithinTheLength() throws IOException {
        Path path = stackWith("ab");
        try (BStack stack = BStack.open(path); InputStream in = stack.newInputStream(0)) {
            assertEquals(1, in.skip(1));
            assertEquals('b', in.read());
            assertEquals(-1, in.read());
            stack.push(ascii("cd"));
            assertEquals(1, in.skip(1));
            assertEquals(1, in.skip(5)); // only d is left
            assertEquals(-1, in.read());
        }
    }

    @Test
    void inputStreamFromBeyondTheEndIsEmptyAndANegativeOffsetIsRejected() throws IOException {
        Path path = stackWith("ab");
        try (BStack stack = BStack.open(path)) {
            assertEquals(-1, stack.newInputStream(5).read());
            assertThrows(IllegalArgumentException.class, () -> stack.newInputStream(-1));
        }
    }

    // ---------------------------------------------------------------- read channel

    @Test
    void readChannelReadsSeeksAndReportsTheEnd() throws IOException {
        Path path = stackWith("abcdef");
        try (BStack stack = BStack.open(path); SeekableByteChannel ch = stack.newReadChannel()) {
            assertEquals(6, ch.size());
            ByteBuffer buf = ByteBuffer.allocate(4);
            assertEquals(4, ch.read(buf));
            assertArrayEquals(ascii("abcd"), buf.array());
            assertEquals(4, ch.position());
            buf.clear();
            assertEquals(2, ch.read(buf));
            assertEquals(-1, ch.read(buf.clear()));
            assertEquals(0, ch.read(ByteBuffer.allocate(0)));
            ch.position(1);
            ByteBuffer two = ByteBuffer.allocate(2);
            ch.read(two);
            assertArrayEquals(ascii("bc"), two.array());
            ch.position(100); // past the end is allowed
            assertEquals(-1, ch.read(ByteBuffer.allocate(1)));
            assertThrows(IllegalArgumentException.class, () -> ch.position(-1));
        }
    }

    @Test
    void readChannelIsNotWritableAndClosesOnItsOwn() throws IOException {
        Path path = stackWith("ab");
        try (BStack stack = BStack.open(path)) {
            SeekableByteChannel ch = stack.newReadChannel();
            assertThrows(NonWritableChannelException.class, () -> ch.write(ByteBuffer.allocate(1)));
            assertThrows(NonWritableChannelException.class, () -> ch.truncate(0));
            ch.close();
            assertFalse(ch.isOpen());
            assertThrows(ClosedChannelException.class, () -> ch.read(ByteBuffer.allocate(1)));
            assertEquals(2, stack.length(), "closing the channel leaves the stack open");
        }
    }

    // ---------------------------------------------------------------- output stream

    @Test
    void outputStreamWritesAreDurablePushes() throws IOException {
        Path path = dir.resolve("out.bstack");
        FaultyStorageIo io = new FaultyStorageIo();
        try (BStack stack = BStack.open(path, BStackOptions.defaults().withIo(io))) {
            OutputStream out = stack.newOutputStream();
            long forces = io.forces();
            out.write('a');
            out.write(ascii("xbcx"), 1, 2);
            out.write(new byte[0]);
            assertEquals(forces + 2, io.forces());
            try (OutputStream buffered = new BufferedOutputStream(stack.newOutputStream())) {
                buffered.write(ascii("de"));
                buffered.write(ascii("f"));
            }
            assertEquals(forces + 3, io.forces(), "a buffered stream batches into one push");
            assertArrayEquals(ascii("abcdef"), stack.peek(0));
            assertThrows(IndexOutOfBoundsException.class, () -> out.write(new byte[2], 1, 2));
        }
        io.crash();
        try (BStack stack = BStack.open(path)) {
            assertArrayEquals(ascii("abcdef"), stack.peek(0));
        }
    }
}
