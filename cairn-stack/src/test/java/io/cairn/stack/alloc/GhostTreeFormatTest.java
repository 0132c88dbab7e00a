package io.cairn.stack.alloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackOptions;
import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.StackFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * File compatibility with the reference ALGT layout, built here byte by byte from the layout description (header,
 * magic at 32, root at 40, 32-byte nodes {@code size, balance@8, height@9, left@16, right@24}), and corrupted
 * images: each must open with the documented recovery or fail with {@link CorruptedStoreException}.
 */
class GhostTreeFormatTest {
    private static final byte[] BSTK = {'B', 'S', 'T', 'K', 0, 1, 8, 0};
    private static final byte[] ALGT = {'A', 'L', 'G', 'T', 0, 1, 2, 0};

    @TempDir
    Path dir;

    /** A stack payload laid out as the reference would: user bytes, magic, root, arena. */
    private static final class Image {
        final ByteBuffer payload;

        Image(int length, long root) {
            payload = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            payload.put(32, ALGT).putLong(40, root);
        }

        Image node(long at, long size, int balance, int height, long left, long right) {
            payload.putLong((int) at, size).put((int) at + 8, (byte) balance).put((int) at + 9, (byte) height)
                    .putLong((int) at + 16, left).putLong((int) at + 24, right);
            return this;
        }

        Image fill(long at, int n, int value) {
            for (int i = 0; i < n; i++) {
                payload.put((int) at + i, (byte) value);
            }
            return this;
        }

        Image zero(long at, int n) {
            return fill(at, n, 0);
        }

        Image root(long root) {
            payload.putLong(40, root);
            return this;
        }

        /** The whole stack file: the BStack header (magic, clen) and the payload. */
        byte[] file() {
            byte[] p = payload.array();
            ByteBuffer f = ByteBuffer.allocate(16 + p.length).order(ByteOrder.LITTLE_ENDIAN);
            return f.put(BSTK).putLong(p.length).put(p).array();
        }

        Image copy() {
            Image c = new Image(payload.capacity(), 0);
            c.payload.put(0, payload.array());
            return c;
        }
    }

    private Path write(Image image) throws IOException {
        Path file = Files.createTempFile(dir, "algt", ".stack");
        Files.write(file, image.file());
        return file;
    }

    private static GhostTreeAllocator open(Path file) throws IOException {
        BStack stack = BStack.open(file);
        try {
            return GhostTreeAllocator.open(stack);
        } catch (IOException | RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /**
     * Arena: 48 live A (64 bytes), 112 free (64), 176 live B (32), 208 free (96), 304 live C (32); a valid tree
     * rooted at 112 with 208 as its right child.
     */
    private static Image referenceImage() {
        return new Image(336, 112)
                .fill(0, 32, 0x75)
                .fill(48, 64, 0xA1)
                .node(112, 64, 1, 2, 0, 208)
                .fill(176, 32, 0xB2)
                .node(208, 96, 0, 1, 0, 0)
                .fill(304, 32, 0xC3);
    }

    // ---------------------------------------------------------------- compatibility

    @Test
    void aValidReferenceFileOpensWithoutAnyWrite() throws IOException {
        Image image = referenceImage();
        Path file = write(image);
        try (GhostTreeAllocator alloc = open(file)) {
            AllocatorReport report = alloc.verify();
            assertTrue(report.isClean(), report::toString);
            assertEquals(160, report.freeBytes());
            assertEquals(96, report.largestFreeBlock());
            assertArrayEquals(image.copy().payload.array(), alloc.stack().get(0, 336));
            byte[] a = alloc.slice(48, 64).read();
            assertArrayEquals(Arrays.copyOfRange(image.payload.array(), 48, 112), a);
        }
        assertArrayEquals(image.file(), Files.readAllBytes(file), "opening a valid tree writes nothing");
    }

    @Test
    void changesToAReferenceFileWriteTheReferenceLayout() throws IOException {
        Image expected = referenceImage();
        Path file = write(expected);
        try (GhostTreeAllocator alloc = open(file)) {
            assertEquals(208, alloc.alloc(96).offset(), "exact fit");
            expected.zero(208, 32).node(112, 64, 0, 1, 0, 0);
            assertArrayEquals(expected.file(), Files.readAllBytes(file));

            assertEquals(144, alloc.alloc(20).offset(), "split: the front stays free, the back is handed out");
            expected.node(112, 32, 0, 1, 0, 0);
            assertArrayEquals(expected.file(), Files.readAllBytes(file));

            alloc.dealloc(alloc.slice(176, 32));
            expected.zero(176, 32).node(176, 32, 0, 1, 0, 0).node(112, 32, 1, 2, 0, 176);
            assertArrayEquals(expected.file(), Files.readAllBytes(file));

            alloc.dealloc(alloc.slice(144, 20));
            expected.zero(144, 64).node(112, 96, 0, 1, 0, 0);
            assertArrayEquals(expected.file(), Files.readAllBytes(file), "merged with both neighbours");
        }
    }

    @Test
    void aFileWeWriteHasTheReferenceLayoutByteForByte() throws IOException {
        Path file = dir.resolve("ours.stack");
        BStackOptions legacy = BStackOptions.defaults().withFormat(StackFormat.V0_2); // the image is a 0.2 file
        try (GhostTreeAllocator alloc = GhostTreeAllocator.open(BStack.open(file, legacy))) {
            Slice a = alloc.alloc(64);
            Slice b = alloc.alloc(50);
            Slice c = alloc.alloc(32);
            Slice d = alloc.alloc(32);
            a.write(filled(64, 0xA1));
            b.write(filled(50, 0xB2));
            c.write(filled(32, 0xC3));
            d.write(filled(32, 0xD4));
            alloc.dealloc(a);
            alloc.dealloc(c);
        }
        // Keys (32, 176) < (64, 48): the second free block is the root's left child.
        Image expected = new Image(240, 48)
                .node(48, 64, -1, 2, 176, 0)
                .fill(112, 50, 0xB2)
                .node(176, 32, 0, 1, 0, 0)
                .fill(208, 32, 0xD4);
        assertArrayEquals(expected.file(), Files.readAllBytes(file));
    }

    // ---------------------------------------------------------------- recovery of crash leftovers

    @Test
    void adjacentFreeBlocksAreMergedAndTheSeamZeroed() throws IOException {
        Image image = new Image(208, 80)
                .fill(48, 32, 0x11)
                .node(80, 64, -1, 2, 144, 0)
                .node(144, 32, 0, 1, 0, 0)
                .fill(176, 32, 0x22);
        Path file = write(image);
        try (GhostTreeAllocator alloc = open(file)) {
            AllocatorReport report = alloc.verify();
            assertTrue(report.isClean(), report::toString);
            assertEquals(96, report.largestFreeBlock());
        }
        Image expected = image.copy().zero(144, 32).node(80, 96, 0, 1, 0, 0);
        assertArrayEquals(expected.file(), Files.readAllBytes(file));
    }

    @Test
    void aCycleFromATornRotationIsRebuilt() throws IOException {
        Image image = new Image(336, 112)
                .node(112, 64, 1, 2, 112, 208)
                .node(208, 96, 0, 1, 0, 112);
        assertRecovers(image, 160, 96);
    }

    @Test
    void aNodeReachableTwiceIsCountedOnce() throws IOException {
        Image image = new Image(400, 144)
                .node(80, 32, 0, 1, 0, 0)
                .node(144, 64, 0, 2, 80, 240)
                .node(240, 96, 0, 1, 80, 0);
        assertRecovers(image, 192, 96);
    }

    @Test
    void aStaleHeightIsRepaired() throws IOException {
        Image image = new Image(336, 112)
                .node(112, 64, 0, 7, 0, 208)
                .node(208, 96, 0, 1, 0, 0);
        assertRecovers(image, 160, 96);
    }

    @Test
    void anOutOfOrderTreeIsRebuilt() throws IOException {
        Image image = new Image(336, 208)
                .node(112, 64, 0, 1, 0, 0)
                .node(208, 96, 1, 2, 0, 112);
        try (GhostTreeAllocator alloc = assertRecovers(image, 160, 96)) {
            assertEquals(112, alloc.alloc(64).offset(), "searchable by (size, offset) after the rebuild");
        }
    }

    @Test
    void aZeroedNodeStillLinkedIsALeakNotAnError() throws IOException {
        Image image = new Image(336, 112)
                .node(112, 64, 1, 2, 0, 208);
        assertRecovers(image, 64, 64).close();
    }

    private GhostTreeAllocator assertRecovers(Image image, long freeBytes, long largest) throws IOException {
        Path file = write(image);
        GhostTreeAllocator alloc = open(file);
        AllocatorReport report = alloc.verify();
        assertTrue(report.isClean(), report::toString);
        assertEquals(freeBytes, report.freeBytes(), report::toString);
        assertEquals(largest, report.largestFreeBlock(), report::toString);
        alloc.close();
        alloc = open(file);
        assertTrue(alloc.verify().isClean(), "stays clean after another open");
        return alloc;
    }

    // ---------------------------------------------------------------- damage

    @Test
    void aMisalignedRootIsCorruption() throws IOException {
        assertCorrupted(referenceImage().root(113), "113");
    }

    @Test
    void aRootPastTheEndIsCorruption() throws IOException {
        assertCorrupted(referenceImage().root(1L << 40), Long.toString(1L << 40));
        assertCorrupted(referenceImage().root(-32), "-32");
    }

    @Test
    void anImpossibleSizeIsCorruption() throws IOException {
        assertCorrupted(referenceImage().node(208, 100, 0, 1, 0, 0), "impossible size 100");
        assertCorrupted(referenceImage().node(208, 1L << 50, 0, 1, 0, 0), "impossible size");
        assertCorrupted(referenceImage().node(208, -64, 0, 1, 0, 0), "impossible size");
    }

    @Test
    void overlappingFreeBlocksAreCorruption() throws IOException {
        assertCorrupted(referenceImage().node(112, 128, 1, 2, 0, 208), "overlap");
    }

    @Test
    void aZeroSizeNodeWithChildrenIsCorruption() throws IOException {
        assertCorrupted(referenceImage().node(208, 0, 0, 1, 112, 0), "size 0");
    }

    @Test
    void aTreeDeeperThanTheCapIsCorruption() throws IOException {
        int nodes = 140;
        Image image = new Image(48 + nodes * 64, 48);
        for (int i = 0; i < nodes; i++) {
            long at = 48 + i * 64L;
            image.node(at, 32, 0, 1, 0, i + 1 < nodes ? at + 64 : 0);
        }
        assertCorrupted(image, "deeper than 128");
    }

    @Test
    void aTreeWithMoreRepeatsThanAnyCrashLeavesIsCorruption() throws IOException {
        int nodes = 80;
        Image image = new Image(48 + nodes * 64 + 64, 48);
        long shared = 48 + nodes * 64L;
        image.node(shared, 32, 0, 1, 0, 0);
        for (int i = 0; i < nodes; i++) {
            long at = 48 + i * 64L;
            image.node(at, 32, 0, 1, shared, i + 1 < nodes ? at + 64 : 0);
        }
        assertCorrupted(image, "gave up");
    }

    @Test
    void aShortOrForeignHeaderIsCorruption() throws IOException {
        Path file = Files.createTempFile(dir, "short", ".stack");
        Files.write(file, ByteBuffer.allocate(16 + 47).order(ByteOrder.LITTLE_ENDIAN).put(BSTK).putLong(47).array());
        assertThrows(CorruptedStoreException.class, () -> open(file).close());
        assertCorrupted(referenceImage().fill(32, 1, 'X'), "magic");
    }

    private void assertCorrupted(Image image, String mentioned) throws IOException {
        Path file = write(image);
        byte[] before = Files.readAllBytes(file);
        CorruptedStoreException e = assertThrows(CorruptedStoreException.class, () -> open(file).close());
        assertTrue(e.getMessage().contains(mentioned), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file), "a refused file is left as it was");
    }

    /** Garbage arenas and random byte flips: open recovers (and verifies clean) or refuses; never hangs. */
    @Test
    void randomDamageIsRecoveredOrRefused() throws IOException {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < 200; round++) {
            Image image = referenceImage();
            byte[] p = image.payload.array();
            int flips = 1 + random.nextInt(6);
            for (int f = 0; f < flips; f++) {
                int at = 40 + random.nextInt(p.length - 40);
                p[at] = random.nextInt(4) == 0 ? 0 : (byte) random.nextInt(256);
            }
            if (round % 20 == 0) {
                random.nextBytes(p);
                image.payload.put(32, ALGT);
                image.root(48 + 32L * random.nextInt(9));
            }
            Path file = write(image);
            try (GhostTreeAllocator alloc = open(file)) {
                AllocatorReport report = alloc.verify();
                if (!report.problems().stream().allMatch(pr -> pr.contains("free byte"))) {
                    fail("seed " + seed + " round " + round + ": opened but not valid:\n" + report);
                }
            } catch (CorruptedStoreException expected) {
                // refused: fine
            }
        }
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
