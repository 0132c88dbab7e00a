package io.cairn.stack.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.BStack;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference linear allocator's behaviours: extend, tail-only free and resize, bulk as one call. */
class LinearAllocatorTest {
    @TempDir
    Path dir;

    private LinearAllocator open() throws IOException {
        return LinearAllocator.open(BStack.open(dir.resolve("linear.stack")));
    }

    @Test
    void allocationsAreAppendedInOrder() throws IOException {
        try (LinearAllocator linear = open()) {
            assertEquals(0, linear.alloc(10).offset());
            assertEquals(10, linear.alloc(5).offset());
            assertEquals(15, linear.stack().length());
        }
    }

    @Test
    void freeingTheTailDiscardsItAndFreeingElsewhereKeepsTheBytes() throws IOException {
        try (LinearAllocator linear = open()) {
            Slice a = linear.alloc(10);
            Slice b = linear.alloc(5);
            linear.dealloc(a);
            assertEquals(15, linear.stack().length());
            linear.dealloc(b);
            assertEquals(10, linear.stack().length());
        }
    }

    @Test
    void onlyTheTailCanBeResized() throws IOException {
        try (LinearAllocator linear = open()) {
            Slice a = linear.alloc(10);
            Slice b = linear.alloc(5);
            assertThrows(UnsupportedOperationException.class, () -> linear.realloc(a, 20));
            Slice grown = linear.realloc(b, 50);
            assertEquals(60, linear.stack().length());
            linear.realloc(grown, 1);
            assertEquals(11, linear.stack().length());
        }
    }

    @Test
    void bulkAllocIsOneContiguousExtendAndBulkFreeDiscardsTheTailRun() throws IOException {
        try (LinearAllocator linear = open()) {
            Slice first = linear.alloc(7);
            List<Slice> run = linear.allocBulk(3, 0, 4, 5);
            assertEquals(7, run.get(0).offset());
            assertTrue(run.get(1).isNull());
            assertEquals(10, run.get(2).offset());
            assertEquals(14, run.get(3).offset());
            assertEquals(19, linear.stack().length());
            linear.deallocBulk(List.of(run.get(3), first, run.get(0), run.get(2)));
            assertEquals(0, linear.stack().length(), "the whole contiguous run down to offset 0 is discarded");
        }
    }

    @Test
    void bulkFreeRejectsOverlapsBeforeAnyChange() throws IOException {
        try (LinearAllocator linear = open()) {
            Slice a = linear.alloc(8);
            assertThrows(IllegalArgumentException.class, () -> linear.deallocBulk(List.of(a, a)));
            assertEquals(8, linear.stack().length());
        }
    }
}
