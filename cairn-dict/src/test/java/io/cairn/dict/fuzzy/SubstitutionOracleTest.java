package io.cairn.dict.fuzzy;

import static io.cairn.dict.fuzzy.LevenshteinOracleTest.RESULT_ORDER;
import static io.cairn.dict.fuzzy.LevenshteinOracleTest.allStrings;
import static io.cairn.dict.fuzzy.LevenshteinOracleTest.seed;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.cairn.dict.Alphabet;
import io.cairn.dict.Dawg;
import io.cairn.dict.Dictionary;
import io.cairn.dict.DoubleArrayTrie;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Substitution sets and case-insensitive search against the weighted dynamic program of {@link EditDistances}:
 * every short string over small alphabets as both dictionary and query, then seeded typos of real words with the
 * presets and random sets, for every algorithm, distances 0..3, whole-term and prefix mode. The soak profile runs
 * {@code -Dcairn.soak.fuzzyQueries} typo queries (default 600) where the default suite runs 12.
 */
class SubstitutionOracleTest {

    /** Free a↔b, m ↔ rn free, a ↔ nn at cost 1: one-for-one, and one-for-two at both costs. */
    private static final SubstitutionSet MIXED = SubstitutionSet.ofPairs("ab").with("m", "rn", 0).with("a", "nn", 1);

    private static List<String> words;
    private static int[][] wordCharacters;
    private static List<Dictionary> dictionaries;

    @BeforeAll
    static void loadWords() {
        words = WordList.words();
        wordCharacters = words.stream().map(w -> w.codePoints().toArray()).toArray(int[][]::new);
        dictionaries = List.of(DoubleArrayTrie.of(words, Alphabet.UTF8_BYTES), Dawg.of(words, Alphabet.CODE_POINTS),
                TreeTrie.of(Alphabet.UTF8_BYTES, words));
    }

    @ParameterizedTest(name = "letters {0}, {1}, ignore case {2}")
    @CsvSource({"abmrn, 4, false, CODE_POINTS", "abmrn, 3, false, UTF8_BYTES", "aAbMmrNé, 3, true, UTF8_BYTES",
            "aAbMmrNé, 3, false, CODE_POINTS"})
    void everyShortStringMatchesTheWeightedProgram(String letters, int length, boolean ignoreCase,
            Alphabet alphabet) {
        SubstitutionSet set = MIXED.with("é", "E", 0);
        LevenshteinOracleTest.checkEveryShortString(allStrings(letters.codePoints().toArray(), length), alphabet,
                new EditDistances.Weights(set, ignoreCase), query -> {
                    query.substitutions(set);
                    return ignoreCase ? query.ignoreCase() : query;
                });
    }

    /**
     * Twelve queries: two rounds of the six sets, so each set is searched with a typo of a real word (the first
     * round) and with a word reshaped through its own rules (the second).
     */
    @Test
    void typosOfRealWordsMatchTheWeightedProgramWithEveryPreset() {
        checkTyposOfRealWords(12);
    }

    @Tag("soak")
    @Test
    void typosOfRealWordsMatchTheWeightedProgramWithEveryPresetSoak() {
        checkTyposOfRealWords(Integer.getInteger("cairn.soak.fuzzyQueries", 600));
    }

    private static void checkTyposOfRealWords(int queries) {
        long seed = seed(1617L);
        Random random = new Random(seed);
        List<SubstitutionSet> sets = List.of(SubstitutionSet.PHONETIC, SubstitutionSet.KEYBOARD_QWERTY,
                SubstitutionSet.OCR, SubstitutionSet.LEET, randomSet(random), randomSet(random));
        for (int q = 0; q < queries; q++) {
            SubstitutionSet set = sets.get(q % sets.size());
            boolean ignoreCase = random.nextBoolean();
            boolean reshaped = q / sets.size() % 2 == 1;
            int[] query = reshaped ? shapeTypo(random, set) : LevenshteinOracleTest.randomQuery(random, wordCharacters);
            String text = new String(query, 0, query.length);
            for (Algorithm algorithm : Algorithm.values()) {
                int n = random.nextInt(4);
                List<Candidate> expected = new ArrayList<>();
                // A paid edit changes the length by at most one; a free one-for-two rule by one per query character.
                EditDistances.Weights weights = new EditDistances.Weights(set, ignoreCase);
                int reach = n + (set.rules().stream().anyMatch(r -> r.cost() == 0 && !r.isPair()) ? query.length : 0);
                for (int t = 0; t < wordCharacters.length; t++) {
                    if (Math.abs(wordCharacters[t].length - query.length) <= reach) {
                        int d = EditDistances.distance(query, wordCharacters[t], algorithm, weights, n);
                        if (d <= n) {
                            expected.add(new Candidate(words.get(t), d));
                        }
                    }
                }
                expected.sort(RESULT_ORDER);
                for (Dictionary dictionary : dictionaries) {
                    int index = q;
                    assertEquals(expected, query(dictionary, text, n, algorithm, set, ignoreCase).list(),
                            () -> "seed " + seed + ", query #" + index + " \"" + text + "\" " + algorithm + " d=" + n
                                    + " ignoreCase=" + ignoreCase + " " + set + " on "
                                    + dictionary.getClass().getSimpleName());
                    assertEquals(expected, query(dictionary, text, n, algorithm, set, ignoreCase).stream().toList(),
                            () -> "stream of seed " + seed + ", query #" + index);
                }
            }
        }
    }

    private static FuzzyQuery<?> query(Dictionary dictionary, String text, int n, Algorithm algorithm,
            SubstitutionSet set, boolean ignoreCase) {
        FuzzyQuery<Object> query = Levenshtein.query(dictionary, text).maxDistance(n).algorithm(algorithm)
                .substitutions(set);
        return ignoreCase ? query.ignoreCase() : query;
    }

    /** A word with some of its characters replaced through the set's rules (in either direction), upper-cased at random. */
    private static int[] shapeTypo(Random random, SubstitutionSet set) {
        String word = words.get(random.nextInt(words.size()));
        for (SubstitutionSet.Rule rule : set.rules()) {
            String single = new String(new int[] {rule.single()}, 0, 1);
            String other = new String(rule.other(), 0, rule.other().length);
            if (random.nextInt(3) == 0) {
                word = random.nextBoolean() ? word.replace(single, other) : word.replace(other, single);
            }
        }
        return (random.nextInt(4) == 0 ? word.toUpperCase() : word).codePoints().toArray();
    }

    /** A few random rules over letters: pairs, and one-for-two at cost 0 or 1. */
    private static SubstitutionSet randomSet(Random random) {
        SubstitutionSet set = SubstitutionSet.NONE;
        String letters = "abcdeilmnorstuéA";
        while (set.size() < 6) {
            String a = String.valueOf(letters.charAt(random.nextInt(letters.length())));
            String b = String.valueOf(letters.charAt(random.nextInt(letters.length())));
            if (random.nextBoolean()) {
                b += letters.charAt(random.nextInt(letters.length()));
            } else if (a.equals(b)) {
                continue;
            }
            set = set.with(a, b, b.length() == 2 ? random.nextInt(2) : 0);
        }
        return set;
    }
}
