package io.cairn.stack.alloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackOptions;
import io.cairn.stack.Durability;
import io.cairn.stack.StackFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Model-based fuzz of one allocator: the reference's mix (45% alloc, 20% realloc, 15% dealloc, 15% check, 5%
 * reopen; sizes 0..1024, one in fifty up to 12,000 so that multi-block and oversized paths run too; 25% of payloads copy real allocator bytes from the stack to confuse recovery; a bulk
 * allocator serves a fifth of its allocs with {@code allocBulk} and a third of its frees with
 * {@code deallocBulk}) against
 * a map of live allocations. Every check compares every live allocation byte for byte and requires a valid
 * structure; every reopen rebuilds the handles with {@link Allocator#slice(long, long)} and requires a clean
 * {@link Allocator#verify()}. A failure names the seed and the operation index.
 */
final class AllocatorModelFuzz {
    private static final int MAX_SIZE = 1024;
    private static final int MAX_LARGE_SIZE = 12_000;

    private final AllocatorFactory factory;
    private final Path file;
    private final StackFormat format;
    private final long seed;
    private final Random random;
    private final List<Slice> live = new ArrayList<>();
    private final Map<Slice, byte[]> contents = new HashMap<>();
    private Allocator allocator;

    AllocatorModelFuzz(AllocatorFactory factory, Path file, StackFormat format, long seed) {
        this.factory = factory;
        this.file = file;
        this.format = format;
        this.seed = seed;
        this.random = new Random(seed);
    }

    /** Runs {@code operations} random operations, then a final reopen and check. */
    void run(int operations) throws IOException {
        allocator = factory.create(BStack.open(file, options().withFormat(format)));
        int op = -1;
        try {
            for (op = 0; op < operations; op++) {
                int dice = random.nextInt(100);
                if (dice < 45) {
                    alloc();
                } else if (dice < 65) {
                    realloc();
                } else if (dice < 80) {
                    dealloc();
                } else if (dice < 95) {
                    checkAll(false);
                } else {
                    reopen();
                }
            }
            reopen();
        } catch (IOException | RuntimeException | AssertionError e) {
            throw new AssertionError(factory.name() + " fuzz on " + format + " failed: seed " + seed + ", operation " + op
                    + " (rerun with -Dcairn.alloc.fuzz.seed=" + seed + ")", e);
        } finally {
            allocator.close();
        }
    }

    private static BStackOptions options() {
        // Durability is not under test here (the fault and SIGKILL drivers test it); NONE keeps the fuzz fast.
        return BStackOptions.defaults().withDurability(Durability.NONE);
    }

    private void alloc() throws IOException {
        if (allocator instanceof BulkAllocator bulk && random.nextInt(5) == 0) {
            long[] lengths = new long[1 + random.nextInt(4)];
            for (int i = 0; i < lengths.length; i++) {
                lengths[i] = randomLength();
            }
            List<Slice> slices = bulk.allocBulk(lengths);
            assertEquals(lengths.length, slices.size(), "one slice per length");
            for (int i = 0; i < lengths.length; i++) {
                adopt(slices.get(i), lengths[i]);
            }
            return;
        }
        long length = randomLength();
        adopt(allocator.alloc(length), length);
    }

    private int randomLength() {
        return random.nextInt(random.nextInt(50) == 0 ? MAX_LARGE_SIZE + 1 : MAX_SIZE + 1);
    }

    /** Checks a fresh allocation (zeroed, disjoint from every live one) and fills it with a payload. */
    private void adopt(Slice slice, long length) throws IOException {
        assertEquals(length, slice.length(), "allocated length");
        if (length == 0) {
            assertTrue(slice.isNull(), "alloc(0) gives the null slice");
            return;
        }
        assertArrayEquals(new byte[(int) length], slice.read(), "fresh allocation " + slice + " is zeroed");
        assertNoOverlap(slice);
        byte[] payload = payload((int) length);
        slice.write(payload);
        live.add(slice);
        contents.put(slice, payload);
    }

    private void realloc() throws IOException {
        if (live.isEmpty()) {
            return;
        }
        int index = random.nextInt(live.size());
        Slice old = live.get(index);
        byte[] before = contents.get(old);
        long newLength = randomLength();
        Slice resized;
        try {
            resized = allocator.realloc(old, newLength);
        } catch (UnsupportedOperationException e) {
            if (factory.reallocatesOnlyTail()) {
                return;
            }
            throw e;
        }
        live.remove(index);
        contents.remove(old);
        assertEquals(newLength, resized.length(), "reallocated length");
        if (newLength == 0) {
            assertTrue(resized.isNull(), "realloc to 0 gives the null slice");
            return;
        }
        byte[] now = resized.read();
        int kept = (int) Math.min(before.length, newLength);
        assertArrayEquals(Arrays.copyOf(before, kept), Arrays.copyOf(now, kept), "realloc keeps the prefix");
        assertArrayEquals(new byte[(int) newLength - kept], Arrays.copyOfRange(now, kept, now.length),
                "realloc exposes zeros past the old length");
        assertNoOverlap(resized);
        if (random.nextBoolean()) {
            now = payload((int) newLength);
            resized.write(now);
        }
        live.add(resized);
        contents.put(resized, now);
    }

    private void dealloc() throws IOException {
        if (live.isEmpty()) {
            return;
        }
        if (allocator instanceof BulkAllocator bulk && random.nextInt(3) == 0) {
            List<Slice> batch = new ArrayList<>();
            for (int n = 1 + random.nextInt(3); n > 0 && !live.isEmpty(); n--) {
                batch.add(live.remove(random.nextInt(live.size())));
            }
            batch.forEach(contents::remove);
            bulk.deallocBulk(batch);
            return;
        }
        Slice slice = live.remove(random.nextInt(live.size()));
        contents.remove(slice);
        allocator.dealloc(slice);
    }

    private void reopen() throws IOException {
        allocator.close();
        allocator = factory.open(BStack.open(file, options()));
        List<Slice> rebuilt = new ArrayList<>(live.size());
        for (Slice old : live) {
            Slice slice = allocator.slice(old.offset(), old.length());
            rebuilt.add(slice);
            contents.put(slice, contents.remove(old));
        }
        live.clear();
        live.addAll(rebuilt);
        checkAll(true);
    }

    private void checkAll(boolean clean) throws IOException {
        for (Slice slice : live) {
            assertArrayEquals(contents.get(slice), slice.read(), "content of live " + slice);
        }
        AllocatorReport report = allocator.verify();
        assertTrue(clean ? report.isClean() : report.structureValid(), () -> "verify: " + report);
    }

    private void assertNoOverlap(Slice slice) {
        for (Slice other : live) {
            boolean disjoint = other.end() <= slice.offset() || slice.end() <= other.offset();
            assertTrue(disjoint, () -> slice + " overlaps live " + other);
        }
    }

    /** Random bytes, or (25%) a copy of real bytes of the stack, allocator metadata included. */
    private byte[] payload(int length) throws IOException {
        byte[] out = new byte[length];
        long stackLength = allocator.stack().length();
        if (random.nextInt(4) == 0 && stackLength > 0) {
            long from = random.nextLong(Math.max(1, stackLength - length + 1));
            byte[] copy = allocator.stack().get(from, Math.min(stackLength, from + length));
            System.arraycopy(copy, 0, out, 0, copy.length);
        } else {
            random.nextBytes(out);
        }
        return out;
    }
}
