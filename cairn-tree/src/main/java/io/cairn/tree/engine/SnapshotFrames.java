package io.cairn.tree.engine;

import static io.cairn.tree.engine.FrameFormat.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A snapshot's frames, copy-on-write: capture registers the snapshot on every frame its scope can reach, and the
 * first writer to latch such a frame afterwards copies it here before changing it ({@link Frame#tryLock}). Reads
 * of the snapshot take the copy when there is one and the live frame otherwise, which until its first write is
 * byte for byte what it was at capture. Capture is therefore proportional to the frames that route to the scope,
 * not to the keys in it, and a snapshot costs one frame copy per frame written while it is open.
 *
 * <p>Why a reader sees no write made after capture: a writer publishes the copy before its first change and
 * before it releases the latch. A reader resolves the frame, reads its stable version and then looks for a copy
 * again ({@link #recheck}): if the writer's change happened before that version read, the copy is already
 * visible; if it happens after, the version the reader validates at the end has moved and the pass restarts.
 */
public final class SnapshotFrames implements FrameView, FrameWatcher {
    private static final int[] NO_CHILDREN = {};

    private final FrameTable table;
    private final Frame root;
    private final List<Frame> watched;
    private final ConcurrentHashMap<Integer, Frame> copies = new ConcurrentHashMap<>();
    /** Holds the copies; made by the first copy, since opening and closing a shared arena is not free. */
    private Arena arena;
    private boolean closed;

    private SnapshotFrames(FrameTable table, Frame root, List<Frame> watched) {
        this.table = table;
        this.root = root;
        this.watched = watched;
    }

    /**
     * Captures the frames a reader of {@code scope} can reach: those on the path to it and every frame below it.
     * The caller has closed the writer gate, so no frame is latched and the structure holds still.
     */
    static SnapshotFrames capture(FrameTable table, Frame root, byte[] scope) {
        SnapshotFrames s = new SnapshotFrames(table, root, reachable(table, root, scope, true));
        for (Frame f : s.watched) {
            f.watch(s);
        }
        return s;
    }

    @Override
    public Frame rootFrame() {
        return frame(root.id);
    }

    @Override
    public Frame frame(long id) {
        Frame copy = id >= 0 && id <= Integer.MAX_VALUE ? copies.get((int) id) : null;
        return copy != null ? copy : table.get(id);
    }

    @Override
    public int frameCount() {
        return table.liveCount();
    }

    @Override
    public Frame recheck(Frame f) {
        Frame copy = copies.get(f.id);
        return copy != null ? copy : f;
    }

    /** Called by a writer that just latched {@code live}, before it changes anything: keeps the frame as it is. */
    @Override
    public synchronized void preserve(Frame live) {
        if (closed || copies.containsKey(live.id)) {
            return;
        }
        if (arena == null) {
            arena = Arena.ofShared();
        }
        MemorySegment seg = arena.allocate(live.size, 4096);
        MemorySegment.copy(live.seg, 0, seg, 0, live.size);
        copies.put(live.id, new Frame(seg, live.id));
    }

    /** Bytes held by preserved copies. */
    public long retainedBytes() {
        return (long) copies.size() * table.frameSize();
    }

    /** Stops watching the live frames and frees the copies. Readers must be done. */
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Frame f : watched) {
            f.unwatch(this);
        }
        copies.clear();
        if (arena != null) {
            arena.close();
        }
    }

    /**
     * Frames on the path to {@code scope} and below it. Steering by the scope's bytes, then following every
     * Blob under it; a frame below the scope whose header counts no Blobs is not searched for more. A frame that
     * lies wholly under the scope (entered through a Blob past the scope's end, or the root for an empty scope)
     * has all its descendants in scope: with {@code parentLinks} they are found from the frames' parent links in
     * O(frames) instead of by walking their nodes, unless the links disagree with the Blob counts (then the walk
     * runs as before).
     */
    static List<Frame> reachable(FrameTable table, Frame root, byte[] scope, boolean parentLinks) {
        List<Frame> out = new ArrayList<>();
        out.add(root);
        int[][] children = null; // the parent-link index, built when first needed
        if (parentLinks && scope.length == 0) {
            children = childrenByParent(table);
            if (addFramesBelow(table, root, children, out)) {
                return out;
            }
        }
        // frames to walk, as (index in out, key depth of its root) pairs; each is walked alone and pinned meanwhile,
        // so a file-backed store's cache keeps at most one of them resident for this walk
        int[] frames = {0, 0};
        int fp = 2;
        int[] stack = new int[32]; // (node, depth) pairs inside the frame being walked
        long budget = (long) (table.liveCount() + 1) * (table.frameSize() / 8); // nodes that can exist
        while (fp > 0) {
            int rootDepth = frames[--fp];
            Frame f = out.get(frames[--fp]);
            FrameCache.pin(f);
            try {
                if (f != root && rootDepth >= scope.length) {
                    // entered below the scope's end: wholly in scope, and so is everything below it
                    if (f.blobCount() == 0) {
                        continue;
                    }
                    if (parentLinks) {
                        if (children == null) {
                            children = childrenByParent(table);
                        }
                        if (addFramesBelow(table, f, children, out)) {
                            continue;
                        }
                    }
                }
                int sp = 0;
                stack[sp++] = f.root();
                stack[sp++] = rootDepth;
                while (sp > 0) {
                    int d = stack[--sp];
                    int node = stack[--sp];
                    for (;;) {
                        if (--budget < 0) {
                            throw f.corrupt(node,
                                    "more nodes on the way to a snapshot scope than frames can hold: a cycle");
                        }
                        int type = f.type(node);
                        if (type == T_PREFIX) {
                            int n = f.u8(node + PREFIX_LEN);
                            int k = 0;
                            while (k < n && d + k < scope.length
                                    && f.u8(node + PREFIX_BYTES + k) == (scope[d + k] & 0xFF)) {
                                k++;
                            }
                            if (k < n && d + k < scope.length) {
                                break; // the scope leaves the tree here
                            }
                            d += n;
                            node = f.target(node + PREFIX_CHILD);
                        } else if (type == T_BLOB) {
                            Frame child = table.get(f.u64(node + BLOB_FRAME_ID));
                            if (child == null) {
                                throw f.corrupt(node, "blob to a missing frame");
                            }
                            out.add(child);
                            frames = push(frames, fp, out.size() - 1, d);
                            fp += 2;
                            break;
                        } else if (type == T_SPLIT) {
                            int pivot = f.u8(node + SPLIT_PIVOT);
                            boolean right = d < scope.length && (scope[d] & 0xFF) >= pivot;
                            if (d >= scope.length) {
                                stack = push(stack, sp, f.target(node + SPLIT_RIGHT), d);
                                sp += 2;
                            }
                            node = f.target(node + (right ? SPLIT_RIGHT : SPLIT_LEFT));
                        } else if (Nodes.isInner(type)) {
                            if (d < scope.length) {
                                int field = Nodes.childField(f, node, scope[d] & 0xFF);
                                if (field < 0) {
                                    break;
                                }
                                node = f.target(field);
                                d++;
                            } else {
                                if (f.blobCount() == 0) {
                                    break; // nothing below this node leaves the frame
                                }
                                for (long e = Nodes.nextChild(f, node, 0); e >= 0;
                                        e = Nodes.nextChild(f, node, (int) (e >>> 32) + 1)) {
                                    stack = push(stack, sp, f.target((int) e), d + 1);
                                    sp += 2;
                                }
                                break;
                            }
                        } else {
                            break; // a leaf or the empty root: no frame below
                        }
                    }
                }
            } finally {
                f.unpin();
            }
        }
        return out;
    }

    /** Frame ids grouped by their parent's id, from the parent links (the writer gate holds them still). */
    private static int[][] childrenByParent(FrameTable table) {
        int limit = table.idLimit();
        int[] parents = new int[limit];
        int[] counts = new int[limit];
        for (int id = 0; id < limit; id++) {
            Frame f = table.get(id);
            int p = f == null ? -1 : f.parent;
            parents[id] = p < limit ? p : -1;
            if (parents[id] >= 0) {
                counts[parents[id]]++;
            }
        }
        int[][] children = new int[limit][];
        for (int id = 0; id < limit; id++) {
            children[id] = counts[id] == 0 ? NO_CHILDREN : new int[counts[id]];
            counts[id] = 0;
        }
        for (int id = 0; id < limit; id++) {
            int p = parents[id];
            if (p >= 0) {
                children[p][counts[p]++] = id;
            }
        }
        return children;
    }

    /**
     * Adds every frame below {@code top} to {@code out} and returns true if the parent links agree with the
     * frames' headers all the way down (each frame has exactly as many children as it counts Blobs); otherwise
     * adds nothing and returns false. A link that went stale would show as a count that does not match.
     */
    private static boolean addFramesBelow(FrameTable table, Frame top, int[][] children, List<Frame> out) {
        List<Frame> below = new ArrayList<>();
        for (int i = -1; i < below.size(); i++) {
            Frame f = i < 0 ? top : below.get(i);
            int[] ids = f.id < children.length ? children[f.id] : NO_CHILDREN;
            FrameCache.pin(f);
            int blobs;
            try {
                blobs = f.blobCount();
            } finally {
                f.unpin();
            }
            if (ids.length != blobs || below.size() + ids.length > table.liveCount()) {
                return false;
            }
            for (int id : ids) {
                below.add(table.get(id));
            }
        }
        out.addAll(below);
        return true;
    }

    private static int[] push(int[] stack, int sp, int a, int b) {
        int[] s = sp + 2 > stack.length ? java.util.Arrays.copyOf(stack, stack.length * 2) : stack;
        s[sp] = a;
        s[sp + 1] = b;
        return s;
    }
}
