package io.cairn.dict.fuzzy;

import io.cairn.dict.Dictionary;
import io.cairn.dict.MappedDictionary;
import io.cairn.dict.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A fuzzy search, configured step by step and then run with {@link #list()} or {@link #stream()}. Obtain one from
 * {@link Levenshtein#query}. Defaults: distance 2, {@link Algorithm#STANDARD}, no {@linkplain #substitutions
 * substitution set}, case-sensitive, whole terms, no limit, no filter.
 *
 * <p>Results are ordered by distance, then by term in code point order (the order of the dictionary's edges: UTF-8
 * byte order and code point order agree; both differ from {@link String#compareTo} only for characters outside the
 * Basic Multilingual Plane). Distances count characters (code points) on either alphabet.
 *
 * <p>A query object is a mutable builder: configure it on one thread; each {@code list()} or {@code stream()} runs a
 * fresh search and may be called again.
 *
 * @param <V> the dictionary's value type ({@link Object} for a dictionary without values)
 */
public final class FuzzyQuery<V> {

    private final Dictionary dictionary;
    private final int[] query;
    private int maxDistance = 2;
    private Algorithm algorithm = Algorithm.STANDARD;
    private SubstitutionSet substitutions = SubstitutionSet.NONE;
    private boolean ignoreCase;
    private boolean prefix;
    private long limit = Long.MAX_VALUE;
    private Predicate<? super V> valueFilter;

    FuzzyQuery(Dictionary dictionary, String query) {
        this.dictionary = Objects.requireNonNull(dictionary, "dictionary");
        this.query = Objects.requireNonNull(query, "query").codePoints().toArray();
    }

    /** Finds terms within {@code distance} edits (0..{@value LevenshteinAutomaton#MAX_DISTANCE}). */
    public FuzzyQuery<V> maxDistance(int distance) {
        if (distance < 0 || distance > LevenshteinAutomaton.MAX_DISTANCE) {
            throw new IllegalArgumentException(
                    "maxDistance must be in 0.." + LevenshteinAutomaton.MAX_DISTANCE + ", got " + distance);
        }
        this.maxDistance = distance;
        return this;
    }

    /** Which edits cost 1. */
    public FuzzyQuery<V> algorithm(Algorithm algorithm) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        return this;
    }

    /**
     * Makes the rules of {@code set} cheaper than ordinary edits (listed pairs substitute at cost 0, and so on; see
     * {@link SubstitutionSet}), whatever the algorithm. Distances reported are the weighted ones.
     */
    public FuzzyQuery<V> substitutions(SubstitutionSet set) {
        this.substitutions = Objects.requireNonNull(set, "set");
        return this;
    }

    /**
     * Compares characters case-insensitively (simple case folding: {@code toLowerCase(toUpperCase(c))}, one
     * character for one), while reporting terms in the dictionary's own casing: "paris" finds "Paris" at 0.
     */
    public FuzzyQuery<V> ignoreCase() {
        this.ignoreCase = true;
        return this;
    }

    /**
     * Completion: find terms that extend a word within the distance, i.e. terms having some prefix within the
     * distance of the query; each is reported with the smallest such distance.
     */
    public FuzzyQuery<V> prefix() {
        this.prefix = true;
        return this;
    }

    /**
     * Keeps only the {@code count} best results (by distance, then term). The search deepens one distance at a time
     * and stops as soon as it has enough, rather than finding everything and sorting.
     */
    public FuzzyQuery<V> limit(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + count);
        }
        this.limit = count;
        return this;
    }

    /**
     * Keeps only terms whose value satisfies {@code predicate}; terms without a value are dropped.
     *
     * @throws IllegalStateException if the dictionary is not a {@link MappedDictionary}
     */
    public FuzzyQuery<V> filter(Predicate<? super V> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        if (!(dictionary instanceof MappedDictionary<?>)) {
            throw new IllegalStateException("a value filter needs a MappedDictionary, but the dictionary is a "
                    + dictionary.getClass().getName());
        }
        this.valueFilter = predicate;
        return this;
    }

    /** Runs the search and returns every result, ordered by distance then term. */
    public List<Candidate> list() {
        Plan plan = plan();
        if (plan.limit != Long.MAX_VALUE) {
            return stream(plan).toList();
        }
        // One walk at the full distance; the walk yields terms in order, so grouping by distance keeps it.
        FuzzyCursor cursor = plan.cursor(plan.maxDistance, -1);
        List<List<Candidate>> byDistance = new ArrayList<>(plan.maxDistance + 1);
        for (int d = 0; d <= plan.maxDistance; d++) {
            byDistance.add(new ArrayList<>());
        }
        for (Candidate match = cursor.next(); match != null; match = cursor.next()) {
            byDistance.get(match.distance()).add(match);
        }
        List<Candidate> results = new ArrayList<>();
        byDistance.forEach(results::addAll);
        return results;
    }

    /**
     * Runs the search lazily: distance 0 first, then 1, and so on, each a walk of the dictionary that stops as soon
     * as the stream is no longer consumed. The stream keeps the settings of the moment it was created.
     */
    public Stream<Candidate> stream() {
        return stream(plan());
    }

    private static Stream<Candidate> stream(Plan plan) {
        Spliterator<Candidate> deepening = new Spliterators.AbstractSpliterator<>(
                plan.limit, Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE) {
            private int distance = 0;
            private FuzzyCursor cursor = plan.cursor(0, 0);
            private long left = plan.limit;

            @Override
            public boolean tryAdvance(Consumer<? super Candidate> action) {
                while (left > 0) {
                    Candidate match = cursor.next();
                    if (match != null) {
                        left--;
                        action.accept(match);
                        return true;
                    }
                    if (distance == plan.maxDistance) {
                        return false;
                    }
                    distance++;
                    cursor = plan.cursor(distance, distance);
                }
                return false;
            }
        };
        return StreamSupport.stream(deepening, false);
    }

    /** The settings of one run, fixed when it starts so that later builder calls cannot change it midway. */
    private Plan plan() {
        Predicate<Node> nodeFilter = null;
        if (valueFilter != null) {
            @SuppressWarnings("unchecked")
            MappedDictionary<V> mapped = (MappedDictionary<V>) dictionary;
            Predicate<? super V> predicate = valueFilter;
            nodeFilter = node -> {
                V value = mapped.valueAt(node);
                return value != null && predicate.test(value);
            };
        }
        return new Plan(dictionary, query, maxDistance, algorithm, substitutions, ignoreCase, prefix, limit,
                nodeFilter);
    }

    private record Plan(Dictionary dictionary, int[] query, int maxDistance, Algorithm algorithm,
            SubstitutionSet substitutions, boolean ignoreCase, boolean prefix, long limit, Predicate<Node> filter) {

        /** A walk with an automaton for {@code distance}, emitting only {@code onlyDistance} (or all, if -1). */
        FuzzyCursor cursor(int distance, int onlyDistance) {
            return new FuzzyCursor(dictionary, new LevenshteinAutomaton(query, distance, algorithm, substitutions,
                    ignoreCase), prefix, onlyDistance, filter);
        }
    }
}
