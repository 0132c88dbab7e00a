package io.cairn.stack.alloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackOptions;
import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.Durability;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference's GhostTree unit behaviours, and what this implementation adds (merging, handle checks). */
class GhostTreeAllocatorTest {
    @TempDir
    Path dir;
    Path file;
    GhostTreeAllocator alloc;
    /**
     * These are behaviours, not durability (the fault and SIGKILL drivers prove that): no forces, which on a 0.4
     * stack would be four per journaled node write.
     */
    private static final BStackOptions FAST = BStackOptions.defaults().withDurability(Durability.NONE);

    @BeforeEach
    void openFresh() throws IOException {
        file = dir.resolve("ghost.stack");
        alloc = GhostTreeAllocator.open(BStack.open(file, FAST));
    }

    @AfterEach
    void close() throws IOException {
        alloc.close();
    }

    private GhostTreeAllocator reopen() throws IOException {
        alloc.close();
        alloc = GhostTreeAllocator.open(BStack.open(file, FAST));
        return alloc;
    }

    private long stackLength() throws IOException {
        return alloc.stack().length();
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private void assertClean() throws IOException {
        AllocatorReport report = alloc.verify();
        assertTrue(report.structureValid(), report::toString);
    }

    // ---------------------------------------------------------------- basic alloc / dealloc

    @Test
    void freshStackGetsTheReferenceHeader() throws IOException {
        assertEquals(48, stackLength());
        byte[] header = alloc.stack().get(0, 48);
        assertArrayEquals(new byte[32], Arrays.copyOf(header, 32));
        assertArrayEquals(new byte[] {'A', 'L', 'G', 'T', 0, 1, 2, 0}, Arrays.copyOfRange(header, 32, 40));
        assertArrayEquals(new byte[8], Arrays.copyOfRange(header, 40, 48));
        assertClean();
    }

    @Test
    void allocReturnsZeroedSlice() throws IOException {
        Slice s = alloc.alloc(64);
        assertEquals(64, s.length());
        assertArrayEquals(new byte[64], s.read());
    }

    @Test
    void allocOfZeroReturnsTheNullSliceWithoutIo() throws IOException {
        Slice s = alloc.alloc(0);
        assertTrue(s.isNull());
        assertEquals(0, s.offset());
        assertEquals(48, stackLength());
    }

    @Test
    void deallocOfTheNullSliceIsANoOp() throws IOException {
        alloc.dealloc(alloc.alloc(0));
        assertEquals(48, stackLength());
    }

    @Test
    void deallocOfTheTailShrinksTheStack() throws IOException {
        Slice s = alloc.alloc(64);
        assertEquals(48 + 64, stackLength());
        alloc.dealloc(s);
        assertEquals(48, stackLength());
        assertClean();
    }

    @Test
    void deallocElsewhereIsReusedByTheNextAlloc() throws IOException {
        Slice a = alloc.alloc(64);
        Slice b = alloc.alloc(64);
        alloc.dealloc(a);
        long length = stackLength();
        Slice c = alloc.alloc(64);
        assertEquals(a.offset(), c.offset());
        assertEquals(length, stackLength());
        alloc.dealloc(c);
        alloc.dealloc(b);
        assertEquals(48, stackLength(), "freeing the tail discards the free block before it too");
    }

    @Test
    void freedBlockIsZeroedPastItsNode() throws IOException {
        Slice a = alloc.alloc(64);
        Slice b = alloc.alloc(64);
        a.write(filled(64, 0xAA));
        alloc.dealloc(a);
        byte[] raw = alloc.stack().get(a.offset(), a.offset() + 64);
        assertArrayEquals(new byte[32], Arrays.copyOfRange(raw, 32, 64));
        alloc.dealloc(b);
    }

    @Test
    void reusedBlockReadsAsZeros() throws IOException {
        Slice a = alloc.alloc(100);
        Slice anchor = alloc.alloc(32);
        a.write(filled(100, 0x5C));
        alloc.dealloc(a);
        Slice again = alloc.alloc(128);
        assertEquals(a.offset(), again.offset());
        assertArrayEquals(new byte[128], again.read());
        alloc.dealloc(anchor);
    }

    // ---------------------------------------------------------------- alignment

    @Test
    void everyBlockStartsAtA32ByteFileOffset() throws IOException {
        List<Slice> slices = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            slices.add(alloc.alloc(i * 7 + 1));
        }
        for (Slice s : slices) {
            assertEquals(16, s.offset() % 32, s::toString);
        }
        for (Slice s : slices) {
            alloc.dealloc(s);
        }
        assertEquals(48, stackLength());
    }

    @Test
    void allocRoundsUpToTheMinimumBlock() throws IOException {
        alloc.alloc(1);
        assertEquals(48 + 32, stackLength());
    }

    // ---------------------------------------------------------------- split and merge

    @Test
    void largeFreeBlockIsSplitKeepingTheFrontFree() throws IOException {
        Slice a = alloc.alloc(128);
        Slice anchor = alloc.alloc(32);
        alloc.dealloc(a);
        Slice b = alloc.alloc(32);
        assertEquals(a.offset() + 96, b.offset());
        Slice c = alloc.alloc(96);
        assertEquals(a.offset(), c.offset());
        alloc.dealloc(b);
        alloc.dealloc(c);
        alloc.dealloc(anchor);
        assertEquals(48, stackLength());
    }

    @Test
    void bestFitPrefersTheSmallestBlockThatFits() throws IOException {
        Slice big = alloc.alloc(256);
        Slice sep1 = alloc.alloc(32);
        Slice small = alloc.alloc(64);
        Slice sep2 = alloc.alloc(32);
        Slice mid = alloc.alloc(128);
        Slice sep3 = alloc.alloc(32);
        alloc.dealloc(big);
        alloc.dealloc(small);
        alloc.dealloc(mid);
        assertEquals(mid.offset(), alloc.alloc(100).offset());
        assertEquals(small.offset(), alloc.alloc(64).offset());
        assertEquals(big.offset() + 128, alloc.alloc(128).offset());
        for (Slice s : List.of(sep1, sep2, sep3)) {
            assertTrue(s.offset() > 0);
        }
        assertClean();
    }

    @Test
    void freeingBetweenTwoFreeBlocksMergesAllThree() throws IOException {
        Slice a = alloc.alloc(64);
        Slice b = alloc.alloc(32);
        Slice c = alloc.alloc(96);
        Slice anchor = alloc.alloc(32);
        alloc.dealloc(a);
        alloc.dealloc(c);
        alloc.dealloc(b);
        AllocatorReport report = alloc.verify();
        assertTrue(report.structureValid(), report::toString);
        assertEquals(192, report.freeBytes());
        assertEquals(192, report.largestFreeBlock());
        assertArrayEquals(new byte[160], alloc.stack().get(a.offset() + 32, a.offset() + 192),
                "swallowed nodes are zeroed");
        assertEquals(a.offset(), alloc.alloc(192).offset());
        alloc.dealloc(anchor);
    }

    @Test
    void reopenMergesAdjacentFreeBlocks() throws IOException {
        Slice a = alloc.alloc(64);
        Slice b = alloc.alloc(64);
        Slice anchor = alloc.alloc(32);
        alloc.dealloc(a);
        alloc.dealloc(b);
        reopen();
        Slice c = alloc.alloc(128);
        assertEquals(a.offset(), c.offset());
        alloc.dealloc(c);
        alloc.dealloc(alloc.slice(anchor.offset(), 32));
        assertEquals(48, stackLength());
    }

    // ---------------------------------------------------------------- realloc

    @Test
    void reallocToZeroFrees() throws IOException {
        Slice s = alloc.alloc(64);
        Slice z = alloc.realloc(s, 0);
        assertTrue(z.isNull());
        assertEquals(48, stackLength());
    }

    @Test
    void reallocOfTheNullSliceAllocates() throws IOException {
        Slice s = alloc.realloc(alloc.alloc(0), 40);
        assertEquals(40, s.length());
        assertArrayEquals(new byte[40], s.read());
    }

    @Test
    void reallocWithinTheSameBlockKeepsDataAndZeroesTheDroppedBytes() throws IOException {
        Slice s = alloc.alloc(32);
        s.write(filled(32, 0x5A));
        Slice s2 = alloc.realloc(s, 16);
        assertEquals(s.offset(), s2.offset());
        assertArrayEquals(filled(16, 0x5A), s2.read());
        assertArrayEquals(new byte[16], alloc.stack().get(s.offset() + 16, s.offset() + 32));
        Slice s3 = alloc.realloc(s2, 32);
        assertArrayEquals(new byte[16], Arrays.copyOfRange(s3.read(), 16, 32));
    }

    @Test
    void reallocShrinkAtTheTailDiscards() throws IOException {
        Slice s = alloc.alloc(128);
        s.write(filled(128, 0xBB));
        Slice s2 = alloc.realloc(s, 32);
        assertEquals(s.offset(), s2.offset());
        assertEquals(s.offset() + 32, stackLength());
        assertArrayEquals(filled(32, 0xBB), s2.read());
    }

    @Test
    void reallocShrinkElsewhereFreesTheBackPart() throws IOException {
        Slice s = alloc.alloc(128);
        Slice anchor = alloc.alloc(32);
        s.write(filled(128, 0xCC));
        long length = stackLength();
        Slice s2 = alloc.realloc(s, 20);
        assertEquals(s.offset(), s2.offset());
        assertEquals(length, stackLength());
        assertArrayEquals(filled(20, 0xCC), s2.read());
        assertArrayEquals(new byte[12], alloc.stack().get(s.offset() + 20, s.offset() + 32));
        Slice r = alloc.alloc(96);
        assertEquals(s.offset() + 32, r.offset());
        assertArrayEquals(new byte[96], r.read());
        alloc.dealloc(anchor);
    }

    @Test
    void reallocGrowAtTheTailExtendsInPlace() throws IOException {
        Slice s = alloc.alloc(32);
        s.write(filled(32, 0xDD));
        Slice s2 = alloc.realloc(s, 96);
        assertEquals(s.offset(), s2.offset());
        byte[] data = s2.read();
        assertArrayEquals(filled(32, 0xDD), Arrays.copyOf(data, 32));
        assertArrayEquals(new byte[64], Arrays.copyOfRange(data, 32, 96));
    }

    @Test
    void reallocGrowElsewhereCopiesTheData() throws IOException {
        Slice s = alloc.alloc(32);
        Slice anchor = alloc.alloc(32);
        s.write(filled(32, 0xEE));
        Slice s2 = alloc.realloc(s, 96);
        assertNotEquals(s.offset(), s2.offset());
        assertNotEquals(anchor.offset(), s2.offset());
        byte[] data = s2.read();
        assertArrayEquals(filled(32, 0xEE), Arrays.copyOf(data, 32));
        assertArrayEquals(new byte[64], Arrays.copyOfRange(data, 32, 96));
        assertThrows(IllegalArgumentException.class, () -> alloc.dealloc(s), "the old block is free now");
        assertClean();
    }

    @Test
    void reallocGrowIntoAFreeRightNeighbourStaysInPlace() throws IOException {
        Slice s = alloc.alloc(32);
        Slice neighbour = alloc.alloc(128);
        Slice anchor = alloc.alloc(32);
        s.write(filled(32, 0x11));
        alloc.dealloc(neighbour);
        Slice s2 = alloc.realloc(s, 96);
        assertEquals(s.offset(), s2.offset());
        byte[] data = s2.read();
        assertArrayEquals(filled(32, 0x11), Arrays.copyOf(data, 32));
        assertArrayEquals(new byte[64], Arrays.copyOfRange(data, 32, 96));
        AllocatorReport report = alloc.verify();
        assertTrue(report.structureValid(), report::toString);
        assertEquals(64, report.freeBytes());
        assertEquals(s.offset() + 96, alloc.alloc(64).offset());
        alloc.dealloc(anchor);
    }

    // ---------------------------------------------------------------- handle checks

    @Test
    void deallocOfAMisalignedHandleIsRejected() throws IOException {
        Slice s = alloc.alloc(64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> alloc.slice(s.offset() + 1, 32));
        assertTrue(e.getMessage().contains(Long.toString(s.offset() + 1)), e.getMessage());
        alloc.dealloc(s);
    }

    @Test
    void reallocOfAHandleFromAnotherInstanceIsRejectedBeforeAnyChange() throws IOException {
        Path other = dir.resolve("other.stack");
        try (GhostTreeAllocator second = GhostTreeAllocator.open(BStack.open(other))) {
            Slice foreign = second.alloc(64);
            long length = stackLength();
            assertThrows(IllegalArgumentException.class, () -> alloc.realloc(foreign, 128));
            assertThrows(IllegalArgumentException.class, () -> alloc.dealloc(foreign));
            assertEquals(length, stackLength());
        }
    }

    @Test
    void subsliceViewsCannotBeFreed() throws IOException {
        Slice s = alloc.alloc(64);
        assertThrows(IllegalArgumentException.class, () -> alloc.dealloc(s.subslice(0, 32)));
    }

    @Test
    void doubleFreeIsDetectedWhileTheBlockStaysFree() throws IOException {
        Slice a = alloc.alloc(64);
        Slice anchor = alloc.alloc(32);
        alloc.dealloc(a);
        assertThrows(IllegalArgumentException.class, () -> alloc.dealloc(a));
        assertThrows(IllegalArgumentException.class, () -> alloc.realloc(a, 10));
        alloc.dealloc(anchor);
        assertThrows(IllegalArgumentException.class, () -> alloc.dealloc(anchor), "discarded: past the end");
        assertClean();
    }

    @Test
    void sliceRebuildsAHandleAfterReopen() throws IOException {
        Slice s = alloc.alloc(64);
        s.write(filled(64, 0xAB));
        Slice anchor = alloc.alloc(32);
        byte[] stored = s.toBytes();
        reopen();
        Slice back = alloc.slice(stored);
        assertArrayEquals(filled(64, 0xAB), back.read());
        Slice grown = alloc.realloc(back, 200);
        assertArrayEquals(filled(64, 0xAB), Arrays.copyOf(grown.read(), 64));
        alloc.dealloc(grown);
        alloc.dealloc(alloc.slice(anchor.offset(), anchor.length()));
        assertEquals(48, stackLength());
    }

    @Test
    void sliceRejectsRangesTheStructureRulesOut() throws IOException {
        Slice a = alloc.alloc(64);
        Slice anchor = alloc.alloc(32);
        alloc.dealloc(a);
        assertThrows(IllegalArgumentException.class, () -> alloc.slice(16, 32), "inside the header");
        assertThrows(IllegalArgumentException.class, () -> alloc.slice(anchor.offset(), 64), "past the end");
        assertThrows(IllegalArgumentException.class, () -> alloc.slice(a.offset(), 32), "a free block");
        assertThrows(IllegalArgumentException.class, () -> alloc.slice(anchor.offset(), 0), "empty but not null");
        assertThrows(IllegalArgumentException.class, () -> alloc.slice(anchor.offset(), -1));
        assertTrue(alloc.slice(0, 0).isNull());
        assertEquals(anchor, alloc.slice(anchor.offset(), 32));
    }

    @Test
    void negativeLengthsAreRejected() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> alloc.alloc(-1));
        assertThrows(IllegalArgumentException.class, () -> alloc.allocBulk(32, -5));
        assertThrows(IllegalArgumentException.class, () -> alloc.alloc(Long.MAX_VALUE));
        assertEquals(48, stackLength());
    }

    @Test
    void closedAllocatorRejectsEverything() throws IOException {
        Slice s = alloc.alloc(32);
        alloc.close();
        alloc.close();
        assertThrows(IllegalStateException.class, () -> alloc.alloc(32));
        assertThrows(IllegalStateException.class, () -> alloc.dealloc(s));
        assertThrows(IllegalStateException.class, () -> alloc.verify());
    }

    // ---------------------------------------------------------------- bulk

    @Test
    void allocBulkIsContiguous() throws IOException {
        List<Slice> slices = alloc.allocBulk(32, 64, 32);
        assertEquals(List.of(32L, 64L, 32L), slices.stream().map(Slice::length).toList());
        assertEquals(slices.get(0).offset() + 32, slices.get(1).offset());
        assertEquals(slices.get(1).offset() + 64, slices.get(2).offset());
        for (Slice s : slices) {
            alloc.dealloc(s);
        }
        assertEquals(48, stackLength());
    }

    @Test
    void allocBulkGivesNullSlicesForZeroLengths() throws IOException {
        List<Slice> slices = alloc.allocBulk(0, 32, 0);
        assertTrue(slices.get(0).isNull());
        assertTrue(slices.get(2).isNull());
        assertEquals(32, slices.get(1).length());
        assertTrue(alloc.allocBulk(0, 0).stream().allMatch(Slice::isNull));
        assertEquals(List.of(), alloc.allocBulk());
    }

    @Test
    void allocBulkKeepsTheUnusedRemainderOfASplitBlockFree() throws IOException {
        Slice big = alloc.alloc(512);
        Slice anchor = alloc.alloc(32);
        alloc.dealloc(big);
        List<Slice> slices = alloc.allocBulk(40, 70);
        assertEquals(big.offset() + 512 - 160, slices.get(0).offset());
        AllocatorReport report = alloc.verify();
        assertTrue(report.structureValid(), report::toString);
        assertEquals(512 - 160, report.freeBytes(), "the pitfall: the remainder must not be lost");
        alloc.deallocBulk(slices);
        assertEquals(512, alloc.verify().freeBytes());
        alloc.dealloc(anchor);
        assertEquals(48, stackLength());
    }

    @Test
    void deallocBulkMergesAdjacentSlicesIntoOneTailDiscard() throws IOException {
        List<Slice> slices = alloc.allocBulk(64, 64, 64);
        alloc.deallocBulk(List.of(slices.get(2), slices.get(0), slices.get(1)));
        assertEquals(48, stackLength());
    }

    @Test
    void deallocBulkRejectsARepeatedSliceBeforeAnyChange() throws IOException {
        List<Slice> slices = alloc.allocBulk(64, 64);
        Slice anchor = alloc.alloc(32);
        assertThrows(IllegalArgumentException.class,
                () -> alloc.deallocBulk(List.of(slices.get(0), slices.get(1), slices.get(0))));
        assertEquals(0, alloc.verify().freeBytes());
        alloc.deallocBulk(List.of(slices.get(0), slices.get(1), alloc.alloc(0)));
        assertEquals(128, alloc.verify().freeBytes());
        alloc.dealloc(anchor);
    }

    // ---------------------------------------------------------------- reopen and open errors

    @Test
    void dataSurvivesReopen() throws IOException {
        Slice s = alloc.alloc(64);
        s.write(filled(64, 0xAB));
        reopen();
        assertArrayEquals(filled(64, 0xAB), alloc.slice(s.offset(), 64).read());
        assertClean();
    }

    @Test
    void openRejectsAPartialHeader() throws IOException {
        Path partial = dir.resolve("partial.stack");
        try (BStack stack = BStack.open(partial)) {
            stack.extend(4);
        }
        BStack stack = BStack.open(partial);
        CorruptedStoreException e = assertThrows(CorruptedStoreException.class, () -> GhostTreeAllocator.open(stack));
        assertTrue(e.getMessage().contains("4 bytes"), e.getMessage());
        stack.close();
    }

    @Test
    void openRejectsAForeignMagic() throws IOException {
        Path foreign = dir.resolve("foreign.stack");
        try (BStack stack = BStack.open(foreign)) {
            stack.extend(48);
            stack.set(32, "ALFF\0\1\1\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        BStack stack = BStack.open(foreign);
        assertThrows(CorruptedStoreException.class, () -> GhostTreeAllocator.open(stack));
        stack.close();
    }

    @Test
    void openPadsAForeignPartialBlockAtTheTail() throws IOException {
        alloc.alloc(32);
        alloc.stack().push(new byte[] {1, 2, 3});
        reopen();
        assertEquals(48 + 64, stackLength());
        assertClean();
        assertEquals(48 + 64, alloc.alloc(32).offset());
    }

    @Test
    void aReadOnlyStackCanBeVerifiedAndReadButNotChanged() throws IOException {
        Slice a = alloc.alloc(64);
        a.write(filled(64, 0x3C));
        Slice b = alloc.alloc(32);
        alloc.dealloc(a);
        alloc.close();
        try (GhostTreeAllocator readOnly = GhostTreeAllocator.open(BStack.openReadOnly(file))) {
            AllocatorReport report = readOnly.verify();
            assertTrue(report.structureValid(), report::toString);
            assertEquals(64, report.freeBytes());
            assertArrayEquals(new byte[32], readOnly.slice(b.offset(), 32).read());
            assertThrows(UnsupportedOperationException.class, () -> readOnly.alloc(10));
            assertThrows(UnsupportedOperationException.class,
                    () -> readOnly.dealloc(readOnly.slice(b.offset(), 32)));
            assertThrows(IllegalArgumentException.class, () -> readOnly.slice(a.offset(), 64));
        }
        alloc = GhostTreeAllocator.open(BStack.open(file));
    }

    @Test
    void userReservedBytesAreNeverTouched() throws IOException {
        alloc.stack().set(0, filled(32, 0x77));
        List<Slice> live = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            live.add(alloc.alloc(i * 13 + 1));
        }
        for (int i = 0; i < 20; i += 2) {
            alloc.dealloc(live.get(i));
        }
        reopen();
        assertArrayEquals(filled(32, 0x77), alloc.stack().get(0, 32));
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    void concurrentAllocAndDeallocNeverHandOutALiveBlockTwice() throws Exception {
        Set<Long> live = ConcurrentHashMap.newKeySet();
        runThreads(8, tid -> {
            for (int round = 0; round < 60; round++) {
                Slice s = alloc.alloc(32 + 32L * (round % 3));
                assertTrue(live.add(s.offset()), "duplicate live offset " + s.offset());
                s.write(filled((int) s.length(), tid));
                assertArrayEquals(filled((int) s.length(), tid), s.read());
                live.remove(s.offset());
                alloc.dealloc(s);
            }
        });
        assertClean();
        assertEquals(48, reopen().stack().length(), "all freed: everything merges and reaches the tail");
    }

    @Test
    void concurrentReallocHammersTheTailPaths() throws Exception {
        runThreads(6, tid -> {
            Slice s = alloc.alloc(32);
            s.write(filled(32, tid));
            for (int round = 0; round < 50; round++) {
                s = alloc.realloc(s, 96);
                assertArrayEquals(filled(32, tid), Arrays.copyOf(s.read(), 32), "after grow, thread " + tid);
                s = alloc.realloc(s, 32);
                assertArrayEquals(filled(32, tid), s.read(), "after shrink, thread " + tid);
            }
            alloc.dealloc(s);
        });
        assertClean();
    }

    @Test
    void concurrentBulkAllocAndDeallocNeverHandOutALiveBlockTwice() throws Exception {
        Set<Long> live = ConcurrentHashMap.newKeySet();
        runThreads(6, tid -> {
            for (int round = 0; round < 40; round++) {
                List<Slice> slices = alloc.allocBulk(32, 64, 32);
                for (Slice s : slices) {
                    assertTrue(live.add(s.offset()), "duplicate live offset " + s.offset());
                    s.write(filled((int) s.length(), tid));
                }
                for (Slice s : slices) {
                    assertArrayEquals(filled((int) s.length(), tid), s.read());
                    live.remove(s.offset());
                }
                alloc.deallocBulk(slices);
            }
        });
        assertClean();
    }

    private interface Worker {
        void run(int tid) throws Exception;
    }

    private static void runThreads(int threads, Worker worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int tid = t + 1;
                futures.add(pool.submit(() -> {
                    worker.run(tid);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
