package io.cairn.dict.fuzzy;

import io.cairn.dict.Dictionary;
import io.cairn.dict.MappedDictionary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Spelling suggestions from a dictionary, in the order a user expects them: fewest edits first, then the most
 * frequent word (a weight stored as the term's value), then the likeliest slip on a QWERTY keyboard
 * ({@link KeyProximity}), then code point order.
 *
 * <p>Matching ignores case and reports the dictionary's casing ("paris" suggests "Paris" at distance 0); the
 * default algorithm counts a swap of two neighbours as one edit ("recieve"), up to distance 2. A word is
 * {@linkplain #isCorrect correct} as the dictionary spells it, or capitalised or in capitals where the dictionary
 * has it in lower case ("The", "THE"), or in capitals where it is capitalised ("PARIS"), as spell checkers do.
 *
 * <pre>{@code
 * Suggester speller = Suggester.of(words, frequency -> frequency);   // a MappedDictionary<Long> of counts
 * speller.suggest("recieve", 5);   // receive, relieve, ...
 * }</pre>
 *
 * <p>Immutable and thread-safe as long as the dictionary is.
 */
public final class Suggester {

    /** A suggested term, its edit distance from the word (case ignored) and its weight (0 without one). */
    public record Suggestion(String term, int distance, double weight) {
        public Suggestion {
            Objects.requireNonNull(term, "term");
        }
    }

    private final Dictionary dictionary;
    private final ToDoubleFunction<String> weights;
    private final int maxDistance;
    private final Algorithm algorithm;

    private Suggester(Dictionary dictionary, ToDoubleFunction<String> weights, int maxDistance, Algorithm algorithm) {
        this.dictionary = dictionary;
        this.weights = weights;
        this.maxDistance = maxDistance;
        this.algorithm = algorithm;
    }

    /** Suggestions from a dictionary without weights: ties in distance go to keyboard proximity. */
    public static Suggester of(Dictionary dictionary) {
        return new Suggester(Objects.requireNonNull(dictionary, "dictionary"), term -> 0, 2, Algorithm.TRANSPOSITION);
    }

    /**
     * Suggestions from a dictionary whose values give each term's weight (a frequency, say: larger ranks first
     * among equally distant terms); a term without a value weighs 0.
     */
    public static <V> Suggester of(MappedDictionary<V> dictionary, ToDoubleFunction<? super V> weight) {
        Objects.requireNonNull(dictionary, "dictionary");
        Objects.requireNonNull(weight, "weight");
        return new Suggester(dictionary, term -> {
            V value = dictionary.getValue(term);
            return value == null ? 0 : weight.applyAsDouble(value);
        }, 2, Algorithm.TRANSPOSITION);
    }

    /** The same suggester looking up to {@code distance} edits away (default 2). */
    public Suggester withMaxDistance(int distance) {
        if (distance < 0 || distance > Levenshtein.MAX_DISTANCE) {
            throw new IllegalArgumentException(
                    "maxDistance must be in 0.." + Levenshtein.MAX_DISTANCE + ", got " + distance);
        }
        return new Suggester(dictionary, weights, distance, algorithm);
    }

    /** The same suggester counting edits with {@code algorithm} (default {@link Algorithm#TRANSPOSITION}). */
    public Suggester withAlgorithm(Algorithm algorithm) {
        return new Suggester(dictionary, weights, maxDistance, Objects.requireNonNull(algorithm, "algorithm"));
    }

    /**
     * Whether {@code word} is spelt correctly: in the dictionary as it is, or in capitals, or capitalised where the
     * dictionary has it in lower case.
     */
    public boolean isCorrect(String word) {
        Objects.requireNonNull(word, "word");
        if (dictionary.contains(word)) {
            return true;
        }
        String upper = word.toUpperCase(Locale.ROOT);
        for (Candidate form : Levenshtein.query(dictionary, word).maxDistance(0).ignoreCase().list()) {
            String term = form.term();
            if (word.equals(upper) || term.equals(term.toLowerCase(Locale.ROOT)) && word.equals(capitalised(term))) {
                return true;
            }
        }
        return false;
    }

    private static String capitalised(String word) {
        if (word.isEmpty()) {
            return word;
        }
        int first = word.codePointAt(0);
        return new String(Character.toChars(Character.toTitleCase(first))) + word.substring(Character.charCount(first));
    }

    /**
     * The {@code limit} best suggestions for {@code word}, best first (see the class comment for the order). Every
     * term within the smallest distance that yields {@code limit} of them is ranked, so a frequent word is never
     * cut off by a rarer one that happened to be found first.
     */
    public List<Suggestion> suggest(String word, int limit) {
        Objects.requireNonNull(word, "word");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        if (limit == 0) {
            return List.of();
        }
        List<Candidate> found = new ArrayList<>();
        Iterator<Candidate> byDistance = Levenshtein.query(dictionary, word).maxDistance(maxDistance)
                .algorithm(algorithm).ignoreCase().stream().iterator();
        while (byDistance.hasNext()) {
            Candidate next = byDistance.next();
            if (found.size() >= limit && next.distance() > found.getLast().distance()) {
                break;
            }
            found.add(next);
        }
        int[] characters = word.codePoints().toArray();
        List<Ranked> ranked = new ArrayList<>(found.size());
        for (Candidate candidate : found) {
            ranked.add(new Ranked(candidate, weights.applyAsDouble(candidate.term()),
                    KeyProximity.score(characters, candidate.term().codePoints().toArray())));
        }
        // A stable sort: equal candidates keep the search's code point order.
        ranked.sort(Comparator.comparingInt((Ranked r) -> r.candidate.distance())
                .thenComparing(Comparator.comparingDouble((Ranked r) -> r.weight).reversed())
                .thenComparingDouble(r -> r.proximity));
        List<Suggestion> suggestions = new ArrayList<>(Math.min(limit, ranked.size()));
        for (Ranked r : ranked.subList(0, Math.min(limit, ranked.size()))) {
            suggestions.add(new Suggestion(r.candidate.term(), r.candidate.distance(), r.weight));
        }
        return suggestions;
    }

    private record Ranked(Candidate candidate, double weight, double proximity) {}
}
