package io.cairn.tree;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.cairn.tree.engine.BatchOp;
import io.cairn.tree.engine.Engine;
import io.cairn.tree.engine.FrameTable;
import io.cairn.tree.engine.FrameView;
import io.cairn.tree.engine.Outcome;
import io.cairn.tree.storage.Retention;
import io.cairn.tree.storage.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

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
 * <p>A tree lives in memory ({@link #inMemory()}) or in a directory ({@link #open(Path)}), where every write is
 * logged to a write-ahead log before it is acknowledged (as {@link TreeOptions#durability} says) and checkpoints
 * write the changed frames; a reopen recovers every acknowledged write. {@link #openReadOnly} sees the same without
 * writing a file. File layout and crash rules: docs/architecture.md ("Durable tree") and docs/formats.md.
 *
 * <p>A tree is {@link AutoCloseable}: closing frees its memory; any use afterwards throws
 * {@link IllegalStateException}; closing twice is harmless. An impossible frame structure (a bug, or later a
 * corrupt file) surfaces as an {@link java.io.UncheckedIOException} wrapping a
 * {@link io.cairn.stack.CorruptedStoreException}, never as a hang or a stray exception.
 */
public final class Tree implements AutoCloseable {
    /** The longest key a tree holds, in bytes: a longer one is refused with {@link IllegalArgumentException}. */
    public static final int MAX_KEY_BYTES = Engine.MAX_KEY;
    /** The longest value a tree holds, in bytes: a longer one is refused with {@link IllegalArgumentException}. */
    public static final int MAX_VALUE_BYTES = Engine.MAX_VALUE;

    private final Engine engine;
    /** The directory's store of a file-backed tree; null in memory. */
    private final Store store;
    /** Whether closing this tree closes its store ({@link #open}) rather than leaving it to a {@link Database}. */
    private final boolean ownsStore;
    /** Open snapshots, closed with the tree so their frame copies are freed. */
    private final java.util.Set<Snapshot> snapshots = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private Tree(Engine engine, Store store, boolean ownsStore) {
        this.engine = engine;
        this.store = store;
        this.ownsStore = ownsStore;
    }

    /** A handle on a tree of a database: closing it leaves the database open. */
    static Tree inDatabase(Engine engine, Store store) {
        return new Tree(engine, store, false);
    }

    /** An empty in-memory tree with default options. */
    public static Tree inMemory() {
        return inMemory(TreeOptions.defaults());
    }

    public static Tree inMemory(TreeOptions options) {
        Objects.requireNonNull(options, "options");
        return new Tree(Engine.inMemory(options.frameSize(), options.frameBudget()), null, false);
    }

    /** Opens (creating if needed) the file-backed tree in {@code directory}, with default options. */
    public static Tree open(Path directory) throws IOException {
        return open(directory, TreeOptions.defaults());
    }

    /**
     * Opens (creating it and the directory if needed) the file-backed tree in {@code directory} for writing: takes
     * the directory's lock, recovers (the last checkpoint, then the write-ahead log after it) and returns. A
     * directory made by {@link Database#open} opens too if it holds one tree (whatever its name; none: a tree named
     * {@value Store#DEFAULT_TREE} is created), so a tree can grow into a database and back without migrating.
     *
     * @throws IllegalArgumentException                 if the directory is a database of several trees (the message
     *                                                  names them)
     * @throws io.cairn.stack.StoreLockedException      if another handle, in this process or another, has it open
     * @throws io.cairn.stack.CorruptedStoreException   if a file of the store is damaged (the message names it)
     * @throws io.cairn.stack.FormatVersionException    if a file comes from a newer format version
     */
    public static Tree open(Path directory, TreeOptions options) throws IOException {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(options, "options");
        return fromStore(Store.open(directory, storeOptions(options)), true);
    }

    /**
     * Opens the tree in {@code directory} read-only: a shared lock (beside other readers, never beside a writer),
     * every acknowledged write visible (the log is replayed in memory), no file written. Every mutation and
     * maintenance call throws {@link UnsupportedOperationException}.
     */
    public static Tree openReadOnly(Path directory) throws IOException {
        return openReadOnly(directory, TreeOptions.defaults());
    }

    /**
     * {@link #openReadOnly(Path)} with options: the cache size and the I/O seam apply (the durability options do
     * not: a read-only handle writes nothing).
     */
    public static Tree openReadOnly(Path directory, TreeOptions options) throws IOException {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(options, "options");
        return fromStore(Store.openReadOnly(directory, storeOptions(options)), false);
    }

    static Store.Options storeOptions(TreeOptions o) {
        return new Store.Options(o.durability(), o.asyncFlushInterval(), o.frameSize(), o.frameBudget(),
                o.cacheBytes(), o.checkpointEvery(), o.io(),
                o.changeRetention().map(r -> new Retention(r.records(), r.bytes())).orElse(null));
    }

    /** The store's one tree (creating it in an empty writable store); refuses a store of several. */
    private static Tree fromStore(Store store, boolean writable) throws IOException {
        try {
            List<String> names = store.treeNames();
            Engine engine;
            if (names.isEmpty() && writable) {
                engine = store.createTree(Store.DEFAULT_TREE);
            } else if (names.size() == 1) {
                engine = store.tree(names.getFirst());
            } else {
                throw new IllegalArgumentException(store.directory() + " holds " + (names.isEmpty() ? "no tree"
                        : names.size() + " trees (" + String.join(", ", names.stream()
                                .map(io.cairn.tree.wal.TreeNames::quote).toList()) + ")")
                        + ": open it with Database." + (writable ? "open" : "openReadOnly"));
            }
            return new Tree(engine, store, true);
        } catch (IOException | RuntimeException e) {
            try {
                store.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
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
        ensureWritable();
        return engine.delete(Keys.key(key));
    }

    public boolean delete(String key) {
        return delete(utf8(key));
    }

    /** Removes the key only if it is present with exactly {@code version}; true if it did. */
    public boolean deleteIfVersion(byte[] key, long version) {
        ensureWritable();
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
        ensureWritable();
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
        ensureWritable();
        Objects.requireNonNull(body, "body");
        AtomicBatch batch = new AtomicBatch();
        body.accept(batch);
        ensureOpen();
        List<BatchOp> ops = batch.seal();
        checkFits(ops);
        return engine.apply(ops) == Outcome.APPLIED;
    }

    /** Checks that every value a batch stores fits this tree's frames (before anything changes). */
    void checkFits(List<BatchOp> ops) {
        for (BatchOp op : ops) {
            if (op.other() != null && op.kind() != BatchOp.Kind.RENAME) {
                checkFits(op.key(), op.other());
            }
        }
    }

    Engine engine() {
        return engine;
    }

    boolean isOpen() {
        return !closed;
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

    /**
     * The keys under {@code base} as a trie of bytes (the base itself not included), for automata that walk the
     * tree node by node, such as a fuzzy search: see {@link TrieNode} for what a walk of a changing tree sees. The
     * root exists even when no key starts with {@code base} (then it is empty).
     */
    public TrieNode trie(byte[] base) {
        ensureOpen();
        return TrieNode.root(engine.live(), Keys.checked("base", base), this::ensureOpen);
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
        return adopt(engine.snapshot(scope), scope);
    }

    void forget(Snapshot s) {
        snapshots.remove(s);
    }

    /** Registers a snapshot taken of this tree (by a {@link Database} snapshot), so closing the tree closes it. */
    Snapshot adopt(io.cairn.tree.engine.SnapshotFrames frames, byte[] scope) {
        Snapshot s = new Snapshot(this, engine, frames, scope);
        snapshots.add(s);
        return s;
    }

    /**
     * Shape and memory figures, measured with writers held off for a moment, and for a file-backed tree the log,
     * checkpoint, recovery and cache figures. The shape counts every frame, so on a file-backed tree larger than its
     * cache this reads the frames it does not hold (one at a time, through the cache).
     */
    public TreeStats stats() {
        return stats(WorkProgress.NONE);
    }

    /**
     * {@link #stats()}, telling {@code progress} the frames walked so far ("checking", after each frame) of those
     * the tree's store held when the walk started.
     */
    public TreeStats stats(WorkProgress progress) {
        Objects.requireNonNull(progress, "progress");
        ensureOpen();
        return statsWalking(checking(progress, 0, engine.live().frameCount()));
    }

    /**
     * Reports a frame walk to {@code progress} as "checking" {@code before} plus the frames walked, of {@code total}
     * (raised to what was walked if the walk finds more, e.g. a tree written between a database's walks).
     */
    static IntConsumer checking(WorkProgress progress, long before, long total) {
        return frames -> progress.update("checking", before + frames, Math.max(total, before + frames));
    }

    /** {@link #stats()}, telling {@code walked} the frames counted so far after each one. */
    TreeStats statsWalking(IntConsumer walked) {
        ensureOpen();
        io.cairn.tree.engine.Shape s = engine.shape(walked);
        return new TreeStats(s.keys(), s.frames(), s.maxDepth(), s.avgDepth(), s.maxFrameDepth(), s.fill(),
                s.deadBytes(), store != null ? store.memoryBytes() : engine.memoryBytes(),
                store != null ? durableStats(store) : null);
    }

    /** A store's log, checkpoint, recovery and cache figures, as every tree of it and its database report them. */
    static TreeStats.Durable durableStats(Store store) {
        Store.Figures f = store.figures();
        io.cairn.tree.wal.WalStats w;
        try {
            w = store.walStats();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TreeStats.Durable(w.retainedBytes(), w.lastSequence(), w.appendedRecords(), w.groupWrites(),
                w.forces(), w.groupSizes().clone(), f.checkpoints(), f.checkpointedFrames(), f.lastCheckpointNanos(),
                f.lastCheckpointSequence(), f.replayedRecords(), f.recoveryNanos(), cacheStats(store));
    }

    private static TreeStats.Cache cacheStats(Store store) {
        FrameTable.CacheFigures c = store.cacheFigures();
        return new TreeStats.Cache(c.capacityBytes(), c.residentBytes(), c.peakBytes(), c.dirtyBytes(), c.hits(),
                c.misses(), c.evictions(), c.overdrafts());
    }

    /**
     * What opening this file-backed tree recovered (log records replayed, how long the open took, a torn log tail
     * cut), as measured at open; null for a memory tree. Cheap, unlike {@link #stats()}, which walks the tree.
     */
    public TreeStats.Recovery recovery() {
        ensureOpen();
        if (store == null) {
            return null;
        }
        Store.Figures f = store.figures();
        try {
            return new TreeStats.Recovery(f.replayedRecords(), f.recoveryNanos(), store.walStats().tornBytesCut());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Forces every write acknowledged so far to stable storage (under {@code ASYNC} or {@code NONE} this is how to
     * choose when to pay for durability). Nothing to do for a memory tree.
     */
    public void sync() {
        ensureWritable();
        if (store != null) {
            unchecked(store::sync);
        }
    }

    /**
     * Writes the frames changed since the last checkpoint and retires the log they cover, so a reopen has less to
     * replay; writers are held off only while the changed frames are copied. Checkpoints also run on close. Nothing
     * to do for a memory tree.
     */
    public void checkpoint() {
        ensureWritable();
        if (store != null) {
            unchecked(store::checkpoint);
        }
    }

    /** Whether this tree lives in a directory (opened with {@link #open}) rather than in memory. */
    public boolean isDurable() {
        return store != null;
    }

    /** Whether this tree rejects mutations (opened with {@link #openReadOnly}). */
    public boolean isReadOnly() {
        return store != null && store.isReadOnly();
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void unchecked(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Frees the tree's memory; a file-backed tree checkpoints first and forces its log, so nothing acknowledged is
     * lost and the next open has nothing to replay. A tree of a {@link Database} only closes this handle (and its
     * snapshots); the database stays open. Idempotent; any other use afterwards throws
     * {@link IllegalStateException}.
     *
     * @throws UncheckedIOException if the final checkpoint or force failed (the files are released anyway)
     */
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
                if (ownsStore || store == null) {
                    engine.close();
                }
                if (ownsStore) {
                    unchecked(store::close);
                }
            }
        }
    }

    /**
     * Checks every argument of a write that stores a value, whatever the tree holds under the key, before the engine
     * is entered (and so before any latch is taken).
     */
    private void checkWrite(byte[] key, byte[] value) {
        ensureWritable();
        checkFits(Keys.key(key), value);
    }

    private void checkFits(byte[] key, byte[] value) {
        Keys.value(value);
        if (!engine.fits(key.length, value.length)) {
            throw new IllegalArgumentException("key length " + key.length + " plus value length " + value.length
                    + " do not fit this tree's " + engine.frameSize() + "-byte frames");
        }
    }

    /** Throws unless the handle and its store are open and the tree was not dropped. */
    void ensureOpen() {
        ensureHandleOpen();
        engine.checkLive();
    }

    /**
     * Throws unless the handle and its store are open (a snapshot still reads a tree dropped after it was taken:
     * the drop copied the frames it covers).
     */
    void ensureHandleOpen() {
        if (closed) {
            throw new IllegalStateException("tree is closed");
        }
        if (store != null) {
            store.checkUsable();
        }
    }

    private void ensureWritable() {
        ensureOpen();
        if (isReadOnly()) {
            throw new UnsupportedOperationException("tree " + store.directory() + " is open read-only");
        }
    }

    private static byte[] utf8(String s) {
        return Objects.requireNonNull(s, "key").getBytes(UTF_8);
    }
}
