package io.cairn.stack.alloc;

import io.cairn.stack.BStack;
import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.FormatHeader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A first-fit allocator with boundary-tagged blocks and an intrusive doubly linked free list, byte-compatible
 * with the reference's {@code ALFF} 0.1 layout. Freed blocks are coalesced with free neighbours and reused; a
 * free block reaching the tail is discarded, so the file shrinks.
 *
 * <p><b>Layout</b> (payload offsets, integers little-endian):
 * <pre>
 * firstfit := user[16] header arena
 * header   := 'A' 'L' 'F' 'F' 0x00 0x01 0x01 0x00  flags:u32 reserved:u32 freeHead:u64   (arena at 48)
 * flags    := bit 0 = recovery needed (a multi-call change was in progress)
 * arena    := block*
 * block    := size:u64 blockFlags:u32 reserved:u32 payload[size] size:u64       (header 16, footer 8)
 * blockFlags := bit 0 = free
 * payload  := next:u64 prev:u64 byte[size - 16]      (free block: list links, payload offsets, 0 = none)
 *           | byte[size]                            (live block: caller bytes from the payload start)
 * </pre>
 * Sizes are {@code max(length, 16)} rounded up to 8. {@code freeHead} and the links point at payloads.
 *
 * <p><b>Policy.</b> {@code alloc} walks the list from the head and takes the first block that fits; a block
 * with at least 16 payload bytes to spare after the 24-byte overhead is split, the allocation carved from its
 * back. {@code dealloc} coalesces right then left (footers cross-checked with headers); the tail block is
 * discarded, then any free blocks it exposes. {@code realloc} resizes in place when it can (same block, the
 * tail, or absorbing a free right neighbour) and moves otherwise.
 *
 * <p><b>Crash behaviour.</b> Every change of more than one stack call sets the recovery flag first and clears it
 * last; open with the flag set (or an impossible {@code freeHead}) runs recovery: a linear scan that trusts only
 * block headers, completes a half-done split, repairs footers, truncates a torn all-zero tail extension, drops
 * free blocks at the tail and relinks the free list in address order. Garbage in the middle of the arena is a
 * {@link CorruptedStoreException}, never a silent truncation.
 * <table>
 * <caption>operation, stack calls, what a crash can leave</caption>
 * <tr><th>operation</th><th>stack calls</th><th>crash leaves (after recovery)</th></tr>
 * <tr><td>alloc, no fit</td><td>push (above 1 MiB: flag, extend, header, footer, clear)</td><td>before or
 *     after (or, above 1 MiB, the block leaked)</td></tr>
 * <tr><td>alloc from the list</td><td>flag, 2–3 sets, clear</td><td>before, or the block leaked</td></tr>
 * <tr><td>dealloc of the tail</td><td>discard, then flag + unlink + discard per exposed free block + clear</td><td>before or after</td></tr>
 * <tr><td>dealloc elsewhere</td><td>flag, unlink neighbours, 2–3 sets, clear</td><td>before, after, or the block leaked</td></tr>
 * <tr><td>realloc in the same block</td><td>zero</td><td>before or after</td></tr>
 * <tr><td>realloc of the tail</td><td>flag, extend + zero + 2 sets (grow) or 2 sets + discard (shrink), clear</td><td>before or after</td></tr>
 * <tr><td>realloc absorbing the right neighbour</td><td>zero, flag, unlink, 2–5 sets, clear</td><td>before or after</td></tr>
 * <tr><td>realloc moving</td><td>flag, take or push the new block, free the old, clear</td><td>the old or the new block leaked</td></tr>
 * </table>
 * Blocks above 1 MiB are zeroed and copied in 1 MiB writes, so no operation builds an array the size of a block.
 * Data of live allocations is never written by another operation. Double frees are detected (the header is
 * already marked free) and rejected with {@link IllegalArgumentException}.
 *
 * <p><b>Threads.</b> Every operation holds the allocator's lock.
 */
public final class FirstFitAllocator extends AbstractAllocator {
    static final long USER_SIZE = 16;
    static final long MAGIC_OFFSET = 16;
    static final long FLAGS_OFFSET = 24;
    static final long FREE_HEAD_OFFSET = 32;
    static final long ARENA_START = 48;
    static final long BLOCK_HEADER = 16;
    static final long BLOCK_FOOTER = 8;
    static final long OVERHEAD = BLOCK_HEADER + BLOCK_FOOTER;
    static final long MIN_PAYLOAD = 16;
    /** The format's identity: {@code ALFF}, major 0, minor 1 (the reference's 0.1 and 0.2 lines). */
    static final FormatHeader HEADER = FormatHeader.of("first-fit allocator", "ALFF", 0, 1);
    /** The magic this implementation writes: version 0.1.1. */
    static final byte[] MAGIC = HEADER.magic(1, 1);
    private static final int FREE = 1;

    private FirstFitAllocator(BStack stack) {
        super(stack);
    }

    /**
     * Opens the first-fit allocator in {@code stack}, writing a fresh header into an empty stack and running
     * recovery when the last session crashed in the middle of a change. A read-only stack is opened without
     * recovery, for inspection: {@link #verify()} then reports what recovery would repair.
     *
     * @throws CorruptedStoreException if the stack holds something else or its arena is impossible
     */
    public static FirstFitAllocator open(BStack stack) throws IOException {
        Objects.requireNonNull(stack, "stack");
        FirstFitAllocator ff = new FirstFitAllocator(stack);
        long length = stack.length();
        if (length == 0) {
            byte[] header = new byte[(int) ARENA_START];
            System.arraycopy(MAGIC, 0, header, (int) MAGIC_OFFSET, MAGIC.length);
            stack.push(header);
            return ff;
        }
        byte[] header = readHeader(stack, HEADER, MAGIC_OFFSET, ARENA_START);
        boolean recover = (header[(int) FLAGS_OFFSET] & 1) != 0;
        long freeHead = getLong(header, (int) FREE_HEAD_OFFSET);
        if (freeHead != 0 && !isPayloadOffset(freeHead, length)) {
            recover = true;
        }
        if (recover && !stack.isReadOnly()) {
            ff.recover();
        }
        return ff;
    }

    /** A block of the largest length, with its header and footer, stays within {@link #MAX_PAYLOAD}. */
    @Override
    long maxLength() {
        return (MAX_PAYLOAD - OVERHEAD) & -8L;
    }

    @Override
    Slice allocate(long length) throws IOException {
        long size = blockSize(length);
        lock.lock();
        try {
            return handle(place(size, 0, 0), length);
        } finally {
            lock.unlock();
        }
    }

    @Override
    void free(Slice slice) throws IOException {
        // Looks the block up under the lock that frees it: a concurrent change could merge or move it in between.
        lock.lock();
        try {
            freeBlock(slice.offset(), liveBlockSize(slice));
        } finally {
            lock.unlock();
        }
    }

    @Override
    Slice resize(Slice slice, long newLength) throws IOException {
        // Looks the block up under the lock that resizes it, as free does.
        lock.lock();
        try {
            return handle(resizeBlock(slice, liveBlockSize(slice), newLength), newLength);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Rebuilds a handle: the offset must be the payload of a block whose header is live, whose size holds the
     * length, and whose footer agrees.
     */
    @Override
    public Slice slice(long offset, long length) throws IOException {
        return rebuild(offset, length, this::liveBlockSize);
    }

    @Override
    public String toString() {
        return "FirstFitAllocator[" + stack.path() + "]";
    }

    // ---------------------------------------------------------------- operations (caller holds the lock)

    /**
     * Places a live block of {@code size} payload bytes whose first {@code copied} bytes come from payload offset
     * {@code source} and the rest are zero; returns its payload. Only a buffered append needs no recovery flag.
     */
    private long place(long size, long source, long copied) throws IOException {
        long[] fit = findFit(size);
        if (fit == null && buffered(size + OVERHEAD)) {
            return append(size, source, copied);
        }
        setRecoveryNeeded(true);
        long payload = fit == null ? append(size, source, copied) : take(fit[0], fit[1], size, source, copied);
        setRecoveryNeeded(false);
        return payload;
    }

    /**
     * Appends a live block (see {@link #place}): one push when buffered; else, under the caller's recovery flag,
     * zeros first, then the header, the footer and the copied bytes, so a crash leaves an all-zero tail or a
     * block whose footer recovery repairs.
     */
    private long append(long size, long source, long copied) throws IOException {
        if (buffered(size + OVERHEAD)) {
            byte[] block = new byte[(int) (size + OVERHEAD)];
            putLong(block, 0, size);
            readInto(source, block, (int) BLOCK_HEADER, copied);
            putLong(block, (int) (BLOCK_HEADER + size), size);
            return stack.push(block) + BLOCK_HEADER;
        }
        long payload = stack.extend(size + OVERHEAD) + BLOCK_HEADER;
        writeLong(payload - BLOCK_HEADER, size);
        writeLong(payload + size, size);
        copy(source, payload, copied);
        return payload;
    }

    /** Frees the live block at {@code payload}: discards it at the tail, else coalesces and links it. */
    private void freeBlock(long payload, long size) throws IOException {
        if (payload + size + BLOCK_FOOTER == stack.length()) {
            stack.discard(size + OVERHEAD);
            discardFreeTail();
            return;
        }
        setRecoveryNeeded(true);
        addFree(payload, size);
        setRecoveryNeeded(false);
    }

    private long resizeBlock(Slice slice, long size, long newLength) throws IOException {
        long start = slice.offset();
        long newSize = blockSize(newLength);
        boolean tail = start + size + BLOCK_FOOTER == stack.length();
        if (newSize == blockSize(slice.length()) || newSize == size || (newSize < size && !tail)) {
            zeroGrowth(slice, newLength);
            return start;
        }
        if (tail) {
            resizeTail(slice, size, newSize, newLength);
            return start;
        }
        if (absorbRight(slice, size, newSize)) {
            return start;
        }
        long copied = Math.min(slice.length(), newSize);
        setRecoveryNeeded(true);
        long[] fit = findFit(newSize);
        long moved = fit == null ? append(newSize, start, copied) : take(fit[0], fit[1], newSize, start, copied);
        addFree(start, size);
        setRecoveryNeeded(false);
        return moved;
    }

    /** Grows or shrinks the tail block in place (a block larger than its slice may shrink while the slice grows). */
    private void resizeTail(Slice slice, long size, long newSize, long newLength) throws IOException {
        long start = slice.offset();
        if (newSize < size) {
            zeroGrowth(slice, newLength);
        }
        setRecoveryNeeded(true);
        if (newSize > size) {
            stack.extend(newSize - size);
            // Stale bytes past the caller's length and the old footer become payload: zero them.
            zeroRange(slice.end(), size + BLOCK_FOOTER - slice.length());
            writeLong(start - BLOCK_HEADER, newSize);
            writeLong(start + newSize, newSize);
        } else {
            // New footer and zeros over the doomed bytes first: a crash before the discard leaves a zero tail
            // extension that recovery truncates, never stale bytes it could mistake for a block.
            writeImage(start + newSize, size - newSize + BLOCK_FOOTER, 0, 0, 0, 0, newSize);
            writeLong(start - BLOCK_HEADER, newSize);
            stack.discard(size - newSize);
        }
        setRecoveryNeeded(false);
    }

    /** Grows into a free right neighbour when the two together are large enough; returns whether it did. */
    private boolean absorbRight(Slice slice, long size, long newSize) throws IOException {
        long start = slice.offset();
        long next = start + size + OVERHEAD;
        long length = stack.length();
        if (next + MIN_PAYLOAD + BLOCK_FOOTER > length) {
            return false;
        }
        long nextSize = freeBlockSizeAt(next, length);
        long merged = size + OVERHEAD + nextSize;
        if (nextSize < 0 || merged < newSize) {
            return false;
        }
        // The bytes past the caller's length become visible: zero them before touching the structure.
        zeroRange(slice.end(), size - slice.length());
        setRecoveryNeeded(true);
        unlink(next);
        long joined = nextSize + OVERHEAD + BLOCK_FOOTER;
        if (splits(merged, newSize)) {
            long remainder = merged - newSize - OVERHEAD;
            long freePayload = start + newSize + OVERHEAD;
            long oldHead = readLong(FREE_HEAD_OFFSET);
            long footerAt = newSize - size;
            // Header to the merged size first: a crash after the joined bytes shows recovery the split pattern.
            writeLong(start - BLOCK_HEADER, merged);
            writeImage(start + size, joined, 0, 0, 0, footerAt, newSize, footerAt + BLOCK_FOOTER, remainder,
                    footerAt + BLOCK_FOOTER + 8, FREE, footerAt + OVERHEAD, oldHead, nextSize + OVERHEAD, remainder);
            writeLong(start - BLOCK_HEADER, newSize);
            linkAtHead(freePayload, oldHead);
        } else {
            writeLong(start - BLOCK_HEADER, merged);
            writeImage(start + size, joined, 0, 0, 0, nextSize + OVERHEAD, merged);
        }
        setRecoveryNeeded(false);
        return true;
    }

    /**
     * Takes the free block at {@code payload} of {@code size} bytes for a {@code wanted}-byte allocation filled as
     * {@link #place} says; returns the allocation's payload offset.
     */
    private long take(long payload, long size, long wanted, long source, long copied) throws IOException {
        if (splits(size, wanted)) {
            long remainder = size - wanted - OVERHEAD;
            byte[] seam = new byte[(int) OVERHEAD];
            putLong(seam, 0, remainder);
            putLong(seam, (int) BLOCK_FOOTER, wanted);
            stack.set(payload + remainder, seam);
            long back = payload + remainder + OVERHEAD;
            // The back block's bytes, footer last: until the footer lands the whole block still reads as one.
            writeImage(back, wanted + BLOCK_FOOTER, 0, source, copied, wanted, wanted);
            writeLong(payload - BLOCK_HEADER, remainder);
            return back;
        }
        unlink(payload);
        // Clear the free flag and write the caller's bytes (one call when buffered).
        writeImage(payload - 8, wanted + 8, 8, source, copied);
        return payload;
    }

    /**
     * Writes {@code n} bytes at {@code at}: {@code copied} bytes from payload offset {@code source} placed at
     * {@code at + dataAt}, zeros elsewhere, except the 8-byte {@code words} given as (offset from {@code at},
     * value) pairs. A buffered image is one write; a larger one is written in chunks, copies and zeros first, the
     * words last and in order, so no array the size of a block is ever built.
     */
    private void writeImage(long at, long n, long dataAt, long source, long copied, long... words)
            throws IOException {
        if (buffered(n)) {
            byte[] image = new byte[(int) n];
            readInto(source, image, (int) dataAt, copied);
            for (int i = 0; i < words.length; i += 2) {
                putLong(image, (int) words[i], words[i + 1]);
            }
            stack.set(at, image);
            return;
        }
        copy(source, at + dataAt, copied);
        zeroRange(at, dataAt);
        zeroRange(at + dataAt + copied, n - dataAt - copied);
        for (int i = 0; i < words.length; i += 2) {
            writeLong(at + words[i], words[i + 1]);
        }
    }

    /** Marks the block free, coalesces it with free neighbours and links the result at the list head. */
    private void addFree(long payload, long size) throws IOException {
        long length = stack.length();
        long header = payload - BLOCK_HEADER;
        long right = payload + size + OVERHEAD;
        long rightSize = right + MIN_PAYLOAD + BLOCK_FOOTER <= length ? freeBlockSizeAt(right, length) : -1;
        if (rightSize >= 0) {
            unlink(right);
            size += OVERHEAD + rightSize;
        }
        if (header > ARENA_START) {
            long leftSize = readLong(header - BLOCK_FOOTER);
            long leftPayload = header - BLOCK_FOOTER - leftSize;
            if (leftSize >= MIN_PAYLOAD && leftSize % 8 == 0 && leftPayload - BLOCK_HEADER >= ARENA_START
                    && freeBlockSizeAt(leftPayload, length) == leftSize) {
                unlink(leftPayload);
                size += OVERHEAD + leftSize;
                payload = leftPayload;
            }
        }
        long oldHead = readLong(FREE_HEAD_OFFSET);
        byte[] head = new byte[(int) (BLOCK_HEADER + 16)];
        putLong(head, 0, size);
        putInt(head, 8, FREE);
        putLong(head, (int) BLOCK_HEADER, oldHead);
        stack.set(payload - BLOCK_HEADER, head);
        writeLong(payload + size, size);
        linkAtHead(payload, oldHead);
    }

    /** Points {@code freeHead} at {@code payload} (whose next is already {@code oldHead}) and back-links it. */
    private void linkAtHead(long payload, long oldHead) throws IOException {
        writeLong(FREE_HEAD_OFFSET, payload);
        if (oldHead != 0) {
            writeLong(oldHead + 8, payload);
        }
    }

    /** Removes the free block at {@code payload} from the list by relinking its neighbours. */
    private void unlink(long payload) throws IOException {
        byte[] links = stack.get(payload, payload + 16);
        long next = getLong(links, 0);
        long prev = getLong(links, 8);
        long length = stack.length();
        if ((next != 0 && !isPayloadOffset(next, length)) || (prev != 0 && !isPayloadOffset(prev, length))) {
            throw corrupted(payload, "first-fit free block links", "0 or block payloads",
                    "next " + next + ", prev " + prev);
        }
        writeLong(prev != 0 ? prev : FREE_HEAD_OFFSET, next);
        if (next != 0) {
            writeLong(next + 8, prev);
        }
    }

    /** Discards free blocks at the tail until the tail block is live (or the arena is empty). */
    private void discardFreeTail() throws IOException {
        boolean flagged = false;
        while (true) {
            long length = stack.length();
            if (length < ARENA_START + OVERHEAD + MIN_PAYLOAD) {
                break;
            }
            long size = readLong(length - BLOCK_FOOTER);
            long payload = length - BLOCK_FOOTER - size;
            if (size < MIN_PAYLOAD || size % 8 != 0 || payload - BLOCK_HEADER < ARENA_START
                    || freeBlockSizeAt(payload, length) != size) {
                break;
            }
            if (!flagged) {
                setRecoveryNeeded(true);
                flagged = true;
            }
            unlink(payload);
            stack.discard(size + OVERHEAD);
        }
        if (flagged) {
            setRecoveryNeeded(false);
        }
    }

    /** Walks the free list for the first block of at least {@code size}; {@code {payload, size}} or null. */
    private long[] findFit(long size) throws IOException {
        long length = stack.length();
        long steps = maxBlocks(length);
        long at = readLong(FREE_HEAD_OFFSET);
        while (at != 0) {
            if (!isPayloadOffset(at, length) || steps-- == 0) {
                throw corrupted(at, "first-fit free list entry", steps < 0 ? "a list no longer than the blocks that"
                        + " fit (a cycle)" : "a block payload", Long.toString(at));
            }
            byte[] entry = stack.get(at - BLOCK_HEADER, at + 8);
            long blockSize = getLong(entry, 0);
            if ((entry[8] & FREE) == 0 || !fits(at, blockSize, length)) {
                throw corrupted(at - BLOCK_HEADER, "first-fit free list entry", "a free block",
                        "size " + blockSize + ", flags " + entry[8]);
            }
            if (blockSize >= size) {
                if (readLong(at + blockSize) != blockSize) {
                    throw corrupted(at + blockSize, "first-fit free block footer", Long.toString(blockSize),
                            Long.toString(readLong(at + blockSize)));
                }
                return new long[] {at, blockSize};
            }
            at = getLong(entry, (int) BLOCK_HEADER);
        }
        return null;
    }

    /**
     * The size of the live block whose payload is {@code slice.offset()}, after checking that it can hold the
     * slice: rejects foreign offsets, free blocks (double free) and mismatched boundary tags.
     */
    private long liveBlockSize(Slice slice) throws IOException {
        long start = slice.offset();
        long length = stack.length();
        long minimum = blockSize(slice.length());
        if (start % 8 != 0 || start < ARENA_START + BLOCK_HEADER || minimum > length - start - BLOCK_FOOTER) {
            throw new IllegalArgumentException("slice " + slice + " cannot be a block payload in an arena of "
                    + length + " bytes");
        }
        byte[] header = stack.get(start - BLOCK_HEADER, start);
        long size = getLong(header, 0);
        if ((header[8] & FREE) != 0) {
            throw new IllegalArgumentException("slice " + slice + " is a free block (double free?)");
        }
        if (size < minimum || size % 8 != 0 || !fits(start, size, length) || readLong(start + size) != size) {
            throw new IllegalArgumentException("slice " + slice + " is not a live block of at least " + minimum
                    + " bytes (header says " + size + ")");
        }
        return size;
    }

    /** The size of the free block at {@code payload} if its tags agree, else -1. */
    private long freeBlockSizeAt(long payload, long length) throws IOException {
        byte[] header = stack.get(payload - BLOCK_HEADER, payload);
        long size = getLong(header, 0);
        if ((header[8] & FREE) == 0 || !fits(payload, size, length) || readLong(payload + size) != size) {
            return -1;
        }
        return size;
    }

    private void setRecoveryNeeded(boolean needed) throws IOException {
        stack.set(FLAGS_OFFSET, new byte[] {(byte) (needed ? 1 : 0), 0, 0, 0});
    }

    // ---------------------------------------------------------------- recovery and verification

    /**
     * Rebuilds the free list from block headers. Trusts no stored link; completes a half-done split, rewrites
     * disagreeing footers, truncates an all-zero torn tail, discards free tail blocks. The whole arena is walked
     * and judged before the first write, so a refusal leaves the file as it was.
     */
    private void recover() throws IOException {
        Walk walk = scan(true);
        for (long[] fix : walk.fixes()) {
            writeLong(fix[0], fix[1]);
        }
        if (walk.zeroTail() < stack.length()) {
            stack.discard(stack.length() - walk.zeroTail());
        }
        List<long[]> blocks = walk.blocks();
        while (!blocks.isEmpty() && blocks.getLast()[2] == FREE) {
            long[] last = blocks.removeLast();
            stack.discard(last[1] + OVERHEAD);
        }
        List<Long> free = new ArrayList<>();
        for (long[] b : blocks) {
            if (b[2] == FREE) {
                free.add(b[0]);
            }
        }
        for (int i = 0; i < free.size(); i++) {
            byte[] links = new byte[16];
            putLong(links, 0, i + 1 < free.size() ? free.get(i + 1) : 0);
            putLong(links, 8, i > 0 ? free.get(i - 1) : 0);
            stack.set(free.get(i), links);
        }
        writeLong(FREE_HEAD_OFFSET, free.isEmpty() ? 0 : free.getFirst());
        setRecoveryNeeded(false);
    }

    /**
     * What a walk of the arena found.
     *
     * @param blocks   {@code {payload, size, flags & FREE}} per block, sizes as repaired
     * @param fixes    header and footer words recovery must write, as {@code {offset, value}}
     * @param zeroTail where an all-zero torn tail starts, or the stack length if there is none
     */
    private record Walk(List<long[]> blocks, List<long[]> fixes, long zeroTail) {
    }

    /**
     * Walks the arena by block headers, reading only. With {@code repair}, plans the fixes of what a crash can
     * leave (see {@link #recover()}); without, a torn tail is corruption like any impossible header.
     */
    private Walk scan(boolean repair) throws IOException {
        List<long[]> blocks = new ArrayList<>();
        List<long[]> fixes = new ArrayList<>();
        long length = stack.length();
        long pos = ARENA_START;
        while (pos < length) {
            long size = length - pos >= OVERHEAD ? readLong(pos) : -1;
            long payload = pos + BLOCK_HEADER;
            if (size < MIN_PAYLOAD || size % 8 != 0 || !fits(payload, size, length)) {
                if (repair && firstNonZero(pos, length) < 0) {
                    return new Walk(blocks, fixes, pos);
                }
                throw corrupted(pos, "first-fit block header (impossible size)", "a multiple of 8 from "
                        + MIN_PAYLOAD + " that fits the arena (it ends at " + length + ")", Long.toString(size));
            }
            if (repair) {
                long completed = completedSplit(pos, size, length);
                if (completed != size) {
                    fixes.add(new long[] {pos, completed});
                    size = completed;
                }
                if (readLong(payload + size) != size) {
                    fixes.add(new long[] {payload + size, size});
                }
            }
            byte[] header = stack.get(pos, pos + BLOCK_HEADER);
            blocks.add(new long[] {payload, size, header[8] & FREE});
            pos = payload + size + BLOCK_FOOTER;
        }
        return new Walk(blocks, fixes, length);
    }

    /**
     * A split writes the seam and the back block before shrinking the front block's header; a crash in between
     * leaves header H, outer footer F, inner footer R = H - F - 24 and a second header F. Returns the size the
     * header should have: R for that pattern, else {@code size}.
     */
    private long completedSplit(long pos, long size, long length) throws IOException {
        long payload = pos + BLOCK_HEADER;
        long outer = readLong(payload + size);
        long inner = size - outer - OVERHEAD;
        if (outer == size || outer < MIN_PAYLOAD || outer % 8 != 0 || inner < MIN_PAYLOAD || inner % 8 != 0
                || inner > size) {
            return size;
        }
        long second = payload + inner + BLOCK_FOOTER;
        if (second + BLOCK_HEADER > length || readLong(payload + inner) != inner || readLong(second) != outer) {
            return size;
        }
        return inner;
    }

    @Override
    AllocatorReport inspect() throws IOException {
        List<String> problems = new ArrayList<>();
        long length = stack.length();
        byte[] header = stack.get(0, ARENA_START);
        if ((header[(int) FLAGS_OFFSET] & 1) != 0) {
            problems.add("recovery flag is set outside an operation");
        }
        List<long[]> blocks;
        try {
            blocks = scan(false).blocks();
        } catch (CorruptedStoreException e) {
            problems.add(e.getMessage());
            return new AllocatorReport("first-fit", length, 0, 0, OptionalLong.empty(), OptionalLong.empty(),
                    problems);
        }
        Set<Long> freeBlocks = new HashSet<>();
        long live = 0;
        for (long[] b : blocks) {
            if (readLong(b[0] + b[1]) != b[1]) {
                problems.add("block " + b[0] + " footer disagrees with its header size " + b[1]);
            }
            if (b[2] == FREE) {
                freeBlocks.add(b[0]);
            } else {
                live += b[1];
            }
        }
        long free = 0;
        long largest = 0;
        Set<Long> linked = new HashSet<>();
        long prev = 0;
        long at = getLong(header, (int) FREE_HEAD_OFFSET);
        while (at != 0) {
            if (!freeBlocks.contains(at)) {
                problems.add("free list reaches " + at + ", not a free block");
                break;
            }
            if (!linked.add(at)) {
                problems.add("free list cycles back to " + at);
                break;
            }
            byte[] links = stack.get(at, at + 16);
            if (getLong(links, 8) != prev) {
                problems.add("free block " + at + " links back to " + getLong(links, 8) + ", expected " + prev);
            }
            long size = readLong(at - BLOCK_HEADER);
            free += size;
            largest = Math.max(largest, size);
            prev = at;
            at = getLong(links, 0);
        }
        long leaked = 0;
        for (long[] b : blocks) {
            if (b[2] == FREE && !linked.contains(b[0])) {
                leaked += b[1] + OVERHEAD;
            }
        }
        return new AllocatorReport("first-fit", length, free, largest, OptionalLong.of(live),
                OptionalLong.of(leaked), problems);
    }

    // ---------------------------------------------------------------- arithmetic

    /** The payload size backing a {@code length}-byte allocation: at least 16, a multiple of 8. */
    static long blockSize(long length) {
        return alignUp(Math.max(length, MIN_PAYLOAD), 8);
    }

    /** Whether a free block of {@code size} is split for a {@code wanted}-byte allocation (one threshold). */
    private static boolean splits(long size, long wanted) {
        return size >= wanted + OVERHEAD + MIN_PAYLOAD;
    }

    /** Whether {@code n} bytes are written from one buffer rather than in chunks. */
    private static boolean buffered(long n) {
        return n <= IO_CHUNK;
    }

    private static boolean fits(long payload, long size, long length) {
        return size >= MIN_PAYLOAD && size % 8 == 0 && size <= length - payload - BLOCK_FOOTER;
    }

    private static boolean isPayloadOffset(long offset, long length) {
        return offset % 8 == 0 && offset >= ARENA_START + BLOCK_HEADER && offset < length;
    }

    private static long maxBlocks(long length) {
        return (length - ARENA_START) / (OVERHEAD + MIN_PAYLOAD) + 1;
    }
}
