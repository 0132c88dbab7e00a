package io.cairn.tree;

import io.cairn.tree.engine.FrameView;
import io.cairn.tree.engine.TrieReader;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A node of the trie of a tree's keys: the keys under a base prefix ({@link Tree#trie}, {@link Snapshot#trie}) read
 * byte by byte, one node per key prefix, so an automaton (a dictionary walk, a fuzzy search) can run directly on the
 * tree. A node is final when a key ends at it; its children are the bytes some key continues it with, in ascending
 * unsigned order.
 *
 * <p>A node stands for its key prefix, not for a place in memory: it stays usable however the tree changes. Each
 * method reads the tree at one moment and is linearizable with the tree's writes (a node keeps the position where
 * its prefix was found, and when a write has moved the frame that position is in, the method finds the prefix
 * again from the root). A walk over many nodes of a live tree is not a snapshot: a key present for the whole walk
 * is found, one absent for the whole walk is not, and one written during it may or may not be. Walk a
 * {@link Snapshot}'s trie for a fixed view. Nodes are immutable and may be shared between threads; using one after
 * its tree (or snapshot) closed throws {@link IllegalStateException}.
 */
public final class TrieNode {
    private final View view;
    private final TrieNode parent;
    private final int label;
    private final int depth;
    private final int frameId;
    private final long version;
    private final int node;
    private final int consumed;

    private TrieNode(View view, TrieNode parent, int label, int frameId, long version, int node, int consumed) {
        this.view = view;
        this.parent = parent;
        this.label = label;
        this.depth = parent == null ? 0 : parent.depth + 1;
        this.frameId = frameId;
        this.version = version;
        this.node = node;
        this.consumed = consumed;
    }

    /** The root of the trie of the keys under {@code base} as {@code frames} shows the tree. */
    static TrieNode root(FrameView frames, byte[] base, Runnable openCheck) {
        openCheck.run();
        return new View(frames, base.clone(), openCheck).reader.root();
    }

    /** Bytes from the base prefix to this node. */
    public int depth() {
        return depth;
    }

    /** The bytes from the base prefix to this node (the base itself not included). */
    public byte[] key() {
        byte[] key = new byte[depth];
        for (TrieNode n = this; n.parent != null; n = n.parent) {
            key[n.depth - 1] = (byte) n.label;
        }
        return key;
    }

    /** Whether a key ends at this node (the base prefix followed by {@link #key()} is stored). */
    public boolean isFinal() {
        view.openCheck.run();
        return view.reader.isFinal(this);
    }

    /** The value and version of the key ending at this node, or null if none does. */
    public Record record() {
        view.openCheck.run();
        return view.reader.record(this, Record::new);
    }

    /** The value of the key ending at this node, or null if none does. */
    public byte[] value() {
        Record r = record();
        return r == null ? null : r.value();
    }

    /**
     * The node one byte further, or null if no key continues this node's prefix with {@code b}.
     *
     * @param b an unsigned byte, 0..255
     */
    public TrieNode child(int b) {
        if (b < 0 || b > 255) {
            throw new IllegalArgumentException("b must be an unsigned byte 0..255, got " + b);
        }
        view.openCheck.run();
        return view.reader.child(this, b);
    }

    /** How many children this node has (distinct bytes that keys continue its prefix with). */
    public int childCount() {
        view.openCheck.run();
        return view.reader.childCount(this);
    }

    /** Calls {@code visitor} with every child in ascending byte order; the children are read at one moment. */
    public void forEachChild(ChildVisitor visitor) {
        Objects.requireNonNull(visitor, "visitor");
        view.openCheck.run();
        view.reader.forEachChild(this, visitor::child);
    }

    /** Receives the children of a node. */
    @FunctionalInterface
    public interface ChildVisitor {
        void child(int b, TrieNode node);
    }

    /** Equal nodes are the same key prefix of the same trie (one tree or snapshot, one base prefix). */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TrieNode other) || !other.view.sameTrie(view) || other.depth != depth) {
            return false;
        }
        TrieNode a = this;
        TrieNode b = other;
        while (a != b && a.parent != null) {
            if (a.label != b.label) {
                return false;
            }
            a = a.parent;
            b = b.parent;
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key()) * 31 + Arrays.hashCode(view.base);
    }

    @Override
    public String toString() {
        return "TrieNode[" + HexFormat.of().formatHex(key()) + "]";
    }

    /** One trie: its reader, and the check that its tree (or snapshot) is still open. */
    private static final class View implements TrieReader.Positions<TrieNode> {
        final TrieReader<TrieNode> reader;
        final Runnable openCheck;
        private final FrameView frames;
        private final byte[] base;

        View(FrameView frames, byte[] base, Runnable openCheck) {
            this.reader = new TrieReader<>(frames, base, this);
            this.openCheck = openCheck;
            this.frames = frames;
            this.base = base;
        }

        /** Whether both views show the same keys: the same tree (or snapshot) under the same base. */
        boolean sameTrie(View other) {
            return other == this || other.frames == frames && Arrays.equals(other.base, base);
        }

        @Override
        public TrieNode make(TrieNode parent, int label, int frameId, long version, int node, int consumed) {
            return new TrieNode(this, parent, label, frameId, version, node, consumed);
        }

        @Override
        public TrieNode parent(TrieNode n) {
            return n.parent;
        }

        @Override
        public int label(TrieNode n) {
            return n.label;
        }

        @Override
        public int depth(TrieNode n) {
            return n.depth;
        }

        @Override
        public int frameId(TrieNode n) {
            return n.frameId;
        }

        @Override
        public long version(TrieNode n) {
            return n.version;
        }

        @Override
        public int node(TrieNode n) {
            return n.node;
        }

        @Override
        public int consumed(TrieNode n) {
            return n.consumed;
        }
    }
}
