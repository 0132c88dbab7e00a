package io.cairn.tree;

import java.util.HexFormat;

/**
 * A consistent, read-only view of the keys under one prefix at the moment it was taken, unaffected by later
 * writes. Reads outside the prefix are rejected with {@link IllegalArgumentException}.
 *
 * <p>Cost: taking a snapshot copies the records under the prefix (keys, values and versions) into private frames
 * while writers are held off, so it costs time and memory proportional to the data under the prefix, and nothing
 * afterwards. (Copy-on-write of shared frames would make capture O(1) but puts a check on every write; it is the
 * right trade for the persistent mode, where frames are shadow-paged anyway.) Close it to free the copy.
 */
public final class Snapshot implements AutoCloseable {
    private final Art art;
    private final byte[] scope;
    private volatile boolean closed;

    Snapshot(Art art, byte[] scope) {
        this.art = art;
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
        return art.get(inScope("key", key));
    }

    /** The longest key in the snapshot that is a prefix of {@code query} (which must lie in the scope). */
    public PrefixRecord longestPrefix(byte[] query) {
        return art.longestPrefix(inScope("query", query));
    }

    /** A scan of the snapshot; {@code prefix} must start with the snapshot's prefix. */
    public Scan scan(byte[] prefix) {
        return new Scan(art, this::ensureOpen, inScope("prefix", prefix).clone());
    }

    public long prefixCount(byte[] prefix, long limit) {
        return Tree.count(art, inScope("prefix", prefix), limit);
    }

    public boolean isPrefixEmpty(byte[] prefix) {
        return prefixCount(prefix, 1) == 0;
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
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            art.table.close();
        }
    }
}
