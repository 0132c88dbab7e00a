package io.cairn.tree.wal;

import static io.cairn.tree.wal.WalFormat.COUNT_SIZE;
import static io.cairn.tree.wal.WalFormat.DELETE_FIXED;
import static io.cairn.tree.wal.WalFormat.EFFECT_TYPE_SIZE;
import static io.cairn.tree.wal.WalFormat.LENGTH_SIZE;
import static io.cairn.tree.wal.WalFormat.MIN_BATCH_ENTRY;
import static io.cairn.tree.wal.WalFormat.PUT_FIXED;
import static io.cairn.tree.wal.WalFormat.RENAME_FIXED;
import static io.cairn.tree.wal.WalFormat.TYPE_BATCH;
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

    // ------------------------------------------------------------------ encoding; each returns the end offset

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
        Redo redo = type == TYPE_BATCH ? body.batch() : body.effect(type);
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

        Redo.Effect effect(int type) throws CorruptedStoreException {
            int treeId = u32("tree id");
            if (treeId < 0) {
                throw bad("tree id " + Integer.toUnsignedString(treeId) + " exceeds " + Integer.MAX_VALUE);
            }
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
