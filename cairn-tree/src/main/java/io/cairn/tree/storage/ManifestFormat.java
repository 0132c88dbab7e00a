package io.cairn.tree.storage;

/**
 * The byte layout of {@code manifest.stack}: a BStack whose payload is one manifest (all integers little-endian).
 *
 * <pre>
 * payload    := header tree* frame* crc32c:u32              (crc32c of every payload byte before it)
 * header     := magic:u32 = 0x464D5443 ("CTMF")  formatVersion:u16 = 3  reserved:u16 = 0
 *               generation:u64  checkpointSequence:u64  versionHighWater:u64
 *               frameSize:u32  treeCount:u32  frameCount:u32  journalHead[32]
 *               retainRecords:u64  retainBytes:u64                                  (92 bytes)
 * tree       := treeId:u32  rootFrame:u32  nameLength:u16  name[nameLength]         (UTF-8, 1 to 255 bytes, no NUL)
 * frame      := frameId:u32  slot:u32  parent:i32                                   (parent -1: a tree's root)
 * </pre>
 *
 * <p>Version 1 (written before databases) has no {@code journalHead} (a 44-byte header); it is read as a chain
 * that never started (32 zero bytes). Version 2 has no retention (a 76-byte header); it is read as "keep nothing
 * beyond the checkpoint", which is what the code that wrote it did whenever it was opened without the option.
 * Version 3 is what this code writes; older versions are still read (and rewritten as version 3 by the next
 * checkpoint), a newer one is refused.
 *
 * <ul>
 *   <li>{@code generation} counts publications (1 for a new store); {@code checkpointSequence} is the last WAL
 *       sequence whose effect the frames hold: recovery replays the records after it. {@code versionHighWater} is
 *       the highest key version drawn when the checkpoint was captured. {@code journalHead} is the hash of the
 *       last journal envelope at or below {@code checkpointSequence} (io.cairn.tree.wal.JournalChain), so the
 *       chain continues after the WAL that held it is retired. {@code retainRecords} and {@code retainBytes} are
 *       the change feed's retention (0: no rule of that kind): how much WAL a checkpoint keeps beyond what it
 *       covers, recorded so an open that does not name a retention keeps the one in force.</li>
 *   <li>Trees are listed by id, no id or name twice. Every frame in use is listed once with the frame-file slot
 *       holding its image; every tree's root is one of them. Slots no frame names are free.</li>
 *   <li>Replaced atomically: a new manifest is written to {@code manifest.stack.tmp}, forced, renamed over
 *       {@code manifest.stack}, and the directory is forced; a leftover temporary file is deleted by the next
 *       writable open. So the name always holds a whole manifest.</li>
 *   <li>Counts and lengths are bounded by the payload's length before anything is allocated; any mismatch, a bad
 *       magic or checksum, a duplicate frame, slot, tree id or name, a bad name, or a root that is not a listed
 *       frame is a {@link io.cairn.stack.CorruptedStoreException} naming the file; a newer format version is a
 *       {@link io.cairn.stack.FormatVersionException}.</li>
 * </ul>
 */
final class ManifestFormat {
    private ManifestFormat() {}

    /** "CTMF" read as a little-endian u32. */
    static final int MAGIC = 0x464D5443;
    static final short FORMAT_VERSION = 3;
    /** The version before databases: no journal head. */
    static final short FORMAT_VERSION_1 = 1;
    /** The version before the retention was recorded. */
    static final short FORMAT_VERSION_2 = 2;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = MAGIC_OFFSET + 4;
    static final int RESERVED_OFFSET = VERSION_OFFSET + 2;
    static final int GENERATION_OFFSET = RESERVED_OFFSET + 2;
    static final int CHECKPOINT_SEQUENCE_OFFSET = GENERATION_OFFSET + 8;
    static final int VERSION_HIGH_WATER_OFFSET = CHECKPOINT_SEQUENCE_OFFSET + 8;
    static final int FRAME_SIZE_OFFSET = VERSION_HIGH_WATER_OFFSET + 8;
    static final int TREE_COUNT_OFFSET = FRAME_SIZE_OFFSET + 4;
    static final int FRAME_COUNT_OFFSET = TREE_COUNT_OFFSET + 4;
    /** The end of a version 1 header. */
    static final int HEADER_SIZE_1 = FRAME_COUNT_OFFSET + 4;
    static final int JOURNAL_HEAD_OFFSET = HEADER_SIZE_1;
    static final int JOURNAL_HEAD_SIZE = 32;
    /** The end of a version 2 header. */
    static final int HEADER_SIZE_2 = JOURNAL_HEAD_OFFSET + JOURNAL_HEAD_SIZE;
    static final int RETAIN_RECORDS_OFFSET = HEADER_SIZE_2;
    static final int RETAIN_BYTES_OFFSET = RETAIN_RECORDS_OFFSET + 8;
    static final int HEADER_SIZE = RETAIN_BYTES_OFFSET + 8;

    /** A tree entry without its name. */
    static final int TREE_FIXED = 4 + 4 + 2;
    static final int MAX_NAME = 1024;
    static final int FRAME_ENTRY = 4 + 4 + 4;
    static final int CRC_SIZE = 4;

    static final String FILE = "manifest.stack";
    static final String TEMPORARY = "manifest.stack.tmp";
}
