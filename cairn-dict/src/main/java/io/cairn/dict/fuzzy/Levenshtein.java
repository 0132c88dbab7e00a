package io.cairn.dict.fuzzy;

import io.cairn.dict.Dictionary;
import io.cairn.dict.MappedDictionary;
import java.util.List;

/**
 * Fuzzy search over any {@link Dictionary}: every term within an edit distance of a query, found by walking a
 * Levenshtein automaton (Schulz &amp; Mihov 2002) in lockstep with the dictionary, never by computing the distance to
 * each term.
 *
 * <pre>{@code
 * List<Candidate> hits = Levenshtein.search(words, "recieve", 2, Algorithm.TRANSPOSITION);
 * List<Candidate> top = Levenshtein.query(words, "acommodat").maxDistance(3).prefix().limit(5).list();
 * }</pre>
 *
 * <p>Distances count characters (Unicode code points) whatever the dictionary's alphabet; results are ordered by
 * distance, then by term in code point order. Distances up to {@value #MAX_DISTANCE} are supported.
 */
public final class Levenshtein {

    /** The largest distance a search accepts. */
    public static final int MAX_DISTANCE = LevenshteinAutomaton.MAX_DISTANCE;

    private Levenshtein() {}

    /**
     * Every term of {@code dictionary} within {@code maxDistance} edits of {@code query}, ordered by distance then
     * term.
     *
     * @throws IllegalArgumentException if {@code maxDistance} is outside 0..{@value #MAX_DISTANCE}
     */
    public static List<Candidate> search(Dictionary dictionary, String query, int maxDistance, Algorithm algorithm) {
        return query(dictionary, query).maxDistance(maxDistance).algorithm(algorithm).list();
    }

    /** A configurable search of {@code dictionary} for {@code query}; see {@link FuzzyQuery}. */
    public static FuzzyQuery<Object> query(Dictionary dictionary, String query) {
        return new FuzzyQuery<>(dictionary, query);
    }

    /** A configurable search of a dictionary with values, which can {@linkplain FuzzyQuery#filter filter} by value. */
    public static <V> FuzzyQuery<V> query(MappedDictionary<V> dictionary, String query) {
        return new FuzzyQuery<>(dictionary, query);
    }
}
