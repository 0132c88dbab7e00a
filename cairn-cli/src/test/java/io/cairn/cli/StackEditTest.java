package io.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cairn.stack.BStack;
import java.io.ByteArrayInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn stack push|pop}: streaming, repairs said aloud, long counts, nothing lost on a failed output. */
class StackEditTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("s");
    }

    private byte[] content() throws IOException {
        try (BStack stack = BStack.openReadOnly(file())) {
            return stack.peek(0);
        }
    }

    @Test
    void standardInputLargerThanTheHeapIsStreamedIntoOneRecord() throws Exception {
        long size = 160L << 20;
        Cli.Result r = Cli.process(dir, "32m", "head -c " + size + " /dev/zero | cairn stack push s");
        assertEquals(0, r.code(), r.toString());
        assertEquals("pushed " + size + " bytes at offset 0; length now " + size + "\n", r.out());
        assertEquals(32 + size, Files.size(file()));
    }

    @Test
    void runningOutOfMemoryIsAMessageNotAStackTrace() throws Exception {
        assertEquals(0, Cli.process(dir, "32m", "head -c 100000000 /dev/zero | cairn stack push s").code());
        Cli.Result r = Cli.process(dir, "32m", "cairn stack get --raw s 0 100000000 > /dev/null");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().startsWith("cairn: out of memory"), r.toString());
        assertFalse(r.err().contains("\tat "), r.toString());
    }

    @Test
    void hexOnStandardInputIsStreamedAndBadHexAddsNothing() throws IOException {
        Cli.Result r = Cli.run(new ByteArrayInputStream("00ff\n10 41\n".getBytes(StandardCharsets.US_ASCII)),
                "stack", "push", "--hex", file().toString());
        assertEquals(0, r.code(), r.toString());
        assertArrayEquals(new byte[] {0, (byte) 0xFF, 0x10, 0x41}, content());
        r = Cli.run(new ByteArrayInputStream("0102zz".getBytes(StandardCharsets.US_ASCII)),
                "stack", "push", "--hex", file().toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals("cairn: standard input is not hexadecimal: byte 0x7a after 4 digits\n", r.err());
        assertArrayEquals(new byte[] {0, (byte) 0xFF, 0x10, 0x41}, content());
    }

    @Test
    void pushOntoATornFileSaysWhatOpenRepaired() throws IOException {
        assertEquals(0, Cli.run("stack", "push", file().toString(), "abc").code());
        Files.write(file(), "junk".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        Cli.Result r = Cli.run("stack", "push", file().toString(), "d");
        assertEquals(0, r.code(), r.toString());
        assertEquals("cairn: repaired " + file() + " on open: cut 4 bytes past the committed length (an interrupted "
                + "push, pop or journal stage); length now 3 bytes, file 35 bytes\n", r.err());
        assertEquals("pushed 1 bytes at offset 3; length now 4\n", r.out());
        assertEquals("", Cli.run("stack", "push", file().toString(), "e").err(), "a consistent file: no notice");
    }

    @Test
    void popTakesALongCountLikeGetAndPeek() {
        assertEquals(0, Cli.run("stack", "push", file().toString(), "abc").code());
        Cli.Result r = Cli.run("stack", "pop", file().toString(), "3000000000");
        assertEquals(1, r.code(), r.toString());
        assertEquals("cairn: pop of 3000000000 bytes from a stack of 3 bytes\n", r.err());
        r = Cli.run("stack", "pop", file().toString(), "-1");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("must not be negative: -1"), r.toString());
    }

    @Test
    void aPopWhoseOutputFailsRemovesNothing() throws IOException {
        assumeTrue(Files.isWritable(Path.of("/dev/full")), "needs /dev/full");
        assertEquals(0, Cli.run("stack", "push", file().toString(), "abcdef").code());
        PrintStream realOut = System.out;
        try (PrintStream full = new PrintStream(new FileOutputStream("/dev/full"), true)) {
            System.setOut(full);
            assertEquals(1, CairnCli.execute("stack", "pop", "--raw", file().toString(), "2"));
        } finally {
            System.setOut(realOut);
        }
        assertArrayEquals("abcdef".getBytes(StandardCharsets.US_ASCII), content());
    }
}
