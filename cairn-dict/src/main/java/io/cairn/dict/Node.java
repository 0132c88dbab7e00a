package io.cairn.dict;

/**
 * A state of a dictionary automaton. Edges are labelled with units of the dictionary's {@link Alphabet} (an
 * unsigned byte 0..255, or a code point) and are visited in ascending label order.
 *
 * <p>Nodes may be light views created on demand (a double-array trie's node is an index): compare them with
 * {@code equals}, never with {@code ==}. In a DAWG one node is shared by every prefix with the same
 * continuations, so a node does not identify the path that reached it: a traversal carries its own prefix.
 */
public interface Node {

    /** Whether the path from the root to this node spells a term. */
    boolean isFinal();

    /** The node reached by {@code unit}, or null if there is no such edge. */
    Node transition(int unit);

    /** How many edges leave this node; by default counted through {@link #forEachEdge}. */
    default int edgeCount() {
        int[] count = {0};
        forEachEdge((label, target) -> count[0]++);
        return count[0];
    }

    /** Calls {@code visitor} for every edge in ascending label order, without allocating per edge where possible. */
    void forEachEdge(EdgeVisitor visitor);

    /** Receives edges from {@link #forEachEdge}. */
    @FunctionalInterface
    interface EdgeVisitor {
        void edge(int label, Node target);
    }
}
