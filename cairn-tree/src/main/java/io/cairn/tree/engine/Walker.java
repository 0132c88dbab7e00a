package io.cairn.tree.engine;

import static io.cairn.tree.engine.FrameFormat.*;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One ordered, optimistic pass over the keys under a prefix: copies the entries (or only counts them) above a
 * strict lower bound into its {@link ScanBuffer}, rolls keys up into common prefixes at a delimiter, and stops at a
 * limit. Walkers are pooled per tree ({@link #borrow}), so a pass allocates nothing once its buffers have grown.
 *
 * <p>The pass records every frame it enters with the version it saw and validates them all at the end (and every
 * few thousand steps, so a torn read cannot keep it busy): if any moved, {@link #run} returns false and the caller
 * runs a fresh pass. A validated pass saw every frame as it stood at one moment, so a batch (which releases all its
 * frames together) is in it entirely or not at all.
 *
 * <p>Pruning keeps the cost proportional to the output: the prefix and the bound steer the descent directly to
 * their edges (at inner nodes and at Splits), and a subtree whose path already contains the delimiter is reported
 * as one common prefix without being entered. An entry is reported only if it (the key, or the common prefix) is
 * greater than the bound, so a caller resuming after a common prefix skips its whole subtree.
 *
 * <p>The pass is the hot loop of every scan, so it reads frames in words, not fields: a node's first 8 bytes
 * (type, lengths, references) come in one load, and when it enters an inner node it decodes the edges it will
 * follow into a buffer once, instead of searching the node again for every child.
 */
final class Walker {
    private static final int SKIP = -1;
    private static final int PASS = -2;
    private static final int VALIDATE_EVERY = 4096;
    /** More nested nodes than this (one per key byte, plus Split chains) can only come from a cycle. */
    private static final int MAX_STACK = 4 * MAX_KEY;
    /** Marks a stack level as an inner node (whose cursor runs over the edge buffer) rather than a Split. */
    private static final int INNER_LEVEL = -1;
    /** A Split level's cursor runs over its sides: left, then right. */
    private static final int SIDE_LEFT = 0;
    private static final int SIDE_RIGHT = 1;
    /** Ints per stack level in {@link #levels}, and their positions. */
    private static final int LEVEL = 6;
    private static final int L_SPLIT = 0;
    private static final int L_DEPTH = 1;
    private static final int L_ON_BOUND = 2;
    private static final int L_BASE = 3;
    private static final int L_NEXT = 4;
    private static final int L_END = 5;

    /** Optimistic passes a walk gets before it runs with the writer gate closed (so churn cannot starve it). */
    static final int RESTARTS_BEFORE_GATE = 8;

    private Pool pool;
    private FrameView view;
    private byte[] prefix;
    private byte[] bound;
    private int delimiter;
    private boolean keysOnly;
    private long limit;
    private boolean countOnly;

    /** The entries of the last pass (unless it only counted). */
    final ScanBuffer out = new ScanBuffer(this);
    long count;

    private byte[] path = new byte[96];
    private boolean stop;
    private boolean torn;
    private boolean onBoundOut;
    private int steps;

    /** Set for the last-resort passes: every frame entered is pinned until the pass ends. */
    private boolean pinning;
    private Frame[] pinned = new Frame[4];
    private int pinnedCount;

    private Frame[] seen = new Frame[4];
    private long[] seenVersions = new long[4];
    private int seenCount;
    /**
     * How far this borrow's passes filled {@link #seen} and {@link #stackFrames}: all that {@link #release} must
     * clear, so a pass that once grew them (a whole-tree scan) does not make every later release pay for it.
     */
    private int seenHigh;
    private int stackHigh;

    /** Per stack level: the frame, the Split node (or INNER_LEVEL), the path depth and the bound state. */
    private Frame[] stackFrames = new Frame[8];
    /** Per level, {@link #LEVEL} ints: the Split node or INNER_LEVEL, depth, on-bound flag, base, next, end. */
    private int[] levels = new int[8 * LEVEL];
    private int sp;

    /**
     * Decoded edges of the inner nodes on the stack, one int each: the edge byte above the child's body offset (0
     * for an empty field; offsets fit in 24 bits).
     */
    private int[] edges = new int[32];
    private int edgeTop;

    private Walker() {}

    /**
     * A walker for one scan, an idle one of the tree's if its pool has one for this thread; {@link #release} it
     * when its entries have been read. A scan nested in another's (a visitor that scans) gets a fresh walker.
     *
     * @param bound     strict lower bound for reported entries, or null
     * @param delimiter the rollup byte (0..255), or -1 for none
     * @param limit     stop after this many entries
     */
    static Walker borrow(Pool pool, FrameView view, byte[] prefix, byte[] bound, int delimiter, boolean keysOnly,
            long limit, boolean countOnly) {
        Walker w = pool.take();
        w.pool = pool;
        w.view = view;
        w.prefix = prefix;
        w.bound = bound;
        w.delimiter = delimiter;
        w.keysOnly = keysOnly;
        w.limit = limit;
        w.countOnly = countOnly;
        return w;
    }

    /**
     * Hands the walker back to its tree's pool, dropping its references to frames (a snapshot's copies among them)
     * so an idle walker pins none.
     */
    void release() {
        Pool home = pool;
        pool = null;
        view = null;
        prefix = null;
        bound = null;
        Arrays.fill(seen, 0, seenHigh, null);
        Arrays.fill(stackFrames, 0, stackHigh, null);
        seenHigh = 0;
        stackHigh = 0;
        out.trim();
        home.give(this);
    }

    /**
     * A tree's idle walkers: a few slots, one picked by the thread's id, each on its own cache line so threads on
     * different slots do not share a line. Borrowing swaps the slot empty; a thread that finds it empty (a nested
     * scan, or another thread on the same slot) makes a walker, and the slot keeps whichever comes back last. So a
     * tree keeps at most {@value #SLOTS} idle walkers, which go with the tree, rather than one per thread that ever
     * scanned (a {@code ThreadLocal} would also pin Cairn's classes to pooled threads after an unload).
     */
    static final class Pool {
        static final int SLOTS = 16;
        /** References per slot: 16 compressed (or 8 plain) references span a 64-byte line. */
        private static final int STRIDE = 16;
        private final AtomicReferenceArray<Walker> slots = new AtomicReferenceArray<>(SLOTS * STRIDE);

        Walker take() {
            Walker w = slots.getAndSet(slot(), null);
            return w != null ? w : new Walker();
        }

        void give(Walker w) {
            slots.setRelease(slot(), w);
        }

        private static int slot() {
            return (int) (Thread.currentThread().threadId() & (SLOTS - 1)) * STRIDE;
        }
    }

    /**
     * Runs passes until one validates; after a few conflicts it shuts writers out of the tree and pins the frames it
     * enters (so neither writers nor the cache can move a version under it) for the passes after.
     */
    void walk(WriterGate gate) {
        for (int attempt = 0;; attempt++) {
            pinning = attempt >= RESTARTS_BEFORE_GATE;
            if (!pinning || gate.isHeldByCurrentThread()) {
                if (run()) {
                    return;
                }
            } else {
                gate.close();
                try {
                    if (run()) {
                        return;
                    }
                } finally {
                    gate.open();
                }
            }
        }
    }

    /** Runs one pass from scratch; true if it was consistent and its results stand. */
    boolean run() {
        try {
            return pass();
        } finally {
            for (; pinnedCount > 0; pinnedCount--) {
                pinned[pinnedCount - 1].unpin();
                pinned[pinnedCount - 1] = null;
            }
        }
    }

    private boolean pass() {
        out.clear();
        count = 0;
        stop = limit <= 0;
        torn = false;
        steps = 0;
        seenCount = 0;
        sp = 0;
        edgeTop = 0;
        Frame f = view.rootFrame();
        try {
            f = enter(f);
            if (!stop) {
                visit(f, f.root(), 0, bound != null);
            }
            while (sp > 0 && !stop && !torn) {
                if (++steps % VALIDATE_EVERY == 0 && !validateAll()) {
                    return false;
                }
                step();
            }
            return !torn && validateAll();
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            f.rethrowIfClosed(e);
            if (validateAll()) {
                throw f.corrupt(0, "offset out of bounds during a scan: " + e.getMessage());
            }
            return false;
        }
    }

    /** Advances the level on top of the stack: an inner node by one edge, a Split by one side. */
    private void step() {
        int t = sp - 1;
        int l = t * LEVEL;
        int[] lv = levels;
        Frame f = stackFrames[t];
        int d = lv[l + L_DEPTH];
        int pos = lv[l + L_NEXT];
        int end = lv[l + L_END];
        int split = lv[l + L_SPLIT];
        boolean onBound = lv[l + L_ON_BOUND] != 0;
        if (pos == end) {
            sp--;
            if (split == INNER_LEVEL) {
                edgeTop = lv[l + L_BASE];
            }
            return;
        }
        lv[l + L_NEXT] = pos + 1;
        if (split != INNER_LEVEL) {
            visit(f, f.target(split + (pos == SIDE_LEFT ? SPLIT_LEFT : SPLIT_RIGHT)), d, onBound);
            return;
        }
        // runs of leaves (the last level of a directory) are reported here without a round trip through visit
        ensurePath(d + 1);
        if (!onBound && delimiter < 0 && d + 1 >= prefix.length) {
            pos = plainLeafRun(f, l, d, pos, end);
            if (pos < 0) {
                return;
            }
        }
        for (;;) {
            int e = edges[pos];
            int edge = e >>> 24;
            int node = e & 0xFFFFFF;
            path[d] = (byte) edge;
            // edges below the bound's byte were not loaded, so on the bound the child stays on it only on equality
            boolean childOnBound = onBound && edge == (bound[d] & 0xFF);
            if (edge == delimiter && d >= prefix.length) {
                // the common prefix path[0..d] is not above the bound while it is still the bound's start
                if (!childOnBound) {
                    emitCommonPrefix(d + 1);
                }
            } else {
                long h = node == 0 ? 0 : Nodes.word(f, node);
                int type = Nodes.wordType(h);
                if (type == T_PREFIX && Nodes.wordPrefixLength(h) != 0 && Nodes.wordPrefixFirstByte(h) == delimiter
                        && !childOnBound && d + 1 >= prefix.length) {
                    // a child prefix that starts with the delimiter (a directory's entry, or a spill cut after
                    // its '/'): rolled up from its first byte, which the node's first word already holds
                    ensurePath(d + 2);
                    path[d + 1] = (byte) delimiter;
                    emitCommonPrefix(d + 2);
                } else if (type != T_LEAF) {
                    visit(f, node, d + 1, childOnBound);
                    return;
                } else {
                    leaf(f, node, h, d + 1, childOnBound);
                }
            }
            if (++pos == end || stop || torn) {
                return;
            }
            lv[l + L_NEXT] = pos + 1;
        }
    }

    /**
     * The common case of a listing, in one tight loop: children of an inner node at depth {@code d} that are leaves
     * whose whole key is inside the prefix, with no bound and no delimiter to check. Builds each key straight from
     * the path and the leaf (no round trip through the path buffer). Returns -1 when the run ended the level or
     * the pass, else the position of the first child it leaves to the general loop (a non-leaf, or a leaf the
     * general loop reports as an anomaly).
     */
    private int plainLeafRun(Frame f, int l, int d, int pos, int end) {
        for (;;) {
            int e = edges[pos];
            int node = e & 0xFFFFFF;
            long h = node == 0 ? 0 : Nodes.word(f, node);
            int skip = Nodes.wordLeafSkip(h);
            int suffix = Nodes.wordLeafStoredLength(h) - skip;
            if (Nodes.wordType(h) != T_LEAF || suffix < 0 || d + 1 + suffix > MAX_KEY) {
                return pos;
            }
            count++;
            if (!countOnly) {
                int keyLength = d + 1 + suffix;
                int valueLength = Nodes.wordLeafValueLength(h);
                int at = out.reserve(keyLength + (keysOnly ? 0 : valueLength));
                byte[] b = out.bytes;
                System.arraycopy(path, 0, b, at, d);
                b[at + d] = (byte) (e >>> 24);
                // the leaf holds its key suffix (after the skipped bytes) and value back to back, as the entry
                // does: one copy for both, made here in Frame.readWords' blocks (see there why not by calling it)
                int from = node + LEAF_HEADER + skip;
                int run = keysOnly ? suffix : suffix + valueLength;
                if (f.fitsBlocks(from, run)) {
                    Frame.copyBlock(f.seg, from, b, at + d + 1);
                    if (run > Frame.BLOCK) {
                        Frame.copyBlock(f.seg, from + Frame.BLOCK, b, at + d + 1 + Frame.BLOCK);
                    }
                } else {
                    f.readWords(from, b, at + d + 1, run);
                }
                out.add(at, keyLength, keysOnly ? ScanBuffer.NO_VALUE : valueLength, f.u64(node + LEAF_VERSION));
            }
            if (count >= limit) {
                stop = true;
                return -1;
            }
            if (++pos == end) {
                return -1;
            }
            levels[l + L_NEXT] = pos + 1;
        }
    }

    /**
     * Enters the node at path length {@code d}: leaves are reported, prefixes and blobs followed, inner nodes and
     * splits stacked. {@code onBound}: the path so far equals the bound's first {@code d} bytes.
     */
    private void visit(Frame f, int node, int d, boolean onBound) {
        for (;;) {
            if (node == 0) {
                anomaly(f, node, "empty reference");
                return;
            }
            long h = Nodes.word(f, node);
            int type = Nodes.wordType(h);
            switch (type) {
                case T_EMPTY_ROOT -> {
                    return;
                }
                case T_LEAF -> {
                    leaf(f, node, h, d, onBound);
                    return;
                }
                case T_PREFIX -> {
                    int n = Nodes.wordPrefixLength(h);
                    if (n == 0) {
                        anomaly(f, node, "empty prefix");
                        return;
                    }
                    if (!append(f, node + PREFIX_BYTES, d, n) || !admit(d, d + n, onBound)) {
                        return;
                    }
                    d += n;
                    onBound = onBoundOut;
                    node = Nodes.refTarget(Nodes.wordPrefixChild(h));
                }
                case T_NODE4, T_NODE16, T_NODE48, T_NODE256 -> {
                    enterInner(f, node, type, h, d, onBound);
                    return;
                }
                case T_SPLIT -> {
                    enterSplit(f, node, Nodes.wordSplitPivot(h), d, onBound);
                    return;
                }
                case T_BLOB -> {
                    Frame child = view.frame(f.u64(node + BLOB_FRAME_ID));
                    if (child == null || seenCount > view.frameCount() + VALIDATE_EVERY) {
                        anomaly(f, node, "blob to a missing frame");
                        return;
                    }
                    child = enter(child);
                    f = child;
                    node = child.root();
                }
                default -> {
                    anomaly(f, node, "invalid node type " + type);
                    return;
                }
            }
        }
    }

    /** Reports the leaf at path length {@code d} (first word {@code h}) if prefix, bound and delimiter let it. */
    private void leaf(Frame f, int node, long h, int d, boolean onBound) {
        int stored = Nodes.wordLeafStoredLength(h);
        int skip = Nodes.wordLeafSkip(h);
        int len = stored - skip;
        if (len < 0) {
            anomaly(f, node, "leaf skips more bytes than it stores");
            return;
        }
        if (!append(f, node + LEAF_HEADER + skip, d, len)) {
            return;
        }
        if (admit(d, d + len, onBound) && !onBoundOut && d + len >= prefix.length) {
            emitKey(f, node, d + len, Nodes.wordLeafValueLength(h), node + LEAF_HEADER + stored);
        }
    }

    /**
     * Reports the value of an inner node (the key ending at it), then stacks the node with the edges the walk
     * will follow: at most the prefix's byte while the prefix is not consumed, none below the bound's byte.
     */
    private void enterInner(Frame f, int node, int type, long h, int d, boolean onBound) {
        if (!onBound && d >= prefix.length) {
            int leaf = Nodes.refTarget(Nodes.wordInnerValue(h));
            if (leaf != 0) {
                if (f.type(leaf) != T_LEAF) {
                    anomaly(f, leaf, "value slot does not hold a leaf");
                    return;
                }
                emitKey(f, leaf, d, Nodes.leafValueLength(f, leaf), Nodes.leafValueStart(f, leaf));
                if (stop) {
                    return;
                }
            }
        }
        int from = 0;
        int to = 255;
        if (onBound && d >= bound.length) {
            onBound = false; // the path is the whole bound: every child is above it
        }
        if (onBound) {
            from = bound[d] & 0xFF;
        }
        if (d < prefix.length) {
            int only = prefix[d] & 0xFF;
            if (only < from) {
                return;
            }
            from = only;
            to = only;
        }
        int base = edgeTop;
        ensureEdges(base + Nodes.edgeRoom(type, from, to));
        int end = Nodes.loadEdges(f, node, type, Nodes.wordInnerCount(h), from, to, edges, base);
        if (end < 0) {
            anomaly(f, node, "node48 index out of range");
            return;
        }
        if (end == base) {
            return;
        }
        if (pushLevel(f, node, INNER_LEVEL, d, onBound, base, end)) {
            edgeTop = end;
        }
    }

    /**
     * Stacks a Split with the sides that can hold reportable keys: while the prefix is not consumed its byte picks
     * the side; on the bound, the left side is skipped when the bound's byte is at least the pivot.
     */
    private void enterSplit(Frame f, int node, int pivot, int d, boolean onBound) {
        boolean left = true;
        boolean right = true;
        if (d < prefix.length) {
            boolean goesRight = (prefix[d] & 0xFF) >= pivot;
            left = !goesRight;
            right = goesRight;
        } else if (onBound && d < bound.length && (bound[d] & 0xFF) >= pivot) {
            left = false;
        }
        pushLevel(f, node, node, d, onBound, left ? SIDE_LEFT : SIDE_RIGHT, right ? SIDE_RIGHT + 1 : SIDE_LEFT + 1);
    }

    /**
     * Whether the walk goes on below path bytes {@code [from, to)}; if so {@link #onBoundOut} says whether the path
     * still equals the bound's start. A subtree rolled up by the delimiter is reported here as one common prefix.
     */
    private boolean admit(int from, int to, boolean onBound) {
        if (!onBound && delimiter < 0 && from >= prefix.length) {
            onBoundOut = false; // inside the prefix, above the bound, nothing to roll up: the common case
            return true;
        }
        int r = classify(from, to, onBound);
        if (r >= 0) {
            emitCommonPrefix(r + 1);
        }
        return r == PASS;
    }

    /**
     * Checks path bytes {@code [from, to)} against the prefix, the bound and the delimiter. Returns SKIP (nothing
     * below can be reported), PASS (descend) or the position of a delimiter that rolls the whole subtree up.
     */
    private int classify(int from, int to, boolean onBound) {
        boolean ob = onBound;
        for (int i = from; i < to; i++) {
            int x = path[i] & 0xFF;
            if (i < prefix.length) {
                if (x != (prefix[i] & 0xFF)) {
                    return SKIP;
                }
            }
            if (ob) {
                if (i >= bound.length) {
                    ob = false;
                } else if (x < (bound[i] & 0xFF)) {
                    return SKIP;
                } else if (x > (bound[i] & 0xFF)) {
                    ob = false;
                }
            }
            if (i >= prefix.length && x == delimiter) {
                // the common prefix is path[0..i]; if it still equals the bound's start it is not above the bound
                return ob ? SKIP : i;
            }
        }
        onBoundOut = ob;
        return PASS;
    }

    /** Copies {@code len} frame bytes at {@code from} to {@code path[d..)}. */
    private boolean append(Frame f, int from, int d, int len) {
        if (d + len > MAX_KEY) {
            anomaly(f, from, "key longer than " + MAX_KEY + " bytes");
            return false;
        }
        ensurePath(d + len + Frame.WORD_SLACK); // room for readWords' scratch beyond the path's end
        f.readWords(from, path, d, len);
        return true;
    }

    /** Adds the leaf at {@code leaf} under the key in {@code path[0..len)}, with its value unless keys-only. */
    private void emitKey(Frame f, int leaf, int len, int valueLength, int valueStart) {
        count++;
        if (!countOnly) {
            int at = out.reserve(len + (keysOnly ? 0 : valueLength));
            System.arraycopy(path, 0, out.bytes, at, len);
            if (!keysOnly) {
                f.readWords(valueStart, out.bytes, at + len, valueLength);
            }
            out.add(at, len, keysOnly ? ScanBuffer.NO_VALUE : valueLength, f.u64(leaf + LEAF_VERSION));
        }
        stop = count >= limit;
    }

    /**
     * Reports {@code path[0..len)} as a common prefix. A consistent pass reaches each one once: it ends at one
     * position of the trie (an edge, or inside a Prefix or a leaf suffix), the walk skips everything below it, Splits
     * route distinct bytes to their sides, and a prefix not above the bound is never reported, so a pass resumed
     * after it does not repeat it.
     */
    private void emitCommonPrefix(int len) {
        if (!countOnly) {
            int at = out.reserve(len);
            System.arraycopy(path, 0, out.bytes, at, len);
            out.add(at, len, ScanBuffer.COMMON_PREFIX, 0);
        }
        count++;
        stop = count >= limit;
    }

    private void anomaly(Frame f, int offset, String what) {
        if (validateAll()) {
            throw f.corrupt(offset, what);
        }
        torn = true;
    }

    /** Records the frame's stable version for the final validation; returns the frame the view reads for it. */
    private Frame enter(Frame f) {
        if (pinning) {
            if (pinnedCount == pinned.length) {
                pinned = Arrays.copyOf(pinned, pinnedCount * 2);
            }
            f.pin();
            pinned[pinnedCount++] = f;
        }
        long v = f.stableVersion();
        Frame settled = view.recheck(f);
        if (settled != f) {
            v = settled.stableVersion();
        }
        see(settled, v);
        return settled;
    }

    private void see(Frame f, long version) {
        if (seenCount == seen.length) {
            seen = Arrays.copyOf(seen, seenCount * 2);
            seenVersions = Arrays.copyOf(seenVersions, seenCount * 2);
        }
        seen[seenCount] = f;
        seenVersions[seenCount++] = version;
        seenHigh = Math.max(seenHigh, seenCount);
    }

    private boolean validateAll() {
        for (int i = 0; i < seenCount; i++) {
            if (!seen[i].validate(seenVersions[i])) {
                return false;
            }
        }
        return true;
    }

    private void ensurePath(int len) {
        if (len > path.length) {
            path = Arrays.copyOf(path, Math.max(len, path.length * 2));
        }
    }

    private void ensureEdges(int len) {
        if (len > edges.length) {
            edges = Arrays.copyOf(edges, Math.max(len, edges.length * 2));
        }
    }

    /**
     * Pushes a level whose cursor runs from {@code next} to {@code end}; {@code split} is the Split node, or
     * INNER_LEVEL for an inner node whose edges sit in the buffer. False if the stack is deeper than any key can
     * make it (a cycle in a torn or corrupt frame).
     */
    private boolean pushLevel(Frame f, int node, int split, int d, boolean onBound, int next, int end) {
        if (sp > MAX_STACK) {
            anomaly(f, node, "node cycle: the path is deeper than any key");
            return false;
        }
        if (sp == stackFrames.length) {
            stackFrames = Arrays.copyOf(stackFrames, sp * 2);
            levels = Arrays.copyOf(levels, sp * 2 * LEVEL);
        }
        stackFrames[sp] = f;
        stackHigh = Math.max(stackHigh, sp + 1);
        int l = sp * LEVEL;
        levels[l + L_SPLIT] = split;
        levels[l + L_DEPTH] = d;
        levels[l + L_ON_BOUND] = onBound ? 1 : 0;
        levels[l + L_BASE] = next;
        levels[l + L_NEXT] = next;
        levels[l + L_END] = end;
        sp++;
        return true;
    }
}
