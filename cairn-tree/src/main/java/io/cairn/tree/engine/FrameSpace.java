package io.cairn.tree.engine;

import static io.cairn.tree.engine.Cursor.EDGE_PREFIX;
import static io.cairn.tree.engine.Cursor.EDGE_ROOT;
import static io.cairn.tree.engine.Cursor.EDGE_SPLIT;
import static io.cairn.tree.engine.Cursor.EDGE_VALUE;
import static io.cairn.tree.engine.Edits.DELETE_NEED;
import static io.cairn.tree.engine.FrameFormat.*;

import java.lang.foreign.MemorySegment;

/**
 * Space management of latched frames: compaction in place, spillover of a full frame into a new one (a subtree
 * behind a Blob, or a range of a wide node's children behind a Split), lifting a frame's routing into its parent,
 * and merging frames that became small back into their parents. Compaction, spillover and lifts run under the
 * latches of the writer that needs room; merges close the writer gate.
 */
final class FrameSpace {
    private final FrameTable table;
    private final Frame root;
    private final WriterGate gate;

    FrameSpace(FrameTable table, Frame root, WriterGate gate) {
        this.table = table;
        this.root = root;
        this.gate = gate;
    }

    /**
     * Gets {@code need} free bytes into a latched frame whose root sits at key depth {@code depth}: compaction
     * when it pays (dead bytes over 1/16 of the data area and at least a quarter of the live bytes it must copy),
     * otherwise a spillover of a subtree into a new frame (which compacts what stays). A frame mostly full of live
     * data is thus not rewritten again and again for the little its churn leaves dead: that copied a whole frame
     * every few hundred writes (create+delete at 20 k keys took 3–4 µs), where a spill buys room for thousands.
     * A tree whose frame budget is spent compacts whatever is dead rather than fail. When the spill changed a
     * frame above {@code f} on the writer's path, {@link Mutation#resumeAt} says where the write continues.
     */
    void makeRoom(Mutation m, Frame f, int depth, int need) {
        int dead = f.deadBytes();
        if (dead > f.dataCapacity() / 16 && dead >= f.liveBytes() / 4
                || dead > 0 && !table.canAllocate(m.pastBudget)) {
            compact(f);
            if (f.free() >= need) {
                return;
            }
        }
        spill(m, f, depth);
    }

    /**
     * Rewrites a latched frame with only its reachable nodes, in place (leaves lose their skipped bytes). The copy is
     * built in a buffer borrowed from the frame cache (so it counts against {@code cacheBytes}, and a new native
     * buffer is not allocated and zeroed for every compaction: that was about 6% of a cold replay's samples).
     */
    void compact(Frame f) {
        CompactionEvent event = new CompactionEvent();
        event.begin();
        long before = f.bump();
        FrameCache cache = table.cache();
        int buffer = cache.borrowCopy();
        try {
            Frame scratch = new Frame(cache.copyBuffer(buffer), f.id);
            scratch.format();
            int root = f.root();
            if (root != DATA_START) {
                scratch.link(ROOT_OFFSET, copySubtree(f, root, scratch));
            }
            MemorySegment.copy(scratch.seg, 0, f.seg, 0, scratch.bump());
        } finally {
            cache.returnCopy(buffer);
        }
        if (event.shouldCommit()) {
            event.frameId = f.id;
            event.bytesBefore = before;
            event.bytesAfter = f.bump();
            event.commit();
        }
    }

    /**
     * Copies the subtree at {@code src} into {@code dst} (pre-order in key order, with an explicit stack: a frame
     * can hold a chain of tens of thousands of nodes) and returns its new root; so a scan reads a compacted frame
     * front to back. Counts leaves and blobs into {@code dst}.
     */
    int copySubtree(Frame from, int src, Frame dst) {
        return copySubtree(from, src, dst, 0);
    }

    /** As {@link #copySubtree(Frame, int, Frame)}, but node {@code cut} (if not 0) becomes a Blob to {@code from}. */
    private int copySubtree(Frame from, int src, Frame dst, int cut) {
        int[] stack = new int[64];
        int sp = 0;
        stack[sp++] = src;
        stack[sp++] = -1;
        int result = 0;
        while (sp > 0) {
            int field = stack[--sp];
            int s = stack[--sp];
            int type = from.type(s);
            int d;
            if (s == cut) {
                d = newBlob(dst, from);
            } else if (type == T_LEAF) {
                int len = Nodes.leafSuffixLength(from, s);
                int vlen = Nodes.leafValueLength(from, s);
                d = dst.allocate(leafSize(len, vlen), true);
                MemorySegment.copy(from.seg, s, dst.seg, d, LEAF_HEADER);
                dst.putU16(d + LEAF_STORED_LEN, len);
                dst.putU16(d + LEAF_SKIP, 0);
                MemorySegment.copy(from.seg, Nodes.leafSuffixStart(from, s), dst.seg, d + LEAF_HEADER, len);
                MemorySegment.copy(from.seg, Nodes.leafValueStart(from, s), dst.seg, d + LEAF_HEADER + len, vlen);
                dst.addLeaves(1);
            } else if (type == T_PREFIX && from.type(from.target(s + PREFIX_CHILD)) == T_PREFIX) {
                // a chain of short prefixes (left behind by deletes) is copied as one node where it fits
                byte[] bytes = new byte[MAX_PREFIX];
                int len = 0;
                int p = s;
                while (from.type(p) == T_PREFIX && p != cut && len + from.u8(p + PREFIX_LEN) <= MAX_PREFIX) {
                    int n = from.u8(p + PREFIX_LEN);
                    from.read(p + PREFIX_BYTES, bytes, len, n);
                    len += n;
                    p = from.target(p + PREFIX_CHILD);
                }
                d = dst.allocate(prefixSize(len), true);
                dst.putU8(d + PREFIX_LEN, len);
                dst.putU8(d + TYPE_OFFSET, T_PREFIX);
                dst.write(bytes, 0, d + PREFIX_BYTES, len);
                stack = push(stack, sp, p, d + PREFIX_CHILD);
                sp += 2;
            } else {
                int size = Nodes.size(from, s);
                d = dst.allocate(size, true);
                MemorySegment.copy(from.seg, s, dst.seg, d, size);
                int pushed = sp;
                if (type == T_PREFIX) {
                    stack = push(stack, sp, from.target(s + PREFIX_CHILD), d + PREFIX_CHILD);
                    sp += 2;
                } else if (type == T_SPLIT) {
                    stack = push(stack, sp, from.target(s + SPLIT_LEFT), d + SPLIT_LEFT);
                    stack = push(stack, sp + 2, from.target(s + SPLIT_RIGHT), d + SPLIT_RIGHT);
                    sp += 4;
                } else if (Nodes.isInner(type)) {
                    int value = from.target(s + INNER_VALUE);
                    if (value != 0) {
                        stack = push(stack, sp, value, d + INNER_VALUE);
                        sp += 2;
                    }
                    for (long e = Nodes.nextChild(from, s, 0); e >= 0;
                            e = Nodes.nextChild(from, s, (int) (e >>> 32) + 1)) {
                        int childField = (int) e;
                        stack = push(stack, sp, from.target(childField), d + (childField - s));
                        sp += 2;
                    }
                } else if (type == T_BLOB) {
                    dst.addBlobs(1);
                    Frame grandchild = table.get(from.u64(s + BLOB_FRAME_ID));
                    if (grandchild == null) {
                        throw from.corrupt(s, "blob to a missing frame");
                    }
                    grandchild.parent = dst.id;
                }
                reversePairs(stack, pushed, sp); // children pop in key order, so the copy lies in key order
            }
            if (d == 0) {
                throw new IllegalStateException("frame " + dst.id + " overflowed while copying a subtree");
            }
            if (field < 0) {
                result = d;
            } else {
                dst.link(field, d);
            }
        }
        return result;
    }

    private static void reversePairs(int[] stack, int from, int to) {
        for (int i = from, j = to - 2; i < j; i += 2, j -= 2) {
            int node = stack[i];
            int field = stack[i + 1];
            stack[i] = stack[j];
            stack[i + 1] = stack[j + 1];
            stack[j] = node;
            stack[j + 1] = field;
        }
    }

    private static int[] push(int[] stack, int sp, int node, int field) {
        int[] s = sp + 2 > stack.length ? java.util.Arrays.copyOf(stack, stack.length * 2) : stack;
        s[sp] = node;
        s[sp + 1] = field;
        return s;
    }

    /**
     * Spillover: moves part of a full, latched frame into a new frame, then compacts. The new frame should end up
     * about 70% full (35% to 75% accepted):
     * <ol>
     *   <li>a subtree of that size, preferring one that starts right after a '/' (or whose root Prefix holds a
     *       '/', which {@link #moveSubtree} cuts after it) so frames follow path components, moves behind a Blob
     *       node;</li>
     *   <li>else, if the frame's bulk hangs under a wide node whose children are each too small (a directory of
     *       many files), the node's highest children move to the new frame under a copy of the node, and a Split
     *       node in front of it routes their range there;</li>
     *   <li>else the largest subtree that fits moves.</li>
     * </ol>
     * A spill that stayed inside {@code f} is followed by a {@linkplain #lift lift} of what is left above the
     * frame's heavy subtree.
     */
    private void spill(Mutation m, Frame f, int depth) {
        FrameIndex s = new FrameIndex(f);
        int cap = f.dataCapacity();
        int lo = cap / 100 * 35;
        int hi = cap / 100 * 75;
        int target = cap / 100 * 70;
        int best = -1;
        int bestScore = Integer.MIN_VALUE;
        int largest = -1;
        int[] heavy = s.heaviestChildren(s.sizes);
        for (int i = 1; i < s.count; i++) {
            int size = s.sizes[i];
            if (!movable(f, s, i) || size > cap) {
                continue;
            }
            int slash = slashInPrefix(f, s.nodes[i]);
            int moved = slash < 0 ? size : size - Nodes.size(f, s.nodes[i]) + cutPrefixSize(f, s.nodes[i], slash);
            if (moved >= lo && moved <= hi) {
                int score = (s.afterSlash[i] || slash >= 0 ? cap : 0) - Math.abs(moved - target);
                if (score > bestScore) {
                    bestScore = score;
                    best = i;
                }
            }
            if (largest < 0 || size > s.sizes[largest]) {
                largest = i;
            }
        }
        if (best >= 0) {
            moveSubtree(m, f, s, best);
            lift(m, f, depth);
            return;
        }
        int wide = 0;
        while (heavy[wide] >= 0 && s.sizes[heavy[wide]] >= lo) {
            wide = heavy[wide];
        }
        if (Nodes.isInner(f.type(s.nodes[wide])) && Nodes.count(f, s.nodes[wide]) >= 2) {
            if (!splitWideNode(m, f, depth, s, wide, cap / 100 * 40, hi)) {
                lift(m, f, depth);
            }
            return;
        }
        if (largest < 0 || s.sizes[largest] <= BLOB_SIZE) {
            throw new IllegalStateException("frame " + f.id + " is full and has no subtree to spill");
        }
        moveSubtree(m, f, s, largest);
        lift(m, f, depth);
    }

    /** A Blob may replace this node: not the frame root, not a Blob, not a value slot (which must hold a leaf). */
    private static boolean movable(Frame f, FrameIndex s, int i) {
        return i > 0 && f.type(s.nodes[i]) != T_BLOB && s.edges[i] != EDGE_VALUE;
    }

    private Frame newChildFrame(Mutation m, Frame parent) {
        Frame child = table.allocate(m.pastBudget);
        m.adopt(child);
        child.parent = parent.id;
        return child;
    }

    /** Writes a Blob to {@code child} into the spill reserve of {@code f}. */
    private static int newBlob(Frame f, Frame child) {
        int blob = f.allocate(BLOB_SIZE, true);
        if (blob == 0) {
            throw new IllegalStateException("frame " + f.id + " has no reserve left for a spillover blob");
        }
        f.putU8(blob + TYPE_OFFSET, T_BLOB);
        f.putU64(blob + BLOB_FRAME_ID, child.id);
        f.addBlobs(1);
        return blob;
    }

    /**
     * Moves the subtree of node {@code i} into a new frame behind a Blob. A Prefix holding a '/' is cut after its
     * first one: the bytes through the '/' stay here in front of the Blob and the rest leads the new frame, so a
     * delimiter listing of the level above rolls the entry up here instead of hopping into the new frame to read
     * one byte. The cut shortens the prefix in place (this frame is full, and the compaction that follows drops the
     * cut-off bytes); readers validate the version this writer's latch has made odd.
     */
    private void moveSubtree(Mutation m, Frame f, FrameIndex s, int i) {
        Frame child = newChildFrame(m, f);
        int node = s.nodes[i];
        int field = s.fields[i];
        int head = 0;
        int slash = slashInPrefix(f, node);
        if (slash >= 0) {
            int rest = f.u8(node + PREFIX_LEN) - slash - 1;
            if (rest > 0) {
                head = Nodes.newPrefix(child, Nodes.prefixBytes(f, node, slash + 1, rest), 0, rest, 0);
            }
            f.putU8(node + PREFIX_LEN, slash + 1);
            field = node + PREFIX_CHILD;
            node = f.target(field);
        }
        int moved = copySubtree(f, node, child);
        if (head != 0) {
            child.link(head + PREFIX_CHILD, moved);
            moved = head;
        }
        child.link(ROOT_OFFSET, moved);
        f.link(field, newBlob(f, child));
        compact(f);
        liftInto(m, child, f); // the moved subtree may carry routing and Blobs of its own above its bulk
    }

    /** Where the first '/' sits in {@code node} if it is a Prefix, else -1. */
    private static int slashInPrefix(Frame f, int node) {
        if (f.type(node) == T_PREFIX) {
            for (int k = 0, n = f.u8(node + PREFIX_LEN); k < n; k++) {
                if (f.u8(node + PREFIX_BYTES + k) == '/') {
                    return k;
                }
            }
        }
        return -1;
    }

    /** Bytes of the Prefix that leads a new frame when prefix {@code node} is cut after its '/' at {@code slash}. */
    private static int cutPrefixSize(Frame f, int node, int slash) {
        int rest = f.u8(node + PREFIX_LEN) - slash - 1;
        return rest > 0 ? prefixSize(rest) : 0;
    }

    /**
     * Moves the highest-edged children of inner node {@code i} (as many as keep the new frame near the target,
     * always leaving one child or the value behind) under a fresh node in a new frame, and puts
     * {@code split(pivot, left = the node, right = Blob)} where the node was. Returns whether the Split went into
     * the parent frame (which the write then resumes from).
     */
    private boolean splitWideNode(Mutation m, Frame f, int depth, FrameIndex s, int i, int target, int hi) {
        int node = s.nodes[i];
        int n = 0;
        int[] kids = new int[256];
        for (int j = i + 1; j < s.count; j++) {
            if (s.parents[j] == i && s.edges[j] >= 0) {
                kids[n++] = j; // pre-order adds a node's children in ascending edge order
            }
        }
        boolean hasValue = f.target(node + INNER_VALUE) != 0;
        int moved = 0;
        int sum = 0;
        while (moved < n - (hasValue ? 0 : 1) && sum < target
                && (moved == 0 || sum + s.sizes[kids[n - 1 - moved]] <= hi)) {
            sum += s.sizes[kids[n - 1 - moved]];
            moved++;
        }
        // When the wide node is this frame's root, route the moved range from the parent frame instead (a Split
        // in front of this frame's Blob there): the new frame becomes a sibling, so splitting a frame again and
        // again does not deepen the frame tree. That needs the parent's latch, taken without waiting (a writer
        // below us may hold it and wait for us); if it is busy, the Split goes into this frame.
        Frame parent = i == 0 && f != root && !m.localSpillsOnly ? table.get(f.parent) : null;
        FrameIndex up = null;
        int blobToUs = -1;
        if (parent != null && m.tryHold(parent)) {
            up = new FrameIndex(parent);
            blobToUs = up.blobTo(parent, f.id);
            if (blobToUs < 0 || parent.size - parent.bump() < SPLIT_SIZE + BLOB_SIZE) {
                up = null;
            }
        }
        Frame child = newChildFrame(m, up != null ? parent : f);
        int high = Nodes.newInner(child, moved <= 4 ? T_NODE4 : moved <= 16 ? T_NODE16 : moved <= 48 ? T_NODE48
                : T_NODE256);
        for (int k = n - moved; k < n; k++) {
            int j = kids[k];
            Nodes.addChild(child, high, s.edges[j], copySubtree(f, s.nodes[j], child));
            Nodes.removeChild(f, node, s.edges[j]);
        }
        child.link(ROOT_OFFSET, high);
        int pivot = s.edges[kids[n - moved]];
        if (up != null) {
            installSplit(parent, up.fields[blobToUs], up.nodes[blobToUs], pivot, child);
        } else {
            installSplit(f, s.fields[i], node, pivot, child);
        }
        compact(f);
        if (up != null) {
            int parentDepth = depth - up.bytesTo(parent, blobToUs);
            // first: the parent's own spill may move the resume point higher still
            m.resumeAt(parent, parentDepth);
            if (parent.free() < 0) {
                makeRoom(m, parent, parentDepth, 0); // the parent's reserve must be whole again for its own spills
            }
            balanceSplitChain(parent, child);
        } else {
            balanceSplitChain(f, child);
        }
        // both sides hang under the Split now, each below a copy of the node; a local split lifts f in spill()
        liftInto(m, child, table.get(child.parent));
        if (up != null) {
            liftInto(m, f, table.get(f.parent));
        }
        return up != null;
    }

    /**
     * Lift: moves what a latched frame holds besides its heavy subtree (the routing nodes above that subtree,
     * Blobs to other frames, a few leaves; see {@link FrameIndex#liftCut}) into the parent frame in place of the
     * Blob that leads here, which then leads to the heavy subtree, now this frame's root. Repeats from the parent,
     * where the write then resumes.
     *
     * <p>Spills push subtrees down and leave the routing above them behind, so without lifts a tree that grows
     * everywhere at once (keys spread over many directories) ends up with its routing scattered over frame after
     * frame: a directory listing of 8 buckets entered 7 frames. Lifted routing gathers in the upper frames, as
     * separators do in a B-tree's inner nodes, and a listing or lookup crosses fewer frames.
     */
    private void lift(Mutation m, Frame f, int depth) {
        while (f != root && !m.localSpillsOnly) {
            Frame parent = table.get(f.parent);
            int consumed = parent == null ? -1 : liftInto(m, f, parent);
            if (consumed < 0) {
                return;
            }
            depth -= consumed;
            m.resumeAt(parent, depth);
            f = parent;
        }
    }

    /**
     * One lift of latched frame {@code f} into {@code parent}. It needs the parent's latch without waiting (a
     * writer below may hold it and wait for us) and room there: the parent stays at most 3/4 full, so a lift never
     * makes it spill. Returns the key bytes a descent consumes in the parent above the Blob to {@code f}, or -1
     * when nothing was lifted.
     */
    private int liftInto(Mutation m, Frame f, Frame parent) {
        int parentLive = m.holds(parent) ? parent.liveBytes() : parent.liveBytesHint();
        if (parentLive < 0 || parentLive + BLOB_SIZE > parent.dataCapacity() / 4 * 3) {
            return -1; // no room for even the smallest lift (or the parent is not resident): spare indexing the frame
        }
        FrameIndex s = new FrameIndex(f);
        int cut = s.liftCut(f, f.dataCapacity() / 16);
        int rest = s.sizes[0] - s.sizes[cut];
        if (cut == 0 || parentLive + rest + BLOB_SIZE > parent.dataCapacity() / 4 * 3 || !m.tryHold(parent)
                || parent.liveBytes() + rest + BLOB_SIZE > parent.dataCapacity() / 4 * 3) {
            return -1; // (the last test again under the latch: the first read was only a hint)
        }
        if (parent.free() < rest + BLOB_SIZE) {
            compact(parent);
        }
        FrameIndex up = new FrameIndex(parent);
        int blob = up.blobTo(parent, f.id);
        if (blob < 0) {
            return -1; // f.parent was read before another writer moved our Blob on (it is a hint until latched)
        }
        parent.kill(BLOB_SIZE);
        parent.addBlobs(-1);
        parent.link(up.fields[blob], copySubtree(f, f.root(), parent, s.nodes[cut]));
        f.link(ROOT_OFFSET, s.nodes[cut]);
        compact(f);
        int top = up.splitChainTop(parent, blob);
        if (top != blob) {
            mergeSplits(parent, up.fields[top]);
        }
        return up.bytesTo(parent, blob);
    }

    /**
     * Replaces the Splits at {@code field} by one inner node when every side they route to is an inner node of
     * this frame: a wide node that spills split into range frames, and whose sides lifts brought back, is one step
     * again instead of a chain of Splits. Edges, children and the value stay where they are; only the node bodies
     * are rebuilt. Leaves things as they are if a side is anything else, or if the sides' edges are not disjoint
     * and ordered as the pivots route them (which spills never produce).
     */
    private static void mergeSplits(Frame f, int field) {
        SplitSides split = SplitSides.of(f, f.target(field));
        int[] sides = split.nodes;
        int n = split.count;
        for (int i = 0; i < n; i++) {
            if (!Nodes.isInner(f.type(sides[i])) || (i > 0 && f.target(sides[i] + INNER_VALUE) != 0)) {
                return;
            }
        }
        int edges = 0;
        int last = -1;
        int dead = (n - 1) * SPLIT_SIZE;
        for (int i = 0; i < n; i++) {
            for (long e = Nodes.nextChild(f, sides[i], 0); e >= 0;
                    e = Nodes.nextChild(f, sides[i], (int) (e >>> 32) + 1)) {
                if ((int) (e >>> 32) <= last) {
                    return;
                }
                last = (int) (e >>> 32);
                edges++;
            }
            dead += Nodes.size(f, sides[i]);
        }
        int type = edges <= 4 ? T_NODE4 : edges <= 16 ? T_NODE16 : edges <= 48 ? T_NODE48 : T_NODE256;
        if (f.free() < Nodes.innerSize(type)) {
            return;
        }
        int merged = Nodes.newInner(f, type);
        f.link(merged + INNER_VALUE, f.target(sides[0] + INNER_VALUE));
        for (int i = 0; i < n; i++) {
            for (long e = Nodes.nextChild(f, sides[i], 0); e >= 0;
                    e = Nodes.nextChild(f, sides[i], (int) (e >>> 32) + 1)) {
                Nodes.addChild(f, merged, (int) (e >>> 32), f.target((int) e));
            }
        }
        f.link(field, merged);
        f.kill(dead);
    }

    /**
     * Splits added one by one in front of a growing range nest into a chain (a directory that keeps growing at
     * its end adds one level per spill). When the chain holding the Blob to {@code child} is more than twice as
     * deep as a balanced one, it is rebuilt balanced: same leaves in the same order, same pivots.
     */
    private static void balanceSplitChain(Frame f, Frame child) {
        FrameIndex idx = new FrameIndex(f);
        int blob = idx.blobTo(f, child.id);
        if (blob < 0) {
            return; // the parent's own spill moved the chain to another frame; it is balanced there next time
        }
        int top = idx.splitChainTop(f, blob);
        int depth = 0;
        for (int j = blob; j != top; j = idx.parents[j]) {
            depth++;
        }
        SplitSides sides = SplitSides.of(f, idx.nodes[top]);
        int k = sides.count;
        int balanced = 32 - Integer.numberOfLeadingZeros(k - 1);
        if (depth <= 2 * balanced || f.free() < (k - 1) * SPLIT_SIZE) {
            return;
        }
        f.kill((k - 1) * SPLIT_SIZE);
        f.link(idx.fields[top], buildSplits(f, sides.nodes, sides.pivots, 0, k - 1));
    }

    /**
     * The sides a tree of Splits routes to, in key order (found by an in-order walk over the Splits), and the
     * pivot between each side and the next.
     */
    private record SplitSides(int[] nodes, int[] pivots, int count) {
        static SplitSides of(Frame f, int root) {
            int[] nodes = new int[8];
            int[] pivots = new int[8];
            int k = 0;
            int[] stack = new int[16];
            int sp = 0;
            int node = root;
            while (sp > 0 || node != 0) {
                if (node != 0 && f.type(node) == T_SPLIT) {
                    stack = push(stack, sp++, node);
                    node = f.target(node + SPLIT_LEFT);
                } else if (node != 0) {
                    nodes = push(nodes, k++, node);
                    node = 0;
                } else {
                    int split = stack[--sp];
                    pivots = push(pivots, k - 1, f.u8(split + SPLIT_PIVOT));
                    node = f.target(split + SPLIT_RIGHT);
                }
            }
            return new SplitSides(nodes, pivots, k);
        }
    }

    private static int[] push(int[] a, int at, int v) {
        int[] out = at == a.length ? java.util.Arrays.copyOf(a, a.length * 2) : a;
        out[at] = v;
        return out;
    }

    /** A balanced tree of Splits over {@code leaves[lo..hi]}; {@code pivots[j]} separates leaf j from leaf j+1. */
    private static int buildSplits(Frame f, int[] leaves, int[] pivots, int lo, int hi) {
        if (lo == hi) {
            return leaves[lo];
        }
        int mid = (lo + hi + 1) >>> 1;
        int split = Nodes.allocate(f, SPLIT_SIZE);
        f.putU8(split + SPLIT_PIVOT, pivots[mid - 1]);
        f.putU8(split + TYPE_OFFSET, T_SPLIT);
        f.link(split + SPLIT_LEFT, buildSplits(f, leaves, pivots, lo, mid - 1));
        f.link(split + SPLIT_RIGHT, buildSplits(f, leaves, pivots, mid, hi));
        return split;
    }

    /** Puts {@code split(pivot, left, right = Blob to child)} into {@code field} of {@code f} (spill reserve). */
    private static void installSplit(Frame f, int field, int left, int pivot, Frame child) {
        int split = f.allocate(SPLIT_SIZE, true);
        int blob = newBlob(f, child);
        f.putU8(split + SPLIT_PIVOT, pivot);
        f.putU8(split + TYPE_OFFSET, T_SPLIT);
        f.link(split + SPLIT_LEFT, left);
        f.link(split + SPLIT_RIGHT, blob);
        f.link(field, split);
    }

    /**
     * Pre-order listing of a frame's nodes: for each, the reference field pointing at it, its parent, the edge it
     * hangs by and its subtree size once compacted.
     */
    private static final class FrameIndex {
        int count;
        int[] nodes = new int[256];
        int[] fields = new int[256];
        int[] parents = new int[256];
        int[] edges = new int[256];
        int[] sizes = new int[256];
        /** Bytes of the leaves in each node's subtree. */
        int[] leafBytes = new int[256];
        boolean[] afterSlash = new boolean[256];

        FrameIndex(Frame f) {
            int[] stack = new int[64];
            int sp = 0;
            add(f.root(), ROOT_OFFSET, -1, EDGE_ROOT, false);
            stack[sp++] = 0;
            while (sp > 0) {
                int i = stack[--sp];
                int node = nodes[i];
                int type = f.type(node);
                if (type == T_LEAF) {
                    sizes[i] = leafSize(Nodes.leafSuffixLength(f, node), Nodes.leafValueLength(f, node));
                    leafBytes[i] = sizes[i];
                    continue;
                }
                sizes[i] = Nodes.size(f, node);
                int before = count;
                if (type == T_PREFIX) {
                    int len = f.u8(node + PREFIX_LEN);
                    add(f.target(node + PREFIX_CHILD), node + PREFIX_CHILD, i, EDGE_PREFIX,
                            f.u8(node + PREFIX_BYTES + len - 1) == '/');
                } else if (type == T_SPLIT) {
                    add(f.target(node + SPLIT_LEFT), node + SPLIT_LEFT, i, EDGE_SPLIT, afterSlash[i]);
                    add(f.target(node + SPLIT_RIGHT), node + SPLIT_RIGHT, i, EDGE_SPLIT, afterSlash[i]);
                } else if (Nodes.isInner(type)) {
                    int value = f.target(node + INNER_VALUE);
                    if (value != 0) {
                        add(value, node + INNER_VALUE, i, EDGE_VALUE, afterSlash[i]);
                    }
                    for (long e = Nodes.nextChild(f, node, 0); e >= 0;
                            e = Nodes.nextChild(f, node, (int) (e >>> 32) + 1)) {
                        add(f.target((int) e), (int) e, i, (int) (e >>> 32), (e >>> 32) == '/');
                    }
                }
                for (int j = before; j < count; j++) {
                    if (sp == stack.length) {
                        stack = java.util.Arrays.copyOf(stack, sp * 2);
                    }
                    stack[sp++] = j;
                }
            }
            for (int i = count - 1; i > 0; i--) {
                sizes[parents[i]] += sizes[i];
                leafBytes[parents[i]] += leafBytes[i];
            }
        }

        /**
         * Where a lift cuts the frame: from the root, follows the child holding the most leaf bytes while the
         * leaves beside it (which the lift takes along) are few, at most 1/8 of that child's and, summed over the
         * path, at most {@code budget}. Routing nodes and Blobs beside the path cost nothing: they are what a lift
         * is for. Returns the last node reached that a Blob may replace, 0 if none.
         */
        int liftCut(Frame f, int budget) {
            int[] heavy = heaviestChildren(leafBytes);
            int cut = 0;
            int spent = 0;
            for (int i = 0; heavy[i] >= 0;) {
                int h = heavy[i];
                int beside = leafBytes[i] - leafBytes[h];
                if (leafBytes[h] == 0 || beside > leafBytes[h] / 8 || spent + beside > budget) {
                    break;
                }
                spent += beside;
                i = h;
                if (movable(f, this, i)) {
                    cut = i;
                }
            }
            return cut;
        }

        /** For each node, its child with the largest {@code weight} (the first of equals), or -1 if it has none. */
        int[] heaviestChildren(int[] weight) {
            int[] heavy = new int[count];
            java.util.Arrays.fill(heavy, -1);
            for (int i = 1; i < count; i++) {
                if (heavy[parents[i]] < 0 || weight[i] > weight[heavy[parents[i]]]) {
                    heavy[parents[i]] = i;
                }
            }
            return heavy;
        }

        /** The topmost node of the chain of Splits directly above node {@code i} ({@code i} itself if none). */
        int splitChainTop(Frame f, int i) {
            int top = i;
            while (parents[top] >= 0 && f.type(nodes[parents[top]]) == T_SPLIT) {
                top = parents[top];
            }
            return top;
        }

        /** Key bytes a descent consumes from the frame root down to node {@code i}. */
        int bytesTo(Frame f, int i) {
            int bytes = 0;
            for (int j = i; parents[j] >= 0; j = parents[j]) {
                if (edges[j] == EDGE_PREFIX) {
                    bytes += f.u8(nodes[parents[j]] + PREFIX_LEN);
                } else if (edges[j] >= 0) {
                    bytes++;
                }
            }
            return bytes;
        }

        /** The index of the Blob pointing at frame {@code id}, or -1. */
        int blobTo(Frame f, int id) {
            for (int i = 0; i < count; i++) {
                if (f.type(nodes[i]) == T_BLOB && f.u64(nodes[i] + BLOB_FRAME_ID) == id) {
                    return i;
                }
            }
            return -1;
        }

        /** A cursor from the frame root down to node {@code i}, as a latched descent would have built it. */
        Cursor cursorTo(Frame f, int i) {
            int depth = 0;
            for (int j = i; j >= 0; j = parents[j]) {
                depth++;
            }
            int[] path = new int[depth];
            for (int j = i, k = depth - 1; j >= 0; j = parents[j], k--) {
                path[k] = j;
            }
            Cursor c = new Cursor(f, 0);
            for (int j : path) {
                c.push(fields[j], nodes[j], edges[j]);
            }
            return c;
        }

        private void add(int node, int field, int parent, int edge, boolean slash) {
            if (count == nodes.length) {
                int n = count * 2;
                nodes = java.util.Arrays.copyOf(nodes, n);
                fields = java.util.Arrays.copyOf(fields, n);
                parents = java.util.Arrays.copyOf(parents, n);
                edges = java.util.Arrays.copyOf(edges, n);
                sizes = java.util.Arrays.copyOf(sizes, n);
                leafBytes = java.util.Arrays.copyOf(leafBytes, n);
                afterSlash = java.util.Arrays.copyOf(afterSlash, n);
            }
            nodes[count] = node;
            fields[count] = field;
            parents[count] = parent;
            edges[count] = edge;
            afterSlash[count] = slash;
            count++;
        }
    }

    // ------------------------------------------------------------------ merging small frames

    /** Frames that shrank below 1/8 full after deletes, waiting to be folded back into their parents. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Frame> mergeQueue =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** Forgets the queued merges (the tree is being dropped; the caller holds the gate). */
    void dropMergeQueue() {
        for (Frame c; (c = mergeQueue.poll()) != null;) {
            c.mergeQueued.set(false);
        }
    }

    void queueMergeIfSmall(Frame f) {
        if (f != root && f.liveBytes() < f.dataCapacity() / 8 && parentHasRoomFor(f)
                && f.mergeQueued.compareAndSet(false, true)) {
            mergeQueue.add(f);
        }
    }

    /**
     * Whether the merge would be taken (the same test {@link #mergeIntoParent} makes under the gate), read here
     * without the parent's latch: only a hint, but it keeps deletes in a small frame whose parent is full from
     * closing the gate for nothing on every call.
     */
    private boolean parentHasRoomFor(Frame c) {
        Frame p = table.get(c.parent);
        int parentLive = p == null ? -1 : p.liveBytesHint();
        int childLive = c.liveBytesHint();
        return parentLive >= 0 && childLive >= 0 && parentLive + childLive <= p.dataCapacity() / 4 * 3;
    }

    /**
     * Folds queued small frames back into their parents (an empty one is simply unlinked). Runs with the writer
     * gate closed, since it changes two frames and the link between them; called by a writer after it has left the
     * gate, so deletes pay for it only when a frame actually became small.
     */
    void mergeQueuedFrames() {
        if (mergeQueue.isEmpty() || gate.isHeldByCurrentThread()) {
            return;
        }
        if (!gate.closeUnlessFenced()) {
            return; // the tree was dropped: its frames are gone, and its merge queue with them
        }
        Mutation m = new Mutation();
        try {
            for (Frame c; (c = mergeQueue.poll()) != null;) {
                c.mergeQueued.set(false);
                mergeIntoParent(m, c);
                m.releaseAll();
            }
        } finally {
            m.releaseAll();
            gate.open();
        }
    }

    private void mergeIntoParent(Mutation m, Frame c) {
        Frame p = table.get(c.parent);
        if (c == root || p == null || c.released) {
            return;
        }
        m.hold(p);
        m.hold(c);
        int live = c.liveBytes();
        if (live >= c.dataCapacity() / 8 || p.liveBytes() + live > p.dataCapacity() / 4 * 3) {
            return; // grew again, or the parent filled up, since it was queued
        }
        m.changed = true;
        if (p.free() < live + DELETE_NEED) {
            compact(p);
        }
        FrameIndex idx = new FrameIndex(p);
        int blob = idx.blobTo(p, c.id);
        if (blob < 0) {
            throw p.corrupt(0, "no blob points to child frame " + c.id);
        }
        p.kill(BLOB_SIZE);
        p.addBlobs(-1);
        if (c.root() == DATA_START) {
            Cursor toBlob = idx.cursorTo(p, blob);
            Edits.unlinkSubtree(toBlob, toBlob.size - 1);
        } else {
            p.link(idx.fields[blob], copySubtree(c, c.root(), p));
        }
        c.format();
        c.parent = -1;
        table.release(c);
        queueMergeIfSmall(p);
    }
}
