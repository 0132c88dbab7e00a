package io.cairn.dict.fuzzy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.dict.Alphabet;
import io.cairn.dict.Occurrence;
import io.cairn.dict.Scdawg;
import io.cairn.dict.SubstringIndex;
import io.cairn.dict.SubstringOracle;
import io.cairn.dict.SuffixAutomaton;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Fuzzy substring search against a dynamic-programming distance over every substring of the texts. */
class FuzzySubstringsTest {

    /** Every index kind over {@code texts}. */
    static List<SubstringIndex> indexes(List<String> texts, Alphabet alphabet) {
        return List.of(SuffixAutomaton.of(texts, alphabet), Scdawg.of(texts, alphabet));
    }

    @ParameterizedTest
    @EnumSource(Alphabet.class)
    void everySubstringWithinTheDistanceIsFoundWithItsOccurrences(Alphabet alphabet) {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < 60; round++) {
            String letters = round % 2 == 0 ? "abc" : "aé😀b";
            List<String> texts = new ArrayList<>();
            for (int i = 1 + random.nextInt(3); i > 0; i--) {
                texts.add(SubstringOracle.randomText(random, letters, 14));
            }
            String query = SubstringOracle.randomText(random, letters, 5);
            int distance = random.nextInt(3);
            Algorithm algorithm = Algorithm.values()[random.nextInt(Algorithm.values().length)];
            SubstringOracle oracle = new SubstringOracle(texts, alphabet);
            List<SubstringMatch> expected = new ArrayList<>();
            int[] q = query.codePoints().toArray();
            for (String substring : oracle.substrings()) {
                int d = EditDistances.distance(q, substring.codePoints().toArray(), algorithm);
                if (!substring.isEmpty() && d <= distance) {
                    expected.add(new SubstringMatch(substring, d, oracle.occurrences(substring)));
                }
            }
            expected.sort(Comparator.comparingInt(SubstringMatch::distance)); // stable: unit order within
            for (SubstringIndex index : indexes(texts, alphabet)) {
                String context = "seed " + seed + " round " + round + " " + index.getClass().getSimpleName()
                        + " texts " + texts + " query " + query + " d " + distance + " " + algorithm;
                assertEquals(expected, FuzzySubstrings.search(index, query, distance, algorithm), context);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Alphabet.class)
    void aMisspeltWordIsFoundInsideALongerText(Alphabet alphabet) {
        String text = "the quick brown fox jumps over the lazy dog; the dog sleeps";
        for (SubstringIndex index : indexes(List.of(text), alphabet)) {
            List<SubstringMatch> matches = FuzzySubstrings.search(index, "dgo", 1, Algorithm.TRANSPOSITION);
            assertTrue(matches.stream().anyMatch(m -> m.substring().equals("dog") && m.distance() == 1
                    && m.occurrences().equals(List.of(new Occurrence(0, 40), new Occurrence(0, 49)))), "" + matches);
            assertThrows(IllegalArgumentException.class, () -> FuzzySubstrings.search(index, "x", -1,
                    Algorithm.STANDARD));
        }
    }
}
