package io.cairn.dict;

/**
 * A state of a {@link TokenDawg}: like {@link Node}, but edges are labelled with 64-bit tokens, visited in
 * ascending unsigned order.
 */
public interface TokenNode {

    /** Whether the token sequence from the root to this node is in the dictionary. */
    boolean isFinal();

    /** The node reached by {@code token}, or null if there is no such edge. */
    TokenNode transition(long token);

    /** How many edges leave this node. */
    int edgeCount();

    /** Calls {@code visitor} for every edge in ascending unsigned token order. */
    void forEachEdge(TokenEdgeVisitor visitor);

    /** Receives edges from {@link #forEachEdge}. */
    @FunctionalInterface
    interface TokenEdgeVisitor {
        void edge(long token, TokenNode target);
    }
}
