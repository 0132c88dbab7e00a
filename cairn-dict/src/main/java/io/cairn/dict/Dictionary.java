package io.cairn.dict;

/**
 * A traversable set of terms: the one API every dictionary automaton offers and the Levenshtein transducer walks.
 *
 * <p>A term is a sequence of units of the dictionary's {@link #alphabet()}: UTF-8 bytes or Unicode code points
 * (terms go in and out as {@code String} either way). The automaton starts at {@link #root()}; a term is in the
 * dictionary when following its units from the root ends on a {@linkplain Node#isFinal() final} node.
 */
public interface Dictionary {

    /** The start node. */
    Node root();

    /** Which units the nodes' edges are labelled with. */
    Alphabet alphabet();

    /** Whether {@code term} is in the dictionary. */
    boolean contains(String term);

    /** How many terms the dictionary holds. */
    long size();

    default boolean isEmpty() {
        return size() == 0;
    }
}
