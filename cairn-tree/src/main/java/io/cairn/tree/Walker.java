package io.cairn.tree;

import static io.cairn.tree.FrameFormat.*;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * One ordered, optimistic pass over the keys under a prefix: collects scan entries (or only counts them) above a
 * strict lower bound, rolls keys up into common prefixes at a delimiter, and stops at a limit.
 *
 * <p>The pass records every frame it enters with the version it saw and validates them all at the end (and every
 * few thousand steps, so a torn read cannot keep it busy): if any moved, {@link #run} returns false and the caller
 * runs a fresh pass. A validated pass saw every frame as it stood at one moment, so a batch (which releases all its
 * frames together) is in it entirely or not at all.
 *
 * <p>Pruning keeps the cost proportional to the output: the prefix and the bound steer the descent directly to
 * their edges, and a subtree whose path already contains the delimiter is reported as one common prefix without
 * being entered. An entry is reported only if it (the key, or the common prefix) is greater than the bound, so a
 * caller resuming after a common prefix skips its whole subtree.
 */
final class Walker {
    private static final int SKIP = -1;
    private static final int PASS = -2;
    private static final int VALIDATE_EVERY = 4096;
    /** More nested nodes than this (one per key byte, plus Split chains) can only come from a cycle. */
    private static final int MAX_STACK = 4 * MAX_KEY;

    private final Art art;
    private final byte[] prefix;
    private final byte[] bound;
    private final int delimiter;
    private final boolean keysOnly;
    private final long limit;
    private final boolean countOnly;

    final ArrayList<ScanEntry> entries = new ArrayList<>();
    long count;

    private byte[] path = new byte[256];
    private byte[] lastCommonPrefix;
    private boolean stop;
    private boolean torn;
    private boolean onBoundOut;
    private int steps;

    private Frame[] seen = new Frame[8];
    private long[] seenVersions = new long[8];
    private int seenCount;

    private Frame[] stackFrames = new Frame[32];
    private int[] stackNodes = new int[32];
    private int[] stackDepths = new int[32];
    private int[] stackNext = new int[32];
    private boolean[] stackOnBound = new boolean[32];
    private int sp;

    /**
     * @param bound     strict lower bound for reported entries, or null
     * @param delimiter the rollup byte (0..255), or -1 for none
     * @param limit     stop after this many entries
     */
    Walker(Art art, byte[] prefix, byte[] bound, int delimiter, boolean keysOnly, long limit, boolean countOnly) {
        this.art = art;
        this.prefix = prefix;
        this.bound = bound;
        this.delimiter = delimiter;
        this.keysOnly = keysOnly;
        this.limit = limit;
        this.countOnly = countOnly;
    }

    /** Runs one pass from scratch; true if it was consistent and its results stand. */
    boolean run() {
        entries.clear();
        count = 0;
        lastCommonPrefix = null;
        stop = limit <= 0;
        torn = false;
        steps = 0;
        seenCount = 0;
        sp = 0;
        Frame f = art.root;
        try {
            see(f, f.stableVersion());
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
        } catch (IndexOutOfBoundsException e) {
            if (validateAll()) {
                throw Art.corrupt(f, 0, "offset out of bounds during a scan: " + e.getMessage());
            }
            return false;
        }
    }

    /** Advances the node on top of the stack: an inner node by one edge (its value first), a Split by one side. */
    private void step() {
        int t = sp - 1;
        Frame f = stackFrames[t];
        int node = stackNodes[t];
        int d = stackDepths[t];
        if (f.type(node) == T_SPLIT) {
            // both sides hold keys at this depth, all of the left's below all of the right's
            int side = stackNext[t] < 0 ? SPLIT_LEFT : stackNext[t] == SPLIT_LEFT ? SPLIT_RIGHT : -1;
            if (side < 0) {
                sp--;
            } else {
                stackNext[t] = side;
                visit(f, f.target(node + side), d, stackOnBound[t]);
            }
            return;
        }
        if (stackNext[t] < 0) {
            boolean onBound = stackOnBound[t];
            if (!onBound && d >= prefix.length) {
                int leaf = f.target(node + INNER_VALUE);
                if (leaf != 0) {
                    if (f.type(leaf) != T_LEAF) {
                        anomaly(f, leaf, "value slot does not hold a leaf");
                        return;
                    }
                    emitKey(f, leaf, d);
                }
            }
            int start = 0;
            if (onBound) {
                if (d >= bound.length) {
                    stackOnBound[t] = false;
                } else {
                    start = bound[d] & 0xFF;
                }
            }
            if (d < prefix.length) {
                start = Math.max(start, prefix[d] & 0xFF);
            }
            stackNext[t] = start;
            if (stop) {
                return;
            }
        }
        long e = stackNext[t] > 255 ? -1 : Nodes.nextChild(f, node, stackNext[t]);
        if (e < 0 || (d < prefix.length && (int) (e >>> 32) != (prefix[d] & 0xFF))) {
            sp--;
            return;
        }
        int edge = (int) (e >>> 32);
        stackNext[t] = edge + 1;
        ensurePath(d + 1);
        path[d] = (byte) edge;
        if (admit(d, d + 1, stackOnBound[t])) {
            visit(f, f.target((int) e), d + 1, onBoundOut);
        }
    }

    /**
     * Enters the node at path length {@code d}: leaves are reported, prefixes and blobs followed, inner nodes and
     * splits stacked.
     */
    private void visit(Frame f, int node, int d, boolean onBound) {
        for (;;) {
            if (node == 0) {
                anomaly(f, node, "empty reference");
                return;
            }
            int type = f.type(node);
            switch (type) {
                case T_EMPTY_ROOT -> {
                    return;
                }
                case T_LEAF -> {
                    int len = Nodes.leafSuffixLength(f, node);
                    if (!append(f, Nodes.leafSuffixStart(f, node), d, len)) {
                        return;
                    }
                    if (admit(d, d + len, onBound) && !onBoundOut && d + len >= prefix.length) {
                        emitKey(f, node, d + len);
                    }
                    return;
                }
                case T_PREFIX -> {
                    int n = f.u8(node + PREFIX_LEN);
                    if (n == 0) {
                        anomaly(f, node, "empty prefix");
                        return;
                    }
                    if (!append(f, node + PREFIX_BYTES, d, n)) {
                        return;
                    }
                    if (!admit(d, d + n, onBound)) {
                        return;
                    }
                    d += n;
                    onBound = onBoundOut;
                    node = f.target(node + PREFIX_CHILD);
                }
                case T_NODE4, T_NODE16, T_NODE48, T_NODE256, T_SPLIT -> {
                    push(f, node, d, onBound);
                    return;
                }
                case T_BLOB -> {
                    Frame child = art.table.get(f.u64(node + BLOB_FRAME_ID));
                    if (child == null || seenCount > art.table.liveCount() + VALIDATE_EVERY) {
                        anomaly(f, node, "blob to a missing frame");
                        return;
                    }
                    see(child, child.stableVersion());
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

    /**
     * Whether the walk goes on below path bytes {@code [from, to)}; if so {@link #onBoundOut} says whether the path
     * still equals the bound's start. A subtree rolled up by the delimiter is reported here as one common prefix.
     */
    private boolean admit(int from, int to, boolean onBound) {
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
        if (!onBound && delimiter < 0 && from >= prefix.length) {
            onBoundOut = false; // inside the prefix, above the bound, nothing to roll up: the common case
            return PASS;
        }
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

    private boolean append(Frame f, int from, int d, int len) {
        if (d + len > MAX_KEY) {
            anomaly(f, from, "key longer than " + MAX_KEY + " bytes");
            return false;
        }
        ensurePath(d + len);
        java.lang.foreign.MemorySegment.copy(f.seg, U8, from, path, d, len);
        return true;
    }

    private void emitKey(Frame f, int leaf, int len) {
        if (countOnly) {
            count++;
        } else {
            byte[] value = keysOnly ? null : Nodes.leafValue(f, leaf);
            entries.add(ScanEntry.key(Arrays.copyOf(path, len), value, Nodes.leafVersion(f, leaf)));
            count++;
        }
        stop = count >= limit;
    }

    private void emitCommonPrefix(int len) {
        if (lastCommonPrefix != null && Arrays.equals(lastCommonPrefix, 0, lastCommonPrefix.length, path, 0, len)) {
            return;
        }
        lastCommonPrefix = Arrays.copyOf(path, len);
        if (!countOnly) {
            entries.add(ScanEntry.commonPrefix(lastCommonPrefix));
        }
        count++;
        stop = count >= limit;
    }

    private void anomaly(Frame f, int offset, String what) {
        if (validateAll()) {
            throw Art.corrupt(f, offset, what);
        }
        torn = true;
    }

    private void see(Frame f, long version) {
        if (seenCount == seen.length) {
            seen = Arrays.copyOf(seen, seenCount * 2);
            seenVersions = Arrays.copyOf(seenVersions, seenCount * 2);
        }
        seen[seenCount] = f;
        seenVersions[seenCount++] = version;
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

    private void push(Frame f, int node, int d, boolean onBound) {
        if (sp > MAX_STACK) {
            anomaly(f, node, "node cycle: the path is deeper than any key");
            return;
        }
        if (sp == stackNodes.length) {
            int n = sp * 2;
            stackFrames = Arrays.copyOf(stackFrames, n);
            stackNodes = Arrays.copyOf(stackNodes, n);
            stackDepths = Arrays.copyOf(stackDepths, n);
            stackNext = Arrays.copyOf(stackNext, n);
            stackOnBound = Arrays.copyOf(stackOnBound, n);
        }
        stackFrames[sp] = f;
        stackNodes[sp] = node;
        stackDepths[sp] = d;
        stackNext[sp] = -1;
        stackOnBound[sp] = onBound;
        sp++;
    }
}
