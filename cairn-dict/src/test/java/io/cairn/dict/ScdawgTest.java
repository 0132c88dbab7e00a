package io.cairn.dict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The symmetric compact DAWG against brute-force substring search, in both directions. */
class ScdawgTest {

    private static List<String> randomTexts(Random random, String letters, int maxLength) {
        List<String> texts = new ArrayList<>();
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
            texts.add(SubstringOracle.randomText(random, letters, maxLength));
        }
        return texts;
    }

    @ParameterizedTest
    @EnumSource(Alphabet.class)
    void randomTextsAgreeWithBruteForceWithFewerNodesThanTheSuffixAutomaton(Alphabet alphabet) {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < 150; round++) {
            String letters = round % 3 == 0 ? "ab" : round % 3 == 1 ? "abc" : "aé😀";
            List<String> texts = randomTexts(random, letters, 12);
            Scdawg index = Scdawg.of(texts, alphabet);
            String context = "seed " + seed + " round " + round + " texts " + texts;
            SuffixAutomatonTest.assertAgreesWithOracle(index, texts, alphabet, random, context);
            assertTrue(index.nodeCount() <= SuffixAutomaton.of(texts, alphabet).stateCount(), context);
        }
    }

    @ParameterizedTest
    @EnumSource(Alphabet.class)
    void matchesGrowLeftAndRightAsTheSubstringsTheySpell(Alphabet alphabet) {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < 100; round++) {
            List<String> texts = randomTexts(random, round % 2 == 0 ? "ab" : "abé😀", 16);
            Scdawg index = Scdawg.of(texts, alphabet);
            SubstringOracle oracle = new SubstringOracle(texts, alphabet);
            for (int walk = 0; walk < 10; walk++) {
                Scdawg.Match match = index.find("");
                String spelled = "";
                for (int step = 0; step < 12 && match != null; step++) {
                    String unit = SubstringOracle.randomText(random, "abé😀", 1);
                    if (unit.isEmpty()) {
                        continue;
                    }
                    boolean toTheLeft = random.nextBoolean();
                    String grown = toTheLeft ? unit + spelled : spelled + unit;
                    Scdawg.Match next = toTheLeft ? match.extendLeft(unit) : match.extendRight(unit);
                    List<Occurrence> expected = oracle.occurrences(grown);
                    String context = "seed " + seed + " texts " + texts + " " + spelled + " -> " + grown;
                    if (expected.isEmpty()) {
                        assertNull(next, context);
                        continue;
                    }
                    assertNotNull(next, context);
                    assertEquals(grown, next.substring(), context);
                    assertEquals(expected, next.locations(), context);
                    assertEquals(expected.size(), next.frequency(), context);
                    match = next;
                    spelled = grown;
                }
            }
        }
    }

    @Test
    void theClassExample() {
        Scdawg index = Scdawg.of(List.of("abracadabra"));
        Scdawg.Match bra = index.find("bra");
        assertEquals(2, bra.frequency());
        Scdawg.Match abra = bra.extendLeft("a");
        assertEquals(2, abra.frequency());
        assertEquals(List.of(new Occurrence(0, 0), new Occurrence(0, 7)), abra.locations());
        assertEquals("abra", abra.substring());
        assertEquals(4, abra.length());
        assertNull(abra.extendRight("x"));
        assertEquals("abrac", abra.extendRight("c").substring());
        assertNull(index.find("cc"));
        assertEquals(0, index.frequency("cc"));
    }

    @Test
    void aLongTextNeedsFewerNodesThanSuffixAutomatonStates() {
        StringBuilder text = new StringBuilder();
        for (String word : SystemWords.all().subList(0, 10_000)) {
            text.append(word).append(' ');
        }
        List<String> texts = List.of(text.toString());
        SuffixAutomaton automaton = SuffixAutomaton.of(texts);
        Scdawg index = Scdawg.of(texts);
        assertTrue(index.nodeCount() < automaton.stateCount() * 0.9,
                index.nodeCount() + " nodes, " + automaton.stateCount() + " states");
        Random random = new Random(3);
        String whole = texts.get(0);
        for (int i = 0; i < 200; i++) {
            int start = random.nextInt(whole.length() - 8);
            String probe = whole.substring(start, start + 1 + random.nextInt(7));
            assertEquals(automaton.occurrences(probe), index.occurrences(probe), probe);
        }
    }

    @Test
    void emptyTextsAndBadArguments() {
        Scdawg none = Scdawg.of(List.of());
        assertNull(none.find(""));
        assertFalse(none.contains(""));
        assertEquals(0, none.size());
        Scdawg empty = Scdawg.of(List.of("", "a"));
        assertEquals(List.of(new Occurrence(0, 0), new Occurrence(1, 0), new Occurrence(1, 1)),
                empty.occurrences(""));
        assertEquals(3, empty.frequency(""));
        assertThrows(NullPointerException.class, () -> empty.find(null));
        assertThrows(NullPointerException.class, () -> empty.find("a").extendLeft(null));
        assertThrows(IllegalArgumentException.class, () -> Scdawg.of(List.of("\uD800"), Alphabet.UTF8_BYTES));
        Scdawg utf8 = Scdawg.of(List.of("é😀"), Alphabet.UTF8_BYTES);
        assertNull(utf8.find("\uD83D"));
        assertEquals(List.of("", "é", "é😀", "😀"), utf8.terms().toList());
    }
}
