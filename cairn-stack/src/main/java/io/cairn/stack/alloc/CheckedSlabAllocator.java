package io.cairn.stack.alloc;

import static io.cairn.stack.alloc.CheckedSlabFormat.ARENA_START;
import static io.cairn.stack.alloc.CheckedSlabFormat.BLOCK_SIZE_OFFSET;
import static io.cairn.stack.alloc.CheckedSlabFormat.FREE_HEAD_OFFSET;
import static io.cairn.stack.alloc.CheckedSlabFormat.HEADER_CRC_OFFSET;
import static io.cairn.stack.alloc.CheckedSlabFormat.MAGIC;
import static io.cairn.stack.alloc.CheckedSlabFormat.MAGIC_OFFSET;
import static io.cairn.stack.alloc.CheckedSlabFormat.MAX_RUN;
import static io.cairn.stack.alloc.CheckedSlabFormat.MIN_BLOCK_SIZE;
import static io.cairn.stack.alloc.CheckedSlabFormat.WORD;

import io.cairn.stack.BStack;
import io.cairn.stack.CorruptedStoreException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A slab allocator whose blocks carry an 8-byte state word ({@link CheckedSlabFormat}): a free block's word is
 * zero, a live run's first word records its length with a checksum tied to its offset. The words make double
 * frees and forged handles detectable, and let open rebuild the free list from the blocks alone, so a crash
 * leaks nothing for longer than until the next open.
 *
 * <p><b>Policy.</b> An allocation of {@code length} bytes takes a run of {@code max(1, ceil((length + 8) /
 * blockSize))} blocks: one block pops the free list, longer runs (and an empty list) grow the tail. Freeing the
 * tail run discards it; any other run is chained onto the free list.
 *
 * <p><b>Crash behaviour.</b> Every change writes block words before {@code freeHead}, and never leaves caller
 * bytes where a word is expected: a shrink turns the excess blocks into free blocks before the live word
 * shortens the run. Open scans the arena, discards free blocks at the tail and relinks every free block, so
 * what a crash leaks in the list is recovered at the next open:
 * <table>
 * <caption>operation, stack calls, what a crash can leave</caption>
 * <tr><th>operation</th><th>stack calls</th><th>crash leaves (after open)</th></tr>
 * <tr><td>alloc, one block from the list</td><td>set freeHead, set word + zeros</td><td>before or after</td></tr>
 * <tr><td>alloc at the tail</td><td>push (small) or extend + set word</td><td>before or after</td></tr>
 * <tr><td>dealloc of the tail run</td><td>discard</td><td>before or after</td></tr>
 * <tr><td>dealloc elsewhere</td><td>set chain (free words + links), set freeHead</td><td>before or after</td></tr>
 * <tr><td>realloc, same run length</td><td>zero (when growing)</td><td>before or after</td></tr>
 * <tr><td>realloc, tail grow</td><td>extend, zero, set word</td><td>before or after</td></tr>
 * <tr><td>realloc, tail shrink</td><td>zero excess, set word, discard</td><td>before or after (the dropped bytes may read as zero)</td></tr>
 * <tr><td>realloc, shrink elsewhere</td><td>set chain over the excess, set word, set freeHead</td><td>before or after (the dropped bytes may be overwritten)</td></tr>
 * <tr><td>realloc, grow elsewhere</td><td>push or extend + set word, then as dealloc</td><td>the new copy leaked (live word, no handle)</td></tr>
 * </table>
 * The one leak a scan cannot see is a moved copy whose handle was never returned.
 *
 * <p><b>Threads.</b> Every structural change holds the allocator's lock.
 */
public final class CheckedSlabAllocator extends AbstractAllocator {
    /** Tail runs up to this size are written with one push; larger ones with extend + word. */
    private static final long PUSH_LIMIT = 1 << 20;

    private final long blockSize;

    private CheckedSlabAllocator(BStack stack, long blockSize) {
        super(stack);
        this.blockSize = blockSize;
    }

    /**
     * A new checked slab over an empty stack.
     *
     * @throws IllegalArgumentException if the stack is not empty or {@code blockSize < 16}
     */
    public static CheckedSlabAllocator create(BStack stack, long blockSize) throws IOException {
        Objects.requireNonNull(stack, "stack");
        requireEmpty(stack, CheckedSlabAllocator.class);
        checkBlockSize(blockSize, MIN_BLOCK_SIZE);
        byte[] header = new byte[(int) ARENA_START];
        System.arraycopy(MAGIC, 0, header, (int) MAGIC_OFFSET, MAGIC.length);
        putLong(header, (int) BLOCK_SIZE_OFFSET, blockSize);
        putInt(header, (int) HEADER_CRC_OFFSET, CheckedSlabFormat.headerCrc(header));
        stack.push(header);
        return new CheckedSlabAllocator(stack, blockSize);
    }

    /**
     * Opens an existing checked slab: validates the header, scans every block, discards free blocks at the tail
     * and relinks the free list if it does not hold exactly the free blocks. A read-only stack is only scanned,
     * for inspection: {@link #verify()} then reports what the relinking would repair.
     *
     * @throws IllegalArgumentException if the stack is empty (use {@link #create})
     * @throws CorruptedStoreException  if the header, a block word or the arena is impossible
     */
    public static CheckedSlabAllocator open(BStack stack) throws IOException {
        Objects.requireNonNull(stack, "stack");
        long length = requireExisting(stack, CheckedSlabAllocator.class);
        byte[] header = readHeader(stack, CheckedSlabFormat.HEADER, MAGIC_OFFSET, ARENA_START);
        int stored = getInt(header, (int) HEADER_CRC_OFFSET);
        if (stored != CheckedSlabFormat.headerCrc(header)) {
            throw new CorruptedStoreException(stack.path(), HEADER_CRC_OFFSET, "checked slab header checksum",
                    crc(CheckedSlabFormat.headerCrc(header)), crc(stored));
        }
        long blockSize = getLong(header, (int) BLOCK_SIZE_OFFSET);
        if (blockSize < MIN_BLOCK_SIZE || blockSize > MAX_ARRAY || (length - ARENA_START) % blockSize != 0) {
            throw new CorruptedStoreException(stack.path(), ARENA_START, "checked slab arena",
                    "a whole number of " + blockSize + "-byte blocks", (length - ARENA_START) + " bytes");
        }
        CheckedSlabAllocator slab = new CheckedSlabAllocator(stack, blockSize);
        if (stack.isReadOnly()) {
            slab.scan();
        } else {
            slab.recover();
        }
        return slab;
    }

    /** The size of every block. */
    public long blockSize() {
        return blockSize;
    }

    /** A run of at most {@code MAX_RUN} blocks within {@link #MAX_PAYLOAD}, less the run's word. */
    @Override
    long maxLength() {
        return Math.min(MAX_RUN, MAX_PAYLOAD / blockSize) * blockSize - WORD;
    }

    @Override
    Slice allocate(long length) throws IOException {
        long count = blocks(length);
        lock.lock();
        try {
            if (count == 1) {
                long block = popFreeBlock();
                if (block != 0) {
                    return handle(block + WORD, length);
                }
            }
            return handle(appendRun(count, null) + WORD, length);
        } finally {
            lock.unlock();
        }
    }

    @Override
    void free(Slice slice) throws IOException {
        // Looks the run up under the lock that frees it: a concurrent free or resize could change it in between.
        lock.lock();
        try {
            freeRun(slice.offset() - WORD, liveRun(slice));
        } finally {
            lock.unlock();
        }
    }

    @Override
    Slice resize(Slice slice, long newLength) throws IOException {
        // Looks the run up under the lock that resizes it, as free does.
        lock.lock();
        try {
            long count = liveRun(slice);
            long block = slice.offset() - WORD;
            long newCount = blocks(newLength);
            boolean atTail = block + count * blockSize == stack.length();
            if (newCount == count) {
                zeroGrowth(slice, newLength);
            } else if (newCount > count && atTail) {
                stack.extend((newCount - count) * blockSize);
                stack.zero(slice.end(), count * blockSize - WORD - slice.length());
                writeLong(block, CheckedSlabFormat.liveWord(block, newCount));
            } else if (newCount > count) {
                byte[] data = stack.get(slice.offset(), slice.end());
                long moved = appendRun(newCount, data);
                freeRun(block, count);
                return handle(moved + WORD, newLength);
            } else if (atTail) {
                long excess = (count - newCount) * blockSize;
                stack.zero(block + newCount * blockSize, excess);
                writeLong(block, CheckedSlabFormat.liveWord(block, newCount));
                stack.discard(excess);
            } else {
                long head = readLong(FREE_HEAD_OFFSET);
                long first = chainBlocks(block + newCount * blockSize, count - newCount, blockSize, (int) WORD, head);
                writeLong(block, CheckedSlabFormat.liveWord(block, newCount));
                writeLong(FREE_HEAD_OFFSET, first);
            }
            return handle(slice.offset(), newLength);
        } finally {
            lock.unlock();
        }
    }

    /** Rebuilds a handle: the block before {@code offset} must start a live run whose length fits the slice. */
    @Override
    public Slice slice(long offset, long length) throws IOException {
        return rebuild(offset, length, this::liveRun);
    }

    @Override
    AllocatorReport inspect() throws IOException {
        List<String> problems = new ArrayList<>();
        long length = stack.length();
        Map<Long, Long> free = new HashMap<>(); // free block -> its stored next
        long live = 0;
        try {
            for (long[] run : scan()) {
                if (run[1] == 0) {
                    free.put(run[0], run[2]);
                } else {
                    live += run[1] * blockSize;
                }
            }
        } catch (CorruptedStoreException e) {
            problems.add(e.getMessage());
        }
        Set<Long> linked = new HashSet<>();
        long at = readLong(FREE_HEAD_OFFSET);
        while (at != 0 && problems.isEmpty()) {
            if (!free.containsKey(at)) {
                problems.add("free list reaches " + at + ", not a free block");
            } else if (!linked.add(at)) {
                problems.add("free list cycles back to " + at);
            } else {
                at = free.get(at);
            }
        }
        long listed = linked.size() * blockSize;
        long unlisted = (free.size() - linked.size()) * blockSize;
        return new AllocatorReport("checked-slab", length, listed, linked.isEmpty() ? 0 : blockSize - WORD,
                OptionalLong.of(live), OptionalLong.of(problems.isEmpty() ? unlisted : 0), problems);
    }

    @Override
    public String toString() {
        return "CheckedSlabAllocator[" + stack.path() + ", blockSize=" + blockSize + "]";
    }

    // ---------------------------------------------------------------- machinery (caller holds the lock)

    /** Pops the free-list head and makes it a live one-block run, zeroed; 0 when the list is empty. */
    private long popFreeBlock() throws IOException {
        long head = readLong(FREE_HEAD_OFFSET);
        if (head == 0) {
            return 0;
        }
        long length = stack.length();
        if (!isBlock(head, length)) {
            throw corrupted(FREE_HEAD_OFFSET, "checked slab free head", "0 or a block offset", Long.toString(head));
        }
        byte[] entry = stack.get(head, head + 2 * WORD);
        long next = getLong(entry, (int) WORD);
        if (getLong(entry, 0) != 0 || (next != 0 && !isBlock(next, length)) || next == head) {
            throw corrupted(head, "checked slab free list entry", "a free block (word 0) linking onward",
                    "word " + word(getLong(entry, 0)) + ", next " + next);
        }
        writeLong(FREE_HEAD_OFFSET, next);
        byte[] block = new byte[(int) blockSize];
        putLong(block, 0, CheckedSlabFormat.liveWord(head, 1));
        stack.set(head, block);
        return head;
    }

    /** Appends a live run of {@code count} blocks holding {@code data} (or zeros); returns its first block. */
    private long appendRun(long count, byte[] data) throws IOException {
        long bytes = Math.multiplyExact(count, blockSize);
        long block = stack.length();
        long word = CheckedSlabFormat.liveWord(block, count);
        if (bytes <= PUSH_LIMIT) {
            byte[] run = new byte[(int) bytes];
            putLong(run, 0, word);
            if (data != null) {
                System.arraycopy(data, 0, run, (int) WORD, data.length);
            }
            stack.push(run);
        } else {
            stack.extend(bytes);
            if (data != null) {
                stack.set(block + WORD, data);
            }
            writeLong(block, word);
        }
        return block;
    }

    /** Frees a live run: discards it at the tail, else chains its blocks onto the free list. */
    private void freeRun(long block, long count) throws IOException {
        long bytes = count * blockSize;
        if (block + bytes == stack.length()) {
            stack.discard(bytes);
            return;
        }
        long first = chainBlocks(block, count, blockSize, (int) WORD, readLong(FREE_HEAD_OFFSET));
        writeLong(FREE_HEAD_OFFSET, first);
    }

    /** The run length of the live allocation {@code slice}; rejects free blocks, foreign offsets, wrong lengths. */
    private long liveRun(Slice slice) throws IOException {
        long block = slice.offset() - WORD;
        long length = stack.length();
        if (!isBlock(block, length)) {
            throw new IllegalArgumentException("slice " + slice + " does not start " + WORD + " bytes into a "
                    + blockSize + "-byte block of the arena at " + ARENA_START);
        }
        long word = readLong(block);
        if (word == 0) {
            throw new IllegalArgumentException("slice " + slice + " is a free block (double free?)");
        }
        long count = CheckedSlabFormat.runLength(word, block);
        if (count < 0) {
            throw new IllegalArgumentException("slice " + slice + " does not start a live run (word "
                    + Long.toHexString(word) + ")");
        }
        if (count != blocks(slice.length()) || block + count * blockSize > length) {
            throw new IllegalArgumentException("slice " + slice + " needs " + blocks(slice.length())
                    + " blocks but its run has " + count);
        }
        return count;
    }

    /**
     * Scans the arena block by block: {@code {block, 0, next}} per free block (its stored list link),
     * {@code {block, count, 0}} per live run.
     *
     * @throws CorruptedStoreException at a word that is neither free nor a valid live run
     */
    private List<long[]> scan() throws IOException {
        List<long[]> runs = new ArrayList<>();
        long length = stack.length();
        ArenaWindow window = new ArenaWindow(stack, length);
        for (long block = ARENA_START; block < length; ) {
            long word = window.longAt(block);
            long count = word == 0 ? 0 : CheckedSlabFormat.runLength(word, block);
            if (count < 0 || count > (length - block) / blockSize) {
                throw corrupted(block, "checked slab block word", "0 (free) or a live run inside the arena",
                        word(word));
            }
            runs.add(new long[] {block, count, count == 0 ? window.longAt(block + WORD) : 0});
            block += Math.max(1, count) * blockSize;
        }
        return runs;
    }

    /** Discards free blocks at the tail and relinks the free list unless it already holds exactly the free blocks. */
    private void recover() throws IOException {
        List<long[]> runs = scan();
        long keep = stack.length();
        while (!runs.isEmpty() && runs.getLast()[1] == 0) {
            keep = runs.removeLast()[0];
        }
        if (keep < stack.length()) {
            stack.discard(stack.length() - keep);
        }
        List<Long> free = new ArrayList<>();
        Map<Long, Long> nextOf = new HashMap<>();
        for (long[] run : runs) {
            if (run[1] == 0) {
                free.add(run[0]);
                nextOf.put(run[0], run[2]);
            }
        }
        if (listHoldsExactly(nextOf)) {
            return;
        }
        long next = 0;
        for (int i = free.size() - 1; i >= 0; ) {
            // Chain contiguous free blocks with one write each run.
            int j = i;
            while (j > 0 && free.get(j - 1) + blockSize == free.get(j)) {
                j--;
            }
            next = chainBlocks(free.get(j), i - j + 1, blockSize, (int) WORD, next);
            i = j - 1;
        }
        writeLong(FREE_HEAD_OFFSET, next);
    }

    /** Whether the stored free list visits exactly the free blocks (the keys of {@code nextOf}), each once. */
    private boolean listHoldsExactly(Map<Long, Long> nextOf) throws IOException {
        Set<Long> seen = new HashSet<>();
        for (long at = readLong(FREE_HEAD_OFFSET); at != 0; at = nextOf.get(at)) {
            if (!nextOf.containsKey(at) || !seen.add(at)) {
                return false;
            }
        }
        return seen.size() == nextOf.size();
    }

    private boolean isBlock(long offset, long length) {
        return offset >= ARENA_START && offset < length && (offset - ARENA_START) % blockSize == 0;
    }

    private long blocks(long length) {
        long count = Math.max(1, ceilDiv(Math.addExact(length, WORD), blockSize));
        if (count > MAX_RUN) {
            throw new IllegalArgumentException("length " + length + " needs " + count + " blocks, more than a run of "
                    + MAX_RUN);
        }
        return count;
    }
}
