package io.cairn.dict.fuzzy;

import java.util.Objects;

/**
 * A dictionary term found by a fuzzy search, with its edit distance from the query (in prefix mode: the smallest
 * distance between the query and a prefix of the term).
 */
public record Candidate(String term, int distance) {

    public Candidate {
        Objects.requireNonNull(term, "term");
        if (distance < 0) {
            throw new IllegalArgumentException("distance must be >= 0, got " + distance);
        }
    }
}
