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
import io.cairn.stack.Durability;
import io.cairn.stack.testkit.ChildJvm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference first-fit allocator's behaviours (seed 002), its recovery cases and the §5 pitfalls. */
class FirstFitAllocatorTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("ff.stack");
    }

    private FirstFitAllocator open() throws IOException {
        return FirstFitAllocator.open(BStack.open(file()));
    }

    private static byte[] le(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    private static long readLong(BStack stack, long offset) throws IOException {
        return ByteBuffer.wrap(stack.get(offset, offset + 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static void setRecoveryFlag(BStack stack) throws IOException {
        stack.set(FirstFitAllocator.FLAGS_OFFSET, new byte[] {1, 0, 0, 0});
    }

    @Test
    void openOnAnEmptyStackWritesTheReferenceHeader() throws IOException {
        try (FirstFitAllocator ff = open()) {
            byte[] expected = new byte[48];
            System.arraycopy("ALFF\0\1\1\0".getBytes(StandardCharsets.ISO_8859_1), 0, expected, 16, 8);
            assertArrayEquals(expected, ff.stack().get(0, 48));
        }
    }

    @Test
    void openRejectsAForeignStack() throws IOException {
        try (BStack stack = BStack.open(file())) {
            stack.push(new byte[48]);
            assertThrows(CorruptedStoreException.class, () -> FirstFitAllocator.open(stack));
        }
        try (BStack stack = BStack.open(dir.resolve("short.stack"))) {
            stack.push(new byte[20]);
            assertThrows(CorruptedStoreException.class, () -> FirstFitAllocator.open(stack));
        }
    }

    @Test
    void blocksHaveTheReferenceHeaderAndFooter() throws IOException {
        try (FirstFitAllocator ff = open()) {
            Slice s = ff.alloc(5);
            assertEquals(64, s.offset());
            assertEquals(48 + 16 + 16 + 8, ff.stack().length(), "5 bytes round up to a 16-byte payload");
            assertEquals(16, readLong(ff.stack(), 48));
            assertEquals(0, ff.stack().get(56, 60)[0], "live");
            assertEquals(16, readLong(ff.stack(), 80));
        }
    }

    @Test
    void aFreedBlockIsReusedForTheSameSize() throws IOException {
        try (FirstFitAllocator ff = open()) {
            Slice a = ff.alloc(64);
            ff.alloc(8);
            ff.dealloc(a);
            assertEquals(a.offset(), ff.alloc(64).offset());
        }
    }

    @Test
    void aLargeFreeBlockIsSplitAndTheAllocationCarvedFromItsBack() throws IOException {
        try (FirstFitAllocator ff = open()) {
            Slice a = ff.alloc(200);
            ff.alloc(8);
            ff.dealloc(a);
            Slice small = ff.alloc(16);
            assertEquals(a.offset() + 200 - 16, small.offset());
            AllocatorReport report = ff.verify();
            assertEquals(200 - 16 - 24, report.freeBytes(), report.toString());
            assertTrue(report.isClean(), report.toString());
        }
    }

    @Test
    void aBlockTooSmallToSplitIsTakenWhole() throws IOException {
        try (FirstFitAllocator ff = open()) {
            Slice a = ff.alloc(48);
            ff.alloc(8);
            ff.dealloc(a);
            Slice s = ff.alloc(16);
            assertEquals(a.offset(), s.offset(), "48 - 16 - 24 leaves 8 bytes, under the 16-byte minimum");
            assertEquals(0, ff.verify().freeBytes());
        }
    }

    @Test
    void neighboursCoalesceIntoOneFreeBlock() throws IOException {
        try (FirstFitAllocator ff = open()) {
            Slice a = ff.alloc(32);
            Slice b = ff.alloc(40);
            Slice c = ff.alloc(48);
            ff.alloc(8);
            ff.dealloc(a);
            ff.dealloc(c);
            ff.dealloc(b);
            AllocatorReport report = ff.verify();
            assertEquals(32 + 40 + 48 + 2 * 24, report.freeBytes(), "merged size is a + 24 + b + 24 + c");
            assertEquals(report.freeBytes(), report.largestFreeBlock());
            assertTrue(report.isClean(), report.toString());
        }
    }

    @Test
    void freeingTheTailCascadesThroughFreeBlocksBelowIt() throws IOException {
        try (FirstFitAllocator ff = open()) {
            Slice a = ff.alloc(32);
            Slice b = ff.alloc(32);
            ff.dealloc(a);
            ff.dealloc(b);
            assertEquals(48, ff.stack().length());
            assertTrue(ff.verify().isClean());
        }
    }

    @Test
    void doubleFreeIsRejectedWithoutASelfLoop() throws IOException {
        try (FirstFitAllocator ff = open()) {
            Slice a = ff.alloc(32);
            ff.alloc(8);
            ff.dealloc(a);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ff.dealloc(a));
            assertTrue(e.getMessage().contains("free"), e.getMessage());
            assertTrue(ff.verify().isClean());
        }
    }

    @Test
    void smallSlicesAreValidatedByTheirAlignedLength() throws IOException {
        try (FirstFitAllocator ff = open()) {
            Slice s = ff.alloc(3);
            ff.alloc(8);
            Slice rebuilt = ff.slice(s.offset(), 3);
            ff.dealloc(rebuilt);
            assertTrue(ff.verify().isClean());
        }
    }

    @Test
    void sliceRejectsAnOffsetThatIsNotABlockPayload() throws IOException {
        try (FirstFitAllocator ff = open()) {
            Slice s = ff.alloc(64);
            assertThrows(IllegalArgumentException.class, () -> ff.slice(s.offset() + 8, 8));
            assertThrows(IllegalArgumentException.class, () -> ff.slice(s.offset(), 65));
        }
    }

    @Test
    void reallocGrowsAndShrinksTheTailInPlace() throws IOException {
        try (FirstFitAllocator ff = open()) {
            Slice s = ff.alloc(20);
            s.write(filled(20, 3));
            Slice grown = ff.realloc(s, 300);
            assertEquals(s.offset(), grown.offset());
            assertEquals(grown.offset() + 304 + 8, ff.stack().length());
            assertArrayEquals(filled(20, 3), Arrays.copyOf(grown.read(), 20));
            assertArrayEquals(new byte[280], Arrays.copyOfRange(grown.read(), 20, 300));
            Slice shrunk = ff.realloc(grown, 10);
            assertEquals(s.offset() + 16 + 8, ff.stack().length());
            assertArrayEquals(filled(10, 3), shrunk.read());
            assertTrue(ff.verify().isClean(), ff.verify().toString());
        }
    }

    @Test
    void reallocAbsorbsAFreeRightNeighbourInPlace() throws IOException {
        try (FirstFitAllocator ff = open()) {
            Slice a = ff.alloc(32);
            Slice b = ff.alloc(200);
            ff.alloc(8);
            a.write(filled(32, 6));
            ff.dealloc(b);
            Slice grown = ff.realloc(a, 64);
            assertEquals(a.offset(), grown.offset());
            assertArrayEquals(filled(32, 6), Arrays.copyOf(grown.read(), 32));
            assertArrayEquals(new byte[32], Arrays.copyOfRange(grown.read(), 32, 64));
            AllocatorReport report = ff.verify();
            assertEquals(32 + 24 + 200 - 64 - 24, report.freeBytes(), report.toString());
            assertTrue(report.isClean(), report.toString());
        }
    }

    @Test
    void regrowingIntoAnOldBlockNeverExposesStaleBytes() throws IOException {
        try (FirstFitAllocator ff = open()) {
            Slice s = ff.alloc(100);
            ff.alloc(8);
            s.write(filled(100, 0x77));
            Slice shrunk = ff.realloc(s, 10);
            Slice regrown = ff.realloc(shrunk, 100);
            assertArrayEquals(filled(10, 0x77), Arrays.copyOf(regrown.read(), 10));
            assertArrayEquals(new byte[90], Arrays.copyOfRange(regrown.read(), 10, 100));
        }
    }

    @Test
    void growingASliceWhileItsOversizedTailBlockShrinksZeroesTheGap() throws IOException {
        try (FirstFitAllocator ff = open()) {
            Slice a = ff.alloc(400);
            Slice b = ff.alloc(8);
            a.write(filled(400, 0x55));
            Slice small = ff.realloc(a, 10); // not the tail: the 400-byte block is kept
            ff.dealloc(b); // now it is the tail
            Slice grown = ff.realloc(small, 100);
            assertEquals(a.offset(), grown.offset());
            assertArrayEquals(filled(10, 0x55), Arrays.copyOf(grown.read(), 10));
            assertArrayEquals(new byte[90], Arrays.copyOfRange(grown.read(), 10, 100));
            assertEquals(grown.offset() + 104 + 8, ff.stack().length(), "the tail block shrank to 104 bytes");
            assertTrue(ff.verify().isClean());
        }
    }

    // ---------------------------------------------------------------- recovery

    @Test
    void anAllocationLargerThanTheHeapNeedsNoBufferOfItsSize() throws Exception {
        long length = 1536L << 20; // 1.5 GiB, in a child JVM whose heap is capped at 256 MiB
        String line;
        try (ChildJvm child = ChildJvm.start(LargeAllocationChild.class, file().toString(), Long.toString(length))) {
            line = child.nextLine(Duration.ofSeconds(120));
            assertTrue(line != null && line.startsWith("OK "), line + "\n" + child.stderr());
        }
        String[] offsets = line.split(" ");
        try (FirstFitAllocator ff = open()) {
            assertTrue(ff.verify().isClean(), ff.verify()::toString);
            Slice fresh = ff.slice(Long.parseLong(offsets[1]), length);
            Slice moved = ff.slice(Long.parseLong(offsets[2]), length);
            ff.dealloc(moved);
            ff.dealloc(fresh);
            assertTrue(ff.verify().isClean(), ff.verify()::toString);
        }
    }

    @Test
    void blocksAboveOneBufferAreTakenFromTheListZeroedInChunks() throws IOException {
        int mib = 1 << 20;
        try (FirstFitAllocator ff = FirstFitAllocator.open(BStack.open(file(),
                BStackOptions.defaults().withDurability(Durability.NONE)))) {
            Slice a = ff.alloc(3 * mib);
            a.write(filled(3 * mib, 0x5A));
            ff.alloc(8);
            ff.dealloc(a);
            Slice split = ff.alloc(2 * mib);
            assertTrue(split.offset() > a.offset(), "carved from the back of the free block");
            assertArrayEquals(new byte[2 * mib], split.read());
            assertTrue(ff.verify().isClean(), ff.verify()::toString);
            ff.dealloc(split);
            Slice whole = ff.alloc(3 * mib - 8);
            assertEquals(a.offset(), whole.offset(), "taken whole: too little left to split");
            assertArrayEquals(new byte[3 * mib - 8], whole.read());
            Slice moved = ff.realloc(ff.alloc(100), 2 * mib);
            assertArrayEquals(new byte[2 * mib], moved.read());
            assertTrue(ff.verify().isClean(), ff.verify()::toString);
        }
    }

    @Test
    void recoveryRebuildsTheFreeListWhenTheFlagIsSetWithAGarbageHead() throws IOException {
        long bOffset;
        try (FirstFitAllocator ff = open()) {
            ff.alloc(32);
            Slice b = ff.alloc(64);
            ff.alloc(32);
            bOffset = b.offset();
            ff.dealloc(b);
            setRecoveryFlag(ff.stack());
            ff.stack().set(FirstFitAllocator.FREE_HEAD_OFFSET, le(0xDEADBEEFL));
        }
        try (FirstFitAllocator ff = open()) {
            AllocatorReport report = ff.verify();
            assertTrue(report.isClean(), report.toString());
            assertEquals(64, report.freeBytes());
            assertEquals(bOffset, ff.alloc(64).offset());
        }
    }

    @Test
    void anImpossibleFreeHeadTriggersRecoveryEvenWithoutTheFlag() throws IOException {
        try (FirstFitAllocator ff = open()) {
            ff.alloc(32);
            ff.stack().set(FirstFitAllocator.FREE_HEAD_OFFSET, le(1L << 50));
        }
        try (FirstFitAllocator ff = open()) {
            assertTrue(ff.verify().isClean());
            assertEquals(0, readLong(ff.stack(), FirstFitAllocator.FREE_HEAD_OFFSET));
        }
    }

    @Test
    void recoveryTruncatesATornAllZeroTail() throws IOException {
        long length;
        try (FirstFitAllocator ff = open()) {
            ff.alloc(32).write(filled(32, 1));
            length = ff.stack().length();
            ff.stack().extend(40);
            setRecoveryFlag(ff.stack());
        }
        try (FirstFitAllocator ff = open()) {
            assertEquals(length, ff.stack().length());
            assertTrue(ff.verify().isClean());
        }
    }

    @Test
    void recoveryRefusesGarbageInTheMiddleOfTheArena() throws IOException {
        long header;
        try (FirstFitAllocator ff = open()) {
            header = ff.alloc(32).offset() - 16;
            ff.alloc(32);
            ff.stack().set(header, le(12345));
            setRecoveryFlag(ff.stack());
        }
        try (BStack stack = BStack.open(file())) {
            assertCorruption(assertThrows(CorruptedStoreException.class, () -> FirstFitAllocator.open(stack)),
                    file(), header, "12345");
        }
    }

    @Test
    void aRecoveryThatMeetsCorruptionLeavesTheFileAsItWas() throws IOException {
        try (FirstFitAllocator ff = open()) {
            Slice a = ff.alloc(32);
            Slice b = ff.alloc(32);
            ff.alloc(32);
            ff.stack().set(a.offset() + 32, le(40)); // a's footer disagrees with its header: recovery would fix it
            ff.stack().set(b.offset() - 16, le(12345)); // b's header is impossible: recovery must refuse
            ff.stack().extend(64); // and a torn zero tail it would truncate
            setRecoveryFlag(ff.stack());
        }
        byte[] before = Files.readAllBytes(file());
        try (BStack stack = BStack.open(file())) {
            assertThrows(CorruptedStoreException.class, () -> FirstFitAllocator.open(stack));
        }
        assertArrayEquals(before, Files.readAllBytes(file()), "a refused open wrote to the file");
    }

    @Test
    void recoveryCompletesAHalfDoneSplit() throws IOException {
        long big;
        try (FirstFitAllocator ff = open()) {
            Slice a = ff.alloc(200);
            ff.alloc(8);
            ff.dealloc(a);
            big = a.offset();
            // The first two writes of a split for 16 bytes, then a crash before the header shrinks to 160.
            byte[] seam = new byte[24];
            ByteBuffer.wrap(seam).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 160).putLong(8, 16);
            ff.stack().set(big + 160, seam);
            byte[] back = new byte[24];
            ByteBuffer.wrap(back).order(ByteOrder.LITTLE_ENDIAN).putLong(16, 16);
            ff.stack().set(big + 184, back);
            setRecoveryFlag(ff.stack());
        }
        try (FirstFitAllocator ff = open()) {
            assertEquals(160, readLong(ff.stack(), big - 16));
            AllocatorReport report = ff.verify();
            assertEquals(160, report.freeBytes(), report.toString());
            assertTrue(report.isClean(), report.toString());
            ff.dealloc(ff.slice(big + 184, 16));
            assertTrue(ff.verify().isClean());
        }
    }

    @Test
    void recoveryDropsFreeBlocksLeftAtTheTail() throws IOException {
        try (FirstFitAllocator ff = open()) {
            ff.alloc(32);
            Slice b = ff.alloc(32);
            ff.alloc(32);
            ff.stack().set(b.offset() - 8, new byte[] {1, 0, 0, 0}); // b marked free by hand, unlinked
            ff.stack().discard(32 + 24); // the last block gone without the cascade
            setRecoveryFlag(ff.stack());
            assertEquals(b.offset() + 32 + 8, ff.stack().length());
        }
        try (FirstFitAllocator ff = open()) {
            assertEquals(48 + 32 + 24, ff.stack().length(), "the free tail block b was discarded");
            assertTrue(ff.verify().isClean());
        }
    }

    @Test
    void aFreeListCycleIsCorruptionNotAHang() throws IOException {
        try (FirstFitAllocator ff = open()) {
            Slice a = ff.alloc(32);
            ff.alloc(8);
            ff.dealloc(a);
            ff.stack().set(a.offset(), le(a.offset())); // next points to itself
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                assertCorruption(assertThrows(CorruptedStoreException.class, () -> ff.alloc(64)), file(), a.offset(),
                        Long.toString(a.offset()));
                assertFalse(ff.verify().structureValid());
            });
        }
    }

    @Test
    void anImpossibleBlockSizeIsReportedByVerify() throws IOException {
        try (FirstFitAllocator ff = open()) {
            Slice a = ff.alloc(32);
            ff.alloc(8);
            ff.stack().set(a.offset() - 16, le(Long.MAX_VALUE - 7));
            AllocatorReport report = ff.verify();
            assertFalse(report.structureValid());
            assertTrue(report.problems().getFirst().contains("impossible size"), report.toString());
        }
    }
}
