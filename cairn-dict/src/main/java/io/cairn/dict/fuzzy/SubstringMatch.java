package io.cairn.dict.fuzzy;

import io.cairn.dict.Occurrence;
import java.util.List;
import java.util.Objects;

/**
 * A substring of the texts of an index found by {@link FuzzySubstrings}: the substring, its edit distance from the
 * query, and where it occurs.
 */
public record SubstringMatch(String substring, int distance, List<Occurrence> occurrences) {

    public SubstringMatch {
        Objects.requireNonNull(substring, "substring");
        occurrences = List.copyOf(occurrences);
    }
}
