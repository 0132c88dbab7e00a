package io.cairn.dict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.dict.fuzzy.Algorithm;
import io.cairn.dict.fuzzy.Levenshtein;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Lazy set algebra against {@code TreeSet} operations, across backends, nested, and under fuzzy search. */
class SetAlgebraTest {

    private record Case(String name, Dictionary result, Set<String> expected) {}

    /** Up to {@code n} terms of zero to five code points of {@code letters}. */
    private static Set<String> randomSet(Random random, int n, String letters) {
        int[] codePoints = letters.codePoints().toArray();
        Set<String> set = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            StringBuilder term = new StringBuilder();
            for (int k = random.nextInt(6); k > 0; k--) {
                term.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
            }
            set.add(term.toString());
        }
        return set;
    }

    private static Set<String> combined(Set<String> a, Set<String> b, BiConsumer<Set<String>, Set<String>> op) {
        Set<String> result = new TreeSet<>(a);
        op.accept(result, b);
        return result;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        return combined(a, b, Set::addAll);
    }

    private static Set<String> intersection(Set<String> a, Set<String> b) {
        return combined(a, b, Set::retainAll);
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        return combined(a, b, Set::removeAll);
    }

    private static Set<String> symmetricDifference(Set<String> a, Set<String> b) {
        return union(difference(a, b), difference(b, a));
    }

    /** A trie of {@code a} and a DAWG of {@code c} in {@code alphabet}, a DAWG of {@code b} in {@code other}. */
    private static List<Case> cases(Set<String> a, Set<String> b, Set<String> c, Alphabet alphabet, Alphabet other) {
        Dictionary da = DoubleArrayTrie.of(a, alphabet);
        Dawg<Object> db = Dawg.create(other);
        db.addAll(b);
        Dictionary dc = Dawg.of(c, alphabet);
        return List.of(
                new Case("union", Dictionaries.union(da, db), union(a, b)),
                new Case("intersection", Dictionaries.intersection(da, db), intersection(a, b)),
                new Case("difference", Dictionaries.difference(da, db), difference(a, b)),
                new Case("difference reversed", Dictionaries.difference(db, da), difference(b, a)),
                new Case("symmetric difference", Dictionaries.symmetricDifference(da, db), symmetricDifference(a, b)),
                new Case("nested", Dictionaries.union(Dictionaries.intersection(da, db),
                        Dictionaries.difference(dc, da)), union(intersection(a, b), difference(c, a))),
                new Case("with itself", Dictionaries.symmetricDifference(da, da), Set.of()));
    }

    /** Letters whose UTF-8 encodings share lead bytes (é è ï, 日 本, 😀 😁) test the UTF-8 view's partial states. */
    @ParameterizedTest
    @CsvSource({"UTF8_BYTES, UTF8_BYTES, abcé日😀", "CODE_POINTS, CODE_POINTS, abcé日😀",
            "UTF8_BYTES, CODE_POINTS, abcé日😀", "CODE_POINTS, UTF8_BYTES, abcé日😀",
            "UTF8_BYTES, CODE_POINTS, aéèï日本😀😁", "CODE_POINTS, UTF8_BYTES, aéèï日本😀😁"})
    void everyOperationHoldsWhatTreeSetOperationsHold(Alphabet alphabet, Alphabet other, String letters) {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < 20; round++) {
            Set<String> a = randomSet(random, random.nextInt(200), letters);
            Set<String> b = randomSet(random, random.nextInt(200), letters);
            Set<String> c = randomSet(random, random.nextInt(50), letters);
            Set<String> universe = union(union(a, b), union(c, randomSet(random, 50, letters)));
            for (Case test : cases(a, b, c, alphabet, other)) {
                String context = "seed " + seed + " round " + round + " " + test.name();
                assertEquals(UnitOrder.sorted(test.expected(), t -> true), test.result().terms().toList(), context);
                assertEquals(test.expected().size(), test.result().size(), context);
                for (String term : universe) {
                    assertEquals(test.expected().contains(term), test.result().contains(term), context + " " + term);
                }
                Node root = test.result().root();
                assertEquals(test.expected().contains(""), root.isFinal(), context);
                int[] edges = {0};
                root.forEachEdge((label, target) -> edges[0]++);
                assertEquals(edges[0], root.edgeCount(), context);
            }
        }
    }

    @Test
    void fuzzySearchOnACombinationEqualsFuzzySearchOnItsMaterialisedTerms() {
        List<String> words = SystemWords.all();
        Set<String> a = new TreeSet<>(words.subList(0, 60_000));
        Set<String> b = new TreeSet<>(words.subList(40_000, words.size()));
        DoubleArrayTrie<Object> da = DoubleArrayTrie.of(a);
        Dawg<Object> db = Dawg.of(b, Alphabet.UTF8_BYTES);
        List<Case> cases = List.of(
                new Case("union", Dictionaries.union(da, db), union(a, b)),
                new Case("intersection", Dictionaries.intersection(da, db), intersection(a, b)),
                new Case("difference", Dictionaries.difference(db, da), difference(b, a)),
                new Case("symmetric difference", Dictionaries.symmetricDifference(da, db), symmetricDifference(a, b)));
        for (Case test : cases) {
            DoubleArrayTrie<Object> materialised = DoubleArrayTrie.of(test.expected());
            for (String query : List.of("recieve", "seperate", "Zurich", "apple", "xylophone", "qu")) {
                assertEquals(Levenshtein.search(materialised, query, 2, Algorithm.TRANSPOSITION),
                        Levenshtein.search(test.result(), query, 2, Algorithm.TRANSPOSITION),
                        test.name() + " " + query);
            }
        }
    }

    private static DoubleArrayTrie<Integer> valued(Map<String, Integer> entries) {
        return DoubleArrayTrie.ofEntries(entries.entrySet(), Alphabet.UTF8_BYTES);
    }

    @Test
    void valuesFollowTheMergeRule() {
        DoubleArrayTrie<Integer> first = valued(Map.of("a", 1, "both", 10, "left", 3));
        Dawg<Integer> second = Dawg.create();
        second.insertWithValue("both", 20);
        second.insertWithValue("right", 4);
        second.insert("left");
        second.insert("plain");
        assertEquals(10, Dictionaries.union(first, second, Dictionaries.firstWins()).getValue("both"));
        assertEquals(20, Dictionaries.union(first, second, Dictionaries.lastWins()).getValue("both"));
        MappedDictionary<Integer> sum = Dictionaries.union(first, second, Integer::sum);
        assertEquals(30, sum.getValue("both"));
        assertEquals(3, sum.getValue("left"), "a value on one side is kept");
        assertEquals(4, sum.getValue("right"));
        assertNull(sum.getValue("plain"));
        assertTrue(sum.contains("plain"));
        assertNull(sum.getValue("absent"));
        assertEquals(List.of(new MappedDictionary.Entry<>("a", 1), new MappedDictionary.Entry<>("both", 30),
                new MappedDictionary.Entry<>("left", 3), new MappedDictionary.Entry<>("plain", null),
                new MappedDictionary.Entry<>("right", 4)), sum.entries().toList());
        Dictionary plainUnion = Dictionaries.union(first, second);
        assertEquals(10, assertInstanceOf(MappedDictionary.class, plainUnion).getValue("both"), "first wins");
        assertEquals(List.of(new MappedDictionary.Entry<>("both", 200), new MappedDictionary.Entry<>("left", 3)),
                Dictionaries.intersection(first, second, (x, y) -> x * y).entries().toList());
        MappedDictionary<?> difference = (MappedDictionary<?>) Dictionaries.difference(first, second);
        assertEquals(List.of(new MappedDictionary.Entry<>("a", 1)), difference.entries().toList());
        MappedDictionary<?> symmetric = (MappedDictionary<?>) Dictionaries.symmetricDifference(first, second);
        assertEquals(List.of("a", "plain", "right"), symmetric.terms().toList());
        assertEquals(4, symmetric.getValue("right"));
        BinaryOperator<Integer> nothing = (x, y) -> null;
        assertThrows(NullPointerException.class, () -> Dictionaries.union(first, second, nothing).getValue("both"));
    }

    @Test
    void valueDiffFindsTheTermsWhoseValuesChanged() {
        DoubleArrayTrie<Integer> before = valued(Map.of("cat", 10, "dog", 20, "fish", 30, "gone", 1));
        Dawg<Integer> after = Dawg.create();
        after.insertWithValue("cat", 10);
        after.insertWithValue("dog", 25);
        after.insertWithValue("fish", 35);
        after.insertWithValue("new", 5);
        MappedDictionary<ValueChange<Integer>> diff = Dictionaries.valueDiff(before, after);
        assertEquals(List.of("dog", "fish"), diff.terms().toList());
        assertEquals(new ValueChange<>(20, 25), diff.getValue("dog"));
        assertFalse(diff.contains("cat"));
        assertFalse(diff.contains("new"));
        assertNull(diff.getValue("cat"));
        assertEquals(2, diff.size());
        after.remove("dog");
        after.insert("dog");
        assertEquals(new ValueChange<>(20, null), diff.getValue("dog"), "losing a value is a change");
        assertEquals(diff.getValue("fish"), diff.valueAt(diff.root().transition('f').transition('i')
                .transition('s').transition('h')));
    }

    @Test
    void valueDiffComparesArrayValuesByContent() {
        Dawg<byte[]> before = Dawg.create();
        Dawg<byte[]> after = Dawg.create();
        for (String term : List.of("same", "changed", "longer")) {
            before.insertWithValue(term, new byte[] {1, 2});
        }
        after.insertWithValue("same", new byte[] {1, 2}); // equal bytes in another array
        after.insertWithValue("changed", new byte[] {1, 3});
        after.insertWithValue("longer", new byte[] {1, 2, 0});
        MappedDictionary<ValueChange<byte[]>> diff = Dictionaries.valueDiff(before, after);
        assertEquals(List.of("changed", "longer"), diff.terms().toList());
        assertFalse(diff.contains("same"));
        assertNull(diff.getValue("same"));
        assertEquals(2, diff.size());
    }

    @Test
    void combinationsAreLazy() {
        Dictionary infinite = new InfiniteDictionary(Alphabet.UTF8_BYTES);
        Dictionary few = DoubleArrayTrie.of(List.of("aa", "b"));
        assertEquals(List.of("", "a", "aa", "aaa"), Dictionaries.union(infinite, few).terms().limit(4).toList());
        assertEquals(List.of("aa"), Dictionaries.intersection(infinite, few).terms().toList());
        assertEquals(List.of("b"), Dictionaries.difference(few, infinite).terms().toList());
        assertTrue(Dictionaries.difference(infinite, few).contains("aaaaaaa"));
        assertFalse(Dictionaries.difference(infinite, few).contains("aa"));
    }

    @Test
    void dictionariesOfDifferentAlphabetsCombineOverUtf8Bytes() {
        // which words of a trie (UTF-8 bytes) occur in a text (a suffix automaton over code points)
        DoubleArrayTrie<Integer> words = DoubleArrayTrie.ofEntries(List.of(Map.entry("naïve", 1), Map.entry("é", 2),
                Map.entry("😀", 3), Map.entry("ve x", 4), Map.entry("zebra", 5)), Alphabet.UTF8_BYTES);
        SuffixAutomaton text = SuffixAutomaton.of(List.of("naïve x😀y"));
        Dictionary found = Dictionaries.intersection(words, text);
        assertEquals(Alphabet.UTF8_BYTES, found.alphabet());
        assertEquals(List.of("naïve", "ve x", "😀"), found.terms().toList());
        assertTrue(found.contains("😀"));
        assertFalse(found.contains("é"));
        assertEquals(3, ((MappedDictionary<?>) found).getValue("😀"), "the trie's values come through");
        assertEquals(List.of("zebra", "é"), Dictionaries.difference(words, text).terms().toList());
        assertEquals(List.of("naïve"), Levenshtein.query(found, "naive").maxDistance(1).list().stream()
                .map(c -> c.term()).toList(), "fuzzy search counts characters, not bytes");

        Dawg<String> codePoints = Dawg.create(Alphabet.CODE_POINTS);
        codePoints.insertWithValue("é", "E");
        codePoints.insertWithValue("\uD800x", "an unpaired surrogate: no UTF-8 spelling");
        MappedDictionary<Object> union = Dictionaries.union(words, codePoints, Dictionaries.lastWins());
        assertEquals(List.of("naïve", "ve x", "zebra", "é", "😀"), union.terms().toList());
        assertEquals("E", union.getValue("é"));
        assertFalse(union.contains("\uD800x"));
        assertEquals(List.of("é"), union.entries("é").map(MappedDictionary.Entry::term).toList());
        assertEquals("E", union.entries("é").findFirst().orElseThrow().value());
    }

    @Test
    void badArgumentsAreRejected() {
        Dictionary bytes = DoubleArrayTrie.of(List.of("a"));
        assertThrows(NullPointerException.class, () -> Dictionaries.intersection(bytes, null));
        assertThrows(NullPointerException.class, () -> Dictionaries.union(
                DoubleArrayTrie.<Integer>of(List.of()), DoubleArrayTrie.<Integer>of(List.of()), null));
        MappedDictionary<?> union = (MappedDictionary<?>) Dictionaries.union(bytes, bytes);
        assertThrows(IllegalArgumentException.class, () -> union.valueAt(bytes.root()));
        List<String> none = new ArrayList<>();
        assertThrows(NullPointerException.class, () -> Dictionaries.terms(bytes, null, none));
    }
}
