package io.cairn.dict;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DoubleArrayTrieTest {

    @Test
    void everySystemWordIsFoundAndProperPrefixesAndNonTermsAreRejected() {
        List<String> words = SystemWords.all();
        DoubleArrayTrie<Object> trie = DoubleArrayTrie.of(words);
        Set<String> set = new HashSet<>(words);
        assertEquals(set.size(), trie.size());
        for (String word : words) {
            assertTrue(trie.contains(word), word);
            for (int end = 0; end < word.length(); end++) {
                String prefix = word.substring(0, end);
                assertEquals(set.contains(prefix), trie.contains(prefix), prefix);
            }
            assertEquals(set.contains(word + "q"), trie.contains(word + "q"));
        }
        assertFalse(trie.contains("zzzzzz"));
        assertFalse(trie.contains("\uD800"));
    }

    @Test
    void valuesAreCorrectAndTheLastValueOfARepeatedTermWins() {
        List<Map.Entry<String, Integer>> entries = new ArrayList<>();
        List<String> words = SystemWords.all().subList(0, 20_000);
        for (int i = 0; i < words.size(); i++) {
            entries.add(Map.entry(words.get(i), i));
        }
        entries.add(Map.entry(words.get(7), -7));
        DoubleArrayTrie<Integer> trie = DoubleArrayTrie.ofEntries(entries, Alphabet.UTF8_BYTES);
        for (int i = 0; i < words.size(); i++) {
            if (i != 7 && !words.get(i).equals(words.get(7))) {
                assertEquals(words.lastIndexOf(words.get(i)), trie.getValue(words.get(i)), words.get(i));
            }
        }
        assertEquals(-7, trie.getValue(words.get(7)));
        assertNull(trie.getValue("definitely not a word"));
        assertTrue(trie.containsWithValue(words.get(7), v -> v < 0));
        assertFalse(trie.containsWithValue(words.get(8), v -> v < 0));
    }

    @Test
    void valueAtReadsTheValueOfAFinalNode() {
        DoubleArrayTrie<String> trie = DoubleArrayTrie.ofEntries(
                List.of(Map.entry("ab", "x"), Map.entry("abc", "y")), Alphabet.UTF8_BYTES);
        Node ab = trie.root().transition('a').transition('b');
        assertEquals("x", trie.valueAt(ab));
        assertEquals("y", trie.valueAt(ab.transition('c')));
        assertNull(trie.valueAt(trie.root().transition('a')));
        DoubleArrayTrie<String> other = DoubleArrayTrie.ofEntries(List.of(Map.entry("ab", "x")), Alphabet.UTF8_BYTES);
        assertThrows(IllegalArgumentException.class, () -> other.valueAt(ab));
    }

    @Test
    void codePointTrieHoldsUnicodeTermsWithOneEdgePerCharacter() {
        List<String> terms = List.of("naïve", "café", "日本語", "日本", "𝄞music", "emoji😀", "a", "");
        DoubleArrayTrie<Object> trie = DoubleArrayTrie.of(terms, Alphabet.CODE_POINTS);
        assertEquals(Alphabet.CODE_POINTS, trie.alphabet());
        assertEquals(terms.size(), trie.size());
        for (String term : terms) {
            assertTrue(trie.contains(term), term);
        }
        assertTrue(trie.root().isFinal());
        assertFalse(trie.contains("日"));
        assertFalse(trie.contains("cafe"));
        Node ni = trie.root().transition("日".codePointAt(0));
        assertNotNull(ni);
        assertNotNull(ni.transition("本".codePointAt(0)));
        assertNotNull(trie.root().transition("𝄞".codePointAt(0)));
        assertEquals(new TreeSet<>(terms), termsOf(trie));
    }

    @Test
    void utf8TrieHoldsUnicodeTermsAsBytes() {
        List<String> terms = List.of("naïve", "café", "日本語", "𝄞music");
        DoubleArrayTrie<Object> trie = DoubleArrayTrie.of(terms);
        for (String term : terms) {
            assertTrue(trie.contains(term), term);
        }
        assertNotNull(trie.root().transition('c').transition('a').transition('f').transition(0xC3));
        assertEquals(new TreeSet<>(terms), termsOf(trie));
    }

    @Test
    void edgesAreAscendingAndEdgeCountAgreesWithForEachEdge() {
        assertTrue(assertEdgesAscending(DoubleArrayTrie.of(SystemWords.all().subList(0, 30_000))) > 30_000);
    }

    @Test
    void codePointTrieOfTheSystemWordsFindsEveryWord() {
        DoubleArrayTrie<Object> trie = DoubleArrayTrie.of(SystemWords.all(), Alphabet.CODE_POINTS);
        for (String word : SystemWords.all()) {
            assertTrue(trie.contains(word), word);
        }
        assertFalse(trie.contains("Zzzzzz"));
    }

    @Test
    void largeCodePointAlphabetsPlaceEveryState() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        TreeSet<String> terms = new TreeSet<>();
        for (int i = 0; i < 5_000; i++) {
            StringBuilder term = new StringBuilder();
            int length = 1 + random.nextInt(3);
            for (int j = 0; j < length; j++) {
                // Mostly ASCII, sometimes one of 20,000 CJK characters: nodes whose first code is large.
                term.appendCodePoint(random.nextInt(4) == 0 ? 0x4E00 + random.nextInt(20_000) : 'a' + random.nextInt(3));
            }
            terms.add(term.toString());
        }
        DoubleArrayTrie<Object> trie = DoubleArrayTrie.of(terms, Alphabet.CODE_POINTS);
        assertEquals(terms, termsOf(trie), "seed " + seed);
        for (String term : terms) {
            assertTrue(trie.contains(term), "seed " + seed + " term " + term);
        }
        assertEdgesAscending(trie);
    }

    @Test
    void emptyAndEmptyStringTriesWork() {
        DoubleArrayTrie<Object> empty = DoubleArrayTrie.of(List.of());
        assertTrue(empty.isEmpty());
        assertFalse(empty.contains(""));
        assertEquals(0, empty.root().edgeCount());
        DoubleArrayTrie<Object> onlyEmpty = DoubleArrayTrie.of(List.of("", ""));
        assertEquals(1, onlyEmpty.size());
        assertTrue(onlyEmpty.contains(""));
        assertFalse(onlyEmpty.contains("a"));
    }

    @Test
    void veryLongTermsDoNotOverflowTheStack() {
        String longTerm = "ab".repeat(100_000);
        DoubleArrayTrie<Object> trie = DoubleArrayTrie.of(List.of(longTerm, longTerm + "c", "a"));
        assertTrue(trie.contains(longTerm));
        assertFalse(trie.contains(longTerm.substring(1)));
        assertEquals(new TreeSet<>(List.of(longTerm, longTerm + "c", "a")), termsOf(trie));
    }

    /** Walks every node: labels ascending, edgeCount equal to the edges visited, transition agreeing; returns the node count. */
    static int assertEdgesAscending(Dictionary dictionary) {
        List<Node> pending = new ArrayList<>(List.of(dictionary.root()));
        int visited = 0;
        while (!pending.isEmpty()) {
            Node node = pending.removeLast();
            visited++;
            List<Integer> labels = new ArrayList<>();
            node.forEachEdge((label, target) -> {
                labels.add(label);
                assertEquals(target, node.transition(label));
                pending.add(target);
            });
            assertEquals(labels.size(), node.edgeCount());
            for (int i = 1; i < labels.size(); i++) {
                assertTrue(labels.get(i - 1) < labels.get(i), "ascending labels " + labels);
            }
        }
        return visited;
    }

    @Test
    void randomTermSetsMatchAModel() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < 200; round++) {
            Alphabet alphabet = random.nextBoolean() ? Alphabet.UTF8_BYTES : Alphabet.CODE_POINTS;
            TreeMap<String, Integer> model = new TreeMap<>();
            List<Map.Entry<String, Integer>> entries = new ArrayList<>();
            int n = random.nextInt(60);
            for (int i = 0; i < n; i++) {
                String term = randomTerm(random);
                entries.add(Map.entry(term, i));
                model.put(term, i);
            }
            DoubleArrayTrie<Integer> trie = DoubleArrayTrie.ofEntries(entries, alphabet);
            String context = "seed " + seed + " round " + round;
            assertEquals(model.size(), trie.size(), context);
            for (int probe = 0; probe < 100; probe++) {
                String term = randomTerm(random);
                assertEquals(model.get(term), trie.getValue(term), context + " term " + term);
            }
            for (Map.Entry<String, Integer> entry : model.entrySet()) {
                assertEquals(entry.getValue(), trie.getValue(entry.getKey()), context);
            }
        }
    }

    @Test
    void nullArgumentsAreRejectedByName() {
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> DoubleArrayTrie.ofEntries(List.of(new java.util.AbstractMap.SimpleEntry<>("a", null)),
                        Alphabet.UTF8_BYTES));
        assertTrue(e.getMessage().contains("value of term a"), e.getMessage());
        assertThrows(NullPointerException.class, () -> DoubleArrayTrie.of(null));
        assertThrows(NullPointerException.class, () -> DoubleArrayTrie.of(List.of("a")).contains(null));
    }

    @Test
    void anUnpairedSurrogateNeverMatchesTheQuestionMarkUtf8EncodersPutInItsPlace() {
        DoubleArrayTrie<Object> trie = DoubleArrayTrie.of(List.of("a?b", "?"));
        assertFalse(trie.contains("a\uD800b"));
        assertFalse(trie.contains("\uDC00"));
        assertTrue(trie.contains("a?b"));
        Dawg<Object> dawg = Dawg.of(List.of("a?b", "?"), Alphabet.UTF8_BYTES);
        assertFalse(dawg.contains("a\uD800b"));
        assertFalse(dawg.remove("\uDC00"));
        assertTrue(dawg.contains("?"));
    }

    @Test
    void unpairedSurrogateTermsAreRejectedForUtf8() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DoubleArrayTrie.of(List.of("ok", "bad\uD800")));
        assertTrue(e.getMessage().contains("surrogate"), e.getMessage());
    }

    static String randomTerm(Random random) {
        int length = random.nextInt(6);
        StringBuilder term = new StringBuilder();
        String letters = "abcé日😀";
        for (int i = 0; i < length; i++) {
            int index = random.nextInt(letters.codePointCount(0, letters.length()));
            term.appendCodePoint(letters.codePointAt(letters.offsetByCodePoints(0, index)));
        }
        return term.toString();
    }

    static TreeSet<String> termsOf(Dictionary dictionary) {
        TreeSet<String> terms = new TreeSet<>();
        dictionary.terms().forEach(terms::add);
        return terms;
    }
}
