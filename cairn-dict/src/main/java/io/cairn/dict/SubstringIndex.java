package io.cairn.dict;

import java.util.List;

/**
 * A dictionary of every substring of a set of texts, which also says where each occurs. Its terms are the
 * distinct substrings (the empty one included once there is a text), so {@link #contains} asks "is this a substring
 * of some text", and the Levenshtein transducer walking it finds every substring within a distance of a query.
 * On UTF-8 bytes only substrings that start and end on character boundaries are terms (so each is a
 * {@code String}); offsets count bytes.
 */
public interface SubstringIndex extends Dictionary {

    /** Every occurrence of {@code substring}, ordered by text then offset; empty if it occurs nowhere. */
    List<Occurrence> occurrences(String substring);

    /** How many times {@code substring} occurs in all the texts together (overlapping occurrences count). */
    long frequency(String substring);
}
