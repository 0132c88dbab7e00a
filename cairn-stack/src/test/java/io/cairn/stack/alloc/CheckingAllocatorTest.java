package io.cairn.stack.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackOptions;
import io.cairn.stack.Durability;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checking wrapper reports overlaps, double, partial and spanning frees, naming both regions. */
class CheckingAllocatorTest {
    private static final BStackOptions FAST = BStackOptions.defaults().withDurability(Durability.NONE);

    @TempDir
    Path dir;

    private BStack stack(String name) throws IOException {
        return BStack.open(dir.resolve(name), FAST);
    }

    private static String range(Slice s) {
        return "[" + s.offset() + ", " + s.end() + ")";
    }

    @Test
    void aDoubleFreeTheSlabCannotSeeIsReportedBeforeTheSlabIsCalled() throws IOException {
        SlabAllocator slab = SlabAllocator.create(stack("slab"), 64);
        try (BulkAllocator checked = CheckingAllocator.wrap(slab)) {
            Slice a = checked.alloc(40);
            Slice b = checked.alloc(40);
            checked.alloc(40);
            checked.dealloc(a);
            checked.dealloc(b); // a is no longer the slab's list head, so the slab itself would accept a again
            long head = slab.verify().freeBytes();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> checked.dealloc(a));
            assertEquals("double free of " + range(a) + ": it overlaps " + range(a) + ", freed earlier",
                    e.getMessage());
            assertEquals(head, slab.verify().freeBytes(), "the inner allocator was not called");
            Slice again = checked.alloc(40);
            assertEquals(b.offset(), again.offset(), "a freed region handed out again is live, not freed");
            checked.dealloc(again);
        }
    }

    @Test
    void partialAndSpanningFreesNameTheLiveAllocations() throws IOException {
        try (Allocator checked = CheckingAllocator.wrap(LinearAllocator.open(stack("linear")))) {
            Slice a = checked.alloc(100);
            Slice b = checked.alloc(100);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> checked.slice(a.offset() + 10, 20));
            assertEquals("rebuilt [10, 30) overlaps the live allocation " + range(a), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> checked.slice(a.offset() + 50, 100));
            assertEquals(a, checked.slice(a.offset(), 100), "rebuilding a live allocation gives its handle");
            checked.dealloc(b);
            Slice c = checked.alloc(40);
            Slice d = checked.alloc(40);
            // b's stale handle now covers c and part of d.
            e = assertThrows(IllegalArgumentException.class, () -> checked.realloc(b, 10));
            assertEquals("realloc of " + range(b) + " spans the live allocations " + range(c) + " and "
                    + range(d), e.getMessage());
            checked.dealloc(d);
            checked.dealloc(c);
            Slice e2 = checked.alloc(60);
            IllegalArgumentException partial = assertThrows(IllegalArgumentException.class,
                    () -> checked.dealloc(b));
            assertEquals("partial free of " + range(b) + ": the live allocation it overlaps is " + range(e2),
                    partial.getMessage());
        }
    }

    @Test
    void anAllocationOverlappingALiveOneIsAnAllocatorBug() throws IOException {
        LinearAllocator linear = LinearAllocator.open(stack("broken"));
        try (Allocator checked = CheckingAllocator.wrap(linear)) {
            Slice a = checked.alloc(64);
            linear.dealloc(Slice.of(linear, a.offset(), a.length())); // behind the wrapper's back
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> checked.alloc(32));
            assertTrue(e.getMessage().endsWith("handed out [0, 32), which overlaps the live allocation "
                    + range(a)), e.getMessage());
        }
    }

    @Test
    void aHandleLeftBehindByAMoveIsAStaleHandle() throws IOException {
        try (Allocator checked = CheckingAllocator.wrap(SegregatedAllocator.open(stack("moves")))) {
            Slice a = checked.alloc(40);
            checked.alloc(40);
            Slice moved = checked.realloc(a, 400);
            assertTrue(moved.offset() != a.offset());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> checked.dealloc(a));
            assertTrue(e.getMessage().startsWith("double free of " + range(a)), e.getMessage());
            Slice shrunk = checked.realloc(moved, 10);
            assertEquals(moved.offset(), shrunk.offset());
            e = assertThrows(IllegalArgumentException.class, () -> checked.realloc(moved, 20));
            assertTrue(e.getMessage().startsWith("partial realloc of " + range(moved)), e.getMessage());
            checked.dealloc(shrunk);
            assertTrue(checked.verify().structureValid());
        }
    }

    @Test
    void bulkCallsAreCheckedLikeSingleOnes() throws IOException {
        try (BulkAllocator checked = CheckingAllocator.wrap(GhostTreeAllocator.open(stack("bulk")))) {
            List<Slice> slices = checked.allocBulk(100, 0, 200);
            assertTrue(slices.get(1).isNull());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> checked.deallocBulk(List.of(slices.get(0), slices.get(0))));
            assertEquals("deallocBulk names " + range(slices.get(0)) + " twice", e.getMessage());
            checked.deallocBulk(slices);
            e = assertThrows(IllegalArgumentException.class, () -> checked.deallocBulk(List.of(slices.get(2))));
            assertTrue(e.getMessage().startsWith("double free of " + range(slices.get(2))), e.getMessage());
            assertInstanceOf(BulkAllocator.class, CheckingAllocator.wrap((Allocator) checked));
        }
    }
}
