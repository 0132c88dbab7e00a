package io.cairn.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged files: a damaged magic or a short header is a {@link CorruptedStoreException}; a damaged length or a cut
 * file opens as a prefix of what was written. The format has no checksum (it is the reference's), so damage inside
 * the payload cannot be detected; these tests cover what the header can.
 */
class BStackCorruptionTest {
    private static final byte[] PAYLOAD = "the quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;
    Path original;

    @BeforeEach
    void writeOriginal() throws IOException {
        original = dir.resolve("original.bstack");
        try (BStack stack = BStack.open(original)) {
            stack.push(PAYLOAD);
        }
    }

    private Path copy(String name) throws IOException {
        return Files.copy(original, dir.resolve(name));
    }

    /** Opens {@code path}: either it is refused as corrupt, or it holds a prefix of the payload. */
    private static void refusedOrAPrefix(Path path, String where) throws IOException {
        byte[] content;
        try (BStack stack = BStack.open(path)) {
            content = stack.peek(0);
        } catch (CorruptedStoreException e) {
            assertTrue(e.getMessage().contains(path.toString()), where + ": " + e.getMessage());
            return;
        }
        assertTrue(content.length <= PAYLOAD.length, where + ": longer than written");
        assertArrayEquals(Arrays.copyOf(PAYLOAD, content.length), content, where + ": not a prefix");
    }

    @Test
    void aFlippedTagOrVersionByteIsRefusedAndEveryOtherHeaderByteGivesAPrefix() throws IOException {
        for (int position = 0; position < 32; position++) {
            Path path = copy("flip-" + position);
            FaultyStorageIo.flipByte(path, position);
            int at = position;
            if (position < 4) {
                assertThrows(CorruptedStoreException.class, () -> BStack.open(path), "byte " + at);
            } else if (position < 6) {
                // A flipped version byte reads as a version this code does not know: refused as such.
                assertThrows(FormatVersionException.class, () -> BStack.open(path), "byte " + at);
            } else {
                refusedOrAPrefix(path, "flipped byte " + position);
            }
        }
    }

    @Test
    void aZeroedHeaderIsRefused() throws IOException {
        Path path = copy("zeroed");
        FaultyStorageIo.zeroRange(path, 0, 32);
        assertThrows(CorruptedStoreException.class, () -> BStack.open(path));
    }

    @Test
    void aFileCutAtAnySizeIsEmptyRefusedOrAPrefix() throws IOException {
        long size = Files.size(original);
        for (long cut = 0; cut < size; cut++) {
            Path path = copy("cut-" + cut);
            FaultyStorageIo.truncateFile(path, cut);
            if (cut == 0) {
                try (BStack stack = BStack.open(path)) {
                    assertEquals(0, stack.length(), "an empty file is a new stack");
                }
            } else if (cut < 32) {
                long at = cut;
                assertThrows(CorruptedStoreException.class, () -> BStack.open(path), "cut at " + at);
            } else {
                refusedOrAPrefix(path, "cut at " + cut);
                try (BStack stack = BStack.open(path)) {
                    assertEquals(cut - 32, stack.length());
                }
            }
        }
    }
}
