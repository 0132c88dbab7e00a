package io.cairn.dict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link Dictionary#terms()}, prefix iteration, entries and excluded subtrees, against sorted-list oracles. */
class TermWalkTest {

    /** Every backend over {@code terms}. */
    private static List<Dictionary> backends(List<String> terms, Alphabet alphabet) {
        Dawg<Object> inserted = Dawg.create(alphabet);
        inserted.addAll(terms);
        return List.of(DoubleArrayTrie.of(terms, alphabet), Dawg.of(terms, alphabet), inserted);
    }

    private static List<String> randomTerms(Random random, int n) {
        List<String> terms = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            terms.add(DoubleArrayTrieTest.randomTerm(random));
        }
        return terms;
    }

    @ParameterizedTest
    @EnumSource(Alphabet.class)
    void termsComeInUnitOrderAndPrefixesSelectTheirSubtrees(Alphabet alphabet) {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        List<String> terms = randomTerms(random, 300);
        terms.add("");
        for (Dictionary dictionary : backends(terms, alphabet)) {
            String context = "seed " + seed + " " + dictionary.getClass().getSimpleName();
            assertEquals(UnitOrder.sorted(terms, t -> true), dictionary.terms().toList(), context);
            for (String prefix : List.of("", "a", "ab", "é", "日", "😀", "abcabc", "zz")) {
                assertEquals(UnitOrder.sorted(terms, t -> UnitOrder.startsWith(t, prefix)),
                        dictionary.terms(prefix).toList(), context + " prefix " + prefix);
            }
        }
    }

    @Test
    void aPrefixNoTermCanStartWithGivesNoTerms() {
        DoubleArrayTrie<Object> utf8 = DoubleArrayTrie.of(List.of("😀a", "b"));
        assertEquals(List.of(), utf8.terms("\uD83D").toList(), "an unpaired surrogate has no UTF-8 form");
        assertEquals(List.of(), utf8.terms("c").toList());
        // As code points, a lone high surrogate is its own unit, not the start of "😀".
        DoubleArrayTrie<Object> codePoints = DoubleArrayTrie.of(List.of("😀a", "\uD83Dx"), Alphabet.CODE_POINTS);
        assertEquals(List.of("\uD83Dx"), codePoints.terms("\uD83D").toList());
        assertThrows(NullPointerException.class, () -> utf8.terms(null));
    }

    @Test
    void entriesCarryTheValueOfEachTermOrNull() {
        Dawg<Integer> dawg = Dawg.create();
        dawg.insertWithValue("b", 2);
        dawg.insertWithValue("a", 1);
        dawg.insert("ab");
        List<MappedDictionary.Entry<Integer>> entries = dawg.entries().toList();
        assertEquals(List.of(new MappedDictionary.Entry<>("a", 1), new MappedDictionary.Entry<>("ab", null),
                new MappedDictionary.Entry<>("b", 2)), entries);
        assertEquals(List.of(new MappedDictionary.Entry<>("b", 2)), dawg.entries("b").toList());
        Map<String, Integer> model = new HashMap<>();
        List<Map.Entry<String, Integer>> pairs = new ArrayList<>();
        for (String word : SystemWords.all().subList(0, 5_000)) {
            model.put(word, word.length());
            pairs.add(Map.entry(word, word.length()));
        }
        DoubleArrayTrie<Integer> trie = DoubleArrayTrie.ofEntries(pairs, Alphabet.UTF8_BYTES);
        trie.entries().forEach(entry -> assertEquals(model.get(entry.term()), entry.value(), entry.term()));
        assertEquals(model.size(), trie.entries().count());
    }

    @Test
    void termsAreLazy() {
        Dictionary infinite = new InfiniteDictionary(Alphabet.UTF8_BYTES);
        assertEquals(List.of("", "a", "aa", "aaa"), infinite.terms().limit(4).toList());
        assertEquals(List.of("aa", "aaa"), infinite.terms("aa").limit(2).toList());
    }

    @Test
    void excludedSubtreesAreSkipped() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        List<String> terms = randomTerms(random, 400);
        for (Dictionary dictionary : backends(terms, Alphabet.UTF8_BYTES)) {
            for (List<String> excluded : List.of(List.of("a"), List.of("ab", "é", "日😀"), List.of("b", "ba", "c"),
                    List.<String>of())) {
                for (String prefix : List.of("", "a", "b")) {
                    List<String> expected = UnitOrder.sorted(terms, t -> UnitOrder.startsWith(t, prefix)
                            && excluded.stream().noneMatch(x -> UnitOrder.startsWith(t, x)));
                    assertEquals(expected, Dictionaries.terms(dictionary, prefix, excluded).toList(),
                            "seed " + seed + " prefix " + prefix + " excluding " + excluded);
                }
            }
            assertEquals(List.of(), Dictionaries.terms(dictionary, "", Set.of("")).toList());
            assertEquals(List.of(), Dictionaries.terms(dictionary, "ab", Set.of("a")).toList());
        }
        // Skipped, not filtered: an excluded infinite subtree does not stop the walk.
        Dictionary infinite = new InfiniteDictionary(Alphabet.UTF8_BYTES);
        assertEquals(List.of(""), Dictionaries.terms(infinite, "", Set.of("a")).toList());
    }

    @Test
    void veryLongTermsDoNotOverflowTheStack() {
        String longTerm = "x".repeat(200_000);
        Dawg<Object> dawg = Dawg.of(List.of(longTerm, "a"), Alphabet.CODE_POINTS);
        assertEquals(List.of("a", longTerm), dawg.terms().toList());
        assertEquals(200_000, dawg.terms("xxx").findFirst().orElseThrow().length());
    }
}
