package io.cairn.tree;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.HexFormat;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * An adaptive radix tree for path-shaped keys: byte-string keys (up to 65,534 bytes, the empty key included) map to
 * values (up to 65,535 bytes), each with a version drawn from one sequence that increases with every write.
 * Supports conditional writes, atomic rename, atomic batches with guards, ordered prefix scans with delimiter
 * rollup, longest-prefix lookup and snapshots. Keys K and K + 0x00... are distinct keys.
 *
 * <p>Nodes live off-heap in 512 KiB frames (format: {@code FrameFormat}, docs/formats.md); a frame that fills up
 * spills part of itself into a new frame. All methods are thread-safe: reads take no locks (they only wait out a
 * writer that is changing a frame they need), point writes latch one frame, batches and renames are isolated (a
 * scan or snapshot never sees half of one). See docs/architecture.md ("Tree layer") for the concurrency design.
 *
 * <p>A tree is {@link AutoCloseable}: closing frees its memory; any use afterwards throws
 * {@link IllegalStateException}; closing twice is harmless. An impossible frame structure (a bug, or later a
 * corrupt file) surfaces as an {@link java.io.UncheckedIOException} wrapping a
 * {@link io.cairn.stack.CorruptedStoreException}, never as a hang or a stray exception.
 */
public final class Tree implements AutoCloseable {
    private final Art art;
    /** Open snapshots, closed with the tree so their frame copies are freed. */
    private final java.util.Set<Snapshot> snapshots = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private Tree(TreeOptions options) {
        this.art = new Art(options.frameSize(), options.frameBudget());
    }

    /** An empty in-memory tree with default options. */
    public static Tree inMemory() {
        return inMemory(TreeOptions.defaults());
    }

    public static Tree inMemory(TreeOptions options) {
        return new Tree(Objects.requireNonNull(options, "options"));
    }

    // ---- point reads

    /** The value stored under {@code key}, or null. */
    public byte[] get(byte[] key) {
        Record r = getRecord(key);
        return r == null ? null : r.value();
    }

    public byte[] get(String key) {
        return get(utf8(key));
    }

    /** The value and version stored under {@code key}, or null. */
    public Record getRecord(byte[] key) {
        ensureOpen();
        return art.get(Keys.key(key));
    }

    public Record getRecord(String key) {
        return getRecord(utf8(key));
    }

    /** The longest stored key that is a prefix of {@code query} (possibly the query itself), or null. */
    public PrefixRecord longestPrefix(byte[] query) {
        ensureOpen();
        return art.longestPrefix(art, Keys.checked("query", query), 0);
    }

    // ---- point writes

    /** Stores {@code value} under {@code key} with a new version. */
    public void put(byte[] key, byte[] value) {
        write(Art.Kind.PUT, key, value, 0);
    }

    public void put(String key, byte[] value) {
        put(utf8(key), value);
    }

    /** Stores the value only if the key is absent; true if it did. */
    public boolean putIfAbsent(byte[] key, byte[] value) {
        return write(Art.Kind.PUT_IF_ABSENT, key, value, 0);
    }

    /** Stores the value only if the key is present with exactly {@code expectedVersion}; true if it did. */
    public boolean compareAndPut(byte[] key, long expectedVersion, byte[] value) {
        return write(Art.Kind.COMPARE_AND_PUT, key, value, expectedVersion);
    }

    /** Removes the key; true if it was present. */
    public boolean delete(byte[] key) {
        return write(Art.Kind.DELETE, key, null, 0);
    }

    public boolean delete(String key) {
        return delete(utf8(key));
    }

    /** Removes the key only if it is present with exactly {@code version}; true if it did. */
    public boolean deleteIfVersion(byte[] key, long version) {
        return write(Art.Kind.DELETE_IF_VERSION, key, null, version);
    }

    /**
     * Atomically moves the value of {@code source} to {@code target} (which gets a new version).
     *
     * @throws NoSuchElementException if {@code source} is absent
     * @throws IllegalStateException  if {@code target} exists and {@code overwrite} is false
     */
    public void rename(byte[] source, byte[] target, boolean overwrite) {
        ensureOpen();
        AtomicBatch batch = new AtomicBatch().rename(source, target, overwrite);
        BatchExecutor.Outcome outcome = art.tryRenameLatched(source, target, overwrite);
        switch (outcome != null ? outcome : BatchExecutor.run(art, batch.seal())) {
            case SOURCE_MISSING -> throw new NoSuchElementException("rename source "
                    + HexFormat.of().formatHex(source) + " does not exist; nothing changed");
            case TARGET_EXISTS -> throw new IllegalStateException("rename target " + HexFormat.of().formatHex(target)
                    + " already exists and overwrite is false; nothing changed");
            default -> { }
        }
    }

    public void rename(String source, String target, boolean overwrite) {
        rename(utf8(source), utf8(target), overwrite);
    }

    /**
     * Runs {@code body} to record a batch, then applies it atomically; see {@link AtomicBatch} for the rules.
     *
     * @return true if applied (an empty batch is), false if a guard or condition failed and nothing changed
     */
    public boolean atomic(Consumer<AtomicBatch> body) {
        ensureOpen();
        Objects.requireNonNull(body, "body");
        AtomicBatch batch = new AtomicBatch();
        body.accept(batch);
        ensureOpen();
        List<AtomicBatch.Op> ops = batch.seal();
        for (AtomicBatch.Op op : ops) {
            if (op.other() != null && op.kind() != AtomicBatch.OpKind.RENAME) {
                checkFits(op.key(), op.other());
            }
        }
        return BatchExecutor.run(art, ops) == BatchExecutor.Outcome.APPLIED;
    }

    // ---- scans

    /** An ordered scan of the keys starting with {@code prefix} (empty: the whole tree). */
    public Scan scan(byte[] prefix) {
        ensureOpen();
        return new Scan(art, art, this::ensureOpen, Keys.checked("prefix", prefix).clone());
    }

    public Scan scan(String prefix) {
        return scan(utf8(prefix));
    }

    /** How many keys start with {@code prefix}, counting at most {@code limit}. */
    public long prefixCount(byte[] prefix, long limit) {
        ensureOpen();
        return count(art, art, Keys.checked("prefix", prefix), limit);
    }

    public boolean isPrefixEmpty(byte[] prefix) {
        return prefixCount(prefix, 1) == 0;
    }

    static long count(Art art, FrameView view, byte[] prefix, long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, got " + limit);
        }
        Walker w = Walker.borrow(art, view, prefix, null, -1, true, limit, true);
        try {
            art.walk(w);
            return w.count;
        } finally {
            w.release();
        }
    }

    // ---- views and maintenance

    /**
     * A consistent view of the keys under {@code prefix} as of now, unaffected by later writes; close it when
     * done. Taking it holds writers off only while it registers the frames that lead to and lie under the prefix
     * (no keys are copied); afterwards each such frame is copied once, by the first write that changes it while
     * the snapshot is open (see {@link Snapshot} for the cost).
     */
    public Snapshot snapshot(byte[] prefix) {
        ensureOpen();
        byte[] scope = Keys.checked("prefix", prefix).clone();
        art.gate.close();
        Snapshot s;
        try {
            s = new Snapshot(this, art, SnapshotFrames.capture(art, scope), scope);
        } finally {
            art.gate.open();
        }
        snapshots.add(s);
        return s;
    }

    void forget(Snapshot s) {
        snapshots.remove(s);
    }

    /** Shape and memory figures, measured with writers held off for a moment. */
    public TreeStats stats() {
        ensureOpen();
        return art.stats();
    }

    /** Frees the tree's memory. Idempotent; any other use afterwards throws {@link IllegalStateException}. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        synchronized (this) {
            if (!closed) {
                closed = true;
                for (Snapshot s : List.copyOf(snapshots)) {
                    s.close();
                }
                art.table.close();
            }
        }
    }

    private boolean write(Art.Kind kind, byte[] key, byte[] value, long expected) {
        ensureOpen();
        Keys.key(key);
        if (value != null) {
            checkFits(key, Keys.value(value));
        }
        return art.write(kind, key, value, expected);
    }

    private void checkFits(byte[] key, byte[] value) {
        Keys.value(value);
        if (Art.writeNeed(key.length, value.length) > art.root.dataCapacity() / 2) {
            throw new IllegalArgumentException("key length " + key.length + " plus value length " + value.length
                    + " do not fit this tree's " + art.table.frameSize() + "-byte frames");
        }
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("tree is closed");
        }
    }

    private static byte[] utf8(String s) {
        return Objects.requireNonNull(s, "key").getBytes(UTF_8);
    }
}
