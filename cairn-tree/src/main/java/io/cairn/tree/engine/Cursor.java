package io.cairn.tree.engine;

/**
 * The path a latched descent took inside the frame where it stopped: for each node, the reference field that led
 * to it and the edge it hangs by (an edge byte, or one of the {@code EDGE_*} kinds). {@link Edits} changes the tree
 * along it; {@link FrameSpace} builds one to unlink a Blob.
 */
final class Cursor {
    /** The frame's root reference. */
    static final int EDGE_ROOT = -1;
    /** The child of a Prefix node. */
    static final int EDGE_PREFIX = -2;
    /** The value slot of an inner node (the key that ends at it). */
    static final int EDGE_VALUE = -3;
    /** A side of a Split node. */
    static final int EDGE_SPLIT = -4;

    /** Where the descent stopped, relative to the key (the {@code K_*} kinds). */
    static final int K_EMPTY = 0;
    static final int K_LEAF_MATCH = 1;
    static final int K_LEAF_MISMATCH = 2;
    static final int K_PREFIX_MISMATCH = 3;
    static final int K_NO_VALUE = 4;
    static final int K_NO_CHILD = 5;

    Frame frame;
    /** Key depth of the frame's root. */
    int frameDepth;
    int kind;
    /** Key bytes consumed when the descent stopped. */
    int depth;
    /** For K_PREFIX_MISMATCH: how many bytes of the prefix matched. */
    int mismatch;
    int size;
    int[] refs = new int[16];
    int[] nodes = new int[16];
    int[] edges = new int[16];

    Cursor(Frame frame, int frameDepth) {
        this.frame = frame;
        this.frameDepth = frameDepth;
    }

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
