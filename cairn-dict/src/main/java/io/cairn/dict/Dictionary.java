package io.cairn.dict;

import java.util.stream.Stream;

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

    /**
     * Every term, lazily, in ascending unit order (UTF-8 byte order and code point order agree; both differ from
     * {@link String#compareTo} only outside the Basic Multilingual Plane). The walk reads only as far as the stream
     * is consumed; on a {@link Dawg} it keeps the version it started on.
     */
    default Stream<String> terms() {
        return terms("");
    }

    /**
     * The terms whose units start with those of {@code prefix}, lazily, in ascending unit order; none if no term
     * can start with it (a prefix with an unpaired surrogate on UTF-8 bytes).
     */
    default Stream<String> terms(String prefix) {
        return TermWalk.stream(this, prefix, null, (term, node) -> term);
    }
}
