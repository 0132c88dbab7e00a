package io.cairn.tree.engine;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;
import static java.nio.ByteOrder.LITTLE_ENDIAN;

import java.lang.foreign.ValueLayout;

/**
 * The byte layout of one tree frame: a fixed-size block (512 KiB by default) holding a piece of the adaptive radix
 * tree. All integers are little-endian; every node body starts on an 8-byte boundary and carries its type at
 * body offset +1.
 *
 * <pre>
 * frame      := header data reserve
 * header     := magic:u32 = 0x52465443 ("CTFR")  formatVersion:u16 = 1  headerSize:u16 = 64
 *               frameId:u64  root:ref  pad:u16  bump:u32  deadBytes:u32  leafCount:u32  blobCount:u32
 *               frameSize:u32  crc32c:u32  reserved[20]                                   (64 bytes)
 * data       := node*  (bump-allocated from offset 64; the EmptyRoot sentinel is always the first node)
 * reserve    := byte[128]  (the last 128 bytes: only a spillover Blob may be allocated here)
 * ref        := u16  0 = none, else (bodyOffset - 64) / 8 + 1
 *
 * node       := emptyRoot | leaf | prefix | node4 | node16 | node48 | node256 | blob
 * emptyRoot  := 0:u8  type=1:u8  pad[6]                                                    (8 bytes)
 * leaf       := flags:u8  type=2:u8  valueLen:u16  storedLen:u16  skip:u16  version:u64
 *               stored[storedLen]  value[valueLen]                     (align8(16 + storedLen + valueLen))
 * prefix     := len:u8 (1..252)  type=3:u8  child:ref  bytes[len]                           (align8(4 + len))
 * inner      := 0:u8  type:u8  value:ref  count:u16  pad:u16
 * node4      := inner(type=4)  keys[4]  children:ref[4]                                      (24 bytes)
 * node16     := inner(type=5)  keys[16] children:ref[16]                                     (56 bytes)
 * node48     := inner(type=6)  index[256] (0 = none, else slot+1)  children:ref[48]          (360 bytes)
 * node256    := inner(type=7)  children:ref[256]                                             (520 bytes)
 * blob       := 0:u8  type=8:u8  pad[6]  childFrameId:u64                                    (16 bytes)
 * split      := pivot:u8  type=9:u8  left:ref  right:ref  pad:u16                             (8 bytes)
 * </pre>
 *
 * <p>A split routes without consuming a byte: a key continues right if it has a byte at this depth and that byte
 * is at least {@code pivot}, else left (so the key ending here, the node's value, is on the left).
 *
 * <p>A key is the bytes on the path to a node (edge bytes and prefix bytes) followed by the node's effective
 * suffix: for a leaf, {@code stored[skip..storedLen)}. The {@code skip} field lets a split push a leaf one level
 * down by editing two header bytes instead of rewriting the leaf (compaction and spillover trim the skipped bytes).
 * {@code flags} bit 0 marks a tombstone (reserved for the write-ahead file mode; memory mode removes leaves).
 * {@code crc32c} is reserved for the persistent mode (zero in memory).
 *
 * <p>Where this differs from the reference frame (holt 0.7.3 {@code BlobFrame}) and why:
 * <ul>
 *   <li>No slot table: nodes are addressed by their offset (the reference moved to offset addressing too), so its
 *       4 KiB header and 40 KiB slot table shrink to a 64-byte header; about 8% more of each frame holds nodes.</li>
 *   <li>Every inner node has a {@code value} reference for the key that ends exactly at that node, instead of a
 *       virtual 0x00 terminator edge: a key K and K + 0x00... therefore coexist (the reference could not store
 *       both).</li>
 *   <li>Prefix nodes are sized to their bytes (the reference uses fixed 128-byte bodies) and leaves keep only the
 *       suffix below their position, which keeps memory per key low for path-shaped keys.</li>
 *   <li>A Blob carries only the child frame id; the bytes leading to it are ordinary prefix nodes.</li>
 *   <li>Split nodes (new): when a full frame's bulk sits under one wide node whose children are each small (the
 *       typical directory of many files), spillover moves a range of that node's children to a new frame and
 *       leaves a Split in front of the node, instead of spilling one small child into a mostly empty frame. This
 *       keeps frames about 70% full where single-subtree spillover leaves them under half full.</li>
 * </ul>
 */
final class FrameFormat {
    private FrameFormat() {}

    static final ValueLayout.OfByte U8 = JAVA_BYTE;
    static final ValueLayout.OfShort U16 = JAVA_SHORT_UNALIGNED.withOrder(LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32 = JAVA_INT_UNALIGNED.withOrder(LITTLE_ENDIAN);
    static final ValueLayout.OfLong U64 = JAVA_LONG_UNALIGNED.withOrder(LITTLE_ENDIAN);

    /** Default (and largest) frame size: 512 KiB. */
    static final int DEFAULT_FRAME_SIZE = 512 * 1024;
    /** Smallest frame size the test knob accepts. */
    static final int MIN_FRAME_SIZE = 4096;

    /** "CTFR" read as a little-endian u32. */
    static final int MAGIC = 0x52465443;
    static final short FORMAT_VERSION = 1;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int HEADER_SIZE_OFFSET = 6;
    static final int FRAME_ID_OFFSET = 8;
    /** The frame's root reference; it is addressed like any other child field. */
    static final int ROOT_OFFSET = 16;
    static final int BUMP_OFFSET = 20;
    static final int DEAD_BYTES_OFFSET = 24;
    static final int LEAF_COUNT_OFFSET = 28;
    static final int BLOB_COUNT_OFFSET = 32;
    static final int FRAME_SIZE_OFFSET = 36;
    static final int CRC_OFFSET = 40;
    static final int HEADER_SIZE = 64;

    /** First byte of the data area; the EmptyRoot sentinel lives here for the life of the frame. */
    static final int DATA_START = HEADER_SIZE;
    /** Tail bytes only a spillover Blob may use, so a full frame can always install one. */
    static final int SPILL_RESERVE = 128;

    static final int TYPE_OFFSET = 1;
    static final int T_EMPTY_ROOT = 1;
    static final int T_LEAF = 2;
    static final int T_PREFIX = 3;
    static final int T_NODE4 = 4;
    static final int T_NODE16 = 5;
    static final int T_NODE48 = 6;
    static final int T_NODE256 = 7;
    static final int T_BLOB = 8;
    static final int T_SPLIT = 9;

    static final int EMPTY_ROOT_SIZE = 8;

    static final int LEAF_FLAGS = 0;
    static final int LEAF_VALUE_LEN = 2;
    static final int LEAF_STORED_LEN = 4;
    static final int LEAF_SKIP = 6;
    static final int LEAF_VERSION = 8;
    static final int LEAF_HEADER = 16;

    static final int PREFIX_LEN = 0;
    static final int PREFIX_CHILD = 2;
    static final int PREFIX_BYTES = 4;
    /** Longest inline prefix: keeps a prefix body at most 256 bytes. */
    static final int MAX_PREFIX = 252;

    static final int INNER_VALUE = 2;
    static final int INNER_COUNT = 4;
    static final int INNER_HEADER = 8;
    static final int NODE4_KEYS = 8;
    static final int NODE4_CHILDREN = 12;
    static final int NODE4_SIZE = 24;
    static final int NODE16_KEYS = 8;
    static final int NODE16_CHILDREN = 24;
    static final int NODE16_SIZE = 56;
    static final int NODE48_INDEX = 8;
    static final int NODE48_CHILDREN = 264;
    static final int NODE48_SIZE = 360;
    static final int NODE256_CHILDREN = 8;
    static final int NODE256_SIZE = 520;

    static final int BLOB_FRAME_ID = 8;
    static final int BLOB_SIZE = 16;

    static final int SPLIT_PIVOT = 0;
    static final int SPLIT_LEFT = 2;
    static final int SPLIT_RIGHT = 4;
    static final int SPLIT_SIZE = 8;

    /** Largest key: its length must fit a u16 with one value to spare (the reference's limit). */
    static final int MAX_KEY = 65_534;
    static final int MAX_VALUE = 65_535;

    static int align8(int n) {
        return (n + 7) & ~7;
    }

    static int leafSize(int storedLen, int valueLen) {
        return align8(LEAF_HEADER + storedLen + valueLen);
    }

    static int prefixSize(int len) {
        return align8(PREFIX_BYTES + len);
    }

    static int encode(int bodyOffset) {
        return ((bodyOffset - DATA_START) >>> 3) + 1;
    }

    static int decode(int ref) {
        return ((ref - 1) << 3) + DATA_START;
    }
}
