package io.cairn.tree;

import static io.cairn.tree.FrameFormat.*;

import io.cairn.stack.CorruptedStoreException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The adaptive radix tree over frames: point reads and point writes with the node edits behind them (leaf and
 * prefix splits, path compression, node growth and shrink). Space management (compaction, spillover, merges)
 * lives in {@link FrameSpace}.
 *
 * <h2>Concurrency</h2>
 * <ul>
 *   <li><b>Readers</b> never lock. They descend frame by frame, reading each frame's version first; when a Blob
 *       leads into a child frame they read the child's version and then validate the parent's (lock coupling), so
 *       the crossing they took was real. A reader that sees a version change, an impossible node or an
 *       out-of-bounds offset validates: a moved version means a torn read and a restart from the root; a still
 *       valid version means the structure really is impossible and a {@link CorruptedStoreException}.</li>
 *   <li><b>Point writers</b> pass the {@link WriterGate} without touching a shared word, find the frame where the
 *       key's path ends with an optimistic descent, and latch only that frame (compare-and-set of the version they
 *       read; failure means someone changed it, so they restart). A spillover creates a new frame, latched by the
 *       same writer until it is done; a writer only ever waits for a frame below one it holds, so writers cannot
 *       deadlock.</li>
 *   <li><b>Batches, snapshot capture, merges and statistics</b> close the gate: once point writers in flight
 *       have left, the closer is the only writer. A batch latches every frame it changes and releases them
 *       together at the end, so a reader that validates the frames it read (scans do) sees all of a batch or none
 *       of it. A <b>rename</b> first tries to latch both keys' frames without waiting and without the gate
 *       ({@link #tryRenameLatched}); only when they stay busy does it run as a batch.</li>
 * </ul>
 */
final class Art implements FrameView {
    static final int EDGE_ROOT = -1;
    static final int EDGE_PREFIX = -2;
    static final int EDGE_VALUE = -3;
    static final int EDGE_SPLIT = -4;

    private static final int K_EMPTY = 0;
    private static final int K_LEAF_MATCH = 1;
    private static final int K_LEAF_MISMATCH = 2;
    private static final int K_PREFIX_MISMATCH = 3;
    private static final int K_NO_VALUE = 4;
    private static final int K_NO_CHILD = 5;

    /** Bytes a delete may allocate: a collapsed prefix or a shrunken node. */
    static final int DELETE_NEED = Math.max(prefixSize(MAX_PREFIX), NODE48_SIZE);

    final FrameTable table;
    final WriterGate gate = new WriterGate();
    /** Idle scan walkers, reused so that scans allocate no working storage. */
    final Walker.Pool walkers = new Walker.Pool();
    private final AtomicLong sequence = new AtomicLong();
    final Frame root;
    final FrameSpace space;

    Art(int frameSize, int frameBudget) {
        table = new FrameTable(frameSize, frameBudget);
        root = table.allocate(false);
        root.unlock();
        space = new FrameSpace(table, root, gate);
    }

    @Override
    public Frame rootFrame() {
        return root;
    }

    @Override
    public Frame frame(long id) {
        return table.get(id);
    }

    @Override
    public Frame recheck(Frame f) {
        return f;
    }

    long nextVersion() {
        return sequence.incrementAndGet();
    }

    /** Bytes a write of this key and value may need in one frame; must not exceed half a frame's data area. */
    static int writeNeed(int keyLength, int valueLength) {
        return leafSize(keyLength, valueLength) + Nodes.MAX_STRUCTURE_BYTES
                + (keyLength / MAX_PREFIX + 1) * prefixSize(MAX_PREFIX);
    }

    // ------------------------------------------------------------------ reads

    /** What an optimistic descent is for: an exact lookup, the longest stored prefix, or a writer's frame. */
    private enum Goal { GET, LONGEST_PREFIX, LOCATE }

    /** The outcome of {@link #descend}. */
    private static final class Probe {
        /** LOCATE: the frame where the key's path ends, the version seen and the depth of its root. */
        Frame frame;
        long frameVersion;
        int frameDepth;
        /** GET / LONGEST_PREFIX: the matched key length (-1 if none), its value and version. */
        int matched = -1;
        byte[] value;
        long version;

        /**
         * LONGEST_PREFIX: depths where the descent went right at a Split. The key ending at such a depth lives on
         * the left side (possibly in another frame), so it is looked up separately.
         */
        int[] skipped = new int[0];

        void skippedLeft(int depth) {
            skipped = java.util.Arrays.copyOf(skipped, skipped.length + 1);
            skipped[skipped.length - 1] = depth;
        }

        void match(Frame f, int leaf, int length) {
            matched = length;
            value = Nodes.leafValue(f, leaf);
            version = Nodes.leafVersion(f, leaf);
        }
    }

    /** The record stored under {@code key}, or null. */
    Record get(byte[] key) {
        return get(this, key);
    }

    /** The record stored under {@code key} as {@code view} sees the tree, or null. */
    Record get(FrameView view, byte[] key) {
        Probe p = descend(view, key, Goal.GET, false);
        return p.matched < 0 ? null : new Record(p.value, p.version);
    }

    /**
     * The longest stored key of at least {@code minLength} bytes that is a prefix of {@code query} (the query
     * itself included), or null. A snapshot passes its prefix's length: shorter keys are outside it, and the frames
     * that lead to them need not be the snapshot's.
     */
    PrefixRecord longestPrefix(FrameView view, byte[] query, int minLength) {
        Probe p = descend(view, query, Goal.LONGEST_PREFIX, false);
        for (int i = p.skipped.length - 1; i >= 0 && p.skipped[i] > p.matched && p.skipped[i] >= minLength; i--) {
            byte[] candidate = java.util.Arrays.copyOf(query, p.skipped[i]);
            Record r = get(view, candidate);
            if (r != null) {
                return new PrefixRecord(candidate, r.value(), r.version());
            }
        }
        return p.matched < minLength ? null
                : new PrefixRecord(java.util.Arrays.copyOf(query, p.matched), p.value, p.version);
    }

    /**
     * The optimistic descent behind every point operation. It follows {@code key} from the root frame, crossing
     * Blobs with lock coupling (read the child's version, then validate the parent's), and restarts from the root
     * whenever a validation fails. With {@code stable} (the caller closed the gate and may hold latches itself)
     * versions are neither awaited nor validated.
     */
    private Probe descend(FrameView view, byte[] key, Goal goal, boolean stable) {
        for (;;) {
            Probe p = new Probe();
            Frame f = view.rootFrame();
            long v = stable ? 0 : f.stableVersion();
            Frame settled = view.recheck(f);
            if (settled != f) {
                f = settled;
                v = f.stableVersion();
            }
            int d = 0;
            int frameDepth = 0;
            int ref = ROOT_OFFSET;
            int hops = 0;
            int steps = 0;
            String anomaly = null;
            int anomalyAt = 0;
            try {
                for (;;) {
                    int node = f.target(ref);
                    int type = f.type(node);
                    int next = -1;
                    if (type == T_BLOB) {
                        Frame child = view.frame(f.u64(node + BLOB_FRAME_ID));
                        if (child == null || ++hops > table.liveCount() + 1) {
                            anomaly = "blob to a missing frame or a frame cycle";
                            anomalyAt = node;
                            break;
                        }
                        long cv = stable ? 0 : child.stableVersion();
                        Frame settledChild = view.recheck(child);
                        if (settledChild != child) {
                            child = settledChild;
                            cv = child.stableVersion();
                        }
                        if (!stable && !f.validate(v)) {
                            break;
                        }
                        f = child;
                        v = cv;
                        frameDepth = d;
                        ref = ROOT_OFFSET;
                        steps = 0;
                        continue;
                    }
                    if (++steps > MAX_STEPS_PER_FRAME) {
                        anomaly = "node cycle";
                        anomalyAt = node;
                        break;
                    }
                    if (type == T_PREFIX) {
                        int n = f.u8(node + PREFIX_LEN);
                        if (n == 0) {
                            anomaly = "empty prefix";
                            anomalyAt = node;
                            break;
                        }
                        if (prefixMatch(f, node, n, key, d) == n) {
                            d += n;
                            next = node + PREFIX_CHILD;
                        }
                    } else if (type == T_SPLIT) {
                        next = node + (d < key.length && (key[d] & 0xFF) >= f.u8(node + SPLIT_PIVOT)
                                ? SPLIT_RIGHT : SPLIT_LEFT);
                        if (goal == Goal.LONGEST_PREFIX && next == node + SPLIT_RIGHT) {
                            p.skippedLeft(d);
                        }
                    } else if (Nodes.isInner(type)) {
                        int value = f.target(node + INNER_VALUE);
                        if (value != 0 && f.type(value) != T_LEAF) {
                            anomaly = "value slot does not hold a leaf";
                            anomalyAt = value;
                            break;
                        }
                        if (value != 0 && (goal == Goal.LONGEST_PREFIX || (goal == Goal.GET && d == key.length))) {
                            p.match(f, value, d);
                        }
                        if (d < key.length) {
                            next = Nodes.childField(f, node, key[d] & 0xFF);
                            d = next < 0 ? d : d + 1;
                        }
                    } else if (type == T_LEAF) {
                        int len = Nodes.leafSuffixLength(f, node);
                        boolean whole = goal == Goal.GET ? len == key.length - d : len <= key.length - d;
                        if (goal != Goal.LOCATE && whole && MemorySegment.mismatch(f.seg,
                                Nodes.leafSuffixStart(f, node), Nodes.leafSuffixStart(f, node) + len,
                                MemorySegment.ofArray(key), d, d + len) < 0) {
                            p.match(f, node, d + len);
                        }
                    } else if (type != T_EMPTY_ROOT) {
                        anomaly = "invalid node type " + type;
                        anomalyAt = node;
                        break;
                    }
                    if (next < 0) {
                        if (stable || f.validate(v)) {
                            p.frame = f;
                            p.frameVersion = v;
                            p.frameDepth = frameDepth;
                            return p;
                        }
                        break;
                    }
                    ref = next;
                }
            } catch (IndexOutOfBoundsException torn) {
                anomaly = "offset out of bounds: " + torn.getMessage();
                anomalyAt = ref;
            }
            if (anomaly != null && (stable || f.validate(v))) {
                throw corrupt(f, anomalyAt, anomaly);
            }
        }
    }

    /** A frame holds at most this many nodes, so a descent that takes more steps in one frame is in a cycle. */
    private static final int MAX_STEPS_PER_FRAME = DEFAULT_FRAME_SIZE / 8;

    /** Optimistic passes a walk gets before it runs with the writer gate closed (so churn cannot starve it). */
    static final int WALK_RESTARTS_BEFORE_GATE = 8;

    /** Runs a walker until one pass validates; after a few conflicts it shuts writers out for one pass. */
    void walk(Walker w) {
        for (int attempt = 0;; attempt++) {
            if (attempt < WALK_RESTARTS_BEFORE_GATE || gate.isHeldByCurrentThread()) {
                if (w.run()) {
                    return;
                }
            } else {
                gate.close();
                try {
                    if (w.run()) {
                        return;
                    }
                } finally {
                    gate.open();
                }
            }
        }
    }

    /** The tree's shape, measured with writers shut out so the numbers agree with each other. */
    TreeStats stats() {
        boolean mine = !gate.isHeldByCurrentThread();
        if (mine) {
            gate.close();
        }
        try {
            ShapeCounter shape = new ShapeCounter();
            shape.walk(root);
            if (shape.headerLeaves != shape.keys || shape.headerBlobs != shape.frames - 1) {
                throw corrupt(root, 0, "frame headers count " + shape.headerLeaves + " leaves and "
                        + shape.headerBlobs + " blobs, the frames hold " + shape.keys + " and " + (shape.frames - 1));
            }
            return new TreeStats(shape.keys, shape.frames, shape.maxDepth,
                    shape.keys == 0 ? 0 : (double) shape.depthSum / shape.keys, shape.maxFrameDepth,
                    shape.frames == 0 ? 0 : (double) shape.liveBytes / ((long) shape.frames * root.dataCapacity()),
                    shape.deadBytes, table.memoryBytes());
        } finally {
            if (mine) {
                gate.open();
            }
        }
    }

    private record Visit(Frame frame, int node, int depth, int frameDepth) {}

    /** Depth-first count over all frames (explicit stack; called with writers shut out). */
    private final class ShapeCounter {
        long keys;
        long depthSum;
        int maxDepth;
        int frames;
        int maxFrameDepth;
        long liveBytes;
        long deadBytes;
        long headerLeaves;
        long headerBlobs;

        void walk(Frame top) {
            ArrayList<Visit> stack = new ArrayList<>();
            stack.add(new Visit(top, top.root(), 0, 1));
            countFrame(top, 1);
            long budget = (long) (table.liveCount() + 1) * MAX_STEPS_PER_FRAME;
            while (!stack.isEmpty()) {
                if (--budget < 0) {
                    throw corrupt(top, 0, "more nodes reachable than the frames can hold: a cycle");
                }
                Visit e = stack.remove(stack.size() - 1);
                Frame f = e.frame();
                int node = e.node();
                int depth = e.depth();
                int frameDepth = e.frameDepth();
                int type = f.type(node);
                if (type == T_LEAF) {
                    keys++;
                    depthSum += depth + 1;
                    maxDepth = Math.max(maxDepth, depth + 1);
                } else if (type == T_PREFIX) {
                    stack.add(new Visit(f, f.target(node + PREFIX_CHILD), depth + 1, frameDepth));
                } else if (type == T_SPLIT) {
                    stack.add(new Visit(f, f.target(node + SPLIT_LEFT), depth + 1, frameDepth));
                    stack.add(new Visit(f, f.target(node + SPLIT_RIGHT), depth + 1, frameDepth));
                } else if (Nodes.isInner(type)) {
                    int value = f.target(node + INNER_VALUE);
                    if (value != 0) {
                        stack.add(new Visit(f, value, depth + 1, frameDepth));
                    }
                    for (long c = Nodes.nextChild(f, node, 0); c >= 0;
                            c = Nodes.nextChild(f, node, (int) (c >>> 32) + 1)) {
                        stack.add(new Visit(f, f.target((int) c), depth + 1, frameDepth));
                    }
                } else if (type == T_BLOB) {
                    Frame child = table.get(f.u64(node + BLOB_FRAME_ID));
                    if (child == null) {
                        throw corrupt(f, node, "blob to a missing frame");
                    }
                    countFrame(child, frameDepth + 1);
                    stack.add(new Visit(child, child.root(), depth + 1, frameDepth + 1));
                } else if (type != T_EMPTY_ROOT) {
                    throw corrupt(f, node, "invalid node type " + type);
                }
            }
        }

        private void countFrame(Frame f, int frameDepth) {
            frames++;
            maxFrameDepth = Math.max(maxFrameDepth, frameDepth);
            liveBytes += f.liveBytes();
            deadBytes += f.deadBytes();
            headerLeaves += f.leafCount();
            headerBlobs += f.blobCount();
        }
    }

    // ------------------------------------------------------------------ writes

    /** A write in progress: the frames it latched, released together. */
    static final class Mutation {
        private final ArrayList<Frame> held = new ArrayList<>(4);
        /** Set when keys were located in frames latched up front: spills must not re-route them via a parent. */
        boolean localSpillsOnly;
        /**
         * Set once a multi-key write has passed its headroom check and started changing the tree: its spills may
         * go past the frame budget ({@link FrameTable#ensureHeadroom}), so it is never left half applied.
         */
        boolean pastBudget;

        void hold(Frame f) {
            for (Frame h : held) {
                if (h == f) {
                    return;
                }
            }
            f.lock();
            held.add(f);
        }

        /**
         * Set when making room changed a latched frame above the one the write stopped in (a range moved to a
         * sibling through the parent, or routing lifted into it): the write continues from there, at that frame
         * root's key depth.
         */
        private Frame resumeFrame;
        private int resumeDepth;

        /** Records where the write continues; a later call (a frame higher up) overrides an earlier one. */
        void resumeAt(Frame f, int depth) {
            resumeFrame = f;
            resumeDepth = depth;
        }

        /** Latches {@code f} if that needs no waiting (or it is held already). */
        boolean tryHold(Frame f) {
            for (Frame h : held) {
                if (h == f) {
                    return true;
                }
            }
            if (!f.tryLockNow()) {
                return false;
            }
            held.add(f);
            return true;
        }

        void adopt(Frame lockedFresh) {
            held.add(lockedFresh);
        }

        void releaseAll() {
            for (Frame f : held) {
                f.unlock();
            }
            held.clear();
        }
    }

    /** What a write does; {@code version} 0 means "draw the next version". */
    enum Kind { PUT, PUT_IF_ABSENT, COMPARE_AND_PUT, DELETE, DELETE_IF_VERSION }

    /** A point write from any thread: passes the gate and latches one frame. */
    boolean write(Kind kind, byte[] key, byte[] value, long expected) {
        int stripe = gate.enterWriter();
        Mutation m = new Mutation();
        try {
            for (;;) {
                Probe t = descend(this, key, Goal.LOCATE, false);
                if (t.frame.tryLock(t.frameVersion)) {
                    m.adopt(t.frame);
                    return applyLocked(m, t.frame, t.frameDepth, key, kind, value, expected, 0);
                }
            }
        } finally {
            m.releaseAll();
            gate.exitWriter(stripe);
            space.mergeQueuedFrames();
        }
    }

    /** Latch attempts a rename makes before it falls back to closing the writer gate. */
    static final int RENAME_ATTEMPTS = 64;

    /**
     * Rename without closing the writer gate: latches the frames where both keys live, without waiting (so it
     * cannot deadlock with writers that wait for frames below theirs), checks, deletes the source and puts the
     * target, and releases both latches together, so a validating reader sees both changes or neither. Spills
     * stay local to the latched frames meanwhile, so both keys stay reachable from them.
     *
     * <p>A failed latch means another writer changed or holds the frame; the rename waits until that writer has
     * left (without holding anything itself) and descends again. Giving up after a handful of quick failures made
     * concurrent renames in one frame collapse into gate closures (each stopping every writer of the tree), so it
     * gives up only after {@link #RENAME_ATTEMPTS} attempts, returning null; the caller then renames with the gate
     * closed, which guarantees progress.
     */
    BatchExecutor.Outcome tryRenameLatched(byte[] source, byte[] target, boolean overwrite) {
        int stripe = gate.enterWriter();
        Mutation m = new Mutation();
        m.localSpillsOnly = true;
        try {
            for (int attempt = 0; attempt < RENAME_ATTEMPTS; attempt++) {
                Probe a = descend(this, source, Goal.LOCATE, false);
                Probe b = descend(this, target, Goal.LOCATE, false);
                if (!a.frame.tryLock(a.frameVersion)) {
                    a.frame.stableVersion();
                    continue;
                }
                m.adopt(a.frame);
                if (b.frame != a.frame) {
                    if (!b.frame.tryLock(b.frameVersion)) {
                        m.releaseAll();
                        b.frame.stableVersion();
                        continue;
                    }
                    m.adopt(b.frame);
                }
                Record current = readLocked(m, a.frame, a.frameDepth, source);
                if (current == null) {
                    return BatchExecutor.Outcome.SOURCE_MISSING;
                }
                if (java.util.Arrays.equals(source, target)) {
                    return BatchExecutor.Outcome.APPLIED;
                }
                if (!overwrite && readLocked(m, b.frame, b.frameDepth, target) != null) {
                    return BatchExecutor.Outcome.TARGET_EXISTS;
                }
                table.ensureHeadroom(2);
                m.pastBudget = true;
                applyLocked(m, a.frame, a.frameDepth, source, Kind.DELETE, null, 0, 0);
                applyLocked(m, b.frame, b.frameDepth, target, Kind.PUT, current.value(), 0, 0);
                return BatchExecutor.Outcome.APPLIED;
            }
            return null;
        } finally {
            m.releaseAll();
            gate.exitWriter(stripe);
            space.mergeQueuedFrames();
        }
    }

    private Record readLocked(Mutation m, Frame f, int depth, byte[] key) {
        Cursor c = descendLocked(m, f, depth, key);
        return c.kind == K_LEAF_MATCH
                ? new Record(Nodes.leafValue(c.frame, c.top()), Nodes.leafVersion(c.frame, c.top())) : null;
    }

    /**
     * A write by the gate holder (batches and the gated rename): latches the key's frame into {@code m}
     * and keeps it latched until the caller releases {@code m}.
     */
    boolean writeHoldingGate(Mutation m, Kind kind, byte[] key, byte[] value, long expected, long version) {
        Probe t = descend(this, key, Goal.LOCATE, true);
        m.hold(t.frame);
        return applyLocked(m, t.frame, t.frameDepth, key, kind, value, expected, version);
    }

    private boolean applyLocked(Mutation m, Frame start, int startDepth, byte[] key, Kind kind, byte[] value,
            long expected, long version) {
        Frame f = start;
        int fDepth = startDepth;
        int rounds = 0;
        for (;;) {
            Cursor c = descendLocked(m, f, fDepth, key);
            int leaf = c.kind == K_LEAF_MATCH ? c.top() : 0;
            boolean ok = switch (kind) {
                case PUT -> true;
                case PUT_IF_ABSENT -> leaf == 0;
                case COMPARE_AND_PUT, DELETE_IF_VERSION -> leaf != 0
                        && Nodes.leafVersion(c.frame, leaf) == expected;
                case DELETE -> leaf != 0;
            };
            if (!ok) {
                return false;
            }
            boolean delete = kind == Kind.DELETE || kind == Kind.DELETE_IF_VERSION;
            int need = delete ? DELETE_NEED : writeNeed(key.length - c.depth, value.length);
            if (c.frame.free() < need) {
                if (++rounds > 64) {
                    throw new IllegalStateException("frame " + c.frame.id + " cannot make room for " + need
                            + " bytes");
                }
                space.makeRoom(m, c.frame, c.frameDepth, need);
                f = m.resumeFrame != null ? m.resumeFrame : c.frame;
                fDepth = m.resumeFrame != null ? m.resumeDepth : c.frameDepth;
                m.resumeFrame = null;
                continue;
            }
            if (delete) {
                removeLeaf(c);
                space.queueMergeIfSmall(c.frame);
            } else {
                insert(c, key, value, version != 0 ? version : nextVersion());
            }
            return true;
        }
    }

    /** The path a latched descent took inside the frame where it stopped. */
    static final class Cursor {
        Frame frame;
        int frameDepth;
        int kind;
        int depth;
        int mismatch;
        int size;
        int[] refs = new int[16];
        int[] nodes = new int[16];
        int[] edges = new int[16];

        void push(int ref, int node, int edge) {
            if (size == refs.length) {
                refs = java.util.Arrays.copyOf(refs, size * 2);
                nodes = java.util.Arrays.copyOf(nodes, size * 2);
                edges = java.util.Arrays.copyOf(edges, size * 2);
            }
            refs[size] = ref;
            nodes[size] = node;
            edges[size] = edge;
            size++;
        }

        int top() {
            return nodes[size - 1];
        }

        int topRef() {
            return refs[size - 1];
        }
    }

    /** Descends under latches from {@code f}'s root, latching child frames it crosses into. */
    private Cursor descendLocked(Mutation m, Frame f, int frameDepth, byte[] key) {
        Cursor c = new Cursor();
        c.frame = f;
        c.frameDepth = frameDepth;
        int d = frameDepth;
        int ref = ROOT_OFFSET;
        int edge = EDGE_ROOT;
        for (int steps = 0;; steps++) {
            if (steps > (long) MAX_STEPS_PER_FRAME * (table.liveCount() + 1)) {
                throw corrupt(f, ref, "node or frame cycle");
            }
            int node = f.target(ref);
            c.push(ref, node, edge);
            int type = f.type(node);
            c.depth = d;
            switch (type) {
                case T_EMPTY_ROOT -> {
                    c.kind = K_EMPTY;
                    return c;
                }
                case T_LEAF -> {
                    c.kind = suffixEquals(f, node, key, d) ? K_LEAF_MATCH : K_LEAF_MISMATCH;
                    return c;
                }
                case T_PREFIX -> {
                    int n = f.u8(node + PREFIX_LEN);
                    int match = prefixMatch(f, node, n, key, d);
                    if (match < n || n == 0) {
                        if (n == 0) {
                            throw corrupt(f, node, "empty prefix");
                        }
                        c.kind = K_PREFIX_MISMATCH;
                        c.mismatch = match;
                        return c;
                    }
                    d += n;
                    ref = node + PREFIX_CHILD;
                    edge = EDGE_PREFIX;
                }
                case T_NODE4, T_NODE16, T_NODE48, T_NODE256 -> {
                    if (d == key.length) {
                        int leaf = f.target(node + INNER_VALUE);
                        if (leaf == 0) {
                            c.kind = K_NO_VALUE;
                        } else {
                            c.push(node + INNER_VALUE, leaf, EDGE_VALUE);
                            c.kind = K_LEAF_MATCH;
                        }
                        return c;
                    }
                    int field = Nodes.childField(f, node, key[d] & 0xFF);
                    if (field < 0) {
                        c.kind = K_NO_CHILD;
                        return c;
                    }
                    ref = field;
                    edge = key[d] & 0xFF;
                    d++;
                }
                case T_SPLIT -> {
                    boolean right = d < key.length && (key[d] & 0xFF) >= f.u8(node + SPLIT_PIVOT);
                    ref = node + (right ? SPLIT_RIGHT : SPLIT_LEFT);
                    edge = EDGE_SPLIT;
                }
                case T_BLOB -> {
                    Frame child = table.get(f.u64(node + BLOB_FRAME_ID));
                    if (child == null) {
                        throw corrupt(f, node, "blob to a missing frame");
                    }
                    m.hold(child);
                    f = child;
                    c = new Cursor();
                    c.frame = f;
                    c.frameDepth = d;
                    ref = ROOT_OFFSET;
                    edge = EDGE_ROOT;
                }
                default -> throw corrupt(f, node, "invalid node type " + type);
            }
        }
    }

    private static void insert(Cursor c, byte[] key, byte[] value, long version) {
        Frame f = c.frame;
        int d = c.depth;
        int node = c.top();
        int ref = c.topRef();
        switch (c.kind) {
            case K_EMPTY -> f.link(ROOT_OFFSET, Nodes.newLeaf(f, key, d, value, version));
            case K_LEAF_MATCH -> {
                if (Nodes.leafValueLength(f, node) == value.length) {
                    Nodes.overwriteLeaf(f, node, value, version);
                } else {
                    f.link(ref, Nodes.newLeaf(f, key, d, value, version));
                    f.kill(Nodes.size(f, node));
                    f.addLeaves(-1);
                }
            }
            case K_NO_VALUE -> f.link(node + INNER_VALUE, Nodes.newLeaf(f, key, key.length, value, version));
            case K_NO_CHILD -> {
                int leaf = Nodes.newLeaf(f, key, d + 1, value, version);
                if (Nodes.isFull(f, node)) {
                    int grown = Nodes.grown(f, node);
                    f.link(ref, grown);
                    f.kill(Nodes.size(f, node));
                    node = grown;
                }
                Nodes.addChild(f, node, key[d] & 0xFF, leaf);
            }
            case K_LEAF_MISMATCH -> splitLeaf(f, ref, node, key, d, value, version);
            case K_PREFIX_MISMATCH -> splitPrefix(f, ref, node, c.mismatch, key, d, value, version);
            default -> throw new IllegalStateException("unknown cursor kind " + c.kind);
        }
    }

    /**
     * The key diverges from a leaf's suffix: a Node4 goes where they part (after a prefix chain for the bytes they
     * share) and the old leaf moves below it by advancing its skip count, not by a copy.
     */
    private static void splitLeaf(Frame f, int ref, int old, byte[] key, int d, byte[] value, long version) {
        int oldStart = Nodes.leafSuffixStart(f, old);
        int oldLen = Nodes.leafSuffixLength(f, old);
        int avail = Math.min(oldLen, key.length - d);
        long mm = MemorySegment.mismatch(f.seg, oldStart, oldStart + avail, MemorySegment.ofArray(key), d, d + avail);
        int common = mm < 0 ? avail : (int) mm;
        int n4 = Nodes.newInner(f, T_NODE4);
        int skip = f.u16(old + LEAF_SKIP);
        if (common == oldLen) {
            f.putU16(old + LEAF_SKIP, skip + common);
            f.link(n4 + INNER_VALUE, old);
        } else {
            int edge = f.u8(oldStart + common);
            f.putU16(old + LEAF_SKIP, skip + common + 1);
            Nodes.addChild(f, n4, edge, old);
        }
        int at = d + common;
        hangNewLeaf(f, n4, key, at, value, version);
        f.link(ref, Nodes.prefixChain(f, key, d, at, n4));
    }

    /** Hangs a new leaf for {@code key} under a fresh Node4 at depth {@code at}: as its value or by its next byte. */
    private static void hangNewLeaf(Frame f, int n4, byte[] key, int at, byte[] value, long version) {
        if (at == key.length) {
            f.link(n4 + INNER_VALUE, Nodes.newLeaf(f, key, key.length, value, version));
        } else {
            Nodes.addChild(f, n4, key[at] & 0xFF, Nodes.newLeaf(f, key, at + 1, value, version));
        }
    }

    /** The key leaves a prefix after {@code m} of its bytes: head prefix, Node4, tail prefix. */
    private static void splitPrefix(Frame f, int ref, int p, int m, byte[] key, int d, byte[] value, long version) {
        int n = f.u8(p + PREFIX_LEN);
        byte[] bytes = Nodes.prefixBytes(f, p, 0, n);
        int child = f.target(p + PREFIX_CHILD);
        int n4 = Nodes.newInner(f, T_NODE4);
        int tail = m + 1 < n ? Nodes.newPrefix(f, bytes, m + 1, n, child) : child;
        Nodes.addChild(f, n4, bytes[m] & 0xFF, tail);
        hangNewLeaf(f, n4, key, d + m, value, version);
        f.link(ref, m > 0 ? Nodes.newPrefix(f, bytes, 0, m, n4) : n4);
        f.kill(Nodes.size(f, p));
    }

    /** Removes the matched leaf and restores the node invariants above it (collapse, shrink, prune). */
    private static void removeLeaf(Cursor c) {
        Frame f = c.frame;
        int i = c.size - 1;
        int leaf = c.nodes[i];
        f.kill(Nodes.size(f, leaf));
        f.addLeaves(-1);
        if (c.edges[i] == EDGE_VALUE) {
            f.putU16(c.nodes[i - 1] + INNER_VALUE, 0);
            fixup(c, i - 1);
        } else {
            unlinkSubtree(c, i);
        }
    }

    /** The (already killed) node at cursor index {@code i} is gone; remove the edge that led to it. */
    static void unlinkSubtree(Cursor c, int i) {
        Frame f = c.frame;
        while (i > 0 && f.type(c.nodes[i - 1]) == T_PREFIX) {
            i--;
            f.kill(Nodes.size(f, c.nodes[i]));
        }
        if (i == 0) {
            f.link(ROOT_OFFSET, DATA_START);
            return;
        }
        int parent = c.nodes[i - 1];
        if (f.type(parent) == T_SPLIT) {
            int other = f.target(parent + (c.refs[i] == parent + SPLIT_LEFT ? SPLIT_RIGHT : SPLIT_LEFT));
            f.link(c.refs[i - 1], other);
            f.kill(SPLIT_SIZE);
            return;
        }
        Nodes.removeChild(f, parent, c.edges[i]);
        fixup(c, i - 1);
    }

    /** Restores the invariants of the inner node at cursor index {@code i} after it lost an edge or its value. */
    private static void fixup(Cursor c, int i) {
        Frame f = c.frame;
        int node = c.nodes[i];
        int ref = c.refs[i];
        int n = Nodes.count(f, node);
        int value = f.target(node + INNER_VALUE);
        if (n == 0) {
            f.kill(Nodes.size(f, node));
            if (value == 0) {
                unlinkSubtree(c, i);
            } else {
                f.link(ref, value); // a leaf with an empty suffix stands where the node was
            }
        } else if (n == 1 && value == 0) {
            long e = Nodes.nextChild(f, node, 0);
            int edge = (int) (e >>> 32);
            int child = f.target((int) e);
            int merged;
            if (f.type(child) == T_PREFIX && f.u8(child + PREFIX_LEN) < MAX_PREFIX) {
                int len = f.u8(child + PREFIX_LEN);
                byte[] bytes = new byte[len + 1];
                bytes[0] = (byte) edge;
                f.read(child + PREFIX_BYTES, bytes, 1, len);
                merged = Nodes.newPrefix(f, bytes, 0, len + 1, f.target(child + PREFIX_CHILD));
                f.kill(Nodes.size(f, child));
            } else {
                merged = Nodes.newPrefix(f, new byte[] {(byte) edge}, 0, 1, child);
            }
            f.link(ref, merged);
            f.kill(Nodes.size(f, node));
        } else {
            int smaller = Nodes.shrinkType(f, node);
            if (smaller != 0) {
                f.link(ref, Nodes.copyAs(f, node, smaller));
                f.kill(Nodes.size(f, node));
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** How many bytes of prefix node {@code p} (length {@code n}) match {@code key} from {@code d}. */
    static int prefixMatch(Frame f, int p, int n, byte[] key, int d) {
        int avail = Math.min(n, key.length - d);
        long mm = MemorySegment.mismatch(f.seg, p + PREFIX_BYTES, p + PREFIX_BYTES + avail,
                MemorySegment.ofArray(key), d, d + avail);
        return mm < 0 ? avail : (int) mm;
    }

    /** True if the leaf's effective suffix equals {@code key[d..]}. */
    static boolean suffixEquals(Frame f, int leaf, byte[] key, int d) {
        int len = Nodes.leafSuffixLength(f, leaf);
        if (len != key.length - d) {
            return false;
        }
        int start = Nodes.leafSuffixStart(f, leaf);
        return MemorySegment.mismatch(f.seg, start, start + len, MemorySegment.ofArray(key), d, key.length) < 0;
    }

    static UncheckedIOException corrupt(Frame f, int offset, String what) {
        return new UncheckedIOException(new CorruptedStoreException(
                "tree frame " + f.id + " is corrupt at offset " + offset + ": " + what));
    }

    private static <T> T throwCorrupt(Frame f, int offset, String what) {
        throw corrupt(f, offset, what);
    }
}
