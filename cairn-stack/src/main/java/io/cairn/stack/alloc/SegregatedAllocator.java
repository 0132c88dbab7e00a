package io.cairn.stack.alloc;

import static io.cairn.stack.alloc.SegregatedLayout.ARENA_START;
import static io.cairn.stack.alloc.SegregatedLayout.FREE_HEADS_OFFSET;
import static io.cairn.stack.alloc.SegregatedLayout.IN_USE;
import static io.cairn.stack.alloc.SegregatedLayout.LISTS;
import static io.cairn.stack.alloc.SegregatedLayout.MAGIC_OFFSET;
import static io.cairn.stack.alloc.SegregatedLayout.MAX_CLASS;
import static io.cairn.stack.alloc.SegregatedLayout.MAX_REQUEST;
import static io.cairn.stack.alloc.SegregatedLayout.OVERSIZED;
import static io.cairn.stack.alloc.SegregatedLayout.QUANTUM;
import static io.cairn.stack.alloc.SegregatedLayout.WORD;

import io.cairn.stack.BStack;
import io.cairn.stack.CorruptedStoreException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A segregated-fit allocator: 33 singly linked free lists, one per size class, so allocation and release of any
 * request up to 4096 bytes take a constant number of stack calls, whatever the number of free blocks. The answer
 * to first fit's list walk, whose cost grows with the free list. Byte-compatible with the reference bstack 0.4
 * {@code SegregatedBStackAllocator} ({@code ALSG} 0.2, layout and classes in {@link SegregatedLayout}).
 *
 * <p><b>Policy.</b> A request of {@code n} bytes needs {@code roundUp(n + 8, 16)} bytes and takes a block of its
 * class: the head of the class's list, else a new block at the tail. A request above 4096 bytes takes the head of
 * the oversized list if that block is large enough (no search), else the tail; a reused oversized block at least
 * 4096 bytes larger than needed is split, the rest becoming a free block. A freed block goes to the head of its
 * list, or back to the stack when it is the tail block. A resize within the block stays in place (a shrink that
 * frees at least 4096 bytes splits them off, or discards them at the tail); a grow of the tail block extends it;
 * any other grow moves. Free blocks are not merged: a block keeps its size for its life.
 *
 * <p><b>Recovery</b> runs on every writable open (the reference's rule), trusting only block words: a linear walk
 * that truncates an all-zero torn tail and relinks free blocks that no list reaches, cutting lists at entries that
 * are not free blocks of their class. A cleanly closed file needs no write. A word that cannot start a block is a
 * {@link CorruptedStoreException}, never a silent truncation.
 *
 * <p><b>Crash behaviour.</b> A block's word is the commit point of every change: the lists are rebuilt from the
 * words, so a crash between list writes at most unlinks a free block until the next open.
 * <table>
 * <caption>operation, stack calls, what a crash can leave (after recovery)</caption>
 * <tr><th>operation</th><th>stack calls</th><th>crash leaves</th></tr>
 * <tr><td>alloc from a list</td><td>set head; set word + zeros</td><td>before or after</td></tr>
 * <tr><td>alloc at the tail (up to 64 KiB)</td><td>push word + zeros</td><td>before or after</td></tr>
 * <tr><td>alloc at the tail (larger)</td><td>extend; set word</td><td>before, or the block leaked</td></tr>
 * <tr><td>alloc splitting an oversized block</td><td>set head; [zero]; set rest's word; set word; set head</td>
 *     <td>before or after</td></tr>
 * <tr><td>dealloc of the tail block</td><td>discard</td><td>before or after</td></tr>
 * <tr><td>dealloc elsewhere</td><td>set word + next; set head</td><td>before or after</td></tr>
 * <tr><td>realloc within the block</td><td>zero (when growing)</td><td>before or after</td></tr>
 * <tr><td>realloc splitting off 4096+ bytes</td><td>set rest's word; set word; set head or discard</td>
 *     <td>before or after (the dropped bytes may be overwritten)</td></tr>
 * <tr><td>realloc growing the tail block</td><td>[zero]; extend; set word</td><td>before or after</td></tr>
 * <tr><td>realloc moving</td><td>as alloc (with the old bytes), then as dealloc</td><td>before, after, or the
 *     new block leaked</td></tr>
 * </table>
 * A leaked live block (the moved copy whose handle never came back) stays live: nothing on disk tells it from an
 * allocation. Live bytes are never written by another operation. Double frees are rejected with
 * {@link IllegalArgumentException} (the word is already free) until the block is handed out again.
 *
 * <p><b>Threads.</b> Every change holds the allocator's lock; slice I/O goes straight to the stack. After an I/O
 * error during a change the allocator refuses further changes: the file must be reopened, which recovers it.
 */
public final class SegregatedAllocator extends AbstractAllocator {
    /** A reused oversized block or a shrink splits off its excess only from this many bytes on. */
    private static final long SPLIT_MIN = MAX_CLASS;
    /** A new tail block up to this size is written with one push; a larger one is extended, then marked. */
    private static final long PUSH_LIMIT = 1 << 16;

    private SegregatedAllocator(BStack stack) {
        super(stack);
    }

    /**
     * Opens the segregated allocator in {@code stack}, which it then owns: an empty stack gets a fresh header (one
     * push of 304 bytes), an existing one is checked and recovered. A read-only stack is checked only, for
     * inspection: {@link #verify()} then reports what recovery would repair.
     *
     * @throws CorruptedStoreException if the stack holds something else or its arena is impossible
     * @throws io.cairn.stack.FormatVersionException if it holds a segregated allocator of another version
     */
    public static SegregatedAllocator open(BStack stack) throws IOException {
        Objects.requireNonNull(stack, "stack");
        SegregatedAllocator allocator = new SegregatedAllocator(stack);
        long length = stack.length();
        if (length == 0) {
            stack.push(SegregatedLayout.freshHeader());
            return allocator;
        }
        byte[] header = readHeader(stack, SegregatedLayout.HEADER, MAGIC_OFFSET, ARENA_START);
        if ((length - ARENA_START) % QUANTUM != 0) {
            throw allocator.corrupted(ARENA_START, "segregated arena length", "a multiple of " + QUANTUM + " bytes",
                    (length - ARENA_START) + " bytes");
        }
        SegregatedScan scan = SegregatedScan.read(allocator);
        if (!stack.isReadOnly()) {
            allocator.recover(scan, heads(header));
        }
        return allocator;
    }

    @Override
    long maxLength() {
        return MAX_REQUEST;
    }

    @Override
    Slice allocate(long length) throws IOException {
        long block = SegregatedLayout.classBlock(SegregatedLayout.need(length));
        return changing(() -> {
            beginChange();
            return handle(place(block, length, null) + WORD, length);
        });
    }

    @Override
    void free(Slice slice) throws IOException {
        // Reads the word under the lock that frees the block: a concurrent free could change it in between.
        changing(() -> {
            long size = liveBlockSize(slice);
            beginChange();
            release(slice.offset() - WORD, size);
            return null;
        });
    }

    @Override
    Slice resize(Slice slice, long newLength) throws IOException {
        long newNeed = SegregatedLayout.need(newLength);
        return changing(() -> {
            long size = liveBlockSize(slice);
            beginChange();
            return handle(resizeBlock(slice, size, newLength, newNeed) + WORD, newLength);
        });
    }

    /** Rebuilds a handle: {@code offset} must be 8 bytes into a live block that holds {@code length} bytes. */
    @Override
    public Slice slice(long offset, long length) throws IOException {
        return rebuild(offset, length, this::liveBlockSize);
    }

    /**
     * Walks the arena and the stored lists: structural problems are words that cannot start a block and list
     * entries that are not free blocks of their list; free blocks no list reaches, and a torn zero tail, are
     * unaccounted (what the next writable open relinks or truncates).
     */
    @Override
    AllocatorReport inspect() throws IOException {
        long length = stack.length();
        List<String> problems = new ArrayList<>();
        SegregatedScan scan;
        try {
            scan = SegregatedScan.read(this);
        } catch (CorruptedStoreException e) {
            problems.add(e.getMessage());
            return new AllocatorReport("segregated", length, 0, 0, OptionalLong.empty(), OptionalLong.empty(),
                    problems);
        }
        SegregatedScan.Relink relink = scan.relink(heads(stack.get(0, ARENA_START)));
        problems.addAll(relink.problems());
        return new AllocatorReport("segregated", length, relink.listedBytes(), relink.largest(),
                OptionalLong.of(scan.liveBytes()),
                OptionalLong.of(relink.unlistedBytes() + length - scan.zeroTail()), problems);
    }

    @Override
    public String toString() {
        return "SegregatedAllocator[" + stack.path() + "]";
    }

    // ---------------------------------------------------------------- operations (caller holds the lock)

    /**
     * Places a live block of at least {@code block} bytes (a class size, or an oversized need) whose data starts
     * with the first {@code length} bytes of {@code source} (zeros when null), zeroed up to {@code length};
     * returns its start.
     */
    private long place(long block, long length, Slice source) throws IOException {
        int list = SegregatedLayout.listOf(block);
        long[] popped = pop(list, block);
        if (popped == null) {
            return appendBlock(block, source);
        }
        long start = popped[0];
        long size = popped[1];
        long excess = size - block;
        if (list == OVERSIZED && excess >= SPLIT_MIN) {
            // The rest's word first, inside the still free block; the claim then exposes it as a free block.
            long rest = start + block;
            int restList = SegregatedLayout.listOf(excess);
            stack.set(rest, freeBlock(excess, readHead(restList)));
            claim(start, block, length, source);
            writeLong(SegregatedLayout.headOffset(restList), rest);
        } else {
            claim(start, size, length, source);
        }
        return start;
    }

    /**
     * Pops the head of {@code list} if it can hold {@code block} bytes (on a class list always; on the oversized
     * list only a large enough head is taken); returns {@code {start, size}} or null.
     */
    private long[] pop(int list, long block) throws IOException {
        long head = readHead(list);
        if (head == 0) {
            return null;
        }
        long length = stack.length();
        if (!SegregatedLayout.isBlockStart(head) || head > length - QUANTUM) {
            throw corrupted(SegregatedLayout.headOffset(list), "segregated free list " + list + " head",
                    "0 or a block start in [" + ARENA_START + ", " + length + ")", Long.toString(head));
        }
        byte[] entry = stack.get(head, head + QUANTUM);
        long word = getLong(entry, 0);
        long next = getLong(entry, (int) WORD);
        long units = word & ~IN_USE;
        long size = units << 4;
        if ((word & IN_USE) != 0 || units == 0 || units > (length - head) >>> 4
                || SegregatedLayout.listOf(size) != list
                || (next != 0 && (!SegregatedLayout.isBlockStart(next) || next >= length || next == head))) {
            throw corrupted(head, "segregated free list " + list + " head block", "a free block of the list",
                    "word " + word(word) + ", next " + next);
        }
        if (size < block) {
            return null;
        }
        writeLong(SegregatedLayout.headOffset(list), next);
        return new long[] {head, size};
    }

    /** A new zeroed block of {@code block} bytes at the tail, starting with {@code source}'s bytes; returns its start. */
    private long appendBlock(long block, Slice source) throws IOException {
        long start = stack.length();
        if (block > SegregatedLayout.MAX_REQUEST - start) {
            throw new IllegalArgumentException("a block of " + block + " bytes past offset " + start
                    + " does not fit in a stack");
        }
        if (block <= PUSH_LIMIT) {
            byte[] image = new byte[(int) block];
            putLong(image, 0, SegregatedLayout.liveWord(block));
            if (source != null) {
                readInto(source.offset(), image, (int) WORD, source.length());
            }
            return stack.push(image);
        }
        // Zeros first: a crash before the word leaves an all-zero tail, which recovery truncates.
        stack.extend(block);
        writeLong(start, SegregatedLayout.liveWord(block));
        if (source != null) {
            copy(source.offset(), start + WORD, source.length());
        }
        return start;
    }

    /**
     * Marks the detached free block at {@code start} live with {@code size} bytes and fills its first
     * {@code length} data bytes from {@code source} (zeros when null). Small blocks take one write; a larger one
     * is filled first, while still marked free, then marked.
     */
    private void claim(long start, long size, long length, Slice source) throws IOException {
        long copied = source == null ? 0 : source.length();
        if (WORD + length <= PUSH_LIMIT) {
            byte[] image = new byte[(int) (WORD + length)];
            putLong(image, 0, SegregatedLayout.liveWord(size));
            if (copied > 0) {
                readInto(source.offset(), image, (int) WORD, copied);
            }
            stack.set(start, image);
            return;
        }
        copy(source == null ? 0 : source.offset(), start + WORD, copied);
        zeroRange(start + WORD + copied, length - copied);
        writeLong(start, SegregatedLayout.liveWord(size));
    }

    /** Frees the live block at {@code start}: back to the stack at the tail, else onto its list. */
    private void release(long start, long size) throws IOException {
        if (start + size == stack.length()) {
            stack.discard(size);
            return;
        }
        int list = SegregatedLayout.listOf(size);
        stack.set(start, freeBlock(size, readHead(list)));
        writeLong(SegregatedLayout.headOffset(list), start);
    }

    private long resizeBlock(Slice slice, long size, long newLength, long newNeed) throws IOException {
        long start = slice.offset() - WORD;
        long target = SegregatedLayout.classBlock(newNeed);
        boolean tail = start + size == stack.length();
        if (newNeed <= size) {
            zeroGrowth(slice, newLength);
            if (size - target >= SPLIT_MIN) {
                shrink(start, size, target, tail);
            }
            return start;
        }
        if (tail) {
            // Stale bytes past the caller's length become visible: zero them, then grow, then commit the size.
            zeroRange(slice.end(), start + size - slice.end());
            stack.extend(target - size);
            writeLong(start, SegregatedLayout.liveWord(target));
            return start;
        }
        long moved = place(target, newLength, slice);
        release(start, size);
        return moved;
    }

    /**
     * Splits {@code size - target} bytes off the end of a live block. The rest's free word goes first, inside the
     * still larger live block where the walk cannot see it; the shorter live word then exposes it as a free block,
     * which the tail discards or a list takes.
     */
    private void shrink(long start, long size, long target, boolean tail) throws IOException {
        long rest = start + target;
        long excess = size - target;
        int list = SegregatedLayout.listOf(excess);
        stack.set(rest, freeBlock(excess, tail ? 0 : readHead(list)));
        writeLong(start, SegregatedLayout.liveWord(target));
        if (tail) {
            stack.discard(excess);
        } else {
            writeLong(SegregatedLayout.headOffset(list), rest);
        }
    }

    /**
     * The size of the live block holding {@code slice}: its offset must be 8 bytes into a block of the arena whose
     * word is live and large enough. Rejects free blocks (double free) and foreign offsets.
     */
    private long liveBlockSize(Slice slice) throws IOException {
        long start = slice.offset() - WORD;
        long length = stack.length();
        if (!SegregatedLayout.isBlockStart(start) || start > length - QUANTUM) {
            throw new IllegalArgumentException("slice " + slice + " does not start " + WORD
                    + " bytes into a block of the arena [" + ARENA_START + ", " + length + ")");
        }
        long word = readLong(start);
        if ((word & IN_USE) == 0) {
            throw new IllegalArgumentException("slice " + slice + " is in a free block (double free?)");
        }
        long units = word & ~IN_USE;
        if (units == 0 || units > (length - start) >>> 4 || slice.length() > (units << 4) - WORD) {
            throw new IllegalArgumentException("slice " + slice + " does not fit the live block at " + start
                    + " (word " + word(word) + ")");
        }
        return units << 4;
    }

    private long readHead(int list) throws IOException {
        return readLong(SegregatedLayout.headOffset(list));
    }

    /** Truncates a torn zero tail and relinks what the lists miss (see the class comment). */
    private void recover(SegregatedScan scan, long[] heads) throws IOException {
        if (scan.zeroTail() < stack.length()) {
            stack.discard(stack.length() - scan.zeroTail());
        }
        SegregatedScan.Relink relink = scan.relink(heads);
        for (long[] link : relink.links()) {
            writeLong(link[0], link[1]);
        }
        if (!Arrays.equals(heads, relink.heads())) {
            byte[] table = new byte[8 * LISTS];
            for (int list = 0; list < LISTS; list++) {
                putLong(table, 8 * list, relink.heads()[list]);
            }
            stack.set(FREE_HEADS_OFFSET, table);
        }
    }

    /** The 16 bytes starting a free block: its word and its list link. */
    private static byte[] freeBlock(long size, long next) {
        byte[] b = new byte[(int) QUANTUM];
        putLong(b, 0, SegregatedLayout.freeWord(size));
        putLong(b, (int) WORD, next);
        return b;
    }

    private static long[] heads(byte[] header) {
        long[] heads = new long[LISTS];
        for (int list = 0; list < LISTS; list++) {
            heads[list] = getLong(header, (int) SegregatedLayout.headOffset(list));
        }
        return heads;
    }
}
