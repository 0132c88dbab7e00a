package io.cairn.tree.wal;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * What one log record says happened: effects, not requests. Conditions (compare-and-put, guards, overwrite
 * checks) were decided by the engine before the record was written, so replaying a record is unconditional and
 * idempotent: apply it to the state it was decided on, or again, and the result is the same.
 *
 * <p>Arrays are held as given (no copies): the log encodes them at once, and a decoded record owns fresh arrays.
 */
public sealed interface Redo {

    /** One change of one key; the entries of a {@link Batch}. */
    sealed interface Effect extends Redo permits Put, Delete, Rename {
        /** The tree the effect applies to. */
        int treeId();
    }

    /** {@code key} holds {@code value} at {@code version}. */
    record Put(int treeId, byte[] key, byte[] value, long version) implements Effect {
        public Put {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            RedoCodec.checkTreeId(treeId);
            RedoCodec.checkVersion(version);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Put p && p.treeId == treeId && p.version == version && Arrays.equals(p.key, key)
                    && Arrays.equals(p.value, value);
        }

        @Override
        public int hashCode() {
            return Objects.hash(treeId, version, Arrays.hashCode(key), Arrays.hashCode(value));
        }

        @Override
        public String toString() {
            return "Put[tree " + treeId + ", " + hex(key) + " = " + hex(value) + " @" + version + "]";
        }
    }

    /** {@code key} is absent. */
    record Delete(int treeId, byte[] key) implements Effect {
        public Delete {
            Objects.requireNonNull(key, "key");
            RedoCodec.checkTreeId(treeId);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Delete d && d.treeId == treeId && Arrays.equals(d.key, key);
        }

        @Override
        public int hashCode() {
            return 31 * treeId + Arrays.hashCode(key);
        }

        @Override
        public String toString() {
            return "Delete[tree " + treeId + ", " + hex(key) + "]";
        }
    }

    /**
     * {@code source} is absent and {@code target} holds {@code value} (source's value when the rename was decided)
     * at {@code version}. The value is carried so that the record needs no state to replay: it is a delete and a
     * put, whatever the tree holds (a follower or an external consumer of the change feed can apply it as is).
     */
    record Rename(int treeId, byte[] source, byte[] target, byte[] value, long version) implements Effect {
        public Rename {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(value, "value");
            RedoCodec.checkTreeId(treeId);
            RedoCodec.checkVersion(version);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Rename r && r.treeId == treeId && r.version == version
                    && Arrays.equals(r.source, source) && Arrays.equals(r.target, target) && Arrays.equals(r.value, value);
        }

        @Override
        public int hashCode() {
            return Objects.hash(treeId, version, Arrays.hashCode(source), Arrays.hashCode(target),
                    Arrays.hashCode(value));
        }

        @Override
        public String toString() {
            return "Rename[tree " + treeId + ", " + hex(source) + " -> " + hex(target) + " = " + hex(value) + " @"
                    + version + "]";
        }
    }

    /** Effects that happened together, possibly across trees: after a crash all of them are present or none. */
    record Batch(List<Effect> effects) implements Redo {
        public Batch {
            effects = List.copyOf(effects);
        }
    }

    /** A new, empty tree {@code treeId} named {@code name} (1 to 255 bytes of UTF-8 without NUL). */
    record CreateTree(int treeId, String name) implements Redo {
        public CreateTree {
            RedoCodec.checkTreeId(treeId);
            RedoCodec.checkTreeName(name);
        }
    }

    /** Tree {@code treeId} and everything in it are gone. */
    record DropTree(int treeId) implements Redo {
        public DropTree {
            RedoCodec.checkTreeId(treeId);
        }
    }

    /**
     * A batch wrapped in a journal envelope: an opaque caller payload and a link of a hash chain, so an external log
     * can check that it saw every enveloped batch in order. {@code hash} = SHA-256 of the previous envelope's hash,
     * the record's sequence, the payload and the batch's encoded body ({@link JournalChain}); {@code previousHash}
     * is the hash of the envelope before it (32 zero bytes for the first).
     */
    record Envelope(byte[] payload, byte[] previousHash, byte[] hash, Batch batch) implements Redo {
        public Envelope {
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(batch, "batch");
            JournalChain.checkHash("previousHash", previousHash);
            JournalChain.checkHash("hash", hash);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Envelope e && Arrays.equals(e.payload, payload)
                    && Arrays.equals(e.previousHash, previousHash) && Arrays.equals(e.hash, hash)
                    && e.batch.equals(batch);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(payload), Arrays.hashCode(hash), batch);
        }

        @Override
        public String toString() {
            return "Envelope[" + hex(payload) + ", " + hex(previousHash) + " -> " + hex(hash) + ", " + batch + "]";
        }
    }

    private static String hex(byte[] bytes) {
        return bytes.length <= 32 ? HexFormat.of().formatHex(bytes)
                : HexFormat.of().formatHex(bytes, 0, 32) + "...(" + bytes.length + " bytes)";
    }
}
