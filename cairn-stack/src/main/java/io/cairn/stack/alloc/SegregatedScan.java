package io.cairn.stack.alloc;

import static io.cairn.stack.alloc.SegregatedLayout.ARENA_START;
import static io.cairn.stack.alloc.SegregatedLayout.IN_USE;
import static io.cairn.stack.alloc.SegregatedLayout.LISTS;
import static io.cairn.stack.alloc.SegregatedLayout.OVERSIZED;
import static io.cairn.stack.alloc.SegregatedLayout.WORD;

import io.cairn.stack.BStack;
import io.cairn.stack.CorruptedStoreException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * One linear walk of a segregated arena by its block words (what recovery and verification trust), and the plan
 * that makes the stored free lists hold exactly the free blocks it found.
 *
 * <p>The walk strides from {@link SegregatedLayout#ARENA_START} by each word's size. A zero word starts a torn
 * tail extension, valid only if every byte from there to the end is zero; a word whose size is zero or runs past
 * the end is a {@link CorruptedStoreException}. Reads go through an {@link ArenaWindow}.
 */
final class SegregatedScan {
    private final long length;
    private long[] starts = new long[64];
    private long[] sizes = new long[64];
    private long[] nexts = new long[64];
    private int freeCount;
    private long liveBytes;
    private long zeroTail;

    private SegregatedScan(long length) {
        this.length = length;
        this.zeroTail = length;
    }

    /**
     * Walks the arena of {@code allocator}'s stack.
     *
     * @throws CorruptedStoreException at a word that cannot start a block, or a zero word before non-zero bytes
     */
    static SegregatedScan read(AbstractAllocator allocator) throws IOException {
        BStack stack = allocator.stack;
        long length = stack.length();
        SegregatedScan scan = new SegregatedScan(length);
        ArenaWindow window = new ArenaWindow(stack, length);
        for (long at = ARENA_START; at < length; ) {
            long word = window.longAt(at);
            if (word == 0) {
                long dirty = allocator.firstNonZero(at, length);
                if (dirty >= 0) {
                    throw allocator.corrupted(at, "segregated block word", "a block word, or 0 before an all-zero "
                            + "torn tail", "0 before the non-zero byte at " + dirty);
                }
                scan.zeroTail = at;
                break;
            }
            long units = word & ~IN_USE;
            if (units == 0 || units > (length - at) >>> 4) {
                throw allocator.corrupted(at, "segregated block word", "a block of 16 to " + (length - at)
                        + " bytes", AbstractAllocator.word(word));
            }
            long size = units << 4;
            if ((word & IN_USE) != 0) {
                scan.liveBytes += size;
            } else {
                scan.addFree(at, size, window.longAt(at + WORD));
            }
            at += size;
        }
        return scan;
    }

    private void addFree(long start, long size, long next) {
        if (freeCount == starts.length) {
            starts = Arrays.copyOf(starts, freeCount * 2);
            sizes = Arrays.copyOf(sizes, freeCount * 2);
            nexts = Arrays.copyOf(nexts, freeCount * 2);
        }
        starts[freeCount] = start;
        sizes[freeCount] = size;
        nexts[freeCount] = next;
        freeCount++;
    }

    /** Bytes of live blocks (words included). */
    long liveBytes() {
        return liveBytes;
    }

    /** Where an all-zero torn tail starts, or the stack length if there is none. */
    long zeroTail() {
        return zeroTail;
    }

    /**
     * The plan that makes the lists {@code heads} start hold exactly the free blocks found: each list is followed
     * from its head while it visits free blocks that belong on it, each once, and cut at the first entry that
     * does not; free blocks no list reached are then pushed onto their lists. Only cut links and pushed blocks
     * need a write, so a cleanly closed file needs none.
     */
    Relink relink(long[] heads) {
        long[] newHeads = heads.clone();
        BitSet listed = new BitSet(freeCount);
        List<long[]> links = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int list = 0; list < LISTS; list++) {
            int previous = -1;
            for (long at = heads[list]; at != 0; ) {
                int index = Arrays.binarySearch(starts, 0, freeCount, at);
                String wrong = index < 0 ? "not a free block"
                        : SegregatedLayout.listOf(sizes[index]) != list ? "a free block of " + sizes[index] + " bytes"
                        : listed.get(index) ? "a block it already visited" : null;
                if (wrong != null) {
                    problems.add("free list " + list + " reaches " + at + ", " + wrong);
                    if (previous < 0) {
                        newHeads[list] = 0;
                    } else {
                        links.add(new long[] {starts[previous] + WORD, 0});
                    }
                    break;
                }
                listed.set(index);
                previous = index;
                at = nexts[index];
            }
        }
        long listedBytes = 0;
        long unlistedBytes = 0;
        long[] largest = new long[LISTS];
        for (int i = 0; i < freeCount; i++) {
            int list = SegregatedLayout.listOf(sizes[i]);
            if (listed.get(i)) {
                listedBytes += sizes[i] - WORD;
                largest[list] = Math.max(largest[list], sizes[i]);
            } else {
                unlistedBytes += sizes[i];
                links.add(new long[] {starts[i] + WORD, newHeads[list]});
                newHeads[list] = starts[i];
            }
        }
        return new Relink(newHeads, links, problems, listedBytes, largestServable(heads, listed, largest),
                unlistedBytes);
    }

    /**
     * The largest request the stored lists serve without growing the stack: a class list serves its class, the
     * oversized list only through its head.
     */
    private long largestServable(long[] heads, BitSet listed, long[] largest) {
        long best = 0;
        for (int list = 0; list < OVERSIZED; list++) {
            if (largest[list] > 0) {
                best = Math.max(best, SegregatedLayout.classSize(list) - WORD);
            }
        }
        int head = Arrays.binarySearch(starts, 0, freeCount, heads[OVERSIZED]);
        if (head >= 0 && listed.get(head)) {
            best = Math.max(best, sizes[head] - WORD);
        }
        return best;
    }

    /**
     * What relinking writes and what the stored lists showed.
     *
     * @param heads         the list heads afterwards
     * @param links         the {@code next} fields to write, as {@code {offset, value}}, in order
     * @param problems      every list entry that was not a free block of its list, once visited
     * @param listedBytes   the data bytes (block minus word) of the free blocks the stored lists reach
     * @param largest       the largest request the stored lists serve
     * @param unlistedBytes bytes of free blocks no stored list reaches (leaked until relinked)
     */
    record Relink(long[] heads, List<long[]> links, List<String> problems, long listedBytes, long largest,
            long unlistedBytes) {
    }
}
