package io.cairn.stack.alloc;

import static io.cairn.stack.alloc.AllocatorContract.filled;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackOptions;
import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.StackFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The reference slab's unit behaviours (seed 001), the aligned arena, bulk calls and damaged headers. */
class SlabAllocatorTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("slab.stack");
    }

    private SlabAllocator fresh(long blockSize) throws IOException {
        return SlabAllocator.create(BStack.open(file()), blockSize);
    }

    private static byte[] le(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    @Test
    void createWritesTheReferenceHeader() throws IOException {
        try (SlabAllocator slab = fresh(16)) {
            assertEquals(16, slab.blockSize());
            assertEquals(48, slab.stack().length());
            byte[] expected = new byte[48];
            System.arraycopy("ALSL\0\1\1\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, expected, 24, 8);
            System.arraycopy(le(16), 0, expected, 32, 8);
            assertArrayEquals(expected, slab.stack().get(0, 48));
        }
    }

    @Test
    void createRejectsBlockSizeBelowEight() throws IOException {
        try (BStack stack = BStack.open(file())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SlabAllocator.create(stack, 7));
            assertTrue(e.getMessage().contains("7"), e.getMessage());
        }
    }

    @Test
    void createRejectsANonEmptyStack() throws IOException {
        try (BStack stack = BStack.open(file())) {
            stack.push("data".getBytes());
            assertThrows(IllegalArgumentException.class, () -> SlabAllocator.create(stack, 8));
        }
    }

    @Test
    void openRejectsAnEmptyStack() throws IOException {
        try (BStack stack = BStack.open(file())) {
            assertThrows(IllegalArgumentException.class, () -> SlabAllocator.open(stack));
        }
    }

    @Test
    void openRejectsAStackTooShortForTheHeader() throws IOException {
        try (BStack stack = BStack.open(file())) {
            stack.push(new byte[24]);
            assertThrows(CorruptedStoreException.class, () -> SlabAllocator.open(stack));
        }
    }

    @Test
    void openRejectsABadMagic() throws IOException {
        try (BStack stack = BStack.open(file())) {
            stack.push(new byte[48]);
            CorruptedStoreException e = assertThrows(CorruptedStoreException.class, () -> SlabAllocator.open(stack));
            assertTrue(e.getMessage().contains("ALSL"), e.getMessage());
        }
    }

    @Test
    void openRejectsAStoredBlockSizeBelowEight() throws IOException {
        try (BStack stack = BStack.open(file())) {
            byte[] header = new byte[48];
            System.arraycopy("ALSL\0\1\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, header, 24, 8);
            System.arraycopy(le(1), 0, header, 32, 8);
            stack.push(header);
            assertThrows(CorruptedStoreException.class, () -> SlabAllocator.open(stack));
        }
    }

    @Test
    void openRejectsAMisalignedTail() throws IOException {
        fresh(8).close();
        try (BStack stack = BStack.open(file())) {
            stack.extend(1);
            assertThrows(CorruptedStoreException.class, () -> SlabAllocator.open(stack));
        }
    }

    @Test
    void openRejectsAFreeHeadThatIsNotABlock() throws IOException {
        try (SlabAllocator slab = fresh(16)) {
            slab.alloc(16);
            slab.stack().set(SlabAllocator.FREE_HEAD_OFFSET, le(50));
        }
        try (BStack stack = BStack.open(file())) {
            assertThrows(CorruptedStoreException.class, () -> SlabAllocator.open(stack));
        }
    }

    @Test
    void openRestoresTheBlockSize() throws IOException {
        fresh(32).close();
        try (SlabAllocator slab = SlabAllocator.open(BStack.open(file()))) {
            assertEquals(32, slab.blockSize());
        }
    }

    @Test
    void deallocPushesTheBlockAndTheNextAllocReusesIt() throws IOException {
        try (SlabAllocator slab = fresh(8)) {
            Slice s1 = slab.alloc(8);
            slab.alloc(8);
            slab.dealloc(s1);
            assertEquals(s1.offset(), slab.alloc(8).offset());
        }
    }

    @Test
    void freeListRecyclesEveryFreedBlock() throws IOException {
        try (SlabAllocator slab = fresh(8)) {
            List<Slice> three = List.of(slab.alloc(8), slab.alloc(8), slab.alloc(8));
            long[] original = three.stream().mapToLong(Slice::offset).sorted().toArray();
            for (Slice s : three) {
                slab.dealloc(s);
            }
            long[] reused = {slab.alloc(8).offset(), slab.alloc(8).offset(), slab.alloc(8).offset()};
            Arrays.sort(reused);
            assertArrayEquals(original, reused);
        }
    }

    @Test
    void oversizedTailDeallocShrinksTheStack() throws IOException {
        try (SlabAllocator slab = fresh(8)) {
            Slice s = slab.alloc(17);
            long tail = slab.stack().length();
            assertEquals(s.offset() + 24, tail, "a 3-block run at the tail");
            slab.dealloc(s);
            assertEquals(tail - 24, slab.stack().length());
        }
    }

    @Test
    void writeAndReadRoundTrip() throws IOException {
        try (SlabAllocator slab = fresh(16)) {
            Slice s = slab.alloc(12);
            s.write("hello world!".getBytes());
            assertEquals("hello world!", new String(s.read()));
        }
    }

    @Test
    void dataSurvivesAReopen() throws IOException {
        long offset;
        try (SlabAllocator slab = fresh(16)) {
            Slice s = slab.alloc(5);
            offset = s.offset();
            s.write("hello".getBytes());
        }
        try (SlabAllocator slab = SlabAllocator.open(BStack.open(file()))) {
            assertEquals("hello", new String(slab.slice(offset, 5).read()));
        }
    }

    @Test
    void growingWithinTheSameBlockZeroesStaleBytes() throws IOException {
        try (SlabAllocator slab = fresh(32)) {
            Slice s = slab.alloc(30);
            slab.alloc(8);
            s.write(filled(30, 9));
            Slice shrunk = slab.realloc(s, 4);
            Slice regrown = slab.realloc(shrunk, 30);
            assertArrayEquals(filled(4, 9), Arrays.copyOf(regrown.read(), 4));
            assertArrayEquals(new byte[26], Arrays.copyOfRange(regrown.read(), 4, 30));
        }
    }

    @Test
    void nonTailGrowMovesAndFreesTheOldBlocks() throws IOException {
        try (SlabAllocator slab = fresh(16)) {
            Slice a = slab.alloc(10);
            slab.alloc(10);
            a.write(filled(10, 4));
            Slice moved = slab.realloc(a, 40);
            assertFalse(moved.offset() == a.offset());
            assertArrayEquals(filled(10, 4), Arrays.copyOf(moved.read(), 10));
            assertEquals(a.offset(), slab.alloc(16).offset(), "the old block is on the free list");
        }
    }

    @Test
    void freeingTheFreeListHeadAgainIsRejected() throws IOException {
        try (SlabAllocator slab = fresh(16)) {
            Slice a = slab.alloc(10);
            slab.alloc(10);
            slab.dealloc(a);
            assertThrows(IllegalArgumentException.class, () -> slab.dealloc(a));
            assertThrows(IllegalArgumentException.class, () -> slab.slice(a.offset(), 10));
        }
    }

    @Test
    void sliceMustStartABlock() throws IOException {
        try (SlabAllocator slab = fresh(16)) {
            Slice a = slab.alloc(10);
            assertThrows(IllegalArgumentException.class, () -> slab.slice(a.offset() + 8, 4));
            assertThrows(IllegalArgumentException.class, () -> slab.slice(a.offset(), 17), "needs a second block");
        }
    }

    // ---------------------------------------------------------------- alignment

    @ParameterizedTest
    @EnumSource(StackFormat.class)
    void alignedArenaStartsEveryBlockOnAPageBoundary(StackFormat format) throws IOException {
        long block = 512 * 1024;
        try (SlabAllocator slab = SlabAllocator.create(BStack.open(file(), BStackOptions.defaults().withFormat(format)),
                block, 4096)) {
            int header = slab.stack().format().headerSize();
            assertEquals(format.headerSize(), header);
            assertEquals(4096, slab.alignment());
            assertEquals(4096 - header, slab.arenaStart());
            List<Slice> frames = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                frames.add(slab.alloc(block));
            }
            slab.dealloc(frames.get(1));
            frames.set(1, slab.alloc(block));
            frames.add(slab.alloc(2 * block));
            for (Slice s : frames) {
                assertEquals(0, (s.offset() + header) % 4096, "file offset of " + s);
            }
        }
        try (SlabAllocator slab = SlabAllocator.open(BStack.open(file()))) {
            int header = slab.stack().format().headerSize();
            assertEquals(4096, slab.alignment());
            assertEquals(4096 - header, slab.arenaStart());
            assertEquals(0, (slab.alloc(10).offset() + header) % 4096);
        }
    }

    @Test
    void smallAlignmentsKeepTheReferenceLayout() throws IOException {
        BStackOptions legacy = BStackOptions.defaults().withFormat(StackFormat.V0_2); // payload at file offset 16
        try (SlabAllocator slab = SlabAllocator.create(BStack.open(file(), legacy), 64, 64)) {
            assertEquals(48, slab.arenaStart());
            assertEquals(64, slab.alignment());
            assertArrayEquals("ALSL\0\1\1\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                    slab.stack().get(24, 32));
        }
        java.nio.file.Files.delete(file());
        try (SlabAllocator slab = SlabAllocator.create(BStack.open(file()), 64, 16)) { // 0.4: file offset 32
            assertEquals(48, slab.arenaStart());
            assertEquals(16, slab.alignment());
        }
    }

    @Test
    void aMigratedAlignedSlabIsRefusedNotMisread() throws IOException {
        BStackOptions legacy = BStackOptions.defaults().withFormat(StackFormat.V0_2);
        try (SlabAllocator slab = SlabAllocator.create(BStack.open(file(), legacy), 8192, 4096)) {
            assertEquals(4096 - 16, slab.arenaStart());
            slab.alloc(100).write(filled(100, 7));
        }
        assertTrue(BStack.migrate(file()));
        try (BStack stack = BStack.open(file())) {
            CorruptedStoreException e = assertThrows(CorruptedStoreException.class, () -> SlabAllocator.open(stack));
            assertTrue(e.getMessage().contains("not a whole number of 8192-byte blocks after offset 4064"),
                    e.getMessage());
        }
    }

    @Test
    void alignedFilesUseMinorVersionTwoSoReferenceReadersRejectThem() throws IOException {
        try (SlabAllocator slab = SlabAllocator.create(BStack.open(file()), 8192, 8192)) {
            assertArrayEquals("ALSL\0\2\1\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                    slab.stack().get(24, 32));
        }
    }

    @Test
    void badAlignmentsAreRejected() throws IOException {
        try (BStack stack = BStack.open(file())) {
            assertThrows(IllegalArgumentException.class, () -> SlabAllocator.create(stack, 4096, 3000));
            assertThrows(IllegalArgumentException.class, () -> SlabAllocator.create(stack, 1000, 4096));
            assertTrue(stack.isEmpty(), "nothing written");
        }
    }

    @Test
    void aDamagedAlignmentRecordIsCorruption() throws IOException {
        SlabAllocator.create(BStack.open(file()), 4096, 4096).close();
        try (BStack stack = BStack.open(file())) {
            stack.set(SlabAllocator.ALIGNMENT_OFFSET, le(8192));
            assertThrows(CorruptedStoreException.class, () -> SlabAllocator.open(stack));
        }
    }

    // ---------------------------------------------------------------- bulk

    @Test
    void allocBulkIsOneExtendOfWholeBlockRuns() throws IOException {
        try (SlabAllocator slab = fresh(16)) {
            long before = slab.stack().length();
            List<Slice> slices = slab.allocBulk(10, 0, 40, 16);
            assertEquals(before + 16 + 48 + 16, slab.stack().length());
            assertTrue(slices.get(1).isNull());
            assertEquals(slices.get(0).offset() + 16, slices.get(2).offset());
            assertEquals(slices.get(2).offset() + 48, slices.get(3).offset());
        }
    }

    @Test
    void deallocBulkRecyclesEveryBlockAndRejectsRepeats() throws IOException {
        try (SlabAllocator slab = fresh(16)) {
            List<Slice> slices = slab.allocBulk(10, 40, 16);
            slab.alloc(8);
            assertThrows(IllegalArgumentException.class,
                    () -> slab.deallocBulk(List.of(slices.get(0), slices.get(0))));
            slab.deallocBulk(slices);
            AllocatorReport report = slab.verify();
            assertEquals(5 * 16, report.freeBytes(), report.toString());
        }
    }

    // ---------------------------------------------------------------- damaged free lists

    @Test
    void aFreeListCycleIsReportedAndAllocationFailsCleanly() throws IOException {
        try (SlabAllocator slab = fresh(16)) {
            Slice a = slab.alloc(8);
            Slice b = slab.alloc(8);
            slab.alloc(8);
            slab.dealloc(a);
            slab.dealloc(b);
            slab.stack().set(a.offset(), le(b.offset())); // a -> b -> a
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                AllocatorReport report = slab.verify();
                assertFalse(report.structureValid(), report.toString());
                assertTrue(report.problems().getFirst().contains("cycles"), report.toString());
            });
        }
    }

    @Test
    void aFreeBlockLinkingOutsideTheArenaIsCorruptionOnPop() throws IOException {
        try (SlabAllocator slab = fresh(16)) {
            Slice a = slab.alloc(8);
            slab.alloc(8);
            slab.dealloc(a);
            slab.stack().set(a.offset(), le(1 << 40));
            assertThrows(CorruptedStoreException.class, () -> slab.alloc(8));
            assertFalse(slab.verify().structureValid());
        }
    }
}
