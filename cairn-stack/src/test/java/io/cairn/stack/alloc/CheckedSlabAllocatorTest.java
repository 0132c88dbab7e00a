package io.cairn.stack.alloc;

import static io.cairn.stack.alloc.AllocatorContract.filled;
import static io.cairn.stack.alloc.CorruptionFields.assertCorruption;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.BStack;
import io.cairn.stack.CorruptedStoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checked slab: its format, double-free detection, and the recovery scan on open. */
class CheckedSlabAllocatorTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("checked.stack");
    }

    private CheckedSlabAllocator fresh() throws IOException {
        return CheckedSlabAllocator.create(BStack.open(file()), 64);
    }

    private CheckedSlabAllocator reopen() throws IOException {
        return CheckedSlabAllocator.open(BStack.open(file()));
    }

    private static byte[] le(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    @Test
    void createWritesAChecksummedHeader() throws IOException {
        try (CheckedSlabAllocator slab = fresh()) {
            assertEquals(CheckedSlabFormat.ARENA_START, slab.stack().length());
            assertArrayEquals("ALCK\0\1\0\0".getBytes(StandardCharsets.ISO_8859_1), slab.stack().get(24, 32));
        }
    }

    @Test
    void createRejectsTinyBlocksAndNonEmptyStacks() throws IOException {
        try (BStack stack = BStack.open(file())) {
            assertThrows(IllegalArgumentException.class, () -> CheckedSlabAllocator.create(stack, 15));
            stack.push(new byte[3]);
            assertThrows(IllegalArgumentException.class, () -> CheckedSlabAllocator.create(stack, 64));
        }
    }

    @Test
    void allocationsStartAfterTheBlockWordAndRunsCoverTheWord() throws IOException {
        try (CheckedSlabAllocator slab = fresh()) {
            Slice one = slab.alloc(56);
            assertEquals(CheckedSlabFormat.ARENA_START + 8, one.offset());
            Slice two = slab.alloc(57);
            assertEquals(one.offset() + 64, two.offset());
            assertEquals(CheckedSlabFormat.ARENA_START + 64 + 128, slab.stack().length(), "57 + 8 bytes need two blocks");
        }
    }

    @Test
    void doubleFreeIsRejected() throws IOException {
        try (CheckedSlabAllocator slab = fresh()) {
            Slice a = slab.alloc(10);
            slab.alloc(10);
            slab.dealloc(a);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> slab.dealloc(a));
            assertTrue(e.getMessage().contains("free"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> slab.slice(a.offset(), a.length()));
        }
    }

    @Test
    void aHandleWithTheWrongRunLengthIsRejected() throws IOException {
        try (CheckedSlabAllocator slab = fresh()) {
            Slice a = slab.alloc(10);
            assertThrows(IllegalArgumentException.class, () -> slab.slice(a.offset(), 200));
            assertEquals(56, slab.slice(a.offset(), 56).length(), "any length with the same run length");
        }
    }

    @Test
    void openRelinksFreeBlocksALostFreeHeadLeaked() throws IOException {
        try (CheckedSlabAllocator slab = fresh()) {
            Slice a = slab.alloc(10);
            Slice b = slab.alloc(10);
            slab.alloc(10);
            slab.dealloc(a);
            slab.dealloc(b);
            slab.stack().set(CheckedSlabFormat.FREE_HEAD_OFFSET, le(0)); // a crash before freeHead was written
            AllocatorReport leaky = slab.verify();
            assertEquals(128, leaky.unaccounted().orElseThrow(), leaky.toString());
        }
        try (CheckedSlabAllocator slab = reopen()) {
            AllocatorReport report = slab.verify();
            assertTrue(report.isClean(), report.toString());
            assertEquals(128, report.freeBytes());
        }
    }

    @Test
    void openDiscardsFreeBlocksAtTheTail() throws IOException {
        try (CheckedSlabAllocator slab = fresh()) {
            slab.alloc(10);
            slab.stack().extend(3 * 64); // a tail grow that crashed before its word was written
        }
        try (CheckedSlabAllocator slab = reopen()) {
            assertEquals(CheckedSlabFormat.ARENA_START + 64, slab.stack().length());
            assertTrue(slab.verify().isClean());
        }
    }

    @Test
    void openRefusesAGarbageBlockWord() throws IOException {
        long word;
        try (CheckedSlabAllocator slab = fresh()) {
            word = slab.alloc(10).offset() - 8;
            slab.alloc(10);
            slab.stack().set(word, le(0x8000_0001_1234_5678L));
        }
        try (BStack stack = BStack.open(file())) {
            assertCorruption(assertThrows(CorruptedStoreException.class, () -> CheckedSlabAllocator.open(stack)),
                    file(), word, "0x8000000112345678");
        }
    }

    @Test
    void openRefusesADamagedHeader() throws IOException {
        fresh().close();
        try (BStack stack = BStack.open(file())) {
            byte[] header = stack.get(0, CheckedSlabFormat.ARENA_START);
            stack.set(CheckedSlabFormat.BLOCK_SIZE_OFFSET, le(128));
            int stored = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN)
                    .getInt((int) CheckedSlabFormat.HEADER_CRC_OFFSET);
            CorruptedStoreException e = assertThrows(CorruptedStoreException.class,
                    () -> CheckedSlabAllocator.open(stack));
            assertCorruption(e, file(), CheckedSlabFormat.HEADER_CRC_OFFSET, AbstractAllocator.crc(stored));
            assertEquals(AbstractAllocator.crc(CheckedSlabFormat.headerCrc(stack.get(0, CheckedSlabFormat.ARENA_START))),
                    e.expected(), "the checksum the damaged header implies");
        }
    }

    @Test
    void aFreeListCycleIsRepairedOnOpenAndReportedBefore() throws IOException {
        try (CheckedSlabAllocator slab = fresh()) {
            Slice a = slab.alloc(10);
            Slice b = slab.alloc(10);
            slab.alloc(10);
            slab.dealloc(a);
            slab.dealloc(b);
            slab.stack().set(a.offset(), le(b.offset() - 8)); // a.next -> b, b.next -> a
            assertFalse(slab.verify().structureValid());
        }
        try (CheckedSlabAllocator slab = reopen()) {
            assertTrue(slab.verify().isClean());
        }
    }

    @Test
    void shrinkingElsewhereFreesTheExcessBlocksAndKeepsThePrefix() throws IOException {
        try (CheckedSlabAllocator slab = fresh()) {
            Slice a = slab.alloc(300);
            slab.alloc(10);
            a.write(filled(300, 5));
            Slice shrunk = slab.realloc(a, 20);
            assertEquals(a.offset(), shrunk.offset());
            assertArrayEquals(filled(20, 5), shrunk.read());
            AllocatorReport report = slab.verify();
            assertEquals(4 * 64, report.freeBytes(), report.toString());
            assertTrue(report.isClean(), report.toString());
            Slice regrown = slab.realloc(shrunk, 50);
            assertArrayEquals(new byte[30], Arrays.copyOfRange(regrown.read(), 20, 50));
        }
    }
}
