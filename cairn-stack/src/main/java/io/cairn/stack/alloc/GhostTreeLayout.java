package io.cairn.stack.alloc;

import io.cairn.stack.FormatHeader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The on-disk layout of the ghost-tree allocator ({@code ALGT}), byte-compatible with the reference bstack 0.2
 * {@code GhostTreeBstackAllocator}. All offsets are stack payload offsets; all integers are little-endian.
 *
 * <pre>
 * payload    := user[32] magic[8] root:u64 arena
 * magic      := 'A' 'L' 'G' 'T' 0x00 0x01 0x02 0x00   (checked by {@link #HEADER})
 * root       := 0 | offset of the AVL root node        (payload offset 40)
 * arena      := block*                                 (starts at payload offset 48)
 * block      := live | free                            (size a multiple of 32, at least 32; offset = 16 mod 32,
 *                                                       32-aligned in the file on a 0.2 stack, not on 0.4)
 * live       := byte[size]                             (no header: the caller's bytes, then zeros)
 * free       := node zero[size - 32]                   (free bytes are kept zeroed)
 * node       := size:u64 balance:i8 height:u8 zero[6] left:u64 right:u64     (32 bytes)
 * </pre>
 *
 * <p>Free blocks form an AVL tree keyed by {@code (size, offset)}; {@code left}/{@code right} are node offsets or
 * 0 for none; {@code height} is 1 for a leaf; {@code balance = height(right) - height(left)}. Nothing carries a
 * checksum: the format is the reference's, and it has none. A block's size is not stored while it is live: it is
 * {@link #blockSize(long) derived} from the allocation's length.
 */
final class GhostTreeLayout {
    /** The format's identity: {@code ALGT}, major 0, minor 1. */
    static final FormatHeader HEADER = FormatHeader.of("ghost-tree allocator", "ALGT", 0, 1);
    /** The full magic written by this implementation (the reference 0.2 line's). */
    static final byte[] MAGIC = HEADER.magic(1, 2);
    /** Payload bytes 0..32 belong to the user and are never touched. */
    static final long USER_RESERVED = 32;
    /** Payload offset of the magic. */
    static final long MAGIC_OFFSET = 32;
    /** Payload offset of the root node pointer (u64, 0 = empty tree). */
    static final long ROOT_OFFSET = 40;
    /** Payload offset of the first block; the arena's blocks are 32-byte multiples from here. */
    static final long ARENA_START = 48;

    /** Block granularity and the smallest block: exactly one node. */
    static final long BLOCK_ALIGN = 32;
    /** Bytes of the node at the start of a free block. */
    static final int NODE_SIZE = 32;
    /** Node field: the free block's size, u64. */
    static final int NODE_SIZE_FIELD = 0;
    /** Node field: {@code height(right) - height(left)}, i8. */
    static final int NODE_BALANCE_FIELD = 8;
    /** Node field: the subtree's height, u8 (1 for a leaf). */
    static final int NODE_HEIGHT_FIELD = 9;
    /** Node field: the left child's offset or 0, u64. */
    static final int NODE_LEFT_FIELD = 16;
    /** Node field: the right child's offset or 0, u64. */
    static final int NODE_RIGHT_FIELD = 24;

    /** The null child / empty root pointer. */
    static final long NULL = 0;
    /**
     * Deepest tree a walk follows. A balanced AVL tree over any arena this format can address is under 90 levels
     * high; anything deeper is corruption, and the cap bounds every walk over a damaged tree.
     */
    static final int MAX_DEPTH = 128;
    /** Largest block: a multiple of 32 that still leaves offsets positive. */
    static final long MAX_BLOCK = Long.MAX_VALUE & -BLOCK_ALIGN;

    private GhostTreeLayout() {
    }

    /** The block backing an allocation of {@code length > 0} bytes: rounded up to 32, at least 32. */
    static long blockSize(long length) {
        if (length <= 0 || length > MAX_BLOCK) {
            throw new IllegalArgumentException("length " + length + " is outside [1, " + MAX_BLOCK + "]");
        }
        return Math.max(BLOCK_ALIGN, (length + BLOCK_ALIGN - 1) & -BLOCK_ALIGN);
    }

    /** Whether {@code offset} can start a block: in the arena and 32-aligned in the file. */
    static boolean isBlockOffset(long offset) {
        return offset >= ARENA_START && (offset - ARENA_START) % BLOCK_ALIGN == 0;
    }

    /** Whether {@code size} is a possible block size. */
    static boolean isBlockSize(long size) {
        return size >= BLOCK_ALIGN && size % BLOCK_ALIGN == 0;
    }

    /** The 48-byte payload of a fresh allocator: zeroed user bytes, the magic, an empty root. */
    static byte[] freshHeader() {
        byte[] header = new byte[(int) ARENA_START];
        System.arraycopy(MAGIC, 0, header, (int) MAGIC_OFFSET, MAGIC.length);
        return header;
    }

    /** One AVL node as stored at the start of a free block. */
    record Node(long size, int balance, int height, long left, long right) {

        /** Decodes the 32 bytes at {@code b[0..32)}; fields are taken as stored, unchecked. */
        static Node decode(byte[] b) {
            ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            return new Node(buf.getLong(NODE_SIZE_FIELD), buf.get(NODE_BALANCE_FIELD),
                    Byte.toUnsignedInt(buf.get(NODE_HEIGHT_FIELD)), buf.getLong(NODE_LEFT_FIELD),
                    buf.getLong(NODE_RIGHT_FIELD));
        }

        /** The 32 stored bytes. */
        byte[] encode() {
            return ByteBuffer.allocate(NODE_SIZE).order(ByteOrder.LITTLE_ENDIAN)
                    .putLong(NODE_SIZE_FIELD, size)
                    .put(NODE_BALANCE_FIELD, (byte) balance)
                    .put(NODE_HEIGHT_FIELD, (byte) height)
                    .putLong(NODE_LEFT_FIELD, left)
                    .putLong(NODE_RIGHT_FIELD, right)
                    .array();
        }
    }
}
