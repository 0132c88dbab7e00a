package io.cairn.stack.alloc;

import io.cairn.stack.BStack;
import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.FormatHeader;
import io.cairn.stack.StackFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * A fixed-block slab allocator: every block is {@code blockSize} bytes with no per-block header; a free block's
 * first 8 bytes hold the offset of the next free block. Allocations of at most one block pop the free list (or
 * grow the tail by one block); larger ones take a fresh run of {@code ceil(length / blockSize)} blocks at the
 * tail. Byte-compatible with the reference's {@code ALSL} 0.1 layout.
 *
 * <p><b>Layout</b> (payload offsets, integers little-endian):
 * <pre>
 * slab      := user[24] header arena                          (reference ALSL 0.1, arena at 48)
 *            | user[24] header3 arena-record pad arena        (aligned variant, minor 3)
 *            | user[24] header2 alignment-record pad arena    (aligned variant, minor 2: read, no longer written)
 * header    := 'A' 'L' 'S' 'L' 0x00 0x01 0x01 0x00  blockSize:u64  freeHead:u64
 * header3   := 'A' 'L' 'S' 'L' 0x00 0x03 0x01 0x00  blockSize:u64  freeHead:u64
 * header2   := 'A' 'L' 'S' 'L' 0x00 0x02 0x01 0x00  blockSize:u64  freeHead:u64
 * arena-record     := arenaStart:u64 crc32c:u32            (at 48; crc over bytes [24,40) and [48,56))
 * alignment-record := alignment:u64 crc32c:u32             (at 48; the same crc)
 * pad       := 0x00*                                       (up to arenaStart)
 * arena     := block*                                      (arena length is a multiple of blockSize)
 * block     := next:u64 byte[blockSize - 8]                (free: next free block offset, 0 = end)
 *            | byte[blockSize]                             (live: all caller bytes)
 * </pre>
 * <p><b>Alignment.</b> {@link #create(BStack, long, long)} places the arena so every block starts at a file
 * offset (payload offset + the stack's header size, 16 or 32) that is a multiple of {@code alignment}. Where the
 * reference arena at 48 already does (alignments up to 64 on a 0.2 stack, up to 16 on a 0.4 one), the file is a
 * plain reference ALSL 0.1 file. A larger alignment needs padding: the file is then written as minor version 3,
 * which reference 0.1 readers reject rather than misread, and records the arena start at payload 48
 * (checksummed), so {@link #open} finds the arena whatever the stack's header size. {@link BStack#migrate} from
 * 0.2 to 0.4 moves the payload 16 bytes further into the file: a migrated slab keeps working, but its blocks are
 * then only 16-byte aligned in the file ({@link #alignment()} says so). Minor 2, written before, recorded the
 * alignment instead and derived the arena start from the header size; open still reads it, on a migrated stack
 * too.
 *
 * <p><b>Crash behaviour.</b> Free-list changes write the block's next pointer before {@code freeHead}, so a
 * crash between the two calls leaks the blocks in flight and never corrupts the list:
 * <table>
 * <caption>operation, stack calls, what a crash can leave</caption>
 * <tr><th>operation</th><th>stack calls</th><th>crash leaves</th></tr>
 * <tr><td>alloc(≤ blockSize), free list hit</td><td>set freeHead, zero block</td><td>the popped block leaked</td></tr>
 * <tr><td>alloc, tail; allocBulk</td><td>extend</td><td>before or after</td></tr>
 * <tr><td>dealloc of a multi-block tail run</td><td>tryDiscard</td><td>before or after</td></tr>
 * <tr><td>dealloc elsewhere; deallocBulk</td><td>set next pointers (one write per contiguous run), set freeHead</td><td>the freed blocks leaked</td></tr>
 * <tr><td>realloc, same block count</td><td>zero (when growing)</td><td>before or after</td></tr>
 * <tr><td>realloc at the tail</td><td>tryExtendZeros + zero, or tryDiscard</td><td>before or after (grown bytes are zero)</td></tr>
 * <tr><td>realloc, shrink elsewhere</td><td>as dealloc of the excess blocks</td><td>the excess blocks leaked</td></tr>
 * <tr><td>realloc, grow elsewhere</td><td>push copy, then as dealloc of the old blocks</td><td>the new copy or the old blocks leaked</td></tr>
 * </table>
 * A leak cannot be detected afterwards: live and leaked blocks look the same (there is no per-block metadata),
 * so {@link #verify()} reports live and unaccounted bytes as unknown. Double frees cannot be detected either,
 * except freeing the current list head; a double free corrupts the list. {@link CheckedSlabAllocator} detects
 * both at the price of 8 bytes per block.
 *
 * <p><b>Threads.</b> Free-list changes are serialised by a lock; tail growth and shrinking use
 * {@code tryExtendZeros}/{@code tryDiscard} without it, as the reference does.
 */
public final class SlabAllocator extends AbstractAllocator implements BulkAllocator {
    /** Bytes before the allocator header reserved for the caller. */
    static final long USER_SIZE = 24;
    static final long MAGIC_OFFSET = 24;
    static final long BLOCK_SIZE_OFFSET = 32;
    static final long FREE_HEAD_OFFSET = 40;
    /** Arena start of the reference layout (file offset 64 on a 0.2 stack, 80 on a 0.4 one). */
    static final long ARENA_START = 48;
    /** Payload offset of the aligned variants' record (arena start in minor 3, alignment in minor 2). */
    static final long RECORD_OFFSET = 48;
    static final long RECORD_CRC_OFFSET = 56;
    static final long MIN_BLOCK_SIZE = 8;
    /**
     * The format's identity: {@code ALSL}, major 0; minor 1 is the reference layout, minor 3 the aligned one,
     * minor 2 the aligned one of before (read only).
     */
    static final FormatHeader HEADER = FormatHeader.of("slab allocator", "ALSL", 0, 1, 2, 3);
    static final byte[] MAGIC = HEADER.magic(1, 1);
    static final byte[] MAGIC_ALIGNED = HEADER.magic(3, 1);
    /** The minor version that recorded the alignment rather than the arena start. */
    static final int MINOR_ALIGNMENT_RECORD = 2;

    private final long blockSize;
    private final long arenaStart;
    private final long alignment;

    private SlabAllocator(BStack stack, long blockSize, long arenaStart) {
        super(stack);
        this.blockSize = blockSize;
        this.arenaStart = arenaStart;
        this.alignment = fileAlignment(blockSize, arenaStart + stack.format().headerSize());
    }

    /** A new slab over an empty stack, with no alignment constraint beyond the reference layout's. */
    public static SlabAllocator create(BStack stack, long blockSize) throws IOException {
        return create(stack, blockSize, 1);
    }

    /**
     * A new slab over an empty stack whose blocks all start at file offsets that are multiples of
     * {@code alignment}.
     *
     * @throws IllegalArgumentException if the stack is not empty, {@code blockSize < 8}, {@code alignment} is not
     *                                  a power of two, or {@code blockSize} is not a multiple of it
     */
    public static SlabAllocator create(BStack stack, long blockSize, long alignment) throws IOException {
        Objects.requireNonNull(stack, "stack");
        requireEmpty(stack, SlabAllocator.class);
        checkBlockSize(blockSize, MIN_BLOCK_SIZE);
        if (!isPowerOfTwo(alignment) || blockSize % alignment != 0) {
            throw new IllegalArgumentException("alignment must be a power of two dividing blockSize " + blockSize
                    + ": " + alignment);
        }
        long arenaStart = arenaStartFor(alignment, stack.format().headerSize());
        byte[] header = new byte[arraySize(arenaStart, "slab header")];
        putLong(header, (int) BLOCK_SIZE_OFFSET, blockSize);
        if (arenaStart == ARENA_START) {
            System.arraycopy(MAGIC, 0, header, (int) MAGIC_OFFSET, MAGIC.length);
        } else {
            System.arraycopy(MAGIC_ALIGNED, 0, header, (int) MAGIC_OFFSET, MAGIC.length);
            putLong(header, (int) RECORD_OFFSET, arenaStart);
            putInt(header, (int) RECORD_CRC_OFFSET, recordCrc(header));
        }
        stack.push(header);
        return new SlabAllocator(stack, blockSize, arenaStart);
    }

    /**
     * Opens an existing slab (reference ALSL 0.1 or the aligned variant), validating the header, the free head
     * and the tail alignment.
     *
     * @throws IllegalArgumentException if the stack is empty (use {@link #create})
     * @throws CorruptedStoreException  if the header or the arena is impossible
     */
    public static SlabAllocator open(BStack stack) throws IOException {
        Objects.requireNonNull(stack, "stack");
        long length = requireExisting(stack, SlabAllocator.class);
        readHeader(stack, HEADER, MAGIC_OFFSET, ARENA_START);
        byte[] header = stack.get(0, Math.min(length, RECORD_CRC_OFFSET + 4));
        int minor = header[(int) MAGIC_OFFSET + 5];
        long blockSize = getLong(header, (int) BLOCK_SIZE_OFFSET);
        if (blockSize < MIN_BLOCK_SIZE || blockSize > MAX_ARRAY) {
            throw new CorruptedStoreException(stack.path(), BLOCK_SIZE_OFFSET, "slab block size",
                    "[" + MIN_BLOCK_SIZE + ", " + MAX_ARRAY + "]", Long.toString(blockSize));
        }
        long arenaStart = minor == 1 ? ARENA_START : recordedArenaStart(stack, header, minor, blockSize);
        if (!isWholeArena(arenaStart, blockSize, length)) {
            throw new CorruptedStoreException(stack.path(), arenaStart, "slab arena",
                    "a whole number of " + blockSize + "-byte blocks", (length - arenaStart) + " bytes");
        }
        SlabAllocator slab = new SlabAllocator(stack, blockSize, arenaStart);
        long freeHead = getLong(header, (int) FREE_HEAD_OFFSET);
        if (!slab.isFreePointer(freeHead, length)) {
            throw new CorruptedStoreException(stack.path(), FREE_HEAD_OFFSET, "slab free head",
                    "0 or a block offset", Long.toString(freeHead));
        }
        return slab;
    }

    /** The size of every block. */
    public long blockSize() {
        return blockSize;
    }

    /**
     * Every block starts at a file offset that is a multiple of this power of two (at least the alignment asked
     * of {@link #create(BStack, long, long)}, unless the stack was migrated since: then possibly only 16).
     */
    public long alignment() {
        return alignment;
    }

    /** The payload offset of the first block. */
    public long arenaStart() {
        return arenaStart;
    }

    /** The largest whole number of blocks within {@link #MAX_PAYLOAD}. */
    @Override
    long maxLength() {
        return MAX_PAYLOAD / blockSize * blockSize;
    }

    @Override
    Slice allocate(long length) throws IOException {
        if (length <= blockSize) {
            lock.lock();
            try {
                long block = popFreeBlock();
                if (block != 0) {
                    return handle(block, length);
                }
            } finally {
                lock.unlock();
            }
        }
        return handle(stack.extend(backing(length)), length);
    }

    @Override
    void free(Slice slice) throws IOException {
        checkLive(slice);
        long backing = backing(slice.length());
        if (slice.length() > blockSize && stack.tryDiscard(slice.offset() + backing, backing)) {
            return;
        }
        lock.lock();
        try {
            rejectFreeHead(slice.offset());
            pushFreeRuns(List.of(new long[] {slice.offset(), blocks(slice.length())}));
        } finally {
            lock.unlock();
        }
    }

    @Override
    Slice resize(Slice slice, long newLength) throws IOException {
        checkLive(slice);
        long start = slice.offset();
        long oldBlocks = blocks(slice.length());
        long newBlocks = blocks(newLength);
        long oldBacking = oldBlocks * blockSize;
        long newBacking = Math.multiplyExact(newBlocks, blockSize);
        if (newBlocks == oldBlocks) {
            zeroGrowth(slice, newLength);
            return handle(start, newLength);
        }
        if (newBlocks > oldBlocks) {
            if (stack.tryExtendZeros(start + oldBacking, newBacking - oldBacking)) {
                zeroGrowth(slice, newLength);
                return handle(start, newLength);
            }
            byte[] copy = new byte[arraySize(newBacking, "a moving realloc")];
            byte[] old = slice.read();
            System.arraycopy(old, 0, copy, 0, old.length);
            long moved = stack.push(copy);
            lock.lock();
            try {
                pushFreeRuns(List.of(new long[] {start, oldBlocks}));
            } finally {
                lock.unlock();
            }
            return handle(moved, newLength);
        }
        if (!stack.tryDiscard(start + oldBacking, oldBacking - newBacking)) {
            lock.lock();
            try {
                pushFreeRuns(List.of(new long[] {start + newBacking, oldBlocks - newBlocks}));
            } finally {
                lock.unlock();
            }
        }
        return handle(start, newLength);
    }

    /** One tail {@code extend} for all lengths; each slice gets its own run of whole blocks, in order. */
    @Override
    public List<Slice> allocBulk(long... lengths) throws IOException {
        Objects.requireNonNull(lengths, "lengths");
        checkOpen();
        return carve(stack.extend(bulkBacking(lengths, this::backing)), lengths, this::backing);
    }

    /**
     * Frees all slices with one free-list update: the runs are chained in address order (one write per
     * contiguous run) and {@code freeHead} is written once, so a crash leaks the whole batch or nothing.
     */
    @Override
    public void deallocBulk(Collection<Slice> slices) throws IOException {
        List<long[]> runs = contiguousRuns(slices, slice -> {
            checkLive(slice);
            return blocks(slice.length()) * blockSize;
        });
        if (runs.isEmpty()) {
            return;
        }
        for (long[] run : runs) {
            run[1] /= blockSize; // the free list counts runs in blocks
        }
        lock.lock();
        try {
            for (long[] run : runs) {
                rejectFreeHead(run[0]);
            }
            pushFreeRuns(runs);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Rebuilds a handle: the offset must start a block inside the arena, the backing blocks must lie inside the
     * stack, and the offset must not be the free-list head.
     */
    @Override
    public Slice slice(long offset, long length) throws IOException {
        return rebuild(offset, length, candidate -> {
            checkLive(candidate);
            rejectFreeHead(offset);
        });
    }

    @Override
    AllocatorReport inspect() throws IOException {
        List<String> problems = new ArrayList<>();
        long length = stack.length();
        if ((length - arenaStart) % blockSize != 0) {
            problems.add("arena of " + (length - arenaStart) + " bytes is not a whole number of blocks");
        }
        long blockCount = (length - arenaStart) / blockSize;
        long free = 0;
        if (blockCount > Integer.MAX_VALUE) {
            problems.add("arena of " + blockCount + " blocks is too large to verify");
        } else {
            BitSet seen = new BitSet((int) blockCount);
            long at = readLong(FREE_HEAD_OFFSET);
            String from = "free head";
            while (at != 0) {
                if (!isFreePointer(at, length)) {
                    problems.add(from + " points to " + at + ", not a block offset");
                    break;
                }
                int index = (int) ((at - arenaStart) / blockSize);
                if (seen.get(index)) {
                    problems.add("free list cycles back to block " + at);
                    break;
                }
                seen.set(index);
                free++;
                from = "free block " + at;
                at = readLong(at);
            }
        }
        return new AllocatorReport("slab", length, free * blockSize, free > 0 ? blockSize : 0,
                OptionalLong.empty(), OptionalLong.empty(), problems);
    }

    @Override
    public String toString() {
        return "SlabAllocator[" + stack.path() + ", blockSize=" + blockSize + ", alignment=" + alignment + "]";
    }

    // ---------------------------------------------------------------- machinery

    /** Pops the free-list head, zeroed; 0 when the list is empty. Caller holds the lock. */
    private long popFreeBlock() throws IOException {
        long head = readLong(FREE_HEAD_OFFSET);
        if (head == 0) {
            return 0;
        }
        long length = stack.length();
        if (!isFreePointer(head, length)) {
            throw corrupted(FREE_HEAD_OFFSET, "slab free head", "0 or a block offset", Long.toString(head));
        }
        long next = readLong(head);
        if (!isFreePointer(next, length) || next == head) {
            throw corrupted(head, "slab free block's next", "0 or another block offset", Long.toString(next));
        }
        writeLong(FREE_HEAD_OFFSET, next);
        stack.zero(head, blockSize);
        return head;
    }

    /**
     * Prepends runs {@code (firstBlock, count)} to the free list: the blocks are chained in the given order, the
     * last one linking to the old head, and {@code freeHead} is written last. Caller holds the lock.
     */
    private void pushFreeRuns(List<long[]> runs) throws IOException {
        long next = readLong(FREE_HEAD_OFFSET);
        for (int r = runs.size() - 1; r >= 0; r--) {
            long first = runs.get(r)[0];
            long count = runs.get(r)[1];
            next = chainBlocks(first, count, blockSize, 0, next);
        }
        writeLong(FREE_HEAD_OFFSET, next);
    }

    private void checkLive(Slice slice) throws IOException {
        long offset = slice.offset();
        long length = stack.length();
        if (offset < arenaStart || (offset - arenaStart) % blockSize != 0 || slice.length() == 0) {
            throw new IllegalArgumentException("slice " + slice + " does not start a " + blockSize
                    + "-byte block of the arena at " + arenaStart);
        }
        if (backing(slice.length()) > length - offset) {
            throw new IllegalArgumentException("slice " + slice + " needs blocks past the stack's " + length
                    + " bytes");
        }
    }

    /** Caller holds the lock. */
    private void rejectFreeHead(long offset) throws IOException {
        if (readLong(FREE_HEAD_OFFSET) == offset) {
            throw new IllegalArgumentException("block " + offset + " is already free (the free-list head)");
        }
    }

    private boolean isFreePointer(long offset, long length) {
        return offset == 0 || (offset >= arenaStart && offset < length && (offset - arenaStart) % blockSize == 0);
    }

    private long blocks(long length) {
        return length <= blockSize ? 1 : ceilDiv(length, blockSize);
    }

    private long backing(long length) {
        return length == 0 ? 0 : Math.multiplyExact(blocks(length), blockSize);
    }

    private static long arenaStartFor(long alignment, long fileOffset) {
        return Math.max(ARENA_START, alignUp(ARENA_START + fileOffset, alignment) - fileOffset);
    }

    private static boolean isWholeArena(long arenaStart, long blockSize, long length) {
        return length >= arenaStart && (length - arenaStart) % blockSize == 0;
    }

    /**
     * The arena start of an aligned slab (minor 2 or 3), from its checksummed record. Minor 3 records it. Minor 2
     * recorded the alignment, and the arena start followed from the header size of the stack it was created in:
     * this stack's, or 16 if a 0.2 stack was migrated to 0.4 since. The two candidates differ by 16 or 48 bytes
     * and a minor-2 block size is a multiple of an alignment of at least 32, so at most one of them leaves a whole
     * number of blocks; that one is the arena (neither: the caller reports the arena as corrupt).
     */
    private static long recordedArenaStart(BStack stack, byte[] header, int minor, long blockSize)
            throws IOException {
        if (header.length < RECORD_CRC_OFFSET + 4) {
            throw new CorruptedStoreException(stack.path(), RECORD_OFFSET, "aligned slab arena record",
                    "a stack of at least " + (RECORD_CRC_OFFSET + 4) + " bytes", header.length + " bytes");
        }
        int stored = getInt(header, (int) RECORD_CRC_OFFSET);
        if (stored != recordCrc(header)) {
            throw new CorruptedStoreException(stack.path(), RECORD_CRC_OFFSET, "slab arena record checksum",
                    crc(recordCrc(header)), crc(stored));
        }
        long recorded = getLong(header, (int) RECORD_OFFSET);
        if (minor != MINOR_ALIGNMENT_RECORD) {
            if (recorded < RECORD_CRC_OFFSET + 4) {
                throw new CorruptedStoreException(stack.path(), RECORD_OFFSET, "slab arena start",
                        "at least " + (RECORD_CRC_OFFSET + 4) + ", after its record", Long.toString(recorded));
            }
            return recorded;
        }
        if (!isPowerOfTwo(recorded) || blockSize % recorded != 0) {
            throw new CorruptedStoreException(stack.path(), RECORD_OFFSET, "slab alignment",
                    "a power of two dividing the block size " + blockSize, Long.toString(recorded));
        }
        long created = arenaStartFor(recorded, stack.format().headerSize());
        long migrated = arenaStartFor(recorded, StackFormat.V0_2.headerSize());
        return isWholeArena(created, blockSize, stack.length()) ? created : migrated;
    }

    /** The largest power of two (capped by the block size's) dividing every block's file offset. */
    private static long fileAlignment(long blockSize, long fileStart) {
        return Math.min(Long.lowestOneBit(fileStart), Long.lowestOneBit(blockSize));
    }

    /** CRC32C of the immutable header fields and the aligned variants' record. Package-private for tests. */
    static int recordCrc(byte[] header) {
        CRC32C crc = new CRC32C();
        crc.update(header, (int) MAGIC_OFFSET, (int) (FREE_HEAD_OFFSET - MAGIC_OFFSET));
        crc.update(header, (int) RECORD_OFFSET, 8);
        return (int) crc.getValue();
    }
}
