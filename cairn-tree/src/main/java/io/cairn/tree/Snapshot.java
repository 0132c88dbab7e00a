package io.cairn.tree;

import io.cairn.tree.engine.Engine;
import io.cairn.tree.engine.SnapshotFrames;
import java.util.HexFormat;

/**
 * A consistent, read-only view of the keys under one prefix at the moment it was taken, unaffected by later
 * writes. Reads outside the prefix are rejected with {@link IllegalArgumentException}. Thread-safe.
 *
 * <p>Cost: taking a snapshot holds writers off only while it registers the frames that lead to the prefix and lie under
 * it; finding them walks the nodes of the frame where the prefix ends and takes the frames wholly under it from
 * their parent links, and copies no key (one bucket of a 2-million-key tree: under 0.1 ms; the whole tree: under
 * 1 ms). The frames are shared with the live tree until a
 * write changes one: that write first copies the frame (one frame, 512 KiB by default) for the snapshot. An open
 * snapshot therefore retains at most one copy of each frame it covers; {@link #retainedBytes} tells how much it holds
 * now. Close it to release the copies and stop the copying.
 */
public final class Snapshot implements AutoCloseable {
    private final Tree tree;
    private final Engine engine;
    private final SnapshotFrames frames;
    private final byte[] scope;
    private volatile boolean closed;

    Snapshot(Tree tree, Engine engine, SnapshotFrames frames, byte[] scope) {
        this.tree = tree;
        this.engine = engine;
        this.frames = frames;
        this.scope = scope;
    }

    /** The prefix this snapshot covers. */
    public byte[] prefix() {
        return scope.clone();
    }

    public byte[] get(byte[] key) {
        Record r = getRecord(key);
        return r == null ? null : r.value();
    }

    public Record getRecord(byte[] key) {
        return engine.get(frames, inScope("key", key), Record::new);
    }

    /**
     * The longest key in the snapshot that is a prefix of {@code query} (which must lie in the scope). Keys
     * shorter than the snapshot's prefix are outside it and never returned.
     */
    public PrefixRecord longestPrefix(byte[] query) {
        return engine.longestPrefix(frames, inScope("query", query), scope.length, PrefixRecord::new);
    }

    /** A scan of the snapshot; {@code prefix} must start with the snapshot's prefix. */
    public Scan scan(byte[] prefix) {
        return new Scan(engine, frames, this::ensureOpen, inScope("prefix", prefix).clone());
    }

    public long prefixCount(byte[] prefix, long limit) {
        return Tree.count(engine, frames, inScope("prefix", prefix), limit);
    }

    public boolean isPrefixEmpty(byte[] prefix) {
        return prefixCount(prefix, 1) == 0;
    }

    /**
     * The keys under {@code base} (which must start with the snapshot's prefix) as a trie of bytes, fixed as the
     * snapshot is: a walk of it sees one moment of the tree (see {@link TrieNode}).
     */
    public TrieNode trie(byte[] base) {
        return TrieNode.root(frames, inScope("base", base), this::ensureOpen);
    }

    /** Off-heap bytes this snapshot holds in frame copies made because writes changed frames it covers. */
    public long retainedBytes() {
        ensureOpen();
        return frames.retainedBytes();
    }

    private byte[] inScope(String name, byte[] key) {
        ensureOpen();
        Keys.checked(name, key);
        if (!Keys.startsWith(key, scope)) {
            throw new IllegalArgumentException(name + " " + HexFormat.of().formatHex(key)
                    + " is outside the snapshot prefix " + HexFormat.of().formatHex(scope));
        }
        return key;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("snapshot is closed");
        }
        tree.ensureHandleOpen();
    }

    /**
     * Releases the frame copies; idempotent (closing the tree closes its snapshots too). Reads still running on
     * other threads must have finished.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            frames.close();
            tree.forget(this);
        }
    }
}
