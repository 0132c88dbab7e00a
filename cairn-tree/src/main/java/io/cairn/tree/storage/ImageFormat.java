package io.cairn.tree.storage;

/**
 * The byte layout of a database image: a logical copy of trees at one change-feed sequence, written by
 * {@link ImageWriter} and read (checked, installed) by {@link ImageReader}. A plain file, streamed; all integers
 * little-endian.
 *
 * <pre>
 * image      := header tree* trailer                              (nothing after the trailer)
 * header     := magic:u32 = 0x474D4943 ("CIMG")  formatVersion:u16 = 1  reserved:u16 = 0
 *               sequence:u64  versionHighWater:u64  journalHead[32]  treeCount:u32  crc32c:u32      (64 bytes)
 * tree       := treeStart block* treeEnd
 * treeStart  := kind:u8 = 1  treeId:u32  nameLength:u16  name[nameLength]  crc32c:u32
 * block      := kind:u8 = 2  count:u32  length:u32  entry*count  crc32c:u32      (length: the entries' bytes)
 * entry      := shared:u16  suffixLength:u16  valueLength:u16  version:u64  suffix[suffixLength]  value
 *               (key = the previous key of the tree's first shared bytes, then suffix; shared is 0 for the
 *                first key of a block)
 * treeEnd    := kind:u8 = 3  records:u64  crc32c:u32
 * trailer    := kind:u8 = 4  trees:u32  records:u64  crc32c:u32  fileCrc32c:u32
 * </pre>
 *
 * <ul>
 *   <li>Each section's {@code crc32c} covers its bytes from {@code kind} to just before it; {@code fileCrc32c}
 *       covers every byte of the file before it, so a change anywhere is found.</li>
 *   <li>{@code sequence}: the image holds exactly the trees' state after change-feed record {@code sequence};
 *       a database installed from it continues its log after that sequence. {@code versionHighWater}: no key
 *       version in the image is above it (the installed database's versions continue from it).
 *       {@code journalHead}: the journal chain's head at {@code sequence} (io.cairn.tree.wal.JournalChain).</li>
 *   <li>Trees appear in increasing id order, each name once (1 to 255 bytes of UTF-8, no NUL); a tree's keys
 *       appear in strictly increasing unsigned order, each at most 65,534 bytes with a value of at most 65,535
 *       bytes and a version in [1, versionHighWater]; a block holds at most {@link #MAX_BLOCK} bytes of entries;
 *       {@code treeEnd.records} and the trailer's counts match what came before.</li>
 *   <li>Written to a fresh hidden {@code .FILE.<random>.tmp}, forced, and renamed to {@code FILE} (directory
 *       forced): a crash never leaves a partial image under the final name. Any breach of the grammar, a short file, or trailing bytes is a
 *       {@link io.cairn.stack.CorruptedStoreException} naming the file and offset; lengths are bounded before they
 *       size an allocation; a newer {@code formatVersion} is a {@link io.cairn.stack.FormatVersionException}.</li>
 * </ul>
 */
final class ImageFormat {
    private ImageFormat() {}

    /** "CIMG" read as a little-endian u32. */
    static final int MAGIC = 0x474D4943;
    static final short FORMAT_VERSION = 1;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = MAGIC_OFFSET + 4;
    static final int RESERVED_OFFSET = VERSION_OFFSET + 2;
    static final int SEQUENCE_OFFSET = RESERVED_OFFSET + 2;
    static final int VERSION_HIGH_WATER_OFFSET = SEQUENCE_OFFSET + 8;
    static final int JOURNAL_HEAD_OFFSET = VERSION_HIGH_WATER_OFFSET + 8;
    static final int TREE_COUNT_OFFSET = JOURNAL_HEAD_OFFSET + 32;
    static final int HEADER_CRC_OFFSET = TREE_COUNT_OFFSET + 4;
    static final int HEADER_SIZE = HEADER_CRC_OFFSET + 4;

    static final byte TREE_START = 1;
    static final byte BLOCK = 2;
    static final byte TREE_END = 3;
    static final byte TRAILER = 4;

    /** kind treeId nameLength, before the name. */
    static final int TREE_START_FIXED = 1 + 4 + 2;
    /** kind count length, before the entries. */
    static final int BLOCK_HEAD = 1 + 4 + 4;
    /** shared suffixLength valueLength version, before the suffix. */
    static final int ENTRY_FIXED = 2 + 2 + 2 + 8;
    static final int TREE_END_SIZE = 1 + 8 + 4;
    static final int TRAILER_SIZE = 1 + 4 + 8 + 4 + 4;
    static final int CRC_SIZE = 4;

    /** Largest block of entries: bounds the buffer a reader allocates for one. */
    static final int MAX_BLOCK = 4 * 1024 * 1024;
    /** The size a writer aims its blocks at. */
    static final int TARGET_BLOCK = 256 * 1024;

    static final String TEMPORARY_SUFFIX = ".tmp";
}
