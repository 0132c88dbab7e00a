package io.cairn.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one magic check every reference-style format shares: damage versus a version this code cannot read. */
class FormatHeaderTest {
    private static final Path FILE = Path.of("/data/x.bstack");
    private static final FormatHeader HEADER = FormatHeader.of("BStack", "BSTK", 0, 1, 4);

    @Test
    void aSupportedVersionIsReturnedWhateverThePatchAndReservedBytes() throws Exception {
        byte[] bytes = {9, 9, 'B', 'S', 'T', 'K', 0, 4, 7, 99};
        assertEquals(new FormatHeader.Version(0, 4, 7), HEADER.check(FILE, 2, bytes, 2));
        assertEquals("0.4.7", HEADER.check(FILE, 2, bytes, 2).toString());
    }

    @Test
    void aForeignTagIsCorruptionWithPathOffsetExpectedAndFoundAsFields() {
        byte[] bytes = "SQLite f".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        CorruptedStoreException e = assertThrows(CorruptedStoreException.class, () -> HEADER.check(FILE, 0, bytes, 0));
        assertEquals(FILE, e.path());
        assertEquals(0, e.offset());
        assertEquals("BSTK\\x00\\x01 or BSTK\\x00\\x04", e.expected());
        assertEquals("SQLite f", e.found());
        assertEquals("BStack magic in /data/x.bstack at offset 0: expected BSTK\\x00\\x01 or BSTK\\x00\\x04, found "
                + "SQLite f", e.getMessage());
    }

    @Test
    void aKnownTagWithAnotherVersionIsAFormatVersionErrorNotCorruption() {
        byte[] newer = {'B', 'S', 'T', 'K', 0, 5, 0, 0};
        FormatVersionException e = assertThrows(FormatVersionException.class, () -> HEADER.check(FILE, 0, newer, 0));
        assertEquals("0.5.0", e.found());
        assertEquals(List.of("0.1.x", "0.4.x"), e.supported());
        assertEquals(FILE, e.path());
        assertEquals("/data/x.bstack is BStack format version 0.5.0, which this version of Cairn cannot read (it reads"
                + " 0.1.x, 0.4.x)", e.getMessage());
        byte[] otherMajor = {'B', 'S', 'T', 'K', 1, 1, 0, 0};
        assertThrows(FormatVersionException.class, () -> HEADER.check(FILE, 0, otherMajor, 0));
    }

    @Test
    void aShortStructureIsCorruptionNamingBothSizes() {
        CorruptedStoreException e = assertThrows(CorruptedStoreException.class, () -> HEADER.checkSize(FILE, 5, 16));
        assertEquals("at least 16 bytes for the header", e.expected());
        assertEquals("5 bytes", e.found());
        assertEquals(CorruptedStoreException.UNKNOWN_OFFSET, e.offset());
    }

    @Test
    void magicBuildsTheBytesAFileStartsWith() {
        assertArrayEquals(new byte[] {'B', 'S', 'T', 'K', 0, 4, 4, 0}, HEADER.magic(4, 4));
    }

    @Test
    void renderEscapesEverythingButPrintableAscii() {
        assertEquals("A\\x00\\x5C\\xFFz", FormatHeader.render(new byte[] {'A', 0, '\\', (byte) 0xFF, 'z'}, 0, 5));
    }

    @Test
    void badDescriptionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> FormatHeader.of("x", "ABC", 0, 1));
        assertThrows(IllegalArgumentException.class, () -> FormatHeader.of("x", "ABCD", 0));
        assertThrows(IllegalArgumentException.class, () -> FormatHeader.of("x", "ABCD", 256, 1));
    }

    @Test
    void theMessageOnlyConstructorsStillWork() {
        CorruptedStoreException e = new CorruptedStoreException("bad", new IllegalStateException());
        assertEquals("bad", e.getMessage());
        assertEquals(null, e.path());
        assertEquals(CorruptedStoreException.UNKNOWN_OFFSET, e.offset());
    }
}
