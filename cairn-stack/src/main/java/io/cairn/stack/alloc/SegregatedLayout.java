package io.cairn.stack.alloc;

import io.cairn.stack.FormatHeader;

/**
 * The on-disk layout of the segregated-fit allocator ({@code ALSG}), byte-compatible with the reference bstack
 * 0.4 {@code SegregatedBStackAllocator} (minor version 2). All offsets are stack payload offsets (the same in a
 * 0.2 and a 0.4 stack); all integers are little-endian.
 *
 * <pre>
 * segregated := user[24] header arena
 * header     := magic reserved:u64 freeHead[33]:u64          (payload 24..304)
 * magic      := 'A' 'L' 'S' 'G' 0x00 0x02 0x02 0x00           (checked by {@link #HEADER}; minor 1 is refused)
 * freeHead[c]:= 0 | payload offset of the first free block of list c
 * arena      := block*                                        (payload 304; its length is a multiple of 16)
 * block      := word:u64 data[size - 8]                       (starts 16-aligned; the caller's bytes at +8)
 * word       := inUse:1 (size / 16):63                        (bit 63 set = live; size a multiple of 16, >= 16)
 * free block := word next:u64 byte[size - 16]                 (inUse clear; next = next block of its list, 0 = end)
 * </pre>
 *
 * <p><b>Size classes.</b> A request of {@code n} bytes needs {@code need = roundUp(n + 8, 16)} bytes. Lists 0..15
 * hold the linear classes 16, 32, ..., 256; lists 16..31 the geometric classes 320 .. 4096, four per octave
 * ({@code (2^k, 2^(k+1)]} in steps of {@code 2^(k-2)}); list 32 every block larger than 4096 (oversized). A
 * request takes the smallest class at least {@code need} ({@link #classBlock}); oversized requests take
 * {@code need} exactly. A free block of size {@code s} lives on list {@link #listOf(long) listOf(s)}: the largest
 * class not above {@code s}, so a block of a size between classes serves its lower class and keeps the slack.
 * The class scheme is fixed by the magic's version, not stored per file.
 */
final class SegregatedLayout {
    /** The format's identity: {@code ALSG}, major 0, minor 2 (minor 1 recorded the caller's length: refused). */
    static final FormatHeader HEADER = FormatHeader.of("segregated allocator", "ALSG", 0, 2);
    /** The magic this implementation writes: version 0.2.2 (the reference's 0.4.5 writer stamp). */
    static final byte[] MAGIC = HEADER.magic(2, 2);

    /** Payload bytes 0..24 belong to the user and are never touched. */
    static final long USER_SIZE = 24;
    /** Payload offset of the magic. */
    static final long MAGIC_OFFSET = USER_SIZE;
    /** Payload offset of the reserved word (written as 0, not read). */
    static final long RESERVED_OFFSET = MAGIC_OFFSET + 8;
    /** Payload offset of {@code freeHead[0]}; list {@code c}'s head is at {@code FREE_HEADS_OFFSET + 8c}. */
    static final long FREE_HEADS_OFFSET = RESERVED_OFFSET + 8;

    /** Block granularity and the smallest block (a word and a next pointer). */
    static final long QUANTUM = 16;
    /** Bytes of the per-block word before the caller's data. */
    static final long WORD = 8;
    /** Largest linear class. */
    static final long LINEAR_MAX = 256;
    /** Largest class; larger blocks are oversized. */
    static final long MAX_CLASS = 4096;
    /** Classes per octave in the geometric range, as a power of two. */
    static final int SUBCLASS_BITS = 2;
    /** Lists of the linear classes 16..256. */
    static final int LINEAR_CLASSES = (int) (LINEAR_MAX / QUANTUM);
    /** {@code log2(LINEAR_MAX)}: the first geometric octave is {@code (2^8, 2^9]}. */
    static final int LINEAR_OCTAVE = Long.numberOfTrailingZeros(LINEAR_MAX);
    /** Lists of the geometric classes 320..4096. */
    static final int GEOMETRIC_CLASSES = (Long.numberOfTrailingZeros(MAX_CLASS) - LINEAR_OCTAVE) << SUBCLASS_BITS;
    /** The list of every block larger than {@link #MAX_CLASS}. */
    static final int OVERSIZED = LINEAR_CLASSES + GEOMETRIC_CLASSES;
    /** Number of free lists: 33. */
    static final int LISTS = OVERSIZED + 1;
    /** Payload offset of the first block: right after the heads (16-aligned). */
    static final long ARENA_START = FREE_HEADS_OFFSET + 8L * LISTS;

    /** Bit 63 of a block word: the block is live. */
    static final long IN_USE = 1L << 63;
    /** Largest request: its need must still be a positive multiple of 16. */
    static final long MAX_REQUEST = (Long.MAX_VALUE & -QUANTUM) - WORD;

    private SegregatedLayout() {
    }

    /** The bytes a request of {@code length} (in {@code [0, MAX_REQUEST]}) needs: {@code roundUp(length + 8, 16)}. */
    static long need(long length) {
        return (length + WORD + QUANTUM - 1) & -QUANTUM;
    }

    /** The block a need gets: its class (smallest class at least {@code need}), or {@code need} when oversized. */
    static long classBlock(long need) {
        if (need <= LINEAR_MAX || need > MAX_CLASS) {
            return need;
        }
        long width = subclassWidth(need - 1);
        return (need + width - 1) & -width;
    }

    /**
     * The list a free block of {@code size} (a multiple of 16, at least 16) lives on: that of the largest class not
     * above {@code size}. In the octave {@code [2^k, 2^(k+1))} the candidates are {@code 2^k + j * 2^(k-2)} for
     * {@code j} in 0..3; {@code j = 0} is the top class of the octave below (256 is the last linear class).
     */
    static int listOf(long size) {
        if (size > MAX_CLASS) {
            return OVERSIZED;
        }
        if (size <= LINEAR_MAX) {
            return (int) (size / QUANTUM) - 1;
        }
        int octave = 63 - Long.numberOfLeadingZeros(size);
        int step = (int) ((size - (1L << octave)) >> (octave - SUBCLASS_BITS));
        return LINEAR_CLASSES + ((octave - LINEAR_OCTAVE) << SUBCLASS_BITS) + step - 1;
    }

    /** The block size of list {@code list} below {@link #OVERSIZED}: the size its blocks serve. */
    static long classSize(int list) {
        if (list < LINEAR_CLASSES) {
            return (list + 1) * QUANTUM;
        }
        int geometric = list - LINEAR_CLASSES;
        int octave = LINEAR_OCTAVE + (geometric >> SUBCLASS_BITS);
        long width = 1L << (octave - SUBCLASS_BITS);
        return (1L << octave) + ((geometric & ((1 << SUBCLASS_BITS) - 1)) + 1) * width;
    }

    /** Payload offset of list {@code list}'s head. */
    static long headOffset(int list) {
        return FREE_HEADS_OFFSET + 8L * list;
    }

    /** The word of a live block of {@code size} bytes. */
    static long liveWord(long size) {
        return IN_USE | size >>> 4;
    }

    /** The word of a free block of {@code size} bytes. */
    static long freeWord(long size) {
        return size >>> 4;
    }

    /** Whether {@code offset} can start a block: in the arena and 16-aligned. */
    static boolean isBlockStart(long offset) {
        return offset >= ARENA_START && (offset - ARENA_START) % QUANTUM == 0;
    }

    /** The 304-byte payload of a fresh allocator: zeroed user bytes, the magic, empty lists. */
    static byte[] freshHeader() {
        byte[] header = new byte[(int) ARENA_START];
        System.arraycopy(MAGIC, 0, header, (int) MAGIC_OFFSET, MAGIC.length);
        return header;
    }

    /** The step between classes in the octave {@code (2^k, 2^(k+1)]} holding {@code value + 1}: {@code 2^(k-2)}. */
    private static long subclassWidth(long value) {
        int octave = 63 - Long.numberOfLeadingZeros(value);
        return 1L << (octave - SUBCLASS_BITS);
    }
}
