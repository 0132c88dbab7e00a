package io.cairn.replication.command;

/**
 * The byte grammar of every message the replication layer sends through Ratis: the commands stored in the Raft log
 * (one per entry), the replies to them, the read-only queries and their results. All integers little-endian.
 *
 * <pre>
 * message    := magic:u16 = 0xCA1E  formatVersion:u8 = 1  kind:u8  body  crc32c:u32   (CRC32C of all bytes before it)
 *
 * kind 1  POINT        body := name op
 * kind 2  ATOMIC       body := treeCount:u16 (name opCount:u32 op{opCount}){treeCount}
 * kind 3  CREATE_TREE  body := name
 * kind 4  DROP_TREE    body := name
 * kind 16 GET          body := name key
 * kind 17 SCAN         body := name prefix hasStart:u8 [startAfter] delimiter:i16 (-1: none) limit:u64 keysOnly:u8
 * kind 18 TREE_NAMES   body := (empty)
 * kind 19 BARRIER      body := (empty)
 * kind 32 REPLY        body := status:u8 version:u64 message          (version: what a put wrote, else 0)
 * kind 48 RECORD       body := present:u8 [value version:u64]
 * kind 49 ENTRIES      body := count:u32 (commonPrefix:u8 key value version:u64){count}
 * kind 50 NAMES        body := count:u32 name{count}
 * kind 51 APPLIED      body := index:u64
 *
 * name       := length:u8 utf8[length]        1..255 bytes, no NUL (the tree naming rule)
 * op         := code:u8 key [other] [version:u64] [overwrite:u8]   (other: PUT, PUT_IF_ABSENT, COMPARE_AND_PUT,
 *               RENAME; version: COMPARE_AND_PUT, DELETE_IF_VERSION, ASSERT_VERSION; overwrite: RENAME)
 * key, value, other, prefix, startAfter := length:u16 bytes[length]
 * message    := length:u16 utf8[length]
 * </pre>
 *
 * <p>Op codes are {@link Op.Kind}'s, status codes {@link Reply.Status}'s. A reader checks the magic, the version
 * (a newer one is named as such), the kind, every length against the bytes left, and the checksum; any failure is
 * a {@link io.cairn.stack.CorruptedStoreException} (a log entry) or a refused message, never a wrong command.
 */
final class CommandFormat {
    static final int MAGIC = 0xCA1E;
    static final int FORMAT_VERSION = 1;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = MAGIC_OFFSET + 2;
    static final int KIND_OFFSET = VERSION_OFFSET + 1;
    static final int BODY_OFFSET = KIND_OFFSET + 1;
    static final int CRC_SIZE = 4;
    /** Header and checksum: the smallest message. */
    static final int MIN_SIZE = BODY_OFFSET + CRC_SIZE;

    static final int POINT = 1;
    static final int ATOMIC = 2;
    static final int CREATE_TREE = 3;
    static final int DROP_TREE = 4;
    static final int GET = 16;
    static final int SCAN = 17;
    static final int TREE_NAMES = 18;
    static final int BARRIER = 19;
    static final int REPLY = 32;
    static final int RECORD = 48;
    static final int ENTRIES = 49;
    static final int NAMES = 50;
    static final int APPLIED = 51;

    /** The longest key the tree takes (its {@code Engine.MAX_KEY}). */
    static final int MAX_KEY = 65_534;
    /** The longest value the tree takes. */
    static final int MAX_VALUE = 65_535;
    /** The longest tree name in UTF-8 bytes. */
    static final int MAX_NAME = 255;

    private CommandFormat() {}
}
