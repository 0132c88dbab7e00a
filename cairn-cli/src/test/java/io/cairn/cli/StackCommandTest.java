package io.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.BStack;
import io.cairn.stack.alloc.SegregatedAllocator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn stack ...} through {@link CairnCli#execute}, with standard streams captured. */
class StackCommandTest {
    @TempDir
    Path dir;
    Path file;

    private final PrintStream realOut = System.out;
    private final PrintStream realErr = System.err;
    private final InputStream realIn = System.in;
    private ByteArrayOutputStream out;
    private ByteArrayOutputStream err;

    @BeforeEach
    void capture() {
        file = dir.resolve("s.bstack");
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(realOut);
        System.setErr(realErr);
        System.setIn(realIn);
    }

    /** Runs the command with fresh captures; returns the exit code. */
    private int run(String... args) {
        out.reset();
        err.reset();
        return CairnCli.execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String f() {
        return file.toString();
    }

    @Test
    void pushPrintsTheOffsetAndCreatesTheFile() {
        assertEquals(0, run("stack", "push", f(), "hello"));
        assertEquals("pushed 5 bytes at offset 0; length now 5\n", out());
        assertEquals(0, run("stack", "push", f(), " world"));
        assertTrue(out().contains("at offset 5; length now 11"), out());
        assertEquals(0, run("stack", "peek", f()));
        assertEquals("hello world\n", out());
    }

    @Test
    void pushReadsStandardInputWhenDataIsAbsent() throws IOException {
        byte[] binary = {0, 1, 2, (byte) 0xFF, 'A'};
        System.setIn(new ByteArrayInputStream(binary));
        assertEquals(0, run("stack", "push", f()));
        assertTrue(out().startsWith("pushed 5 bytes at offset 0"), out());
        try (BStack stack = BStack.openReadOnly(file)) {
            assertArrayEquals(binary, stack.peek(0));
        }
    }

    @Test
    void pushOfHexDataStoresTheBytes() throws IOException {
        assertEquals(0, run("stack", "push", "--hex", f(), "00ff 10"));
        try (BStack stack = BStack.openReadOnly(file)) {
            assertArrayEquals(new byte[] {0, (byte) 0xFF, 0x10}, stack.peek(0));
        }
    }

    @Test
    void badHexIsAUsageErrorAndWritesNothing() {
        assertEquals(2, run("stack", "push", "--hex", f(), "xyz"));
        assertTrue(err().contains("DATA is not hexadecimal"), err());
        assertTrue(Files.notExists(file));
    }

    @Test
    void binaryBytesAreShownAsAHexDump() {
        run("stack", "push", "--hex", f(), "000102414243ff");
        assertEquals(0, run("stack", "peek", f(), "1"));
        assertEquals("00000001  01 02 41 42 43 ff                                 |..ABC.|\n", out());
        assertEquals(0, run("stack", "get", f(), "3", "5"));
        assertEquals("AB\n", out());
        assertEquals(0, run("stack", "get", "--hex", f(), "3", "5"));
        assertTrue(out().startsWith("00000003  41 42 "), out());
    }

    @Test
    void rawOutputWritesTheBytesAsTheyAre() {
        run("stack", "push", "--hex", f(), "00ff");
        assertEquals(0, run("stack", "peek", "--raw", f()));
        assertArrayEquals(new byte[] {0, (byte) 0xFF}, out.toByteArray());
    }

    @Test
    void popShowsAndRemovesTheTail() {
        run("stack", "push", f(), "abcdef");
        assertEquals(0, run("stack", "pop", f(), "2"));
        assertEquals("ef\npopped 2 bytes; length now 4\n", out());
        assertEquals(0, run("stack", "peek", f(), "4"));
        assertEquals("(0 bytes)\n", out());
    }

    @Test
    void editsOfAFileHoldingAnAllocatorAreRefusedUnlessForced() throws IOException {
        try (SegregatedAllocator heap = SegregatedAllocator.open(BStack.open(Path.of(f())))) {
            heap.alloc(10);
        }
        byte[] before = Files.readAllBytes(Path.of(f()));
        for (String[] args : new String[][] {{"stack", "push", f(), "x"}, {"stack", "pop", f(), "1"},
                {"stack", "set", f(), "40", "x"}}) {
            assertEquals(1, run(args), String.join(" ", args));
            String error = err.toString(StandardCharsets.UTF_8);
            assertTrue(error.contains("holds a segregated allocator") && error.contains("--force"), error);
            assertArrayEquals(before, Files.readAllBytes(Path.of(f())), "a refused edit changes nothing");
        }
        assertEquals(0, run("stack", "push", "--force", f(), "x"));
        assertEquals(0, run("stack", "pop", "--force", f(), "1"));
        assertArrayEquals(before, Files.readAllBytes(Path.of(f())));
        byte[] at40 = Arrays.copyOfRange(before, 32 + 40, 32 + 41);
        assertEquals(0, run("stack", "set", "--force", f(), "40", "x"));
        assertEquals(0, run("stack", "set", "--force", "--hex", f(), "40", HexFormat.of().formatHex(at40)));
        assertArrayEquals(before, Files.readAllBytes(Path.of(f())));
    }

    @Test
    void popOfMoreThanTheLengthFailsWithAClearMessageAndChangesNothing() {
        run("stack", "push", f(), "abc");
        assertEquals(1, run("stack", "pop", f(), "5"));
        assertEquals("cairn: pop of 5 bytes from a stack of 3 bytes\n", err());
        run("stack", "peek", f());
        assertEquals("abc\n", out());
    }

    @Test
    void aNonNumericCountIsAUsageError() {
        run("stack", "push", f(), "abc");
        assertEquals(2, run("stack", "pop", f(), "many"));
        assertTrue(err().contains("'many'"), err());
    }

    @Test
    void readsOfAMissingFileFailAndCreateNothing() {
        for (String sub : new String[] {"info", "peek", "verify", "pop"}) {
            String[] args = sub.equals("pop") ? new String[] {"stack", sub, f(), "1"} : new String[] {"stack", sub, f()};
            assertEquals(1, run(args), sub);
            assertTrue(err().contains("no such file: " + f()), sub + ": " + err());
        }
        assertTrue(Files.notExists(file));
    }

    @Test
    void anOutOfRangeGetFailsNamingTheRange() {
        run("stack", "push", f(), "abc");
        assertEquals(1, run("stack", "get", f(), "2", "9"));
        assertTrue(err().startsWith("cairn: get range [2, 9) outside [0, 3]"), err());
    }

    @Test
    void infoShowsLengthAndFormat() {
        run("stack", "push", f(), "abc");
        assertEquals(0, run("stack", "info", f()));
        assertTrue(out().contains("format:   BStack 0.4.4 (0.4: in-place writes are crash-atomic)"), out());
        assertTrue(out().contains("length:   3 bytes"), out());
        assertTrue(out().contains("on disk:  35 bytes (32-byte header + payload)"), out());
    }

    @Test
    void verifyOfAConsistentFileExitsZero() {
        run("stack", "push", f(), "abc");
        assertEquals(0, run("stack", "verify", f()));
        assertTrue(out().contains("status:   consistent; length 3 bytes"), out());
    }

    @Test
    void verifyReportsAPhantomTailWithoutRepairingIt() throws IOException {
        run("stack", "push", f(), "abc");
        Files.write(file, "junk".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        byte[] before = Files.readAllBytes(file);
        assertEquals(StackCommand.NEEDS_REPAIR, run("stack", "verify", f()));
        assertTrue(out().contains("4 bytes past the committed length"), out());
        assertTrue(out().contains("open would cut 4 bytes past the committed length"), out());
        assertTrue(out().contains("file 35 bytes"), out());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(0, run("stack", "info", f()));
        assertTrue(out().contains("the file needs recovery"), out());
    }

    @Test
    void verifyReportsAClenBeyondTheFile() throws IOException {
        run("stack", "push", f(), "abcdef");
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(32 + 2);
        }
        assertEquals(StackCommand.NEEDS_REPAIR, run("stack", "verify", f()));
        assertTrue(out().contains("clen:     6 bytes; payload on disk: 2 bytes"), out());
        assertTrue(out().contains("open would lower the length to the 2 bytes on disk"), out());
    }

    @Test
    void setOverwritesInPlaceAndRejectsARangePastTheEnd() throws IOException {
        run("stack", "push", f(), "abcdef");
        assertEquals(0, run("stack", "set", f(), "2", "XY"));
        assertTrue(out().contains("wrote 2 bytes at offset 2; length 6"), out());
        assertEquals(0, run("stack", "set", "--hex", f(), "0", "7a"));
        assertEquals(0, run("stack", "peek", f()));
        assertTrue(out().contains("zbXYef"), out());
        assertEquals(1, run("stack", "set", f(), "5", "long"));
        assertTrue(err().contains("set of 4 bytes at offset 5 outside the stack's 6 bytes"), err());
        assertEquals(1, run("stack", "set", dir.resolve("missing").toString(), "0", "x"));
        assertFalse(Files.exists(dir.resolve("missing")), "set never creates a file");
    }

    @Test
    void migrateConvertsALegacyFileOnceAndInfoSaysWhichFormatAFileHas() throws IOException {
        assertEquals(0, run("stack", "push", "--format", "0.2", f(), "abc"));
        assertEquals(0, run("stack", "info", f()));
        assertTrue(out().contains("format:   BStack 0.1.8 (0.1/0.2: an in-place write is not crash-atomic"), out());
        assertTrue(out().contains("on disk:  19 bytes (16-byte header + payload)"), out());
        assertEquals(0, run("stack", "migrate", f()));
        assertTrue(out().contains("migrated " + f() + " to the 0.4 format"), out());
        assertEquals(0, run("stack", "info", f()));
        assertTrue(out().contains("format:   BStack 0.4.4"), out());
        assertTrue(out().contains("length:   3 bytes"), out());
        assertEquals(0, run("stack", "migrate", f()));
        assertTrue(out().contains("already in the 0.4 format"), out());
        assertEquals(2, run("stack", "push", "--format", "0.3", f(), "x"));
        assertEquals(1, run("stack", "migrate", dir.resolve("missing").toString()));
    }

    @Test
    void verifyReportsAnArmedJournalAndWhatOpenWouldDo() throws IOException {
        run("stack", "push", f(), "0123456789");
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.WRITE)) {
            // an interrupted Set of "XY" at offset 3: the stage after the payload, the journal armed
            ch.write(java.nio.ByteBuffer.wrap("XY".getBytes(StandardCharsets.US_ASCII)), 32 + 10);
            ch.write(java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(32 + 3)
                    .putLong(0).flip(), 16);
        }
        assertEquals(StackCommand.NEEDS_REPAIR, run("stack", "verify", f()));
        assertTrue(out().contains("journal:  armed"), out());
        assertTrue(out().contains("open would roll forward an interrupted Set write"), out());
        assertEquals(1, run("stack", "peek", f()));
        assertTrue(err().contains("has an interrupted write"), err());
        assertEquals(0, run("stack", "pop", f(), "0"));
        assertEquals(0, run("stack", "peek", f()));
        assertTrue(out().contains("012XY56789"), out());
    }

    @Test
    void aCorruptFileFailsWithExitOneAndNamesTheProblem() throws IOException {
        Files.write(file, new byte[] {'N', 'O', 'T', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14});
        assertEquals(1, run("stack", "verify", f()));
        assertTrue(err().startsWith("cairn: corrupt store: BStack magic in " + f() + " at offset 0: expected BSTK"), err());
        assertEquals(1, run("stack", "push", f(), "x"));
        assertTrue(err().contains("corrupt store"), err());
    }

    @Test
    void aLockedFileFailsAtOnceNamingThePath() throws IOException {
        run("stack", "push", f(), "abc");
        try (BStack writer = BStack.open(file)) {
            for (String sub : new String[] {"info", "peek", "verify"}) {
                assertEquals(1, run("stack", sub, f()), sub);
                assertTrue(err().startsWith("cairn: locked: " + f()), sub + ": " + err());
            }
            assertEquals(1, run("stack", "push", f(), "d"));
            assertTrue(err().startsWith("cairn: locked: "), err());
        }
    }

    @Test
    void stackWithoutASubcommandIsAUsageError() {
        assertEquals(2, run("stack"));
        assertTrue(err().contains("info") && err().contains("verify"), err());
        assertEquals(2, run("stack", "frobnicate", f()));
    }
}
