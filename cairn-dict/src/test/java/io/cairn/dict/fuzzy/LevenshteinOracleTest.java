package io.cairn.dict.fuzzy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.dict.Alphabet;
import io.cairn.dict.Dawg;
import io.cairn.dict.Dictionary;
import io.cairn.dict.DoubleArrayTrie;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The transducer against brute force: for every algorithm and distances 0..3, the result list (terms, distances and
 * order) must equal what a dynamic-programming distance computed against every term gives. Seeds are printed; rerun
 * one with {@code -Dcairn.fuzzy.seed=N}. The soak profile runs {@code -Dcairn.soak.fuzzyQueries} typo queries (default
 * 600) where the default suite runs 20.
 */
class LevenshteinOracleTest {

    static final int MAX_TESTED_DISTANCE = 3;
    /** Characters typos are made of: ASCII, Latin-1, a BMP CJK character and one outside the BMP. */
    static final int[] TYPO_CHARACTERS = "abcdefghijklmnopqrstuvwxyz'éüñ中😀".codePoints().toArray();

    static final Comparator<Candidate> RESULT_ORDER = Comparator.comparingInt(Candidate::distance)
            .thenComparing((a, b) -> Arrays.compare(a.term().codePoints().toArray(), b.term().codePoints().toArray()));

    private static List<String> words;
    private static int[][] wordCharacters;
    private static TreeTrie wordsByCodePoint;
    private static TreeTrie wordsByByte;
    /** The production dictionaries, checked against the same oracle. */
    private static List<Dictionary> productionDictionaries;

    @BeforeAll
    static void loadWords() {
        words = WordList.words();
        wordCharacters = words.stream().map(w -> w.codePoints().toArray()).toArray(int[][]::new);
        wordsByCodePoint = TreeTrie.of(Alphabet.CODE_POINTS, words);
        wordsByByte = TreeTrie.of(Alphabet.UTF8_BYTES, words);
        productionDictionaries = List.of(DoubleArrayTrie.of(words, Alphabet.UTF8_BYTES),
                Dawg.of(words, Alphabet.CODE_POINTS));
    }

    static long seed(long fallback) {
        long seed = Long.getLong("cairn.fuzzy.seed", fallback);
        System.out.println("seed " + seed + " (rerun with -Dcairn.fuzzy.seed=" + seed + ")");
        return seed;
    }

    @ParameterizedTest(name = "letters {0}, {1}")
    @CsvSource({"abc, CODE_POINTS", "abc, UTF8_BYTES", "aé😀, CODE_POINTS", "aé😀, UTF8_BYTES"})
    void everyShortStringMatchesBruteForceInBothModes(String letters, Alphabet alphabet) {
        checkEveryShortString(allStrings(letters.codePoints().toArray(), 5), alphabet,
                new EditDistances.Weights(SubstitutionSet.NONE, false), query -> query);
    }

    /**
     * Every string of {@code strings} as a query against all of them as a dictionary, for every algorithm and
     * distance, whole-term and prefix: the searches {@code configure} sets up against the program {@code weights}.
     */
    static void checkEveryShortString(List<int[]> strings, Alphabet alphabet, EditDistances.Weights weights,
            UnaryOperator<FuzzyQuery<Object>> configure) {
        List<String> terms = strings.stream().map(s -> new String(s, 0, s.length)).toList();
        TreeTrie dictionary = TreeTrie.of(alphabet, terms);
        for (Algorithm algorithm : Algorithm.values()) {
            for (int q = 0; q < strings.size(); q++) {
                int[] query = strings.get(q);
                int[] distances = new int[strings.size()];
                int[] prefixDistances = new int[strings.size()];
                for (int t = 0; t < strings.size(); t++) {
                    distances[t] = EditDistances.distance(query, strings.get(t), algorithm, weights,
                            MAX_TESTED_DISTANCE);
                    prefixDistances[t] = EditDistances.prefixDistance(query, strings.get(t), algorithm, weights,
                            MAX_TESTED_DISTANCE);
                }
                String text = terms.get(q);
                for (int n = 0; n <= MAX_TESTED_DISTANCE; n++) {
                    int distance = n;
                    FuzzyQuery<Object> search = Levenshtein.query((Dictionary) dictionary, text).maxDistance(n)
                            .algorithm(algorithm);
                    assertEquals(expected(terms, distances, n), configure.apply(search).list(),
                            () -> "query \"" + text + "\" " + algorithm + " d=" + distance);
                    assertEquals(expected(terms, prefixDistances, n), configure.apply(search).prefix().list(),
                            () -> "prefix query \"" + text + "\" " + algorithm + " d=" + distance);
                }
            }
        }
    }

    /** Every query runs every algorithm, distance and dictionary; more queries only add more typos of the same kinds. */
    @Test
    void typosOfRealWordsMatchBruteForceForEveryAlgorithmAndDistance() {
        checkTyposOfRealWords(20);
    }

    @Tag("soak")
    @Test
    void typosOfRealWordsMatchBruteForceForEveryAlgorithmAndDistanceSoak() {
        checkTyposOfRealWords(Integer.getInteger("cairn.soak.fuzzyQueries", 600));
    }

    private static void checkTyposOfRealWords(int queries) {
        long seed = seed(20261121L);
        Random random = new Random(seed);
        List<Dictionary> dictionaries = new ArrayList<>(productionDictionaries);
        dictionaries.add(wordsByCodePoint);
        for (int q = 0; q < queries; q++) {
            int[] query = randomQuery(random);
            String text = new String(query, 0, query.length);
            List<List<Candidate>> expected = bruteForce(query);
            for (Algorithm algorithm : Algorithm.values()) {
                List<Candidate> all = expected.get(algorithm.ordinal());
                for (int n = 0; n <= MAX_TESTED_DISTANCE; n++) {
                    int limit = n;
                    List<Candidate> within = all.stream().filter(c -> c.distance() <= limit).toList();
                    for (Dictionary dictionary : dictionaries) {
                        int index = q;
                        assertEquals(within, Levenshtein.search(dictionary, text, n, algorithm),
                                () -> "seed " + seed + ", query #" + index + " \"" + text + "\" " + algorithm
                                        + " d=" + limit + " on " + dictionary.getClass().getSimpleName() + " "
                                        + dictionary.alphabet());
                    }
                }
            }
        }
    }

    @Test
    void prefixModeMatchesMinimumOverPrefixes() {
        long seed = seed(77L);
        Random random = new Random(seed);
        for (int q = 0; q < 45; q++) {
            Algorithm algorithm = Algorithm.values()[q % 3];
            int[] word = wordCharacters[random.nextInt(wordCharacters.length)];
            int[] query = typo(Arrays.copyOf(word, Math.min(word.length, 3 + random.nextInt(4))), random,
                    random.nextInt(2));
            int n = Math.max(0, Math.min(MAX_TESTED_DISTANCE, query.length - 3 + random.nextInt(2)));
            List<Candidate> expected = new ArrayList<>();
            for (int t = 0; t < wordCharacters.length; t++) {
                int d = EditDistances.prefixDistance(query, wordCharacters[t], algorithm, n);
                if (d <= n) {
                    expected.add(new Candidate(words.get(t), d));
                }
            }
            expected.sort(RESULT_ORDER);
            String text = new String(query, 0, query.length);
            for (Dictionary dictionary : List.of(wordsByCodePoint, wordsByByte)) {
                int index = q;
                assertEquals(expected,
                        Levenshtein.query(dictionary, text).maxDistance(n).algorithm(algorithm).prefix().list(),
                        () -> "seed " + seed + ", query #" + index + " \"" + text + "\" " + algorithm + " d=" + n
                                + " on " + dictionary.alphabet());
            }
        }
    }

    @Test
    void limitReturnsTheBestOfTheSortedResults() {
        long seed = seed(99L);
        Random random = new Random(seed);
        for (int q = 0; q < 25; q++) {
            int[] query = randomQuery(random);
            String text = new String(query, 0, query.length);
            Algorithm algorithm = Algorithm.values()[q % 3];
            int n = 1 + random.nextInt(MAX_TESTED_DISTANCE);
            int k = random.nextInt(12);
            List<Candidate> all = bruteForce(query).get(algorithm.ordinal()).stream()
                    .filter(c -> c.distance() <= n).toList();
            List<Candidate> expected = all.subList(0, Math.min(k, all.size()));
            FuzzyQuery<?> fuzzy = Levenshtein.query(wordsByByte, text).maxDistance(n).algorithm(algorithm);
            int index = q;
            assertEquals(expected, fuzzy.limit(k).list(),
                    () -> "seed " + seed + ", query #" + index + " \"" + text + "\" " + algorithm + " d=" + n
                            + " limit " + k);
            assertEquals(all, Levenshtein.query(wordsByByte, text).maxDistance(n).algorithm(algorithm).stream()
                    .toList(), () -> "stream of seed " + seed + ", query #" + index);
        }
    }

    @Test
    void valueFilterMatchesTheFilteredOracle() {
        long seed = seed(5L);
        Random random = new Random(seed);
        // Values: the word's length; keep the words of even length.
        TreeTrie valued = new TreeTrie(Alphabet.UTF8_BYTES);
        for (int t = 0; t < words.size(); t++) {
            valued.put(words.get(t), wordCharacters[t].length);
        }
        for (int q = 0; q < 20; q++) {
            int[] query = randomQuery(random);
            String text = new String(query, 0, query.length);
            Algorithm algorithm = Algorithm.values()[q % 3];
            int n = 1 + random.nextInt(2);
            List<Candidate> expected = bruteForce(query).get(algorithm.ordinal()).stream()
                    .filter(c -> c.distance() <= n && c.term().codePointCount(0, c.term().length()) % 2 == 0)
                    .toList();
            int index = q;
            assertEquals(expected, Levenshtein.query(valued, text).maxDistance(n).algorithm(algorithm)
                    .filter(length -> length % 2 == 0).list(),
                    () -> "seed " + seed + ", query #" + index + " \"" + text + "\" " + algorithm + " d=" + n);
        }
    }

    /** The terms whose distance is at most {@code n}, in result order. */
    static List<Candidate> expected(List<String> terms, int[] distances, int n) {
        List<Candidate> expected = new ArrayList<>();
        for (int t = 0; t < terms.size(); t++) {
            if (distances[t] <= n) {
                expected.add(new Candidate(terms.get(t), distances[t]));
            }
        }
        expected.sort(RESULT_ORDER);
        return expected;
    }

    /** For each algorithm, every word within {@link #MAX_TESTED_DISTANCE} of the query, in result order. */
    private static List<List<Candidate>> bruteForce(int[] query) {
        List<List<Candidate>> results = new ArrayList<>();
        for (Algorithm algorithm : Algorithm.values()) {
            List<Candidate> found = new ArrayList<>();
            for (int t = 0; t < wordCharacters.length; t++) {
                // Every edit changes the length by at most one, so longer differences cannot be within reach.
                if (Math.abs(wordCharacters[t].length - query.length) <= MAX_TESTED_DISTANCE) {
                    int d = EditDistances.distance(query, wordCharacters[t], algorithm, MAX_TESTED_DISTANCE);
                    if (d <= MAX_TESTED_DISTANCE) {
                        found.add(new Candidate(words.get(t), d));
                    }
                }
            }
            found.sort(RESULT_ORDER);
            results.add(found);
        }
        return results;
    }

    /** A typo of a real word (one to three random edits), or one time in five a random string. */
    static int[] randomQuery(Random random) {
        return randomQuery(random, wordCharacters);
    }

    /** A typo of one of {@code words}, or one time in five a random string. */
    static int[] randomQuery(Random random, int[][] words) {
        if (random.nextInt(5) == 0) {
            int[] chars = new int[1 + random.nextInt(9)];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = TYPO_CHARACTERS[random.nextInt(TYPO_CHARACTERS.length)];
            }
            return chars;
        }
        return typo(words[random.nextInt(words.length)], random, 1 + random.nextInt(3));
    }

    /** Applies {@code edits} random insertions, deletions, substitutions, transpositions, merges or splits. */
    static int[] typo(int[] word, Random random, int edits) {
        List<Integer> chars = new ArrayList<>();
        for (int c : word) {
            chars.add(c);
        }
        for (int e = 0; e < edits; e++) {
            int size = chars.size();
            int at = size == 0 ? 0 : random.nextInt(size);
            int other = TYPO_CHARACTERS[random.nextInt(TYPO_CHARACTERS.length)];
            switch (random.nextInt(6)) {
                case 0 -> chars.add(random.nextInt(size + 1), other);
                case 1 -> {
                    if (size > 0) {
                        chars.remove(at);
                    }
                }
                case 2 -> {
                    if (size > 0) {
                        chars.set(at, other);
                    }
                }
                case 3 -> {
                    if (at + 1 < size) {
                        chars.set(at, chars.set(at + 1, chars.get(at)));
                    }
                }
                case 4 -> { // merge two characters into one
                    if (at + 1 < size) {
                        chars.remove(at + 1);
                        chars.set(at, other);
                    }
                }
                default -> { // split one character into two
                    if (size > 0) {
                        chars.set(at, other);
                        chars.add(at, TYPO_CHARACTERS[random.nextInt(TYPO_CHARACTERS.length)]);
                    }
                }
            }
        }
        return chars.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Every string of length 0..maxLength over {@code letters}. */
    static List<int[]> allStrings(int[] letters, int maxLength) {
        List<int[]> all = new ArrayList<>();
        all.add(new int[0]);
        int from = 0;
        for (int length = 1; length <= maxLength; length++) {
            int to = all.size();
            for (int i = from; i < to; i++) {
                for (int letter : letters) {
                    int[] longer = Arrays.copyOf(all.get(i), length);
                    longer[length - 1] = letter;
                    all.add(longer);
                }
            }
            from = to;
        }
        return all;
    }
}
