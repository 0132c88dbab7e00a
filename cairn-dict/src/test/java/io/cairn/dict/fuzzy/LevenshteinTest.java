package io.cairn.dict.fuzzy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.dict.Alphabet;
import io.cairn.dict.Dictionary;
import io.cairn.dict.DoubleArrayTrie;
import io.cairn.dict.Node;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LevenshteinTest {

    private static final List<String> WORDS = List.of("receive", "recipe", "relieve", "modern", "modem", "mode",
            "separate", "desperate", "cat", "cats", "catalog", "dog");

    @Test
    void transpositionCountsAnAdjacentSwapAsOneEdit() {
        TreeTrie words = TreeTrie.of(Alphabet.CODE_POINTS, WORDS);
        assertEquals(List.of(new Candidate("receive", 1), new Candidate("relieve", 1)),
                Levenshtein.search(words, "recieve", 1, Algorithm.TRANSPOSITION));
        assertEquals(List.of(new Candidate("relieve", 1)), Levenshtein.search(words, "recieve", 1, Algorithm.STANDARD));
    }

    @Test
    void mergeAndSplitCountsTwoCharactersForOneAsOneEdit() {
        TreeTrie words = TreeTrie.of(Alphabet.CODE_POINTS, WORDS);
        // "rn" merged into "m", and "m" split into "rn".
        assertEquals(List.of(new Candidate("modern", 1), new Candidate("modem", 2)),
                Levenshtein.search(words, "rnodern", 2, Algorithm.MERGE_AND_SPLIT));
        assertEquals(List.of(new Candidate("modem", 1), new Candidate("mode", 2), new Candidate("modern", 2)),
                Levenshtein.search(words, "rnodem", 2, Algorithm.MERGE_AND_SPLIT));
        assertEquals(List.of(), Levenshtein.search(words, "rnodern", 1, Algorithm.STANDARD));
    }

    @ParameterizedTest
    @EnumSource(Alphabet.class)
    void distancesCountCharactersOnEitherAlphabet(Alphabet alphabet) {
        TreeTrie words = TreeTrie.of(alphabet, List.of("Atatürk", "Ataturk", "naïve", "日本語", "😀x"));
        assertEquals(List.of(new Candidate("Atatürk", 0), new Candidate("Ataturk", 1)),
                Levenshtein.search(words, "Atatürk", 1, Algorithm.STANDARD));
        assertEquals(List.of(new Candidate("日本語", 1)), Levenshtein.search(words, "日本", 1, Algorithm.STANDARD));
        assertEquals(List.of(new Candidate("😀x", 1)), Levenshtein.search(words, "😃x", 1, Algorithm.STANDARD));
    }

    @ParameterizedTest
    @EnumSource(Alphabet.class)
    void resultsAreOrderedByDistanceThenCodePoint(Alphabet alphabet) {
        // U+FF5A sorts before U+1F600 by code point, after it by String.compareTo (surrogates are 0xD83D...).
        TreeTrie words = TreeTrie.of(alphabet, List.of("a😀", "aｚ", "ab", "b", "a"));
        assertEquals(List.of(new Candidate("a", 0), new Candidate("ab", 1), new Candidate("aｚ", 1),
                new Candidate("a😀", 1), new Candidate("b", 1)), Levenshtein.search(words, "a", 1, Algorithm.STANDARD));
    }

    @Test
    void queriesLongerThanAMachineWordWork() {
        String term = "abcdefghij".repeat(10);
        String query = term.substring(0, 70) + "X" + term.substring(71, 90) + term.substring(91) + "YZ";
        TreeTrie words = TreeTrie.of(Alphabet.UTF8_BYTES, List.of(term, term.substring(1)));
        assertEquals(List.of(new Candidate(term, 4)), Levenshtein.search(words, query, 4, Algorithm.STANDARD));
        assertEquals(List.of(), Levenshtein.search(words, query, 3, Algorithm.STANDARD));
    }

    @Test
    void emptyQueryFindsTheShortTerms() {
        TreeTrie words = TreeTrie.of(Alphabet.CODE_POINTS, List.of("", "a", "ab", "abc"));
        assertEquals(List.of(new Candidate("", 0), new Candidate("a", 1), new Candidate("ab", 2)),
                Levenshtein.search(words, "", 2, Algorithm.TRANSPOSITION));
    }

    @Test
    void prefixModeCompletesWithTheDistanceOfTheBestPrefix() {
        TreeTrie words = TreeTrie.of(Alphabet.CODE_POINTS, WORDS);
        assertEquals(List.of(new Candidate("cat", 0), new Candidate("catalog", 0), new Candidate("cats", 0)),
                Levenshtein.query(words, "cat").maxDistance(0).prefix().list());
        assertEquals(List.of(new Candidate("cat", 1), new Candidate("catalog", 1), new Candidate("cats", 1)),
                Levenshtein.query(words, "catl").maxDistance(1).prefix().list());
    }

    @Test
    void prefixModeCountsTheEmptyPrefix() {
        TreeTrie words = TreeTrie.of(Alphabet.UTF8_BYTES, List.of("", "cat", "dog"));
        // Every term extends the empty word, and a query of n characters is n edits from the empty prefix.
        assertEquals(List.of(new Candidate("", 0), new Candidate("cat", 0), new Candidate("dog", 0)),
                Levenshtein.query(words, "").maxDistance(0).prefix().list());
        assertEquals(List.of(new Candidate("", 2), new Candidate("cat", 2), new Candidate("dog", 2)),
                Levenshtein.query(words, "xy").maxDistance(2).prefix().list());
    }

    @Test
    void valueFilterKeepsOnlyTermsWhoseValueMatches() {
        TreeTrie words = new TreeTrie(Alphabet.UTF8_BYTES);
        words.put("cat", 3);
        words.put("cats", 4);
        words.put("cut", 30);
        words.put("cot", null); // a term without a value never passes a value filter
        assertEquals(List.of(new Candidate("cats", 1), new Candidate("cut", 1)),
                Levenshtein.query(words, "cat").maxDistance(1).filter(v -> v % 2 == 0 || v > 10).list());
    }

    @Test
    void valueFilterWorksOnADoubleArrayTrie() {
        DoubleArrayTrie<Integer> trie = DoubleArrayTrie.ofEntries(
                List.of(Map.entry("apple", 1), Map.entry("apply", 2), Map.entry("ample", 3)), Alphabet.UTF8_BYTES);
        assertEquals(List.of(new Candidate("apple", 0), new Candidate("ample", 1)),
                Levenshtein.query(trie, "apple").maxDistance(2).filter(v -> v != 2).list());
    }

    @Test
    void filterOnADictionaryWithoutValuesIsRejected() {
        Dictionary plain = new CountingDictionary(TreeTrie.of(Alphabet.UTF8_BYTES, WORDS));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Levenshtein.query(plain, "cat").filter(v -> true));
        assertTrue(e.getMessage().contains("MappedDictionary"), e.getMessage());
    }

    @Test
    void distanceOutsideTheSupportedRangeIsRejected() {
        TreeTrie words = TreeTrie.of(Alphabet.UTF8_BYTES, WORDS);
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> Levenshtein.search(words, "cat", -1, Algorithm.STANDARD));
        assertTrue(negative.getMessage().contains("maxDistance") && negative.getMessage().contains("-1"));
        IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class,
                () -> Levenshtein.query(words, "cat").maxDistance(Levenshtein.MAX_DISTANCE + 1));
        assertTrue(tooLarge.getMessage().contains(String.valueOf(Levenshtein.MAX_DISTANCE + 1)));
    }

    @Test
    void negativeLimitAndNullArgumentsAreRejected() {
        TreeTrie words = TreeTrie.of(Alphabet.UTF8_BYTES, WORDS);
        assertThrows(IllegalArgumentException.class, () -> Levenshtein.query(words, "cat").limit(-1));
        assertThrows(NullPointerException.class, () -> Levenshtein.query(words, null));
        assertThrows(NullPointerException.class, () -> Levenshtein.search(words, "cat", 1, null));
        assertThrows(NullPointerException.class, () -> Levenshtein.query((Dictionary) null, "cat"));
    }

    @Test
    void aLargeDistanceFindsEverythingWithinReach() {
        TreeTrie words = TreeTrie.of(Alphabet.CODE_POINTS, WORDS);
        List<Candidate> all = Levenshtein.search(words, "x", Levenshtein.MAX_DISTANCE, Algorithm.MERGE_AND_SPLIT);
        assertEquals(WORDS.size(), all.size());
    }

    @Test
    void limitStopsBeforeWalkingFartherDistances() {
        List<String> words = WordList.words();
        CountingDictionary counted = new CountingDictionary(DoubleArrayTrie.of(words));
        Levenshtein.search(counted, "separate", 3, Algorithm.STANDARD);
        long everything = counted.visits.getAndSet(0);
        List<Candidate> best = Levenshtein.query(counted, "separate").maxDistance(3).limit(1).list();
        long limited = counted.visits.get();
        assertEquals(List.of(new Candidate("separate", 0)), best);
        assertTrue(limited * 20 < everything, "limit(1) visited " + limited + " nodes, the full search " + everything);
    }

    @Test
    void streamIsLazy() {
        CountingDictionary counted = new CountingDictionary(DoubleArrayTrie.of(WordList.words()));
        Candidate first = Levenshtein.query(counted, "seperate").maxDistance(3).algorithm(Algorithm.TRANSPOSITION)
                .stream().findFirst().orElseThrow();
        assertEquals(new Candidate("separate", 1), first);
        long lazy = counted.visits.getAndSet(0);
        Levenshtein.query(counted, "seperate").maxDistance(3).stream().count();
        assertTrue(lazy * 5 < counted.visits.get(), "findFirst visited " + lazy + ", count " + counted.visits.get());
    }

    @Test
    void aStreamKeepsTheSettingsItWasCreatedWith() {
        TreeTrie words = TreeTrie.of(Alphabet.CODE_POINTS, WORDS);
        FuzzyQuery<Integer> query = Levenshtein.query(words, "cat").maxDistance(0);
        java.util.stream.Stream<Candidate> stream = query.stream();
        query.maxDistance(1).prefix();
        assertEquals(List.of(new Candidate("cat", 0)), stream.toList());
        assertEquals(List.of(new Candidate("cat", 0), new Candidate("catalog", 0), new Candidate("cats", 0)),
                query.list());
    }

    /** Wraps a dictionary and counts the nodes the search reaches. */
    private static final class CountingDictionary implements Dictionary {
        final Dictionary inner;
        final AtomicLong visits = new AtomicLong();

        CountingDictionary(Dictionary inner) {
            this.inner = inner;
        }

        @Override
        public Node root() {
            return wrap(inner.root());
        }

        @Override
        public Alphabet alphabet() {
            return inner.alphabet();
        }

        @Override
        public boolean contains(String term) {
            return inner.contains(term);
        }

        @Override
        public long size() {
            return inner.size();
        }

        private Node wrap(Node node) {
            if (node == null) {
                return null;
            }
            visits.incrementAndGet();
            return new Node() {
                @Override
                public boolean isFinal() {
                    return node.isFinal();
                }

                @Override
                public Node transition(int unit) {
                    return wrap(node.transition(unit));
                }

                @Override
                public int edgeCount() {
                    return node.edgeCount();
                }

                @Override
                public void forEachEdge(EdgeVisitor visitor) {
                    node.forEachEdge((label, target) -> visitor.edge(label, wrap(target)));
                }
            };
        }
    }
}
