package io.cairn.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Open validates the header and repairs a torn tail: length = min(clen, fileSize - 16). */
class BStackRecoveryTest {
    @TempDir
    Path dir;

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A file in the reference format with the given header magic, clen and payload bytes. */
    private Path file(byte[] magic, long clen, byte[] payload) throws IOException {
        Path path = dir.resolve("s.bstack");
        ByteBuffer buf = ByteBuffer.allocate(16 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(magic).putLong(clen).put(payload);
        Files.write(path, buf.array());
        return path;
    }

    private static long clenOf(Path path) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(path), 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void phantomTailBytesPastClenAreDropped() throws IOException {
        Path path = file(BStackFormatV02.MAGIC, 3, ascii("abcPHANTOM"));
        try (BStack stack = BStack.open(path)) {
            assertEquals(3, stack.length());
            assertArrayEquals(ascii("abc"), stack.peek(0));
            assertEquals(3, stack.push(ascii("d")));
        }
        assertEquals(16 + 4, Files.size(path));
        assertEquals(4, clenOf(path));
    }

    @Test
    void aTruncatedTailWithoutAClenUpdateLowersClen() throws IOException {
        Path path = file(BStackFormatV02.MAGIC, 10, ascii("abcd"));
        try (BStack stack = BStack.open(path)) {
            assertEquals(4, stack.length());
            assertArrayEquals(ascii("abcd"), stack.peek(0));
        }
        assertEquals(4, clenOf(path));
        assertEquals(16 + 4, Files.size(path));
    }

    @Test
    void aClenWithTheHighBitSetIsBoundedByTheFileSize() throws IOException {
        Path path = file(BStackFormatV02.MAGIC, -1L, ascii("ab"));
        try (BStack stack = BStack.open(path)) {
            assertEquals(2, stack.length());
        }
        assertEquals(2, clenOf(path));
    }

    @Test
    void aConsistentFileIsNotWritten() throws IOException {
        Path path = file(BStackFormatV02.MAGIC, 2, ascii("ab"));
        FaultyStorageIo io = new FaultyStorageIo();
        try (BStack stack = BStack.open(path, BStackOptions.defaults().withIo(io))) {
            assertEquals(2, stack.length());
        }
        assertEquals(0, io.writes());
        assertEquals(0, io.forces());
    }

    @Test
    void repairIsForcedBeforeOpenReturns() throws IOException {
        Path path = file(BStackFormatV02.MAGIC, 1, ascii("ab"));
        FaultyStorageIo io = new FaultyStorageIo();
        BStack.open(path, BStackOptions.defaults().withIo(io)).close();
        io.crash();
        assertEquals(16 + 1, Files.size(path));
        assertEquals(1, clenOf(path));
    }

    @Test
    void readOnlyOpenRepairsInMemoryWithoutWriting() throws IOException {
        Path path = file(BStackFormatV02.MAGIC, 3, ascii("abcPHANTOM"));
        byte[] before = Files.readAllBytes(path);
        try (BStack stack = BStack.openReadOnly(path)) {
            assertEquals(3, stack.length());
            assertArrayEquals(ascii("abc"), stack.peek(0));
        }
        assertArrayEquals(before, Files.readAllBytes(path));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 8, 15})
    void aFileShorterThanTheHeaderIsCorrupt(int size) throws IOException {
        Path path = dir.resolve("short.bstack");
        Files.write(path, Arrays.copyOf(BStackFormatV02.MAGIC, size));
        CorruptedStoreException e = assertThrows(CorruptedStoreException.class, () -> BStack.open(path));
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(size + " bytes"), e.getMessage());
        assertEquals(size, Files.size(path), "nothing may be written to a corrupt file");
        assertThrows(CorruptedStoreException.class, () -> BStack.openReadOnly(path));
    }

    @Test
    void aForeignMagicIsCorruptAndNamedInTheMessage() throws IOException {
        Path path = file(ascii("SQLite f"), 0, new byte[0]);
        byte[] before = Files.readAllBytes(path);
        CorruptedStoreException e = assertThrows(CorruptedStoreException.class, () -> BStack.open(path));
        assertTrue(e.getMessage().contains("expected BSTK\\x00\\x01 or BSTK\\x00\\x04, found SQLite"), e.getMessage());
        assertEquals(path, e.path());
        assertEquals(0, e.offset());
        assertEquals("SQLite f", e.found());
        assertArrayEquals(before, Files.readAllBytes(path));
        assertTrue(e instanceof IOException);
    }

    @Test
    void anotherMajorOrMinorVersionIsAFormatVersionErrorNamingTheFileAndVersions() throws IOException {
        for (byte[] magic : List.of(new byte[] {'B', 'S', 'T', 'K', 0, 2, 0, 0}, new byte[] {'B', 'S', 'T', 'K', 1, 1, 0, 0})) {
            Path path = file(magic, 0, new byte[0]);
            byte[] before = Files.readAllBytes(path);
            FormatVersionException e = assertThrows(FormatVersionException.class, () -> BStack.open(path));
            assertEquals(path, e.path());
            assertEquals(magic[4] + "." + magic[5] + ".0", e.found());
            assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
            assertThrows(FormatVersionException.class, () -> BStack.openReadOnly(path));
            assertThrows(FormatVersionException.class, () -> BStack.check(path));
            assertArrayEquals(before, Files.readAllBytes(path), "nothing is written to a file of another version");
        }
    }

    @Test
    void anyPatchVersionOfTheSameMinorOpens() throws IOException {
        Path path = file(new byte[] {'B', 'S', 'T', 'K', 0, 1, 3, 7}, 2, ascii("ab"));
        try (BStack stack = BStack.open(path)) {
            assertArrayEquals(ascii("ab"), stack.peek(0));
            stack.push(ascii("c"));
        }
        byte[] file = Files.readAllBytes(path);
        assertArrayEquals(new byte[] {'B', 'S', 'T', 'K', 0, 1, 3, 7}, Arrays.copyOf(file, 8),
                "the header's version bytes are kept");
    }

    @Test
    void anEmptyFileGetsTheHeaderOfTheOptionsFormat() throws IOException {
        Path path = dir.resolve("empty.bstack");
        Files.createFile(path);
        try (BStack stack = BStack.open(path)) {
            assertTrue(stack.isEmpty());
            assertEquals(StackFormat.V0_4, stack.format());
        }
        assertArrayEquals(Arrays.copyOf(BStackFormatV04.MAGIC, 32), Files.readAllBytes(path));
        Path legacy = dir.resolve("legacy.bstack");
        Files.createFile(legacy);
        try (BStack stack = BStack.open(legacy, BStackOptions.defaults().withFormat(StackFormat.V0_2))) {
            assertEquals(StackFormat.V0_2, stack.format());
        }
        assertArrayEquals(Arrays.copyOf(BStackFormatV02.MAGIC, 16), Files.readAllBytes(legacy));
        try (BStack stack = BStack.open(legacy)) {
            assertEquals(StackFormat.V0_2, stack.format(), "an existing file keeps its format");
        }
    }

    @Test
    void readOnlyOpenOfAMissingFileFailsWithoutCreatingIt() {
        Path path = dir.resolve("missing.bstack");
        assertThrows(java.nio.file.NoSuchFileException.class, () -> BStack.openReadOnly(path));
        assertTrue(Files.notExists(path));
    }
    @Test
    void checkReportsAPhantomTailWithoutChangingTheFile() throws IOException {
        Path path = file(BStackFormatV02.MAGIC, 3, ascii("abcPHANTOM"));
        byte[] before = Files.readAllBytes(path);
        BStackCheck check = BStack.check(path);
        assertEquals(new BStackCheck(path, 16 + 10, StackFormat.V0_2, "0.1.8", 3, 0, 0, 3,
                "cut 7 bytes past the committed length (an interrupted push, pop or journal stage)"), check);
        assertEquals(7, check.phantomBytes());
        assertFalse(check.isConsistent());
        assertFalse(check.clenBeyondFile());
        assertArrayEquals(before, Files.readAllBytes(path));
    }

    @Test
    void checkReportsAClenBeyondTheFile() throws IOException {
        Path path = file(BStackFormatV02.MAGIC, 10, ascii("abcd"));
        BStackCheck check = BStack.check(path);
        assertEquals(4, check.recoveredLength());
        assertTrue(check.clenBeyondFile());
        assertEquals(0, check.phantomBytes());
    }

    @Test
    void checkOfAConsistentAnEmptyAndACorruptFile() throws IOException {
        Path path = file(BStackFormatV02.MAGIC, 2, ascii("ab"));
        assertTrue(BStack.check(path).isConsistent());
        Path empty = dir.resolve("empty.bstack");
        Files.createFile(empty);
        assertTrue(BStack.check(empty).needsHeader());
        Files.write(empty, ascii("BSTK"));
        assertThrows(CorruptedStoreException.class, () -> BStack.check(empty));
    }

    @Test
    void checkFailsWhileAWriterHoldsTheFile() throws IOException {
        Path path = file(BStackFormatV02.MAGIC, 2, ascii("ab"));
        try (BStack writer = BStack.open(path)) {
            assertThrows(StoreLockedException.class, () -> BStack.check(path));
        }
    }

    @Test
    void anInterruptedCreationLeavesAnEmptyFileThatOpensAsANewStack() throws IOException {
        Path path = dir.resolve("new.bstack");
        FaultyStorageIo io = new FaultyStorageIo();
        io.failWrite(1);
        assertThrows(IOException.class, () -> BStack.open(path, BStackOptions.defaults().withIo(io)));
        assertEquals(0, Files.size(path));
        try (BStack stack = BStack.open(path)) {
            assertTrue(stack.isEmpty());
        }
    }
}
