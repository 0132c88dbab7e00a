package io.cairn.stack.alloc;

import io.cairn.stack.FormatHeader;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of a {@link CheckedSlabAllocator} ({@code ALCK}), a format of our own: the reference slab
 * plus an 8-byte word at the start of every block that says whether the block is free or starts a live run, so
 * double frees are detected and open can rebuild the free list from the blocks alone.
 *
 * <pre>
 * checked   := user[24] header arena                                  (all integers little-endian)
 * header    := magic blockSize:u64 freeHead:u64 headerCrc:u32 reserved:u32        (payload 24..56)
 * magic     := 'A' 'L' 'C' 'K' 0x00 0x01 0x00 0x00        (checked by {@link #HEADER})
 * headerCrc := crc32c(magic ‖ blockSize)                   (the immutable header fields)
 * arena     := block*                                      (from payload 56; a whole number of blocks)
 * block     := freeWord next:u64 byte[blockSize - 16]      (free block; next = next free block, 0 = end)
 *            | liveWord byte[count * blockSize - 8]        (first block of a live run of count blocks)
 * freeWord  := 0:u64
 * liveWord  := check:u32 count:u31 1:u1                    (as a u64: 1 << 63 | count << 32 | check)
 * check     := crc32c(blockOffset:u64 ‖ count:u32)         (ties the word to its position and run length)
 * </pre>
 * A live run's caller bytes start 8 bytes into its first block: a slice of {@code length} bytes needs
 * {@code max(1, ceil((length + 8) / blockSize))} blocks. Any other word at a run boundary is corruption.
 */
final class CheckedSlabFormat {
    private CheckedSlabFormat() {}

    /** The format's identity: {@code ALCK}, major 0, minor 1. */
    static final FormatHeader HEADER = FormatHeader.of("checked-slab allocator", "ALCK", 0, 1);
    /** The magic this implementation writes: version 0.1.0. */
    static final byte[] MAGIC = HEADER.magic(1, 0);
    /** Bytes before the header reserved for the caller. */
    static final long USER_SIZE = 24;
    static final long MAGIC_OFFSET = 24;
    static final long BLOCK_SIZE_OFFSET = 32;
    static final long FREE_HEAD_OFFSET = 40;
    static final long HEADER_CRC_OFFSET = 48;
    /** Payload offset of the first block. */
    static final long ARENA_START = 56;
    /** Size of the per-block word. */
    static final long WORD = 8;
    /** Smallest block: the word and a free block's next pointer. */
    static final long MIN_BLOCK_SIZE = 16;
    /** Largest run a live word can describe. */
    static final long MAX_RUN = Integer.MAX_VALUE;
    static final long LIVE_BIT = 1L << 63;

    /** The word of a live run of {@code count} blocks starting at {@code block}. */
    static long liveWord(long block, long count) {
        return LIVE_BIT | count << 32 | check(block, count);
    }

    /** The run length a word describes for a block at {@code block}; -1 if it is not a valid live word. */
    static long runLength(long word, long block) {
        if ((word & LIVE_BIT) == 0) {
            return -1;
        }
        long count = (word >>> 32) & 0x7FFF_FFFFL;
        return count > 0 && (word & 0xFFFF_FFFFL) == check(block, count) ? count : -1;
    }

    /** The checksum of the immutable header fields, over {@code header[24, 40)}. */
    static int headerCrc(byte[] header) {
        CRC32C crc = new CRC32C();
        crc.update(header, (int) MAGIC_OFFSET, (int) (FREE_HEAD_OFFSET - MAGIC_OFFSET));
        return (int) crc.getValue();
    }

    private static long check(long block, long count) {
        byte[] b = new byte[12];
        AbstractAllocator.putLong(b, 0, block);
        AbstractAllocator.putInt(b, 8, (int) count);
        CRC32C crc = new CRC32C();
        crc.update(b);
        return crc.getValue();
    }
}
