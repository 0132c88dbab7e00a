package io.cairn.stack.alloc;

import static io.cairn.stack.alloc.AllocatorContract.filled;
import static io.cairn.stack.alloc.CorruptionFields.assertCorruption;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
            assertCorruption(assertThrows(CorruptedStoreException.class, () -> SlabAllocator.open(stack)), file(),
                    SlabAllocator.BLOCK_SIZE_OFFSET, "1");
        }
    }

    @Test
    void openRejectsAMisalignedTail() throws IOException {
        fresh(8).close();
        try (BStack stack = BStack.open(file())) {
            stack.extend(1);
            assertCorruption(assertThrows(CorruptedStoreException.class, () -> SlabAllocator.open(stack)), file(),
                    SlabAllocator.ARENA_START, "1 bytes");
        }
    }

    @Test
    void openRejectsAFreeHeadThatIsNotABlock() throws IOException {
        try (SlabAllocator slab = fresh(16)) {
            slab.alloc(16);
            slab.stack().set(SlabAllocator.FREE_HEAD_OFFSET, le(50));
        }
        try (BStack stack = BStack.open(file())) {
            assertCorruption(assertThrows(CorruptedStoreException.class, () -> SlabAllocator.open(stack)), file(),
                    SlabAllocator.FREE_HEAD_OFFSET, "50");
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
    void anAlignedSlabCreatedInA02StackWorksAfterMigrate() throws IOException {
        BStackOptions legacy = BStackOptions.defaults().withFormat(StackFormat.V0_2);
        Map<Slice, byte[]> live = new LinkedHashMap<>();
        try (SlabAllocator slab = SlabAllocator.create(BStack.open(file(), legacy), 8192, 4096)) {
            assertEquals(4096 - 16, slab.arenaStart());
            fillAlignedSlab(slab, live);
        }
        assertTrue(BStack.migrate(file()));
        assertMigratedSlabWorks(live);
    }

    /**
     * A minor-2 file (written before minor 3 recorded the arena start) still opens: created in a 0.4 stack, or
     * in a 0.2 stack, before and after it is migrated.
     */
    @ParameterizedTest
    @EnumSource(StackFormat.class)
    void aMinorTwoAlignedSlabStillOpens(StackFormat createdIn) throws IOException {
        Map<Slice, byte[]> live = new LinkedHashMap<>();
        try (SlabAllocator slab = SlabAllocator.create(BStack.open(file(),
                BStackOptions.defaults().withFormat(createdIn)), 8192, 4096)) {
            rewriteAsMinorTwo(slab.stack(), 4096);
            fillAlignedSlab(slab, live);
        }
        try (SlabAllocator slab = SlabAllocator.open(BStack.open(file()))) {
            assertEquals(4096 - createdIn.headerSize(), slab.arenaStart());
            assertEquals(4096, slab.alignment());
            assertContents(slab, live);
        }
        if (createdIn == StackFormat.V0_2) {
            assertTrue(BStack.migrate(file()));
            assertMigratedSlabWorks(live);
        }
    }

    /** Four slices of distinct contents, the second freed again (so the free list is not empty). */
    private static void fillAlignedSlab(SlabAllocator slab, Map<Slice, byte[]> live) throws IOException {
        Slice freed = null;
        for (int i = 0; i < 4; i++) {
            Slice s = slab.alloc(100 + i);
            s.write(filled(100 + i, i + 1));
            live.put(s, filled(100 + i, i + 1));
            freed = i == 1 ? s : freed;
        }
        slab.dealloc(freed);
        live.remove(freed);
    }

    /**
     * After {@code BStack.migrate} of the 0.2 stack holding {@code live}: the slab opens at its old arena, every
     * slice reads back, its blocks are now only 16-byte aligned in the file, and it allocates (from its free list
     * and at the tail), writes and reopens (through the front door).
     */
    private void assertMigratedSlabWorks(Map<Slice, byte[]> live) throws IOException {
        try (SlabAllocator slab = SlabAllocator.open(BStack.open(file()))) {
            assertEquals(StackFormat.V0_4, slab.stack().format());
            assertEquals(4096 - 16, slab.arenaStart(), "the arena did not move in the payload");
            assertEquals(16, slab.alignment(), "the payload moved 16 bytes further into the file");
            assertEquals(List.of(), slab.verify().problems());
            assertContents(slab, live);
            Slice reused = slab.alloc(8192);
            assertEquals(slab.arenaStart() + 8192, reused.offset(), "the freed block is reused");
            Slice tail = slab.alloc(3 * 8192);
            reused.write(filled(8192, 5));
            tail.write(filled(3 * 8192, 6));
            live.put(reused, filled(8192, 5));
            live.put(tail, filled(3 * 8192, 6));
        }
        try (SlabAllocator slab = (SlabAllocator) Allocators.open(BStack.open(file()))) {
            assertEquals(List.of(), slab.verify().problems());
            assertContents(slab, live);
        }
    }

    private static void assertContents(SlabAllocator slab, Map<Slice, byte[]> live) throws IOException {
        for (Map.Entry<Slice, byte[]> e : live.entrySet()) {
            Slice s = e.getKey();
            assertArrayEquals(e.getValue(), slab.slice(s.offset(), s.length()).read(), "slice " + s);
        }
    }

    /** Turns a fresh minor-3 aligned slab's header into the minor-2 form: the alignment recorded instead. */
    private static void rewriteAsMinorTwo(BStack stack, long alignment) throws IOException {
        byte[] header = stack.get(0, SlabAllocator.RECORD_CRC_OFFSET + 4);
        header[(int) SlabAllocator.MAGIC_OFFSET + 5] = SlabAllocator.MINOR_ALIGNMENT_RECORD;
        ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN)
                .putLong((int) SlabAllocator.RECORD_OFFSET, alignment)
                .putInt((int) SlabAllocator.RECORD_CRC_OFFSET, SlabAllocator.recordCrc(header));
        stack.set(SlabAllocator.MAGIC_OFFSET, Arrays.copyOfRange(header, (int) SlabAllocator.MAGIC_OFFSET,
                header.length));
    }

    @Test
    void alignedFilesUseMinorVersionThreeSoReferenceReadersRejectThem() throws IOException {
        try (SlabAllocator slab = SlabAllocator.create(BStack.open(file()), 8192, 8192)) {
            assertArrayEquals("ALSL\0\3\1\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
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
    void aDamagedArenaRecordIsCorruption() throws IOException {
        SlabAllocator.create(BStack.open(file()), 4096, 4096).close();
        try (BStack stack = BStack.open(file())) {
            stack.set(SlabAllocator.RECORD_OFFSET, le(8192));
            CorruptedStoreException e = assertThrows(CorruptedStoreException.class, () -> SlabAllocator.open(stack));
            byte[] header = stack.get(0, SlabAllocator.RECORD_CRC_OFFSET + 4);
            int stored = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt((int) SlabAllocator.RECORD_CRC_OFFSET);
            assertCorruption(e, file(), SlabAllocator.RECORD_CRC_OFFSET, AbstractAllocator.crc(stored));
            assertEquals(AbstractAllocator.crc(SlabAllocator.recordCrc(header)), e.expected(), "the checksum says both");
            ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putLong((int) SlabAllocator.RECORD_OFFSET, 8)
                    .putInt((int) SlabAllocator.RECORD_CRC_OFFSET, SlabAllocator.recordCrc(header));
            stack.set(SlabAllocator.RECORD_OFFSET, Arrays.copyOfRange(header, (int) SlabAllocator.RECORD_OFFSET,
                    header.length));
            e = assertThrows(CorruptedStoreException.class, () -> SlabAllocator.open(stack));
            assertCorruption(e, file(), SlabAllocator.RECORD_OFFSET, "8");
            assertTrue(e.expected().contains("at least 60"), e.getMessage());
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
            slab.stack().set(a.offset(), le(1L << 40));
            assertCorruption(assertThrows(CorruptedStoreException.class, () -> slab.alloc(8)), file(), a.offset(),
                    Long.toString(1L << 40));
            assertFalse(slab.verify().structureValid());
        }
    }
}
