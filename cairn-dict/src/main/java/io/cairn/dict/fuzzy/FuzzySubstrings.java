package io.cairn.dict.fuzzy;

import io.cairn.dict.SubstringIndex;
import java.util.ArrayList;
import java.util.List;

/**
 * Approximate substring search: every substring of an index's texts within an edit distance of a query, with
 * where each occurs. The Levenshtein transducer walks the index as it walks any dictionary (its terms are the
 * distinct substrings), so each distinct substring is found once, with its smallest distance, and then located
 * through the index. For other options (prefix mode, limits, filters) run {@link Levenshtein#query} on the index
 * and call {@link SubstringIndex#occurrences} for the terms it finds.
 */
public final class FuzzySubstrings {
    private FuzzySubstrings() {}

    /**
     * Every non-empty substring of {@code index}'s texts within {@code maxDistance} edits of {@code query}, ordered
     * by distance then substring (code point order), each with its occurrences.
     *
     * @throws IllegalArgumentException if {@code maxDistance} is outside 0..{@value Levenshtein#MAX_DISTANCE}
     */
    public static List<SubstringMatch> search(SubstringIndex index, String query, int maxDistance,
            Algorithm algorithm) {
        List<SubstringMatch> matches = new ArrayList<>();
        for (Candidate candidate : Levenshtein.search(index, query, maxDistance, algorithm)) {
            if (!candidate.term().isEmpty()) {
                matches.add(new SubstringMatch(candidate.term(), candidate.distance(),
                        index.occurrences(candidate.term())));
            }
        }
        return matches;
    }
}
