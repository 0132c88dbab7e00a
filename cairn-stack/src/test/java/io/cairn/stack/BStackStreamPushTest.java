package io.cairn.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/** {@link BStack#push(InputStream)}: one record from a stream, committed once, and {@link BStack#opened()}. */
class BStackStreamPushTest {
    @TempDir
    Path dir;

    /** A stream of {@code data} that hands out at most {@code chunk} bytes per read, as a pipe does. */
    static InputStream trickle(byte[] data, int chunk) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + (i >> 8));
        }
        return b;
    }

    @Test
    void aStreamLargerThanTheBufferIsOneRecordAtTheOldLength() throws IOException {
        byte[] data = pattern(3 * (1 << 20) + 12345);
        try (BStack stack = BStack.open(dir.resolve("s"))) {
            stack.push("head".getBytes(StandardCharsets.US_ASCII));
            assertEquals(4, stack.push(trickle(data, 70_000)));
            assertEquals(4 + data.length, stack.length());
        }
        try (BStack stack = BStack.openReadOnly(dir.resolve("s"))) {
            assertArrayEquals(data, stack.peek(4));
        }
    }

    @Test
    void anEmptyStreamChangesNothing() throws IOException {
        try (BStack stack = BStack.open(dir.resolve("s"))) {
            assertEquals(0, stack.push(InputStream.nullInputStream()));
            assertEquals(0, stack.length());
        }
    }

    @ParameterizedTest
    @EnumSource(StackFormat.class)
    void aFailedReadLeavesTheStackAsItWas(StackFormat format) throws IOException {
        Path file = dir.resolve("s");
        byte[] data = pattern(5 << 20);
        try (BStack stack = BStack.open(file, BStackOptions.defaults().withFormat(format))) {
            stack.push("keep".getBytes(StandardCharsets.US_ASCII));
            IOException broken = new IOException("the pipe broke");
            InputStream failing = new InputStream() {
                private final InputStream in = new ByteArrayInputStream(data);

                @Override
                public int read() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = in.read(b, off, len);
                    if (n < 0) {
                        throw broken;
                    }
                    return n;
                }
            };
            assertSame(broken, assertThrows(IOException.class, () -> stack.push(failing)));
            assertEquals(4, stack.length());
            assertEquals(format.headerSize() + 4, Files.size(file), "the streamed bytes are cut off again");
            stack.push("!".getBytes(StandardCharsets.US_ASCII));
        }
        try (BStack stack = BStack.openReadOnly(file)) {
            assertArrayEquals("keep!".getBytes(StandardCharsets.US_ASCII), stack.peek(0));
        }
    }

    @Test
    void openedSaysWhatOpenRepaired() throws IOException {
        Path file = dir.resolve("s");
        try (BStack stack = BStack.open(file)) {
            assertTrue(stack.opened().needsHeader(), "a new file");
            stack.push(pattern(10));
        }
        try (BStack stack = BStack.open(file)) {
            assertTrue(stack.opened().isConsistent());
        }
        Files.write(file, new byte[7], StandardOpenOption.APPEND);
        try (BStack stack = BStack.open(file)) {
            BStackCheck found = stack.opened();
            assertFalse(found.isConsistent());
            assertEquals(7, found.phantomBytes());
            assertEquals(10, stack.length());
        }
        assertEquals(32 + 10, Files.size(file));
        try (BStack stack = BStack.open(file)) {
            assertTrue(stack.opened().isConsistent(), "repaired once");
            assertArrayEquals(pattern(10), Arrays.copyOf(stack.peek(0), 10));
        }
    }
}
