package io.cairn.tree.engine;

import static io.cairn.tree.engine.Cursor.*;
import static io.cairn.tree.engine.FrameFormat.*;

import java.lang.foreign.MemorySegment;

/**
 * Key-level edits inside one latched frame, along the {@link Cursor} of a latched descent: inserting a leaf (leaf
 * and prefix splits, node growth) and removing one (path compression, node shrink, pruning). The caller has made
 * sure the frame has room: {@link #writeNeed} bytes for an insert, {@link #DELETE_NEED} for a delete.
 */
final class Edits {
    private Edits() {}

    /** Bytes a delete may allocate: a collapsed prefix or a shrunken node. */
    static final int DELETE_NEED = Math.max(prefixSize(MAX_PREFIX), NODE48_SIZE);

    /** Bytes a write of this key and value may need in one frame; must not exceed half a frame's data area. */
    static int writeNeed(int keyLength, int valueLength) {
        return leafSize(keyLength, valueLength) + Nodes.MAX_STRUCTURE_BYTES
                + (keyLength / MAX_PREFIX + 1) * prefixSize(MAX_PREFIX);
    }

    static void insert(Cursor c, byte[] key, byte[] value, long version) {
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
    static void removeLeaf(Cursor c) {
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
}
