package io.cairn.tree;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.cairn.tree.engine.BatchOp;
import io.cairn.tree.engine.Engine;
import io.cairn.tree.engine.FrameView;
import io.cairn.tree.engine.Outcome;
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
 * <p>Nodes live off-heap in 512 KiB frames (format: {@code io.cairn.tree.engine.FrameFormat}, docs/formats.md); a frame that fills up
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
    private final Engine engine;
    /** Open snapshots, closed with the tree so their frame copies are freed. */
    private final java.util.Set<Snapshot> snapshots = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private Tree(TreeOptions options) {
        this.engine = Engine.inMemory(options.frameSize(), options.frameBudget());
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
        return engine.get(engine.live(), Keys.key(key), Record::new);
    }

    public Record getRecord(String key) {
        return getRecord(utf8(key));
    }

    /** The longest stored key that is a prefix of {@code query} (possibly the query itself), or null. */
    public PrefixRecord longestPrefix(byte[] query) {
        ensureOpen();
        return engine.longestPrefix(engine.live(), Keys.checked("query", query), 0, PrefixRecord::new);
    }

    // ---- point writes

    /** Stores {@code value} under {@code key} with a new version. */
    public void put(byte[] key, byte[] value) {
        checkWrite(key, value);
        engine.put(key, value);
    }

    public void put(String key, byte[] value) {
        put(utf8(key), value);
    }

    /** Stores the value only if the key is absent; true if it did. */
    public boolean putIfAbsent(byte[] key, byte[] value) {
        checkWrite(key, value);
        return engine.putIfAbsent(key, value);
    }

    /** Stores the value only if the key is present with exactly {@code expectedVersion}; true if it did. */
    public boolean compareAndPut(byte[] key, long expectedVersion, byte[] value) {
        checkWrite(key, value);
        return engine.compareAndPut(key, expectedVersion, value);
    }

    /** Removes the key; true if it was present. */
    public boolean delete(byte[] key) {
        ensureOpen();
        return engine.delete(Keys.key(key));
    }

    public boolean delete(String key) {
        return delete(utf8(key));
    }

    /** Removes the key only if it is present with exactly {@code version}; true if it did. */
    public boolean deleteIfVersion(byte[] key, long version) {
        ensureOpen();
        return engine.deleteIfVersion(Keys.key(key), version);
    }

    /**
     * Atomically moves the value of {@code source} to {@code target} (which gets a new version). A key renamed onto
     * itself is a rename onto an existing target: refused without {@code overwrite}; with it, the key keeps its value
     * and gets a new version.
     *
     * @throws NoSuchElementException if {@code source} is absent
     * @throws IllegalStateException  if {@code target} exists and {@code overwrite} is false
     */
    public void rename(byte[] source, byte[] target, boolean overwrite) {
        ensureOpen();
        Keys.checked("source", source);
        Keys.checked("target", target);
        switch (engine.rename(source.clone(), target.clone(), overwrite)) {
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
        List<BatchOp> ops = batch.seal();
        for (BatchOp op : ops) {
            if (op.other() != null && op.kind() != BatchOp.Kind.RENAME) {
                checkFits(op.key(), op.other());
            }
        }
        return engine.apply(ops) == Outcome.APPLIED;
    }

    // ---- scans

    /** An ordered scan of the keys starting with {@code prefix} (empty: the whole tree). */
    public Scan scan(byte[] prefix) {
        ensureOpen();
        return new Scan(engine, engine.live(), this::ensureOpen, Keys.checked("prefix", prefix).clone());
    }

    public Scan scan(String prefix) {
        return scan(utf8(prefix));
    }

    /** How many keys start with {@code prefix}, counting at most {@code limit}. */
    public long prefixCount(byte[] prefix, long limit) {
        ensureOpen();
        return count(engine, engine.live(), Keys.checked("prefix", prefix), limit);
    }

    public boolean isPrefixEmpty(byte[] prefix) {
        return prefixCount(prefix, 1) == 0;
    }

    static long count(Engine engine, FrameView view, byte[] prefix, long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative, got " + limit);
        }
        return engine.count(view, prefix, limit);
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
        Snapshot s = new Snapshot(this, engine, engine.snapshot(scope), scope);
        snapshots.add(s);
        return s;
    }

    void forget(Snapshot s) {
        snapshots.remove(s);
    }

    /** Shape and memory figures, measured with writers held off for a moment. */
    public TreeStats stats() {
        ensureOpen();
        io.cairn.tree.engine.Shape s = engine.shape();
        return new TreeStats(s.keys(), s.frames(), s.maxDepth(), s.avgDepth(), s.maxFrameDepth(), s.fill(),
                s.deadBytes(), engine.memoryBytes());
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
                engine.close();
            }
        }
    }

    /**
     * Checks every argument of a write that stores a value, whatever the tree holds under the key, before the engine
     * is entered (and so before any latch is taken).
     */
    private void checkWrite(byte[] key, byte[] value) {
        ensureOpen();
        checkFits(Keys.key(key), value);
    }

    private void checkFits(byte[] key, byte[] value) {
        Keys.value(value);
        if (!engine.fits(key.length, value.length)) {
            throw new IllegalArgumentException("key length " + key.length + " plus value length " + value.length
                    + " do not fit this tree's " + engine.frameSize() + "-byte frames");
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
