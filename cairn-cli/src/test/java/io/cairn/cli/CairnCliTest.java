package io.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's shared behaviour: usage, help, arguments, standard output, exit codes. */
class CairnCliTest {
    @TempDir
    Path dir;

    @Test
    void bareCairnIsAUsageErrorWithTheUsageOnStandardError() {
        Cli.Result r = Cli.run();
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("missing a command") && r.err().contains("Usage: cairn"), r.toString());
        assertEquals("", r.out());
    }

    @Test
    void aCommandGroupWithoutACommandIsAUsageError() {
        for (String group : new String[] {"stack", "alloc", "dict"}) {
            Cli.Result r = Cli.run(group);
            assertEquals(2, r.code(), group + ": " + r);
            assertTrue(r.err().contains("Usage: cairn " + group), r.toString());
        }
    }

    @Test
    void helpAndHelpOfACommandPrintTheirUsage() {
        Cli.Result r = Cli.run("help");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("Usage: cairn"), r.toString());
        r = Cli.run("help", "stack");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("Usage: cairn stack"), r.toString());
    }

    @Test
    void helpOfASubcommandPrintsItsOwnUsage() {
        Cli.Result r = Cli.run("help", "stack", "push");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("Usage: cairn stack push"), r.toString());
        r = Cli.run("help", "db", "export");
        assertTrue(r.out().startsWith("Usage: cairn db export"), r.toString());
        r = Cli.run("help", "stack", "shove");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().startsWith("no command 'shove' in 'cairn stack'; its commands: info, push,"), r.toString());
        assertEquals("", r.out());
    }

    @Test
    void anUndecodableArgumentIsRefusedAndNothingIsWritten() {
        Path file = dir.resolve("s");
        Cli.Result r = Cli.run("stack", "push", file.toString(), "caf\uFFFD");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("argument 4") && r.err().contains("--hex")
                && r.err().contains("standard input"), r.toString());
        assertFalse(Files.exists(file));
    }

    @Test
    void rawNonUtf8ArgumentBytesAreRefusedByTheRealCommand() throws Exception {
        Cli.Result r = Cli.process(dir, "64m", "cairn stack push s \"$(printf 'caf\\351')\"");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("not valid UTF-8"), r.toString());
        assertFalse(Files.exists(dir.resolve("s")));
    }

    @Test
    void aFailedWriteToStandardOutputFailsTheRun() throws IOException {
        assumeTrue(Files.isWritable(Path.of("/dev/full")), "needs /dev/full");
        Path file = dir.resolve("s");
        assertEquals(0, Cli.run("stack", "push", file.toString(), "hello world").code());
        PrintStream realOut = System.out;
        try (PrintStream full = new PrintStream(new FileOutputStream("/dev/full"), true)) {
            System.setOut(full);
            assertEquals(1, CairnCli.execute("stack", "get", "--raw", file.toString(), "0", "11"));
        } finally {
            System.setOut(realOut);
        }
    }

    @Test
    void theRealCommandSaysWhyStandardOutputFailed() throws Exception {
        assumeTrue(Files.isWritable(Path.of("/dev/full")), "needs /dev/full");
        assertEquals(0, Cli.run("stack", "push", dir.resolve("s").toString(), "hello world").code());
        Cli.Result r = Cli.process(dir, "64m", "cairn stack get --raw s 0 11 > /dev/full");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("cannot write to standard output: No space left on device"), r.toString());
        Files.writeString(dir.resolve("words.txt"), "apple\napply\n");
        assertEquals(0, Cli.run("dict", "build", dir.resolve("words.txt").toString(), "-o",
                dir.resolve("w.img").toString()).code());
        r = Cli.process(dir, "64m", "cairn dict fuzzy w.img appla > /dev/full");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("cannot write to standard output: No space left on device"), r.toString());
    }

    @Test
    void aReaderThatClosesThePipeEndsTheRunQuietly() throws Exception {
        Path file = dir.resolve("s");
        assertEquals(0, Cli.run("stack", "push", file.toString(), "x".repeat(1 << 20)).code());
        Cli.Result r = Cli.process(dir, "64m", "cairn stack peek s | head -c 1 >/dev/null; exit 0");
        assertEquals(0, r.code(), r.toString());
        assertEquals("", r.err(), r.toString());
    }
}
