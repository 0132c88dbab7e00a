package io.cairn.dict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The suffix automaton against brute-force substring search over its texts. */
class SuffixAutomatonTest {

    /** Checks every substring of the texts and some that are not against the oracle. */
    static void assertAgreesWithOracle(SubstringIndex index, List<String> texts, Alphabet alphabet, Random random,
            String context) {
        SubstringOracle oracle = new SubstringOracle(texts, alphabet);
        List<String> substrings = oracle.substrings();
        assertEquals(substrings, index.terms().toList(), context + " terms");
        assertEquals(substrings.size(), index.size(), context + " size");
        List<String> probes = new ArrayList<>(substrings);
        for (int i = 0; i < 30; i++) {
            probes.add(SubstringOracle.randomText(random, "abcé😀", 6));
        }
        for (String probe : probes) {
            List<Occurrence> expected = oracle.occurrences(probe);
            boolean any = texts.stream().anyMatch(t -> t != null);
            boolean present = probe.isEmpty() ? any : !expected.isEmpty();
            assertEquals(present, index.contains(probe), context + " contains " + probe);
            assertEquals(expected, index.occurrences(probe), context + " occurrences " + probe);
            assertEquals(expected.size(), index.frequency(probe), context + " frequency " + probe);
        }
    }

    private static int units(List<String> texts, Alphabet alphabet) {
        return texts.stream().mapToInt(t -> alphabet == Alphabet.CODE_POINTS ? t.codePointCount(0, t.length())
                : t.getBytes(StandardCharsets.UTF_8).length).sum();
    }

    @ParameterizedTest
    @EnumSource(Alphabet.class)
    void randomTextsAgreeWithBruteForce(Alphabet alphabet) {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < 160; round++) {
            // Small alphabets make every split happen; twelve letters and longer texts make states with more than
            // SuffixStates.WIDE edges, whose transitions also live in a hash table.
            String letters = switch (round % 4) {
                case 0 -> "ab";
                case 1 -> "abc";
                case 2 -> "aé😀";
                default -> "abcdefghijkl";
            };
            List<String> texts = new ArrayList<>();
            for (int i = 1 + random.nextInt(4); i > 0; i--) {
                texts.add(SubstringOracle.randomText(random, letters, round % 4 == 3 ? 40 : 12));
            }
            SuffixAutomaton automaton = SuffixAutomaton.of(texts, alphabet);
            String context = "seed " + seed + " round " + round + " texts " + texts;
            assertAgreesWithOracle(automaton, texts, alphabet, random, context);
            int n = units(texts, alphabet);
            assertTrue(n < 2 || automaton.stateCount() <= 2 * n - 1,
                    context + ": " + automaton.stateCount() + " states for " + n + " units");
        }
    }

    @Test
    void textsAddedOneByOneAndRemovedKeepTheirIds() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        SuffixAutomaton automaton = SuffixAutomaton.create();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String text = SubstringOracle.randomText(random, "abcé", 10);
            assertEquals(i, automaton.add(text));
            texts.add(text);
            assertAgreesWithOracle(automaton, texts, Alphabet.CODE_POINTS, random, "seed " + seed + " add " + i);
        }
        for (int id : List.of(3, 0, 11, 3)) {
            assertEquals(texts.get(id) != null, automaton.remove(id));
            texts.set(id, null);
            assertNull(automaton.text(id));
            assertAgreesWithOracle(automaton, texts, Alphabet.CODE_POINTS, random, "seed " + seed + " remove " + id);
        }
        assertEquals(12, automaton.textCount());
        assertEquals(texts.get(5), automaton.text(5));
        assertThrows(IllegalArgumentException.class, () -> automaton.remove(12));
        assertThrows(IllegalArgumentException.class, () -> automaton.text(-1));
    }

    @Test
    void anEmptyAutomatonHoldsNothingNotEvenTheEmptySubstring() {
        SuffixAutomaton empty = SuffixAutomaton.create();
        assertFalse(empty.contains(""));
        assertEquals(0, empty.size());
        assertEquals(List.of(), empty.terms().toList());
        assertEquals(List.of(), empty.occurrences("a"));
        SuffixAutomaton emptyText = SuffixAutomaton.of(List.of(""));
        assertTrue(emptyText.contains(""));
        assertEquals(List.of(new Occurrence(0, 0)), emptyText.occurrences(""));
        assertEquals(1, emptyText.frequency(""));
        assertEquals(List.of(""), emptyText.terms().toList());
    }

    @Test
    void overUtf8BytesNoTermStartsOrEndsInsideACharacter() {
        SuffixAutomaton automaton = SuffixAutomaton.of(List.of("é😀é"), Alphabet.UTF8_BYTES);
        assertEquals(List.of("", "é", "é😀", "é😀é", "😀", "😀é"), automaton.terms().toList());
        assertEquals(List.of(new Occurrence(0, 0), new Occurrence(0, 6)), automaton.occurrences("é"));
        assertEquals(List.of(new Occurrence(0, 2)), automaton.occurrences("😀"));
        assertFalse(automaton.contains("\uD83D"), "an unpaired surrogate is in no text");
        assertEquals(0, automaton.frequency("\uD83D"));
        Node root = automaton.root();
        assertNull(root.transition(0xA9), "a continuation byte does not start a term");
        assertTrue(root.transition(0xC3).transition(0xA9).isFinal());
        assertFalse(root.transition(0xC3).isFinal(), "half a character is not a term");
    }

    @Test
    void aLongTextAgreesWithIndexOfScanning() {
        StringBuilder text = new StringBuilder();
        for (String word : SystemWords.all().subList(0, 30_000)) {
            text.append(word).append(' ');
        }
        String whole = text.toString();
        SuffixAutomaton automaton = SuffixAutomaton.of(List.of(whole, "another text with the word zebra"));
        assertTrue(automaton.stateCount() <= 2 * whole.length());
        Random random = new Random(1);
        for (int i = 0; i < 200; i++) {
            int start = random.nextInt(whole.length() - 8);
            String probe = whole.substring(start, start + 1 + random.nextInt(7));
            List<Occurrence> expected = new ArrayList<>();
            for (int at = whole.indexOf(probe); at >= 0; at = whole.indexOf(probe, at + 1)) {
                expected.add(new Occurrence(0, at));
            }
            String other = "another text with the word zebra";
            for (int at = other.indexOf(probe); at >= 0; at = other.indexOf(probe, at + 1)) {
                expected.add(new Occurrence(1, at));
            }
            assertEquals(expected, automaton.occurrences(probe), probe);
            assertEquals(expected.size(), automaton.frequency(probe), probe);
        }
        assertFalse(automaton.contains("qqqq"));
        // Billions of distinct substrings, yet the first terms come at once: the walk is lazy.
        assertEquals(Set.of(5), Set.copyOf(automaton.terms("zebra").limit(1).map(String::length).toList()));
        assertTrue(automaton.size() > 1_000_000_000L, "size " + automaton.size());
    }

    @Test
    void nullAndBadTextsAreRejected() {
        SuffixAutomaton automaton = SuffixAutomaton.create(Alphabet.UTF8_BYTES);
        assertThrows(NullPointerException.class, () -> automaton.add(null));
        assertThrows(IllegalArgumentException.class, () -> automaton.add("\uD800 unpaired"));
        assertEquals(0, automaton.textCount(), "a refused text takes no id");
        assertThrows(NullPointerException.class, () -> automaton.contains(null));
        assertThrows(NullPointerException.class, () -> SuffixAutomaton.of(null));
    }
}
