package io.cairn.tree.wal;

import static io.cairn.tree.wal.WalFormat.COUNT_SIZE;
import static io.cairn.tree.wal.WalFormat.DELETE_FIXED;
import static io.cairn.tree.wal.WalFormat.EFFECT_TYPE_SIZE;
import static io.cairn.tree.wal.WalFormat.LENGTH_SIZE;
import static io.cairn.tree.wal.WalFormat.MIN_BATCH_ENTRY;
import static io.cairn.tree.wal.WalFormat.PUT_FIXED;
import static io.cairn.tree.wal.WalFormat.RENAME_FIXED;
import static io.cairn.tree.wal.WalFormat.CREATE_TREE_FIXED;
import static io.cairn.tree.wal.WalFormat.ENVELOPE_FIXED;
import static io.cairn.tree.wal.WalFormat.NAME_LENGTH_SIZE;
import static io.cairn.tree.wal.WalFormat.TREE_ID_SIZE;
import static io.cairn.tree.wal.WalFormat.TYPE_BATCH;
import static io.cairn.tree.wal.WalFormat.TYPE_CREATE_TREE;
import static io.cairn.tree.wal.WalFormat.TYPE_DROP_TREE;
import static io.cairn.tree.wal.WalFormat.TYPE_ENVELOPE;
import static io.cairn.tree.wal.WalFormat.U16;
import static io.cairn.tree.wal.WalFormat.TYPE_DELETE;
import static io.cairn.tree.wal.WalFormat.TYPE_PUT;
import static io.cairn.tree.wal.WalFormat.TYPE_RENAME;
import static io.cairn.tree.wal.WalFormat.U32;
import static io.cairn.tree.wal.WalFormat.U64;
import static io.cairn.tree.wal.WalFormat.U8;

import io.cairn.stack.CorruptedStoreException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes redo bodies straight into a buffer (no intermediate arrays) and decodes them with every length bounded
 * by the bytes that remain before anything is allocated. The grammar is {@link WalFormat}'s.
 */
final class RedoCodec {
    private RedoCodec() {}

    static void checkTreeId(int treeId) {
        if (treeId < 0) {
            throw new IllegalArgumentException("treeId must not be negative: " + treeId);
        }
    }

    static void checkTreeName(String name) {
        TreeNames.encode(name);
    }

    static void checkVersion(long version) {
        if (version < 1) {
            throw new IllegalArgumentException("version must be positive: " + version);
        }
    }

    // ------------------------------------------------------------------ sizes (long: callers bound them)

    static long putSize(byte[] key, byte[] value) {
        return PUT_FIXED + (long) key.length + value.length;
    }

    static long deleteSize(byte[] key) {
        return DELETE_FIXED + (long) key.length;
    }

    static long renameSize(byte[] source, byte[] target, byte[] value) {
        return RENAME_FIXED + (long) source.length + target.length + value.length;
    }

    /** The body size of a batch; checks every entry (null entries are rejected). */
    static long batchSize(List<Redo.Effect> effects) {
        long size = COUNT_SIZE;
        for (int i = 0; i < effects.size(); i++) {
            Redo.Effect effect = effects.get(i);
            if (effect == null) {
                throw new NullPointerException("effects contains null at index " + i);
            }
            size += EFFECT_TYPE_SIZE + switch (effect) {
                case Redo.Put p -> putSize(p.key(), p.value());
                case Redo.Delete d -> deleteSize(d.key());
                case Redo.Rename r -> renameSize(r.source(), r.target(), r.value());
            };
        }
        return size;
    }

    static long createTreeSize(byte[] name) {
        return CREATE_TREE_FIXED + (long) name.length;
    }

    static long envelopeSize(byte[] payload, Redo.Batch batch) {
        return ENVELOPE_FIXED + (long) payload.length + batchSize(batch.effects());
    }

    /** The record type of a redo. */
    static byte typeOf(Redo redo) {
        return switch (redo) {
            case Redo.Put p -> TYPE_PUT;
            case Redo.Delete d -> TYPE_DELETE;
            case Redo.Rename r -> TYPE_RENAME;
            case Redo.Batch b -> TYPE_BATCH;
            case Redo.CreateTree c -> TYPE_CREATE_TREE;
            case Redo.DropTree d -> TYPE_DROP_TREE;
            case Redo.Envelope e -> TYPE_ENVELOPE;
        };
    }

    /** The body size of any redo but an envelope's (whose hash the log computes as it appends). */
    static long size(Redo redo) {
        return switch (redo) {
            case Redo.Put p -> putSize(p.key(), p.value());
            case Redo.Delete d -> deleteSize(d.key());
            case Redo.Rename r -> renameSize(r.source(), r.target(), r.value());
            case Redo.Batch b -> batchSize(b.effects());
            case Redo.CreateTree c -> createTreeSize(TreeNames.encode(c.name()));
            case Redo.DropTree d -> TREE_ID_SIZE;
            case Redo.Envelope e -> envelopeSize(e.payload(), e.batch());
        };
    }

    // ------------------------------------------------------------------ encoding; each returns the end offset

    /** Encodes any redo's body at {@code at} (an envelope's hashes as the redo holds them). */
    static long encode(MemorySegment m, long at, Redo redo) {
        return switch (redo) {
            case Redo.Put p -> encodePut(m, at, p.treeId(), p.key(), p.value(), p.version());
            case Redo.Delete d -> encodeDelete(m, at, d.treeId(), d.key());
            case Redo.Rename r -> encodeRename(m, at, r.treeId(), r.source(), r.target(), r.value(), r.version());
            case Redo.Batch b -> encodeBatch(m, at, b.effects());
            case Redo.CreateTree c -> encodeCreateTree(m, at, c.treeId(), TreeNames.encode(c.name()));
            case Redo.DropTree d -> {
                m.set(U32, at, d.treeId());
                yield at + TREE_ID_SIZE;
            }
            case Redo.Envelope e -> {
                long bodyAt = encodeEnvelopeHead(m, at, e.payload(), e.previousHash());
                m.asSlice(at + JournalChain.HASH_BYTES, JournalChain.HASH_BYTES)
                        .copyFrom(MemorySegment.ofArray(e.hash()));
                yield encodeBatch(m, bodyAt, e.batch().effects());
            }
        };
    }

    static long encodeCreateTree(MemorySegment m, long at, int treeId, byte[] name) {
        m.set(U32, at, treeId);
        m.set(U16, at + TREE_ID_SIZE, (short) name.length);
        MemorySegment.copy(name, 0, m, U8, at + TREE_ID_SIZE + NAME_LENGTH_SIZE, name.length);
        return at + TREE_ID_SIZE + NAME_LENGTH_SIZE + name.length;
    }

    /**
     * Writes an envelope's previous hash, a zero hash (filled in by the caller once the body is there) and the
     * payload; returns where the batch body goes.
     */
    static long encodeEnvelopeHead(MemorySegment m, long at, byte[] payload, byte[] previousHash) {
        MemorySegment.copy(previousHash, 0, m, U8, at, JournalChain.HASH_BYTES);
        m.asSlice(at + JournalChain.HASH_BYTES, JournalChain.HASH_BYTES).fill((byte) 0);
        return putBytes(m, at + 2L * JournalChain.HASH_BYTES, payload);
    }

    static long encodePut(MemorySegment m, long at, int treeId, byte[] key, byte[] value, long version) {
        m.set(U32, at, treeId);
        m.set(U64, at + Integer.BYTES, version);
        return putBytes(m, putBytes(m, at + Integer.BYTES + Long.BYTES, key), value);
    }

    static long encodeDelete(MemorySegment m, long at, int treeId, byte[] key) {
        m.set(U32, at, treeId);
        return putBytes(m, at + Integer.BYTES, key);
    }

    static long encodeRename(MemorySegment m, long at, int treeId, byte[] source, byte[] target, byte[] value,
            long version) {
        m.set(U32, at, treeId);
        m.set(U64, at + Integer.BYTES, version);
        return putBytes(m, putBytes(m, putBytes(m, at + Integer.BYTES + Long.BYTES, source), target), value);
    }

    static long encodeBatch(MemorySegment m, long at, List<Redo.Effect> effects) {
        m.set(U32, at, effects.size());
        long p = at + COUNT_SIZE;
        for (Redo.Effect effect : effects) {
            switch (effect) {
                case Redo.Put e -> {
                    m.set(U8, p, TYPE_PUT);
                    p = encodePut(m, p + EFFECT_TYPE_SIZE, e.treeId(), e.key(), e.value(), e.version());
                }
                case Redo.Delete e -> {
                    m.set(U8, p, TYPE_DELETE);
                    p = encodeDelete(m, p + EFFECT_TYPE_SIZE, e.treeId(), e.key());
                }
                case Redo.Rename e -> {
                    m.set(U8, p, TYPE_RENAME);
                    p = encodeRename(m, p + EFFECT_TYPE_SIZE, e.treeId(), e.source(), e.target(), e.value(),
                            e.version());
                }
            }
        }
        return p;
    }

    private static long putBytes(MemorySegment m, long at, byte[] bytes) {
        m.set(U32, at, bytes.length);
        MemorySegment.copy(bytes, 0, m, U8, at + LENGTH_SIZE, bytes.length);
        return at + LENGTH_SIZE + bytes.length;
    }

    // ------------------------------------------------------------------ decoding

    /**
     * Decodes the body {@code m[start, end)} of a record of a {@linkplain WalFormat#isReadableType readable}
     * {@code type}.
     *
     * @throws CorruptedStoreException if the body does not follow the grammar exactly (the message says where in
     *                                 the body; the caller adds the file and record)
     */
    static Redo decode(int type, MemorySegment m, long start, long end) throws CorruptedStoreException {
        if (!WalFormat.isReadableType(type)) {
            throw new IllegalArgumentException("type " + WalFormat.typeName(type) + " has no body grammar here");
        }
        Body body = new Body(m, start, end);
        Redo redo = switch (type) {
            case TYPE_BATCH -> body.batch();
            case TYPE_CREATE_TREE -> body.createTree();
            case TYPE_DROP_TREE -> new Redo.DropTree(body.treeId());
            case TYPE_ENVELOPE -> body.envelope();
            default -> body.effect(type);
        };
        body.finish();
        return redo;
    }

    /** A bounded cursor over one body. */
    private static final class Body {
        private final MemorySegment m;
        private final long start;
        private final long end;
        private long p;

        Body(MemorySegment m, long start, long end) {
            this.m = m;
            this.start = start;
            this.end = end;
            this.p = start;
        }

        Redo.Batch batch() throws CorruptedStoreException {
            long count = Integer.toUnsignedLong(u32("batch count"));
            if (count > (end - p) / MIN_BATCH_ENTRY) {
                throw bad("batch count " + count + " cannot fit in the " + (end - p) + " bytes that follow");
            }
            List<Redo.Effect> effects = new ArrayList<>((int) count);
            for (long i = 0; i < count; i++) {
                need(EFFECT_TYPE_SIZE, "batch entry type");
                int type = m.get(U8, p++);
                if (type != TYPE_PUT && type != TYPE_DELETE && type != TYPE_RENAME) {
                    throw bad("batch entry " + i + " has type " + WalFormat.typeName(type)
                            + ", expected PUT, DELETE or RENAME");
                }
                effects.add(effect(type));
            }
            return new Redo.Batch(effects);
        }

        Redo.CreateTree createTree() throws CorruptedStoreException {
            int treeId = treeId();
            need(NAME_LENGTH_SIZE, "name length");
            int length = Short.toUnsignedInt(m.get(U16, p));
            p += NAME_LENGTH_SIZE;
            if (length > end - p) {
                throw bad("name length " + length + " exceeds the " + (end - p) + " bytes left in the body");
            }
            byte[] bytes = new byte[length];
            MemorySegment.copy(m, U8, p, bytes, 0, length);
            String name = TreeNames.decode(bytes);
            if (name == null) {
                throw bad("tree name of " + length + " bytes is not 1 to " + TreeNames.MAX_BYTES
                        + " bytes of UTF-8 without NUL");
            }
            p += length;
            return new Redo.CreateTree(treeId, name);
        }

        Redo.Envelope envelope() throws CorruptedStoreException {
            need(2 * JournalChain.HASH_BYTES, "envelope hashes");
            byte[] previous = new byte[JournalChain.HASH_BYTES];
            byte[] hash = new byte[JournalChain.HASH_BYTES];
            MemorySegment.copy(m, U8, p, previous, 0, previous.length);
            MemorySegment.copy(m, U8, p + JournalChain.HASH_BYTES, hash, 0, hash.length);
            p += 2L * JournalChain.HASH_BYTES;
            byte[] payload = bytes("payload");
            return new Redo.Envelope(payload, previous, hash, batch());
        }

        int treeId() throws CorruptedStoreException {
            int treeId = u32("tree id");
            if (treeId < 0) {
                throw bad("tree id " + Integer.toUnsignedString(treeId) + " exceeds " + Integer.MAX_VALUE);
            }
            return treeId;
        }

        Redo.Effect effect(int type) throws CorruptedStoreException {
            int treeId = treeId();
            return switch (type) {
                case TYPE_PUT -> {
                    long version = version();
                    yield new Redo.Put(treeId, bytes("key"), bytes("value"), version);
                }
                case TYPE_DELETE -> new Redo.Delete(treeId, bytes("key"));
                default -> {
                    long version = version();
                    yield new Redo.Rename(treeId, bytes("source"), bytes("target"), bytes("value"), version);
                }
            };
        }

        void finish() throws CorruptedStoreException {
            if (p != end) {
                throw bad((end - p) + " bytes follow the end of the body");
            }
        }

        private long version() throws CorruptedStoreException {
            need(Long.BYTES, "version");
            long version = m.get(U64, p);
            if (version < 1) {
                throw bad("version " + Long.toUnsignedString(version) + " is not in [1, " + Long.MAX_VALUE + "]");
            }
            p += Long.BYTES;
            return version;
        }

        private int u32(String field) throws CorruptedStoreException {
            need(Integer.BYTES, field);
            int v = m.get(U32, p);
            p += Integer.BYTES;
            return v;
        }

        /** A length-prefixed byte string, its length checked against what remains before the array exists. */
        private byte[] bytes(String field) throws CorruptedStoreException {
            long length = Integer.toUnsignedLong(u32(field + " length"));
            if (length > end - p) {
                throw bad(field + " length " + length + " exceeds the " + (end - p) + " bytes left in the body");
            }
            byte[] out = new byte[(int) length];
            MemorySegment.copy(m, U8, p, out, 0, out.length);
            p += length;
            return out;
        }

        private void need(int n, String field) throws CorruptedStoreException {
            if (end - p < n) {
                throw bad(field + " needs " + n + " bytes, " + (end - p) + " left in the body");
            }
        }

        private CorruptedStoreException bad(String detail) {
            return new CorruptedStoreException("body offset " + (p - start) + ": " + detail);
        }
    }
}
