package io.cairn.dict.fuzzy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.dict.Alphabet;
import io.cairn.dict.Dawg;
import io.cairn.dict.DoubleArrayTrie;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SuggesterTest {

    private static List<String> terms(List<Suggester.Suggestion> suggestions) {
        return suggestions.stream().map(Suggester.Suggestion::term).toList();
    }

    @Test
    void fewerEditsRankFirstWhateverTheWeight() {
        DoubleArrayTrie<Long> words = DoubleArrayTrie.ofEntries(List.of(Map.entry("receive", 1L),
                Map.entry("recipe", 1000L)), Alphabet.UTF8_BYTES);
        assertEquals(List.of(new Suggester.Suggestion("receive", 1, 1), new Suggester.Suggestion("recipe", 2, 1000)),
                Suggester.of(words, w -> w).suggest("recieve", 5), "a swap is one edit by default");
    }

    @Test
    void amongEquallyDistantTermsTheHeavierComesFirst() {
        DoubleArrayTrie<Long> words = DoubleArrayTrie.ofEntries(List.of(Map.entry("than", 50L), Map.entry("then", 90L),
                Map.entry("thin", 70L)), Alphabet.UTF8_BYTES);
        assertEquals(List.of("then", "thin", "than"), terms(Suggester.of(words, w -> w).suggest("thon", 5)));
    }

    @Test
    void equalWeightsGoToTheNearestKeysThenToCodePointOrder() {
        Dawg<Object> words = Dawg.of(List.of("bat", "cat", "hat", "rat", "vat"), Alphabet.CODE_POINTS);
        // r sits nearest f (above it), c and v equally near below (code point order), b and h further.
        List<String> ranked = terms(Suggester.of(words).suggest("fat", 5));
        assertEquals(List.of("rat", "cat", "vat", "bat", "hat"), ranked);
        assertEquals(List.of("the", "ten"), terms(Suggester.of(Dawg.of(List.of("ten", "the"), Alphabet.UTF8_BYTES))
                .suggest("teh", 5)), "a swap is likelier than hitting n for h");
    }

    @Test
    void casingIsIgnoredForMatchingAndKeptInSuggestions() {
        Dawg<Object> words = Dawg.of(List.of("Paris", "pairs", "the", "NASA", "iPhone"), Alphabet.UTF8_BYTES);
        Suggester speller = Suggester.of(words);
        assertEquals(new Suggester.Suggestion("Paris", 0, 0), speller.suggest("paris", 1).getFirst());
        assertEquals(List.of("NASA"), terms(speller.suggest("Nasa", 1)));
        assertTrue(speller.isCorrect("Paris"));
        assertTrue(speller.isCorrect("PARIS"));
        assertFalse(speller.isCorrect("paris"), "a proper noun needs its capital");
        assertTrue(speller.isCorrect("The"));
        assertTrue(speller.isCorrect("THE"));
        assertFalse(speller.isCorrect("tHe"));
        assertFalse(speller.isCorrect("Nasa"));
        assertFalse(speller.isCorrect("Iphone"), "a mixed-case term is not capitalised");
    }

    @Test
    void theLimitCutsAfterRankingEveryTermAtTheLastDistance() {
        // Four terms at distance 1; the heaviest comes last in code point order but must win the single place.
        DoubleArrayTrie<Long> words = DoubleArrayTrie.ofEntries(List.of(Map.entry("bad", 1L), Map.entry("bed", 1L),
                Map.entry("bid", 1L), Map.entry("bud", 9L), Map.entry("xbd", 9L)), Alphabet.UTF8_BYTES);
        assertEquals(List.of("bud"), terms(Suggester.of(words, w -> w).suggest("bd", 1)));
        assertEquals(List.of(), Suggester.of(words, w -> w).suggest("bd", 0));
        assertEquals(List.of(), Suggester.of(words, w -> w).withMaxDistance(0).suggest("bd", 3));
    }

    @Test
    void badArgumentsAreRefused() {
        Suggester speller = Suggester.of(Dawg.of(List.of("a"), Alphabet.UTF8_BYTES));
        assertThrows(IllegalArgumentException.class, () -> speller.suggest("a", -1));
        assertThrows(IllegalArgumentException.class, () -> speller.withMaxDistance(32));
        assertThrows(NullPointerException.class, () -> speller.withAlgorithm(null));
    }
}
