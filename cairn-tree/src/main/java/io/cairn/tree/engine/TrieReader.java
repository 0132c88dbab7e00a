package io.cairn.tree.engine;

import static io.cairn.tree.engine.FrameFormat.*;

/**
 * Reads the keys under a base prefix as a trie of bytes, one node per key prefix: whether a key ends at a node, its
 * value, the node reached by one more byte, and its edges in ascending order. The adaptive radix tree has fewer
 * nodes than that trie (a Prefix node holds up to 252 bytes, a leaf the rest of its key), so most trie nodes are
 * virtual: a position inside a Prefix node's bytes or a leaf's suffix. Split nodes route without consuming a byte,
 * so a trie node in front of one gathers its edges from both sides, which may lie in other frames.
 *
 * <p>A trie node is its key prefix. The reader stores in each node (through {@link Positions}, so the caller's node
 * objects hold the position and nothing else is allocated per node) the position it found and the version of the
 * frame it found it in. The position stays right as long as that frame keeps that version: every change that could
 * move the prefix elsewhere (a write under it, compaction, spillover, a lift, a merge, the frame's release) latches
 * and so moves that frame's version. Each operation reads optimistically from the stored position, crossing Blobs
 * with lock coupling as {@link Descent} does, and validates every frame it read at the end; if one moved, it finds
 * the node again from the root by its key prefix and repeats. So each operation answers for one moment of the
 * tree (it is linearizable), a node stays usable however the tree changes, and a walk of many nodes is not a
 * snapshot (walk a snapshot's view for that). An impossible structure in a frame whose version still validates is
 * a {@link io.cairn.stack.CorruptedStoreException}; loops are bounded by the frame count and a per-frame step limit.
 *
 * @param <N> the caller's node type
 */
public final class TrieReader<N> {

    /**
     * How the reader makes the caller's nodes and reads back what it stored in them: the position (frame id, that
     * frame's version, node offset, bytes consumed inside a Prefix node or leaf suffix; frame id -1 when the prefix
     * had no key under it), and the parent and edge label that give the node's key prefix for a new search.
     */
    public interface Positions<N> {
        N make(N parent, int label, int frameId, long version, int node, int consumed);

        /** The node this one was reached from, null for the root. */
        N parent(N n);

        /** The byte that led here from the parent. */
        int label(N n);

        /** Bytes below the base prefix. */
        int depth(N n);

        int frameId(N n);

        long version(N n);

        int node(N n);

        int consumed(N n);
    }

    /** Receives a node's children from {@link #forEachChild}, in ascending byte order. */
    @FunctionalInterface
    public interface ChildSink<N> {
        void child(int label, N node);
    }

    /** No frame: the node's prefix had no key under it when it was found. */
    public static final int ABSENT = -1;

    private static final int STALE = -1;
    private static final int NONE = 0;
    private static final int FOUND = 1;
    /** Split chains deeper than this are a cycle (balanced chains over 256 edge bytes are 8 deep). */
    private static final int MAX_SPLIT_DEPTH = 64;

    private final FrameView view;
    private final byte[] base;
    private final Positions<N> nodes;

    /** A reader of the keys under {@code base} as {@code view} sees the tree. */
    public TrieReader(FrameView view, byte[] base, Positions<N> nodes) {
        this.view = view;
        this.base = base.clone();
        this.nodes = nodes;
    }

    /** The node of the base prefix itself (it exists even when no key starts with the base: then it is empty). */
    public N root() {
        At at = new At();
        boolean present = resolve(at, base);
        return nodes.make(null, -1, present ? at.f.id : ABSENT, present ? at.v : 0, at.node, at.consumed);
    }

    /** The child of {@code n} on byte {@code b}, or null if no key continues {@code n}'s prefix with it. */
    public N child(N n, int b) {
        At at = new At();
        boolean stored = true;
        for (;;) {
            if (!at.position(n, stored)) {
                return null;
            }
            stored = false;
            int r;
            try {
                r = at.step(b);
            } catch (IndexOutOfBoundsException torn) {
                r = at.anomaly("offset out of bounds: " + torn.getMessage());
            }
            if (r == FOUND && base.length + nodes.depth(n) >= MAX_KEY) {
                r = at.anomaly("a key longer than " + MAX_KEY + " bytes (a cycle)");
            }
            if (r != STALE && at.f.validate(at.v)) {
                return r == FOUND ? nodes.make(n, b, at.f.id, at.v, at.node, at.consumed) : null;
            }
        }
    }

    /** Whether a key ends at {@code n}. */
    public boolean isFinal(N n) {
        return finalLeaf(n, null) != null;
    }

    /** The value and version of the key that ends at {@code n}, made by {@code factory}, or null if none does. */
    public <R> R record(N n, Engine.RecordFactory<R> factory) {
        @SuppressWarnings("unchecked")
        R record = (R) finalLeaf(n, factory);
        return record;
    }

    /** How many edges leave {@code n}. */
    public int childCount(N n) {
        return gather(n).count;
    }

    /** Hands {@code n}'s children to {@code sink} in ascending byte order, all read at one moment. */
    public void forEachChild(N n, ChildSink<N> sink) {
        Edges e = gather(n);
        for (int i = 0; i < e.count; i++) {
            sink.child(e.labels[i], nodes.make(n, e.labels[i], e.frames[i], e.versions[i], e.nodes[i],
                    e.consumed[i]));
        }
    }

    // ---- operations

    /**
     * Finds the leaf of the key ending at {@code n}; returns null if no key ends there, else the record
     * {@code factory} makes of it (without a factory, a marker: the value is not read).
     */
    private Object finalLeaf(N n, Engine.RecordFactory<?> factory) {
        At at = new At();
        boolean stored = true;
        for (;;) {
            if (!at.position(n, stored)) {
                return null;
            }
            stored = false;
            int leaf;
            byte[] value = null;
            long version = 0;
            try {
                leaf = at.finalLeaf();
                if (leaf > 0 && factory != null) {
                    value = Nodes.leafValue(at.f, leaf);
                    version = Nodes.leafVersion(at.f, leaf);
                }
            } catch (IndexOutOfBoundsException torn) {
                leaf = at.anomaly("offset out of bounds: " + torn.getMessage());
            }
            if (leaf != STALE && at.f.validate(at.v)) {
                return leaf == NONE ? null : factory == null ? Boolean.TRUE : factory.make(value, version);
            }
        }
    }

    private Edges gather(N n) {
        At at = new At();
        boolean stored = true;
        for (;;) {
            Edges e = new Edges();
            if (!at.position(n, stored)) {
                return e;
            }
            stored = false;
            boolean whole = gather(at, e, 0) && e.validate();
            if (whole && e.count > 0 && base.length + nodes.depth(n) >= MAX_KEY) {
                throw at.f.corrupt(at.node, "a key longer than " + MAX_KEY + " bytes (a cycle)");
            }
            if (whole) {
                return e;
            }
        }
    }

    /** Adds the edges of the settled position {@code at} to {@code e}; false if a frame moved meanwhile. */
    private boolean gather(At at, Edges e, int splits) {
        try {
            return gatherAt(at, e, splits);
        } catch (IndexOutOfBoundsException torn) {
            return at.tornOrCorrupt("offset out of bounds: " + torn.getMessage());
        }
    }

    private boolean gatherAt(At at, Edges e, int splits) {
        Frame f = at.f;
        int node = at.node;
        switch (f.type(node)) {
            case T_LEAF -> {
                int len = at.leafSuffix();
                if (len < 0) {
                    return at.tornOrCorrupt("leaf skips more bytes than it stores");
                }
                if (at.consumed < len) {
                    e.add(f.u8(Nodes.leafSuffixStart(f, node) + at.consumed), f.id, at.v, node, at.consumed + 1);
                }
            }
            case T_PREFIX -> {
                int len = f.u8(node + PREFIX_LEN);
                if (len == 0 || at.consumed >= len) {
                    return at.tornOrCorrupt("empty prefix or a position past its end");
                }
                int b = f.u8(node + PREFIX_BYTES + at.consumed);
                if (at.consumed + 1 < len) {
                    e.add(b, f.id, at.v, node, at.consumed + 1);
                } else {
                    e.add(b, f.id, at.v, f.target(node + PREFIX_CHILD), 0);
                }
            }
            case T_NODE4, T_NODE16, T_NODE48, T_NODE256 -> {
                long w = Nodes.word(f, node);
                int type = Nodes.wordType(w);
                int[] edges = e.scratch(Nodes.edgeRoom(type, 0, 255));
                int end = Nodes.loadEdges(f, node, type, Nodes.wordInnerCount(w), 0, 255, edges, 0);
                if (end < 0) {
                    return at.tornOrCorrupt("node48 index out of range");
                }
                for (int i = 0; i < end; i++) {
                    e.add(edges[i] >>> 24, f.id, at.v, edges[i] & 0xFFFFFF, 0);
                }
            }
            case T_SPLIT -> {
                if (splits > MAX_SPLIT_DEPTH) {
                    return at.tornOrCorrupt("split cycle");
                }
                int left = f.target(node + SPLIT_LEFT);
                int right = f.target(node + SPLIT_RIGHT);
                e.touch(f, at.v);
                return side(at, left, e, splits) && side(at, right, e, splits);
            }
            case T_EMPTY_ROOT -> { }
            default -> {
                return at.tornOrCorrupt("invalid node type " + f.type(node));
            }
        }
        e.touch(f, at.v);
        return true;
    }

    /** Gathers the edges of one side of a Split (which may lead through Blobs to other frames). */
    private boolean side(At split, int side, Edges e, int splits) {
        At s = split.copy();
        s.node = side;
        s.consumed = 0;
        try {
            if (!s.settle()) {
                return false;
            }
        } catch (IndexOutOfBoundsException torn) {
            return s.tornOrCorrupt("offset out of bounds: " + torn.getMessage());
        }
        return gather(s, e, splits + 1);
    }

    /**
     * Finds the position of {@code path} (from the tree's root) in {@code at}; false if no key starts with it. Retries
     * until one pass validates.
     */
    private boolean resolve(At at, byte[] path) {
        for (;;) {
            Frame f = view.rootFrame();
            long v = f.stableVersion();
            Frame settled = view.recheck(f);
            if (settled != f) {
                f = settled;
                v = f.stableVersion();
            }
            at.start(f, v);
            int r;
            try {
                r = at.settle() ? FOUND : STALE;
                for (int i = 0; i < path.length && r == FOUND; i++) {
                    r = at.step(path[i] & 0xFF);
                }
            } catch (IndexOutOfBoundsException torn) {
                r = at.anomaly("offset out of bounds: " + torn.getMessage());
            }
            if (r != STALE && at.f.validate(at.v)) {
                return r == FOUND;
            }
        }
    }

    /** The base prefix followed by the bytes that lead from the root to {@code n}. */
    private byte[] path(N n) {
        int depth = nodes.depth(n);
        byte[] path = java.util.Arrays.copyOf(base, base.length + depth);
        for (N at = n; nodes.parent(at) != null; at = nodes.parent(at)) {
            path[base.length + nodes.depth(at) - 1] = (byte) nodes.label(at);
        }
        return path;
    }

    /** A position during one operation: frame, the version it is validated against, node and bytes consumed. */
    private final class At {
        Frame f;
        long v;
        int node;
        int consumed;
        int hops;

        void start(Frame frame, long version) {
            f = frame;
            v = version;
            node = frame.root();
            consumed = 0;
            hops = 0;
        }

        /**
         * Takes {@code n}'s stored position (first attempt) or finds it again; false if no key starts with its
         * prefix now.
         */
        boolean position(N n, boolean stored) {
            if (stored && load(n)) {
                return true;
            }
            return refind(n);
        }

        /** Takes the position stored in {@code n} and crosses any Blob it points at; false if it is stale. */
        private boolean load(N n) {
            int id = nodes.frameId(n);
            Frame frame = id == ABSENT ? null : view.frame(id);
            if (frame == null) {
                return false;
            }
            f = frame;
            v = nodes.version(n);
            node = nodes.node(n);
            consumed = nodes.consumed(n);
            hops = 0;
            try {
                return settle();
            } catch (IndexOutOfBoundsException torn) {
                return false;
            }
        }

        /**
         * Finds {@code n}'s prefix again: from the nearest ancestor whose stored position is still valid (its frame
         * kept its version), stepping down by the labels below it, else from the tree's root.
         */
        private boolean refind(N n) {
            int[] labels = new int[8];
            int count = 0;
            for (N a = n; nodes.parent(a) != null; a = nodes.parent(a)) {
                if (count == labels.length) {
                    labels = java.util.Arrays.copyOf(labels, count * 2);
                }
                labels[count++] = nodes.label(a);
                N up = nodes.parent(a);
                int id = nodes.frameId(up);
                Frame frame = id == ABSENT ? null : view.frame(id);
                if (frame != null && frame.validate(nodes.version(up)) && load(up)) {
                    int r = FOUND;
                    try {
                        for (int i = count - 1; i >= 0 && r == FOUND; i--) {
                            r = step(labels[i]);
                        }
                    } catch (IndexOutOfBoundsException torn) {
                        r = anomaly("offset out of bounds: " + torn.getMessage());
                    }
                    if (r != STALE && f.validate(v)) {
                        return r == FOUND;
                    }
                    break;
                }
            }
            return resolve(this, path(n));
        }

        At copy() {
            At c = new At();
            c.f = f;
            c.v = v;
            c.node = node;
            c.consumed = consumed;
            c.hops = hops;
            return c;
        }

        /** Crosses Blobs (lock coupling: the child's version is read before the parent is validated). */
        boolean settle() {
            for (;;) {
                if (node == 0) {
                    return tornOrCorrupt("empty reference");
                }
                if (f.type(node) != T_BLOB) {
                    return true;
                }
                Frame child = view.frame(f.u64(node + BLOB_FRAME_ID));
                if (child == null || ++hops > view.frameCount() + 1) {
                    return tornOrCorrupt("blob to a missing frame or a frame cycle");
                }
                long cv = child.stableVersion();
                Frame settled = view.recheck(child);
                if (settled != child) {
                    child = settled;
                    cv = child.stableVersion();
                }
                if (!f.validate(v)) {
                    return false;
                }
                f = child;
                v = cv;
                node = child.root();
                consumed = 0;
            }
        }

        /** Moves on by byte {@code b}: FOUND (the position moved), NONE (no such edge) or STALE. */
        int step(int b) {
            for (int splits = 0; ; splits++) {
                int type = f.type(node);
                switch (type) {
                    case T_LEAF -> {
                        int len = leafSuffix();
                        if (len < 0) {
                            return anomaly("leaf skips more bytes than it stores");
                        }
                        if (consumed < len && f.u8(Nodes.leafSuffixStart(f, node) + consumed) == b) {
                            consumed++;
                            return FOUND;
                        }
                        return NONE;
                    }
                    case T_PREFIX -> {
                        int len = f.u8(node + PREFIX_LEN);
                        if (len == 0 || consumed >= len) {
                            return anomaly("empty prefix or a position past its end");
                        }
                        if (f.u8(node + PREFIX_BYTES + consumed) != b) {
                            return NONE;
                        }
                        if (++consumed < len) {
                            return FOUND;
                        }
                        node = f.target(node + PREFIX_CHILD);
                        consumed = 0;
                        return settle() ? FOUND : STALE;
                    }
                    case T_NODE4, T_NODE16, T_NODE48, T_NODE256 -> {
                        int field = Nodes.childField(f, node, b);
                        if (field < 0) {
                            return NONE;
                        }
                        node = f.target(field);
                        consumed = 0;
                        return settle() ? FOUND : STALE;
                    }
                    case T_SPLIT -> {
                        if (splits > MAX_SPLIT_DEPTH) {
                            return anomaly("split cycle");
                        }
                        node = f.target(node + (b >= f.u8(node + SPLIT_PIVOT) ? SPLIT_RIGHT : SPLIT_LEFT));
                        if (!settle()) {
                            return STALE;
                        }
                    }
                    case T_EMPTY_ROOT -> {
                        return NONE;
                    }
                    default -> {
                        return anomaly("invalid node type " + type);
                    }
                }
            }
        }

        /** The leaf of the key ending here (a Split keeps it on its left side), NONE if there is none, or STALE. */
        int finalLeaf() {
            for (int splits = 0; ; splits++) {
                int type = f.type(node);
                switch (type) {
                    case T_LEAF -> {
                        int len = leafSuffix();
                        return len < 0 ? anomaly("leaf skips more bytes than it stores")
                                : consumed == len ? node : NONE;
                    }
                    case T_NODE4, T_NODE16, T_NODE48, T_NODE256 -> {
                        int leaf = f.target(node + INNER_VALUE);
                        if (leaf != 0 && f.type(leaf) != T_LEAF) {
                            return anomaly("value slot does not hold a leaf");
                        }
                        return leaf;
                    }
                    case T_SPLIT -> {
                        if (splits > MAX_SPLIT_DEPTH) {
                            return anomaly("split cycle");
                        }
                        node = f.target(node + SPLIT_LEFT);
                        if (!settle()) {
                            return STALE;
                        }
                    }
                    case T_PREFIX, T_EMPTY_ROOT -> {
                        return NONE;
                    }
                    default -> {
                        return anomaly("invalid node type " + type);
                    }
                }
            }
        }

        int leafSuffix() {
            return Nodes.leafSuffixLength(f, node);
        }

        /**
         * Something impossible was read: if the frame's version still validates the structure really is impossible
         * ({@link io.cairn.stack.CorruptedStoreException}); otherwise a writer moved it and the read was torn.
         */
        int anomaly(String what) {
            if (f.validate(v)) {
                throw f.corrupt(node, what);
            }
            return STALE;
        }

        /** {@link #anomaly} for callers that answer false when the read was torn. */
        boolean tornOrCorrupt(String what) {
            anomaly(what);
            return false;
        }
    }

    /** The edges one operation gathered (positions of the children), and every frame it read to find them. */
    private static final class Edges {
        int count;
        int[] labels = new int[4];
        int[] frames = new int[4];
        long[] versions = new long[4];
        int[] nodes = new int[4];
        int[] consumed = new int[4];
        private int[] scratch;
        private Frame[] touched = new Frame[1];
        private long[] touchedVersions = new long[1];
        private int touchedCount;

        int[] scratch(int room) {
            if (scratch == null || scratch.length < room) {
                scratch = new int[room];
            }
            return scratch;
        }

        void add(int label, int frame, long version, int node, int consumedBytes) {
            if (count == labels.length) {
                int size = Math.min(256, count * 4);
                labels = java.util.Arrays.copyOf(labels, size);
                frames = java.util.Arrays.copyOf(frames, size);
                versions = java.util.Arrays.copyOf(versions, size);
                nodes = java.util.Arrays.copyOf(nodes, size);
                consumed = java.util.Arrays.copyOf(consumed, size);
            }
            if (count == 256) {
                throw new IndexOutOfBoundsException("more than 256 edges");
            }
            labels[count] = label;
            frames[count] = frame;
            versions[count] = version;
            nodes[count] = node;
            consumed[count++] = consumedBytes;
        }

        void touch(Frame f, long v) {
            if (touchedCount == touched.length) {
                touched = java.util.Arrays.copyOf(touched, touchedCount * 2);
                touchedVersions = java.util.Arrays.copyOf(touchedVersions, touchedCount * 2);
            }
            touched[touchedCount] = f;
            touchedVersions[touchedCount++] = v;
        }

        /** Whether every frame read still has the version it was read at (so the edges are of one moment). */
        boolean validate() {
            for (int i = 0; i < touchedCount; i++) {
                if (!touched[i].validate(touchedVersions[i])) {
                    return false;
                }
            }
            return true;
        }
    }
}
