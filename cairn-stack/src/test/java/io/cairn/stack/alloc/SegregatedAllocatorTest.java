package io.cairn.stack.alloc;

import static io.cairn.stack.alloc.AllocatorContract.filled;
import static io.cairn.stack.alloc.SegregatedLayout.ARENA_START;
import static io.cairn.stack.alloc.SegregatedLayout.IN_USE;
import static io.cairn.stack.alloc.SegregatedLayout.LISTS;
import static io.cairn.stack.alloc.SegregatedLayout.OVERSIZED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackOptions;
import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.Durability;
import io.cairn.stack.FormatVersionException;
import io.cairn.stack.ForwardingStorageFile;
import io.cairn.stack.ForwardingStorageIo;
import io.cairn.stack.StorageFile;
import io.cairn.stack.StorageIo;
import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The segregated-fit allocator's class scheme, layout, policy and recovery from hand-made images. */
class SegregatedAllocatorTest {
    private static final BStackOptions FAST = BStackOptions.defaults().withDurability(Durability.NONE);

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("sg.stack");
    }

    private SegregatedAllocator open() throws IOException {
        return SegregatedAllocator.open(BStack.open(file(), FAST));
    }

    /** Opens the file expecting a refusal; the stack is closed either way. */
    private CorruptedStoreException refusedOpen() throws IOException {
        try (BStack stack = BStack.open(file(), FAST)) {
            return assertThrows(CorruptedStoreException.class, () -> SegregatedAllocator.open(stack));
        }
    }

    private static long readLong(BStack stack, long offset) throws IOException {
        return ByteBuffer.wrap(stack.get(offset, offset + 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static byte[] le(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    private static long head(Allocator a, int list) throws IOException {
        return readLong(a.stack(), SegregatedLayout.headOffset(list));
    }

    private static long word(Allocator a, Slice s) throws IOException {
        return readLong(a.stack(), s.offset() - 8);
    }

    /** The 33 classes written out as the reference lists them. */
    private static List<Long> referenceClasses() {
        List<Long> classes = new ArrayList<>();
        for (long size = 16; size <= 256; size += 16) {
            classes.add(size);
        }
        for (long octave = 256; octave < 4096; octave *= 2) {
            for (long step = 1; step <= 4; step++) {
                classes.add(octave + step * octave / 4);
            }
        }
        return classes;
    }

    @Test
    void classSchemeIsTheReferences() {
        List<Long> classes = referenceClasses();
        assertEquals(32, classes.size());
        assertEquals(LISTS - 1, classes.size());
        assertEquals(OVERSIZED, classes.size());
        assertEquals(304, ARENA_START);
        for (int list = 0; list < OVERSIZED; list++) {
            assertEquals(classes.get(list), SegregatedLayout.classSize(list), "class size of list " + list);
        }
        for (long need = 16; need <= 4096; need += 16) {
            long expected = need;
            for (long c : classes) {
                if (c >= need) {
                    expected = c;
                    break;
                }
            }
            assertEquals(expected, SegregatedLayout.classBlock(need), "class block for need " + need);
        }
        assertEquals(4112, SegregatedLayout.classBlock(4112), "oversized needs are taken exactly");
        for (long size = 16; size <= 8192; size += 16) {
            int expected = OVERSIZED;
            if (size <= 4096) {
                expected = 0;
                for (int i = 0; i < classes.size(); i++) {
                    if (classes.get(i) <= size) {
                        expected = i;
                    }
                }
            }
            assertEquals(expected, SegregatedLayout.listOf(size), "list of a free block of " + size);
        }
        assertEquals(16, SegregatedLayout.need(0));
        assertEquals(16, SegregatedLayout.need(8));
        assertEquals(32, SegregatedLayout.need(9));
        assertEquals(Long.MAX_VALUE & -16, SegregatedLayout.need(SegregatedLayout.MAX_REQUEST));
    }

    @Test
    void freshHeaderAndFirstBlockAreLaidOutAsTheReferenceWritesThem() throws IOException {
        try (SegregatedAllocator a = open()) {
            byte[] expected = new byte[304];
            System.arraycopy("ALSG\0\2\2\0".getBytes(StandardCharsets.ISO_8859_1), 0, expected, 24, 8);
            assertArrayEquals(expected, a.stack().get(0, 304));
            Slice s = a.alloc(10);
            assertEquals(304 + 8, s.offset());
            assertEquals(IN_USE | 32 >> 4, word(a, s), "need roundUp(10 + 8, 16) = 32");
            assertEquals(304 + 32, a.stack().length());
            Slice big = a.alloc(5000);
            assertEquals(IN_USE | 5008 >> 4, word(a, big), "oversized blocks are the need exactly");
        }
    }

    @Test
    void aFreedBlockHeadsItsClassListAndIsReusedFirst() throws IOException {
        try (SegregatedAllocator a = open()) {
            Slice first = a.alloc(100);
            Slice second = a.alloc(100);
            a.alloc(1);
            int list = SegregatedLayout.listOf(112);
            a.dealloc(first);
            a.dealloc(second);
            assertEquals(second.offset() - 8, head(a, list));
            assertEquals(112 >> 4, word(a, second), "free word: size, in-use bit clear");
            assertEquals(first.offset() - 8, readLong(a.stack(), second.offset()), "next free");
            long length = a.stack().length();
            Slice again = a.alloc(97);
            assertEquals(second.offset(), again.offset(), "the head is reused first");
            assertEquals(first.offset() - 8, head(a, list));
            assertArrayEquals(new byte[97], again.read());
            assertEquals(length, a.stack().length());
            assertThrows(IllegalArgumentException.class, () -> a.dealloc(first), "double free");
            assertTrue(a.verify().isClean(), a.verify()::toString);
        }
    }

    @Test
    void requestsOfOneClassShareItsListWhateverTheirLength() throws IOException {
        try (SegregatedAllocator a = open()) {
            Slice s = a.alloc(300); // need 320
            a.alloc(1);
            a.dealloc(s);
            Slice t = a.alloc(312); // need 320 as well
            assertEquals(s.offset(), t.offset());
            Slice u = a.alloc(313); // need 336: class 384
            assertEquals(IN_USE | 384 >> 4, word(a, u));
        }
    }

    @Test
    void freeingTheTailBlockShrinksTheStack() throws IOException {
        try (SegregatedAllocator a = open()) {
            a.alloc(40);
            long length = a.stack().length();
            Slice tail = a.alloc(5000);
            a.dealloc(tail);
            assertEquals(length, a.stack().length());
            for (int list = 0; list < LISTS; list++) {
                assertEquals(0, head(a, list));
            }
        }
    }

    @Test
    void anOversizedHeadIsSplitWhenItsExcessReachesOneMaxClass() throws IOException {
        try (SegregatedAllocator a = open()) {
            Slice big = a.alloc(20000); // block 20016
            a.alloc(1);
            a.dealloc(big);
            assertEquals(big.offset() - 8, head(a, OVERSIZED));
            Slice small = a.alloc(5000); // block 5008, excess 15008
            assertEquals(big.offset(), small.offset());
            assertEquals(IN_USE | 5008 >> 4, word(a, small));
            long rest = small.offset() - 8 + 5008;
            assertEquals(rest, head(a, OVERSIZED));
            assertEquals(15008 >> 4, readLong(a.stack(), rest));
            assertArrayEquals(new byte[5000], small.read());
            Slice tooBig = a.alloc(16000);
            assertTrue(tooBig.offset() > rest, "a head smaller than the need is not searched past");
            Slice keeps = a.alloc(12000); // 12016 of 15008: excess 2992 is kept in the block
            assertEquals(rest + 8, keeps.offset());
            assertEquals(IN_USE | 15008 >> 4, word(a, keeps));
            assertTrue(a.verify().isClean(), a.verify()::toString);
        }
    }

    @Test
    void shrinksKeepSmallExcessAndSplitOffLargeExcess() throws IOException {
        try (SegregatedAllocator a = open()) {
            Slice middle = a.alloc(9000); // block 9008
            middle.write(filled(9000, 7));
            Slice tail = a.alloc(9000);
            long length = a.stack().length();

            Slice kept = a.realloc(middle, 6000); // 6016: excess 2992 kept
            assertEquals(middle.offset(), kept.offset());
            assertEquals(IN_USE | 9008 >> 4, word(a, kept));

            Slice split = a.realloc(kept, 100); // 112: excess 8896 split off onto the oversized list
            assertEquals(IN_USE | 112 >> 4, word(a, split));
            assertArrayEquals(filled(100, 7), split.read());
            long rest = split.offset() - 8 + 112;
            assertEquals(rest, head(a, OVERSIZED));
            assertEquals(8896 >> 4, readLong(a.stack(), rest));
            assertEquals(length, a.stack().length());

            Slice tailShrunk = a.realloc(tail, 10); // 32: the rest is discarded
            assertEquals(tail.offset(), tailShrunk.offset());
            assertEquals(tail.offset() - 8 + 32, a.stack().length());
            Slice regrown = a.realloc(split, 200);
            assertArrayEquals(filled(100, 7), Arrays.copyOf(regrown.read(), 100));
            assertArrayEquals(new byte[100], Arrays.copyOfRange(regrown.read(), 100, 200),
                    "grown bytes read as zeros even where the block kept old bytes");
            assertTrue(a.verify().isClean(), a.verify()::toString);
        }
    }

    @Test
    void theTailBlockGrowsInPlaceAndOthersMove() throws IOException {
        try (SegregatedAllocator a = open()) {
            Slice middle = a.alloc(50);
            middle.write(filled(50, 1));
            Slice tail = a.alloc(50);
            tail.write(filled(50, 2));
            Slice grown = a.realloc(tail, 7000);
            assertEquals(tail.offset(), grown.offset());
            assertEquals(IN_USE | 7008 >> 4, word(a, grown));
            assertEquals(grown.offset() - 8 + 7008, a.stack().length());
            Slice moved = a.realloc(middle, 3000);
            assertTrue(moved.offset() > grown.offset(), "a grown middle block moves");
            assertArrayEquals(filled(50, 1), Arrays.copyOf(moved.read(), 50));
            assertEquals(64 >> 4, readLong(a.stack(), middle.offset() - 8), "the old block is free");
            assertTrue(a.verify().isClean(), a.verify()::toString);
        }
    }

    @Test
    void allocAndFreeCostTheSameFileCallsWhateverTheNumberOfFreeBlocks() throws IOException {
        CountingIo io = new CountingIo();
        try (SegregatedAllocator a = SegregatedAllocator.open(BStack.open(file(), FAST.withIo(io)))) {
            Slice probe = a.alloc(1500);
            List<Slice> all = new ArrayList<>();
            for (int i = 0; i < 6000; i++) {
                all.add(a.alloc(1 + (i * 37) % 4000));
            }
            long[] costs = new long[2];
            for (int round = 0; round < 2; round++) {
                // Round 0 frees a few blocks, round 1 thousands; the probe's free and alloc cost the same.
                int stride = round == 0 ? 1000 : 2;
                for (int i = round; i < all.size() - 1; i += stride) {
                    a.dealloc(all.set(i, null));
                }
                long calls = io.calls.get();
                a.dealloc(probe);
                probe = a.alloc(1500);
                costs[round] = io.calls.get() - calls;
            }
            assertEquals(costs[0], costs[1], "file calls of dealloc + alloc with few and with thousands free");
            assertTrue(costs[0] <= 12, "file calls of dealloc + alloc: " + costs[0]);
        }
    }

    // ---------------------------------------------------------------- recovery

    @Test
    void aCleanReopenWritesNothing() throws IOException {
        try (SegregatedAllocator a = open()) {
            List<Slice> all = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                all.add(a.alloc(1 + i * 91));
            }
            for (int i = 0; i < 50; i += 3) {
                a.dealloc(all.get(i));
            }
        }
        byte[] before = Files.readAllBytes(file());
        FaultyStorageIo io = new FaultyStorageIo();
        try (SegregatedAllocator a = SegregatedAllocator.open(BStack.open(file(), FAST.withIo(io)))) {
            assertTrue(a.verify().isClean(), a.verify()::toString);
            assertEquals(0, io.writes());
        }
        assertArrayEquals(before, Files.readAllBytes(file()));
    }

    @Test
    void recoveryTruncatesATornZeroTail() throws IOException {
        long length;
        try (SegregatedAllocator a = open()) {
            a.alloc(100).write(filled(100, 9));
            length = a.stack().length();
            a.stack().extend(4096); // what a crash between the extend and the word of a large append leaves
        }
        try (SegregatedAllocator a = SegregatedAllocator.open(BStack.openReadOnly(file()))) {
            AllocatorReport report = a.verify();
            assertTrue(report.structureValid(), report::toString);
            assertEquals(4096, report.unaccounted().getAsLong(), report::toString);
        }
        try (SegregatedAllocator a = open()) {
            assertEquals(length, a.stack().length());
            assertArrayEquals(filled(100, 9), a.slice(ARENA_START + 8, 100).read());
            assertTrue(a.verify().isClean(), a.verify()::toString);
        }
    }

    @Test
    void recoveryRelinksAFreeBlockNoListReaches() throws IOException {
        Slice lost;
        try (SegregatedAllocator a = open()) {
            lost = a.alloc(200); // block 208
            a.alloc(1);
            // A crash between a free's word and its head write: free word, list untouched.
            a.stack().set(lost.offset() - 8, le(208 >> 4));
        }
        try (SegregatedAllocator a = SegregatedAllocator.open(BStack.openReadOnly(file()))) {
            AllocatorReport report = a.verify();
            assertTrue(report.structureValid(), report::toString);
            assertEquals(208, report.unaccounted().getAsLong());
        }
        try (SegregatedAllocator a = open()) {
            assertEquals(lost.offset() - 8, head(a, SegregatedLayout.listOf(208)));
            assertEquals(0, readLong(a.stack(), lost.offset()), "relinked as the list's only block");
            assertTrue(a.verify().isClean(), a.verify()::toString);
            assertEquals(lost.offset(), a.alloc(200).offset());
        }
    }

    @Test
    void recoveryCutsAListAtAnEntryThatIsNotAFreeBlockOfIt() throws IOException {
        long live;
        long second;
        int list = SegregatedLayout.listOf(64);
        try (SegregatedAllocator a = open()) {
            Slice x = a.alloc(50);
            Slice y = a.alloc(50);
            Slice z = a.alloc(50);
            a.alloc(1);
            a.dealloc(x);
            a.dealloc(z);
            live = y.offset() - 8;
            second = x.offset() - 8;
            // The head block links to a live block instead of x (a torn pop, or damage): x is unreachable.
            a.stack().set(z.offset(), le(live));
        }
        try (SegregatedAllocator a = SegregatedAllocator.open(BStack.openReadOnly(file()))) {
            AllocatorReport report = a.verify();
            assertFalse(report.structureValid(), report::toString);
            assertTrue(report.problems().getFirst().contains("reaches " + live), report::toString);
        }
        try (SegregatedAllocator a = open()) {
            assertTrue(a.verify().isClean(), a.verify()::toString);
            assertEquals(second, head(a, list), "the unreached block is pushed onto the list");
            Slice first = a.alloc(50);
            Slice then = a.alloc(50);
            assertEquals(second + 8, first.offset());
            assertTrue(then.offset() != live + 8, "the live block is never handed out");
        }
    }

    @Test
    void recoveryCutsACycle() throws IOException {
        try (SegregatedAllocator a = open()) {
            Slice x = a.alloc(50);
            Slice y = a.alloc(50);
            a.alloc(1);
            a.dealloc(x);
            a.dealloc(y); // list: y -> x
            a.stack().set(x.offset(), le(y.offset() - 8)); // x -> y: a cycle
        }
        try (SegregatedAllocator a = open()) {
            assertTrue(a.verify().isClean(), a.verify()::toString);
            Slice first = a.alloc(50);
            Slice second = a.alloc(50);
            Slice third = a.alloc(50);
            assertTrue(first.offset() != second.offset() && third.offset() > second.offset(),
                    first + " " + second + " " + third);
        }
    }

    @Test
    void aWordThatCannotStartABlockIsCorruptionAndOpenWritesNothing() throws IOException {
        try (SegregatedAllocator a = open()) {
            Slice x = a.alloc(50);
            a.alloc(50);
            a.stack().extend(4096); // a torn tail that recovery would truncate...
            a.stack().set(x.offset() - 8, le(IN_USE | 1L << 40)); // ...behind an impossible word
        }
        byte[] before = Files.readAllBytes(file());
        CorruptedStoreException e = refusedOpen();
        assertEquals(304, e.offset(), e.getMessage());
        assertEquals("0x" + Long.toHexString(IN_USE | 1L << 40), e.found());
        assertArrayEquals(before, Files.readAllBytes(file()), "a refused open leaves the file as it was");
    }

    @Test
    void aZeroWordBeforeNonZeroBytesIsCorruption() throws IOException {
        try (SegregatedAllocator a = open()) {
            Slice x = a.alloc(50);
            a.alloc(50).write(filled(50, 3));
            a.stack().set(x.offset() - 8, new byte[8]);
        }
        byte[] before = Files.readAllBytes(file());
        refusedOpen();
        assertArrayEquals(before, Files.readAllBytes(file()));
    }

    @Test
    void openRefusesOtherFormatsAndVersions() throws IOException {
        try (BStack stack = BStack.open(file(), FAST)) {
            byte[] header = SegregatedLayout.freshHeader();
            header[24 + 5] = 1; // minor 1 recorded the caller's length, not the block size
            stack.push(header);
            FormatVersionException e = assertThrows(FormatVersionException.class,
                    () -> SegregatedAllocator.open(stack));
            assertEquals(List.of("0.2.x"), e.supported());
        }
        Files.delete(file());
        try (BStack stack = BStack.open(file(), FAST)) {
            stack.push(new byte[100]);
        }
        refusedOpen();
        Files.delete(file());
        try (BStack stack = BStack.open(file(), FAST)) {
            stack.push(SegregatedLayout.freshHeader());
            stack.push(new byte[24]);
        }
        CorruptedStoreException e = refusedOpen();
        assertEquals("a multiple of 16 bytes", e.expected(), e.getMessage());
    }

    @Test
    void oversizedRequestsAreRejectedNamingTheArgument() throws IOException {
        try (SegregatedAllocator a = open()) {
            Slice s = a.alloc(10);
            long length = a.stack().length();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> a.alloc(Long.MAX_VALUE));
            assertTrue(e.getMessage().startsWith("length " + Long.MAX_VALUE), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> a.realloc(s, Long.MAX_VALUE - 20));
            assertTrue(e.getMessage().startsWith("newLength"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> a.alloc(SegregatedLayout.MAX_REQUEST));
            assertEquals(length, a.stack().length());
        }
    }

    /** The production I/O seam, counting every file call. */
    private static final class CountingIo extends ForwardingStorageIo {
        final AtomicLong calls = new AtomicLong();

        CountingIo() {
            super(StorageIo.fileSystem());
        }

        @Override
        protected StorageFile wrap(StorageFile file) {
            return new ForwardingStorageFile(file) {
                @Override
                public void read(long position, ByteBuffer dst) throws IOException {
                    calls.incrementAndGet();
                    super.read(position, dst);
                }

                @Override
                public void write(long position, ByteBuffer src) throws IOException {
                    calls.incrementAndGet();
                    super.write(position, src);
                }
            };
        }
    }
}
