package io.cairn.tree.engine;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * The adaptive radix tree engine of one tree: the entry point of this package, used by the public API
 * ({@code io.cairn.tree}). It wires the parts together and holds no logic of its own:
 * <ul>
 *   <li>{@link Descent}: optimistic point reads (lookups, longest prefix, a writer's frame);</li>
 *   <li>{@link Writes} and {@link Edits}: point writes and the latched rename, node edits under a frame latch;</li>
 *   <li>{@link FrameSpace}: compaction, spillover, lifts and merges;</li>
 *   <li>{@link BatchExecutor}: atomic batches under the closed {@link WriterGate};</li>
 *   <li>{@link Walker}: ordered scan passes, pooled; {@link SnapshotFrames}: copy-on-write snapshots;</li>
 *   <li>{@link FrameTable}, {@link Frame}, {@link FrameFormat}, {@link Nodes}: frames, their latches and their
 *       byte layout.</li>
 * </ul>
 * Arguments reach it checked (non-null, within the limits below); it reports an impossible structure as an
 * {@link java.io.UncheckedIOException} wrapping a {@link io.cairn.stack.CorruptedStoreException}.
 */
public final class Engine {
    /** Largest key in bytes: its length must fit a u16 with one value to spare (the reference's limit). */
    public static final int MAX_KEY = FrameFormat.MAX_KEY;
    /** Largest value in bytes. */
    public static final int MAX_VALUE = FrameFormat.MAX_VALUE;
    /** Default (and largest) frame size: 512 KiB. */
    public static final int DEFAULT_FRAME_SIZE = FrameFormat.DEFAULT_FRAME_SIZE;
    /** Smallest frame size (a test knob: small frames make small data sets span many frames). */
    public static final int MIN_FRAME_SIZE = FrameFormat.MIN_FRAME_SIZE;

    /** Builds what a lookup found, as the caller's record type. */
    @FunctionalInterface
    public interface RecordFactory<R> {
        R make(byte[] value, long version);
    }

    /** Builds what a longest-prefix lookup found, as the caller's record type. */
    @FunctionalInterface
    public interface PrefixRecordFactory<R> {
        R make(byte[] key, byte[] value, long version);
    }

    private final FrameTable table;
    private final Frame root;
    private final LiveFrames live;
    private final WriterGate gate = new WriterGate();
    private final Walker.Pool walkers = new Walker.Pool();
    private final FrameSpace space;
    private final Writes writes;
    private final BatchExecutor batches;
    /** Whether the table is this tree's alone (memory) rather than its store's (which closes it). */
    private final boolean ownsTable;

    private Engine(FrameTable table, Frame root, AtomicLong versions, boolean ownsTable) {
        this.table = table;
        this.root = root;
        this.ownsTable = ownsTable;
        table.keepResident(root);
        live = new LiveFrames(table, root);
        space = new FrameSpace(table, root, gate);
        writes = new Writes(table, live, gate, space, versions);
        batches = new BatchExecutor(table, live, gate, space, writes, walkers);
    }

    /** An empty tree in memory: frames of {@code frameSize} bytes, at most {@code frameBudget} of them. */
    public static Engine inMemory(int frameSize, int frameBudget) {
        return create(new FrameTable(frameSize, frameBudget), new AtomicLong(), true);
    }

    /**
     * A new, empty tree whose frames live in a store's {@code table} and whose versions come from the store's
     * {@code versions} (shared by all its trees, so a batch across trees is ordered by them).
     */
    public static Engine create(FrameTable table, AtomicLong versions) {
        return create(table, versions, false);
    }

    private static Engine create(FrameTable table, AtomicLong versions, boolean ownsTable) {
        Frame root = table.allocate(false);
        root.unlock();
        return new Engine(table, root, versions, ownsTable);
    }

    /** A tree restored into a store's {@code table}, whose root is frame {@code rootId}. */
    public static Engine restore(FrameTable table, int rootId, AtomicLong versions) {
        Frame root = table.get(rootId);
        if (root == null) {
            throw new IllegalArgumentException("root frame " + rootId + " is not in the table");
        }
        return new Engine(table, root, versions, false);
    }

    /** The live tree, for the read methods (a snapshot passes its own view). */
    public FrameView live() {
        return live;
    }

    // ---- reads

    /** The record under {@code key} as {@code view} sees it, made by {@code factory}, or null. */
    public <R> R get(FrameView view, byte[] key, RecordFactory<R> factory) {
        Descent.Probe p = Descent.get(view, key);
        return p.matched < 0 ? null : factory.make(p.value, p.version);
    }

    /** The longest key of at least {@code minLength} bytes that is a prefix of {@code query}, or null. */
    public <R> R longestPrefix(FrameView view, byte[] query, int minLength, PrefixRecordFactory<R> factory) {
        Descent.Probe p = Descent.longestPrefix(view, query, minLength);
        return p.matched < 0 ? null : factory.make(java.util.Arrays.copyOf(query, p.matched), p.value, p.version);
    }

    /**
     * One validated scan pass: up to {@code limit} entries under {@code prefix} strictly after {@code bound} (null:
     * none), rolled up at {@code delimiter} (-1: none). Release the buffer once its entries have been read.
     */
    public ScanBuffer scan(FrameView view, byte[] prefix, byte[] bound, int delimiter, boolean keysOnly, long limit) {
        Walker w = Walker.borrow(walkers, view, prefix, bound, delimiter, keysOnly, limit, false);
        try {
            w.walk(gate);
        } catch (RuntimeException | Error e) {
            w.release();
            throw e;
        }
        return w.out;
    }

    /** How many keys under {@code prefix} {@code view} holds, counting at most {@code limit}. */
    public long count(FrameView view, byte[] prefix, long limit) {
        Walker w = Walker.borrow(walkers, view, prefix, null, -1, true, limit, true);
        try {
            w.walk(gate);
            return w.count;
        } finally {
            w.release();
        }
    }

    // ---- writes

    public void put(byte[] key, byte[] value) {
        writes.write(Writes.Kind.PUT, key, value, 0);
    }

    public boolean putIfAbsent(byte[] key, byte[] value) {
        return writes.write(Writes.Kind.PUT_IF_ABSENT, key, value, 0);
    }

    public boolean compareAndPut(byte[] key, long expectedVersion, byte[] value) {
        return writes.write(Writes.Kind.COMPARE_AND_PUT, key, value, expectedVersion);
    }

    public boolean delete(byte[] key) {
        return writes.write(Writes.Kind.DELETE, key, null, 0);
    }

    public boolean deleteIfVersion(byte[] key, long version) {
        return writes.write(Writes.Kind.DELETE_IF_VERSION, key, null, version);
    }

    /**
     * Moves the value of {@code source} to {@code target}: first with latches on the two keys' frames only, and if
     * they stay busy as a one-operation batch with the writer gate closed.
     */
    public Outcome rename(byte[] source, byte[] target, boolean overwrite) {
        Outcome outcome = writes.tryRenameLatched(source, target, overwrite);
        return outcome != null ? outcome
                : batches.run(List.of(new BatchOp(BatchOp.Kind.RENAME, source, target, 0, overwrite)));
    }

    /** Applies a batch atomically: all of it, or nothing if a guard or condition fails. */
    public Outcome apply(List<BatchOp> ops) {
        return batches.run(ops);
    }

    /** Whether a write of a key and value of these lengths fits this tree's frames (at most half a frame). */
    public boolean fits(int keyLength, int valueLength) {
        return Edits.writeNeed(keyLength, valueLength) <= root.dataCapacity() / 2;
    }

    public int frameSize() {
        return table.frameSize();
    }

    // ---- durability

    /** Logs every write from now on to {@code log} (after recovery has replayed what the log held). */
    public void logTo(RedoLog log) {
        writes.logTo(log);
    }

    /** Applies changes replayed from the log, unconditionally and without logging them again. */
    public void redo(List<RedoLog.Change> changes) {
        BatchExecutor.redoTogether(List.of(batches), List.of(changes), null);
    }

    /**
     * Applies one batch per tree to several trees of one store as one atomic batch: all guards and conditions of
     * all parts are checked before anything changes, {@code log} records the net changes as one record while every
     * changed frame is still latched, and a reader of any of the trees sees all of it or none. The trees' gates
     * are closed in the order given: callers order them the same way everywhere (by tree id), so two such batches
     * cannot deadlock. The caller waits for the record's durability.
     *
     * @return {@code APPLIED}, or the outcome of the first failing guard or condition (nothing changed)
     * @throws IllegalStateException if one of the trees was dropped (nothing changed)
     */
    public static Outcome applyTogether(List<Engine> trees, List<List<BatchOp>> ops, BatchLog log) {
        return BatchExecutor.runTogether(executors(trees), ops, log);
    }

    /**
     * Applies changes decided elsewhere (a leader's, through its change feed) to several trees as one, logging
     * them through {@code log} (null: not at all) as {@link #applyTogether} does.
     */
    public static void redoTogether(List<Engine> trees, List<List<RedoLog.Change>> changes, BatchLog log) {
        BatchExecutor.redoTogether(executors(trees), changes, log);
    }

    private static List<BatchExecutor> executors(List<Engine> trees) {
        List<BatchExecutor> out = new java.util.ArrayList<>(trees.size());
        for (Engine t : trees) {
            if (t.table != trees.getFirst().table) {
                throw new IllegalArgumentException("trees of different stores cannot share a batch");
            }
            out.add(t.batches);
        }
        return out;
    }

    /**
     * Removes the tree for good: waits for its writers to leave, fails every later read and write of it with
     * {@link IllegalStateException} carrying {@code message} (a read in flight restarts into that failure: its
     * frames' versions move), lets open snapshots copy the frames they cover, and returns every frame to the table
     * (a checkpoint then leaves them out of the manifest, freeing their slots).
     *
     * @throws IllegalStateException if the tree was dropped already
     */
    public void drop(String message) {
        gate.close();
        try {
            live.drop(message);
            space.dropMergeQueue();
            List<Frame> frames = SnapshotFrames.reachable(table, root, new byte[0], true);
            Mutation m = new Mutation();
            for (Frame f : frames) {
                m.hold(f); // a snapshot that covers the frame copies it now; the version moves on release
            }
            m.releaseAll();
            for (Frame f : frames) {
                f.parent = -1;
                table.release(f);
            }
        } finally {
            gate.fence(message);
        }
    }

    /**
     * Takes over the frames of {@code copy} — a tree of the same table holding this tree's records, built anew in
     * key order for a compaction, so its frames are full — and releases this tree's old frames, if the copy has
     * fewer frames ({@link Repack}); returns whether it did. The caller has closed this tree's gate, and drops a
     * copy that was not taken.
     *
     * @throws IllegalArgumentException if {@code copy} belongs to another table or is this tree
     */
    public boolean adopt(Engine copy) {
        if (copy.table != table || copy == this) {
            throw new IllegalArgumentException("a tree adopts a copy of the same store, not itself");
        }
        return Repack.adopt(table, space, root, copy.root);
    }

    /**
     * Releases the frames of {@code table} in use that none of {@code trees} reaches ({@link Orphans}) and returns
     * how many; the caller has closed every tree's gate and nothing else allocates frames meanwhile.
     */
    public static int releaseUnreachable(FrameTable table, List<Engine> trees) {
        List<Frame> roots = new java.util.ArrayList<>(trees.size());
        for (Engine t : trees) {
            if (t.table != table) {
                throw new IllegalArgumentException("a tree of another store");
            }
            roots.add(t.root);
        }
        return Orphans.release(table, roots);
    }

    /** Throws the {@link IllegalStateException} of a dropped tree; nothing if it is live. */
    public void checkLive() {
        gate.checkFence();
    }

    /** The id of the tree's root frame, for a manifest. */
    public int rootId() {
        return root.id;
    }

    /**
     * Shuts this tree's writers out until {@link #openGate} (a checkpoint's capture): once it returns, no writer of
     * the tree is inside and none holds a frame latch. Readers carry on.
     */
    public void closeGate() {
        gate.close();
    }

    public void openGate() {
        gate.open();
    }

    // ---- views and maintenance

    /**
     * Captures a copy-on-write view of the keys under {@code scope}, holding writers off while it registers (a
     * caller that has closed the gate itself, to capture several trees at one moment, keeps it closed).
     */
    public SnapshotFrames snapshot(byte[] scope) {
        boolean mine = !gate.isHeldByCurrentThread();
        if (mine) {
            gate.close();
        }
        try {
            return SnapshotFrames.capture(table, root, scope);
        } finally {
            if (mine) {
                gate.open();
            }
        }
    }

    /** The tree's shape, measured with writers shut out so the numbers agree with each other. */
    public Shape shape() {
        return shape(frames -> {});
    }

    /** {@link #shape()}, telling {@code walked} the frames counted so far after each one. */
    public Shape shape(IntConsumer walked) {
        boolean mine = !gate.isHeldByCurrentThread();
        if (mine) {
            gate.close();
        }
        try {
            return Shape.of(table, root, walked);
        } finally {
            if (mine) {
                gate.open();
            }
        }
    }

    Frame root() {
        return root;
    }

    FrameTable table() {
        return table;
    }

    /** Off-heap bytes held by the frames. */
    public long memoryBytes() {
        return table.memoryBytes();
    }

    /** Frees the frames of a memory tree (a store closes its shared table itself); nothing may still run. */
    public void close() {
        if (ownsTable) {
            table.close();
        }
    }
}
