package io.cairn.stack.alloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackOptions;
import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.Durability;
import io.cairn.stack.FormatVersionException;
import io.cairn.stack.StackFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The suite every allocator must pass, parameterised by an {@link AllocatorFactory}: extend it and return the
 * factory. It runs the model fuzz, the fault-injection driver, the SIGKILL driver, the concurrency stress, the
 * handle contract and a corrupted-image fuzz. The three drivers run in a stack of each {@link StackFormat}: an
 * allocator's offsets are payload offsets, so it must work the same in both; what differs is beneath it (a 0.4
 * stack journals a write that crosses a 256-byte block, a failed 0.2 write is rolled back in memory).
 */
abstract class AllocatorContract {
    @TempDir
    Path dir;

    /** The allocator kind under test. */
    abstract AllocatorFactory factory();

    private Allocator create(Path file, Durability durability) throws IOException {
        return factory().create(BStack.open(file, BStackOptions.defaults().withDurability(durability)));
    }

    private Allocator reopen(Allocator old) throws IOException {
        Path file = old.stack().path();
        old.close();
        return factory().open(BStack.open(file));
    }

    // ---------------------------------------------------------------- drivers

    @ParameterizedTest
    @EnumSource(StackFormat.class)
    void modelFuzzKeepsEveryAllocationIntactAcrossReopens(StackFormat format) throws IOException {
        String fixed = System.getProperty("cairn.alloc.fuzz.seed");
        long[] seeds = fixed != null ? new long[] {Long.parseLong(fixed)} : new long[] {1, new Random().nextLong()};
        for (long seed : seeds) {
            new AllocatorModelFuzz(factory(), dir.resolve("fuzz-" + seed + ".stack"), format, seed).run(1000);
        }
    }

    @ParameterizedTest
    @EnumSource(StackFormat.class)
    void faultInjectionLeavesAtMostALeak(StackFormat format) throws IOException {
        int runs = new AllocatorFaultDriver(factory(), dir, format).runAll();
        assertTrue(runs > 60, "fault runs: " + runs);
    }

    @ParameterizedTest
    @EnumSource(StackFormat.class)
    void sigkillKeepsEveryAcknowledgedAllocation(StackFormat format) throws Exception {
        long seed = new Random().nextLong();
        int acks = new AllocatorKillDriver(factory(), dir.resolve("kill.stack"), format, seed).run(2);
        assertTrue(acks > 0, "acknowledgements: " + acks);
    }

    /**
     * The long run ({@code -Psoak}): {@code cairn.alloc.soak.seeds} fuzz seeds (default 40) of
     * {@code cairn.alloc.soak.operations} operations (default 5,000) and {@code cairn.alloc.soak.kills} SIGKILL
     * rounds (default 20).
     */
    @Test
    @Tag("soak")
    void soakFuzzAndKillRounds() throws Exception {
        long seeds = Long.getLong("cairn.alloc.soak.seeds", 40);
        int operations = Integer.getInteger("cairn.alloc.soak.operations", 5000);
        long base = new Random().nextLong();
        for (long i = 0; i < seeds; i++) {
            StackFormat format = StackFormat.values()[(int) (i % StackFormat.values().length)];
            new AllocatorModelFuzz(factory(), dir.resolve("soak-" + i + ".stack"), format, base + i).run(operations);
        }
        new AllocatorKillDriver(factory(), dir.resolve("soak-kill.stack"), StackFormat.V0_4, base)
                .run(Integer.getInteger("cairn.alloc.soak.kills", 20));
    }

    @Test
    void concurrentAllocDeallocNeverSharesALiveRegion() throws Exception {
        try (Allocator allocator = create(dir.resolve("threads.stack"), Durability.NONE)) {
            Set<Long> liveOffsets = ConcurrentHashMap.newKeySet();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int tid = t;
                done.add(pool.submit(() -> {
                    Random random = new Random(tid);
                    for (int round = 0; round < 150; round++) {
                        int length = 1 + random.nextInt(200);
                        Slice s = allocator.alloc(length);
                        assertTrue(liveOffsets.add(s.offset()), "duplicate live offset " + s.offset());
                        byte[] mine = new byte[length];
                        Arrays.fill(mine, (byte) (tid + 1));
                        s.write(mine);
                        assertArrayEquals(mine, s.read(), "thread " + tid + " data at " + s);
                        liveOffsets.remove(s.offset());
                        allocator.dealloc(s);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            AllocatorReport report = allocator.verify();
            assertTrue(report.structureValid(), report::toString);
        }
    }

    @Test
    void concurrentReallocAtTheTailKeepsData() throws Exception {
        try (Allocator allocator = create(dir.resolve("tail.stack"), Durability.NONE)) {
            ExecutorService pool = Executors.newFixedThreadPool(6);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                int tid = t;
                done.add(pool.submit(() -> {
                    byte[] mine = new byte[12];
                    Arrays.fill(mine, (byte) (tid + 1));
                    Slice s = allocator.alloc(12);
                    s.write(mine);
                    for (int round = 0; round < 100; round++) {
                        s = resize(allocator, s, 33 + round % 50);
                        assertArrayEquals(mine, Arrays.copyOf(s.read(), 12), "after grow, thread " + tid);
                        s = resize(allocator, s, 12);
                        assertArrayEquals(mine, Arrays.copyOf(s.read(), 12), "after shrink, thread " + tid);
                    }
                    allocator.dealloc(s);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            AllocatorReport report = allocator.verify();
            assertTrue(report.structureValid(), report::toString);
        }
    }

    private Slice resize(Allocator allocator, Slice s, long length) throws IOException {
        try {
            return allocator.realloc(s, length);
        } catch (UnsupportedOperationException e) {
            assertTrue(factory().reallocatesOnlyTail(), "only a tail-only allocator may refuse: " + e);
            return s;
        }
    }

    @Test
    void corruptedImagesNeverHangOrReturnGarbageErrors() throws IOException {
        Path image = dir.resolve("image.stack");
        try (Allocator allocator = create(image, Durability.NONE)) {
            Random random = new Random(7);
            List<Slice> live = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                live.add(allocator.alloc(1 + random.nextInt(300)));
            }
            for (int i = 0; i < 40; i += 3) {
                allocator.dealloc(live.get(i));
            }
        }
        long size = Files.size(image);
        Random random = new Random(11);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int iteration = 0; iteration < 80; iteration++) {
                Path copy = dir.resolve("corrupt-" + iteration + ".stack");
                Files.copy(image, copy, StandardCopyOption.REPLACE_EXISTING);
                byte[] bytes = Files.readAllBytes(copy);
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    int at = 16 + random.nextInt((int) Math.min(size - 16, 160 + random.nextInt((int) size)));
                    bytes[at] = (byte) random.nextInt(256);
                }
                Files.write(copy, bytes);
                exerciseCorrupted(copy, iteration);
                Files.delete(copy);
            }
        });
    }

    /**
     * Opens and uses a damaged image: success, {@link CorruptedStoreException}, or (a flipped version byte)
     * {@link FormatVersionException} only.
     */
    private void exerciseCorrupted(Path copy, int iteration) throws IOException {
        try (Allocator allocator = factory().open(BStack.open(copy,
                BStackOptions.defaults().withDurability(Durability.NONE)))) {
            allocator.verify();
            List<Slice> fresh = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                fresh.add(allocator.alloc(1 + (i * 37) % 400));
            }
            for (Slice s : fresh) {
                allocator.dealloc(s);
            }
            allocator.verify();
        } catch (CorruptedStoreException | FormatVersionException expected) {
            assertNotNull(expected.getMessage(), "iteration " + iteration);
        }
    }

    // ---------------------------------------------------------------- the handle contract

    @Test
    void allocReturnsZeroedMemoryEvenWhenReusingABlock() throws IOException {
        try (Allocator allocator = create(dir.resolve("zero.stack"), Durability.NONE)) {
            Slice first = allocator.alloc(100);
            Slice keep = allocator.alloc(8);
            first.write(filled(100, 0x5A));
            allocator.dealloc(first);
            Slice again = allocator.alloc(100);
            assertArrayEquals(new byte[100], again.read());
            assertArrayEquals(new byte[8], keep.read());
        }
    }

    @Test
    void allocOfZeroIsTheNullSliceAndFreeingItDoesNothing() throws IOException {
        try (Allocator allocator = create(dir.resolve("null.stack"), Durability.NONE)) {
            long length = allocator.stack().length();
            Slice none = allocator.alloc(0);
            assertTrue(none.isNull());
            assertEquals(0, none.offset());
            allocator.dealloc(none);
            assertEquals(length, allocator.stack().length());
            Slice grown = allocator.realloc(none, 10);
            assertEquals(10, grown.length());
            assertArrayEquals(new byte[10], grown.read());
            assertTrue(allocator.realloc(grown, 0).isNull());
        }
    }

    @Test
    void handleOfAnotherInstanceIsRejectedBeforeAnyChange() throws IOException {
        try (Allocator a = create(dir.resolve("a.stack"), Durability.NONE);
                Allocator b = create(dir.resolve("b.stack"), Durability.NONE)) {
            Slice fromA = a.alloc(40);
            b.alloc(40);
            long length = b.stack().length();
            assertThrows(IllegalArgumentException.class, () -> b.dealloc(fromA));
            assertThrows(IllegalArgumentException.class, () -> b.realloc(fromA, 80));
            assertEquals(length, b.stack().length());
        }
    }

    @Test
    void subsliceViewIsForIoOnly() throws IOException {
        try (Allocator allocator = create(dir.resolve("view.stack"), Durability.NONE)) {
            Slice s = allocator.alloc(64);
            Slice view = s.subslice(8, 24);
            view.write(filled(16, 7));
            assertArrayEquals(filled(16, 7), s.subslice(8, 24).read());
            assertEquals(s, s.subslice(0, 64));
            assertThrows(IllegalArgumentException.class, () -> allocator.dealloc(view));
            assertThrows(IllegalArgumentException.class, () -> allocator.realloc(view, 4));
            assertThrows(IndexOutOfBoundsException.class, () -> s.subslice(10, 65));
        }
    }

    @Test
    void rebuiltHandleAfterReopenReadsReallocsAndFrees() throws IOException {
        Allocator allocator = create(dir.resolve("rebuild.stack"), Durability.SYNC);
        Slice a = allocator.alloc(50);
        Slice b = allocator.alloc(70);
        a.write(filled(50, 1));
        b.write(filled(70, 2));
        byte[] savedA = a.toBytes();
        long bOffset = b.offset();
        allocator = reopen(allocator);
        Slice a2 = allocator.slice(savedA);
        Slice b2 = allocator.slice(bOffset, 70);
        assertArrayEquals(filled(50, 1), a2.read());
        assertArrayEquals(filled(70, 2), b2.read());
        Slice grown = allocator.realloc(b2, 90);
        assertArrayEquals(filled(70, 2), Arrays.copyOf(grown.read(), 70));
        allocator.dealloc(a2);
        allocator.dealloc(grown);
        assertTrue(allocator.verify().isClean(), allocator.verify()::toString);
        allocator.close();
    }

    @Test
    void sliceOutsideTheStackIsRejected() throws IOException {
        try (Allocator allocator = create(dir.resolve("outside.stack"), Durability.NONE)) {
            allocator.alloc(30);
            long end = allocator.stack().length();
            assertThrows(IllegalArgumentException.class, () -> allocator.slice(end + 64, 10));
            assertThrows(IllegalArgumentException.class, () -> allocator.slice(-8, 10));
            assertTrue(allocator.slice(0, 0).isNull());
        }
    }

    @Test
    void slicesWhoseEndOverflowsAreRejectedAsArgumentsAndChangeNothing() throws IOException {
        try (Allocator allocator = create(dir.resolve("overflow.stack"), Durability.NONE)) {
            Slice s = allocator.alloc(30);
            s.write(filled(30, 5));
            byte[] before = allocator.stack().get(0, allocator.stack().length());
            long[][] bounds = {{Long.MAX_VALUE - 4, 10}, {s.offset(), Long.MAX_VALUE}, {Long.MAX_VALUE, Long.MAX_VALUE},
                {s.offset(), Long.MAX_VALUE - s.offset() + 1}};
            for (long[] b : bounds) {
                assertThrows(IllegalArgumentException.class, () -> allocator.slice(b[0], b[1]),
                        "slice(" + b[0] + ", " + b[1] + ")");
            }
            assertArrayEquals(before, allocator.stack().get(0, allocator.stack().length()));
            assertTrue(allocator.verify().structureValid(), allocator.verify()::toString);
        }
    }

    @Test
    void doubleFreeIsRejectedWhereTheStructureShowsIt() throws IOException {
        try (Allocator allocator = create(dir.resolve("double.stack"), Durability.NONE)) {
            Slice s = allocator.alloc(40);
            allocator.alloc(40);
            allocator.dealloc(s);
            if (factory().detectsDoubleFree()) {
                assertThrows(IllegalArgumentException.class, () -> allocator.dealloc(s));
                assertTrue(allocator.verify().structureValid());
            }
        }
    }

    @Test
    void negativeLengthsAreRejected() throws IOException {
        try (Allocator allocator = create(dir.resolve("negative.stack"), Durability.NONE)) {
            Slice s = allocator.alloc(10);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> allocator.alloc(-1));
            assertTrue(e.getMessage().contains("length") && e.getMessage().contains("-1"), e.getMessage());
            s.write(filled(10, 3));
            long length = allocator.stack().length();
            e = assertThrows(IllegalArgumentException.class, () -> allocator.realloc(s, -5));
            assertTrue(e.getMessage().contains("newLength") && e.getMessage().contains("-5"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> allocator.realloc(allocator.alloc(0), -5));
            assertTrue(e.getMessage().contains("newLength"), e.getMessage());
            assertEquals(length, allocator.stack().length());
            assertArrayEquals(filled(10, 3), s.read());
            assertThrows(NullPointerException.class, () -> allocator.realloc(null, 5));
            assertThrows(NullPointerException.class, () -> allocator.dealloc(null));
        }
    }

    @Test
    void lengthsNoStackCanHoldAreRejectedAsArgumentsBeforeAnyChange() throws IOException {
        try (Allocator allocator = create(dir.resolve("oversized.stack"), Durability.NONE)) {
            Slice s = allocator.alloc(10);
            s.write(filled(10, 6));
            long length = allocator.stack().length();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> allocator.alloc(Long.MAX_VALUE));
            assertTrue(e.getMessage().contains("length") && e.getMessage().contains("" + Long.MAX_VALUE),
                    e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> allocator.realloc(s, Long.MAX_VALUE));
            assertTrue(e.getMessage().contains("" + Long.MAX_VALUE), e.getMessage());
            if (allocator instanceof BulkAllocator bulk) {
                e = assertThrows(IllegalArgumentException.class,
                        () -> bulk.allocBulk(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2 + 10));
                assertTrue(e.getMessage().contains("lengths"), e.getMessage());
            }
            assertEquals(length, allocator.stack().length());
            assertArrayEquals(filled(10, 6), s.read());
            assertTrue(allocator.verify().structureValid(), allocator.verify()::toString);
        }
    }

    @Test
    void reallocToZeroFreesTheAllocation() throws IOException {
        try (Allocator allocator = create(dir.resolve("realloc-zero.stack"), Durability.NONE)) {
            Slice keep = allocator.alloc(40);
            keep.write(filled(40, 4));
            Slice s = allocator.alloc(40);
            long length = allocator.stack().length();
            long free = allocator.verify().freeBytes();
            assertTrue(allocator.realloc(s, 0).isNull());
            assertTrue(allocator.stack().length() < length || allocator.verify().freeBytes() > free,
                    "realloc to 0 released nothing: " + allocator.verify());
            if (factory().detectsDoubleFree()) {
                assertThrows(IllegalArgumentException.class, () -> allocator.dealloc(s));
            }
            assertTrue(allocator.verify().structureValid(), allocator.verify()::toString);
            assertArrayEquals(filled(40, 4), keep.read());
        }
    }

    @Test
    void closedAllocatorRejectsEveryCallAndCloseIsIdempotent() throws IOException {
        Allocator allocator = create(dir.resolve("closed.stack"), Durability.NONE);
        Slice s = allocator.alloc(10);
        allocator.close();
        allocator.close();
        assertThrows(IllegalStateException.class, () -> allocator.alloc(0));
        assertThrows(IllegalStateException.class, () -> allocator.alloc(10));
        assertThrows(IllegalStateException.class, () -> allocator.alloc(-1), "closed is checked first");
        assertThrows(IllegalStateException.class, () -> allocator.realloc(s, 20));
        assertThrows(IllegalStateException.class, () -> allocator.realloc(s, 0));
        assertThrows(IllegalStateException.class, () -> allocator.dealloc(s));
        assertThrows(IllegalStateException.class, allocator::verify);
        assertThrows(IllegalStateException.class, s::read);
    }

    @Test
    void publicMethodsAreBridgedIntoThePublicClassForReflection() throws Exception {
        try (Allocator allocator = create(dir.resolve("reflect.stack"), Durability.NONE)) {
            Class<?> type = allocator.getClass();
            Method alloc = type.getMethod("alloc", long.class);
            for (Method m : List.of(alloc, type.getMethod("realloc", Slice.class, long.class),
                    type.getMethod("dealloc", Slice.class), type.getMethod("stack"))) {
                assertEquals(type, m.getDeclaringClass(), m + ": other packages could not call it reflectively");
            }
            assertEquals(8, ((Slice) alloc.invoke(allocator, 8L)).length());
        }
    }

    @Test
    void slicesReadAndWriteThroughRangesAndStreams() throws IOException {
        try (Allocator allocator = create(dir.resolve("io.stack"), Durability.NONE)) {
            Slice s = allocator.alloc(32);
            assertEquals(32, s.end() - s.offset());
            assertEquals(5, s.write(new byte[] {1, 2, 3, 4, 5}));
            assertEquals(32, s.write(new byte[40]), "a whole-slice write truncates silently");
            s.writeRange(30, new byte[] {9, 9});
            assertThrows(IndexOutOfBoundsException.class, () -> s.writeRange(31, new byte[] {1, 2}));
            byte[] two = new byte[2];
            s.readRange(30, two);
            assertArrayEquals(new byte[] {9, 9}, two);
            s.zeroRange(30, 2);
            s.readRange(30, two);
            assertArrayEquals(new byte[2], two);
            assertThrows(IndexOutOfBoundsException.class, () -> s.zeroRange(20, 13));
            try (OutputStream out = s.newOutputStream()) {
                out.write(filled(32, 3));
                assertThrows(IOException.class, () -> out.write(1));
            }
            try (InputStream in = s.newInputStream()) {
                assertArrayEquals(filled(32, 3), in.readAllBytes());
            }
            byte[] wide = new byte[40];
            assertEquals(32, s.readInto(wide));
            s.zero();
            assertArrayEquals(new byte[32], s.read());
            byte[] bytes = s.toBytes();
            assertEquals(16, bytes.length);
            assertEquals(s, allocator.slice(bytes));
            assertFalse(s.isNull());
        }
    }

    static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
