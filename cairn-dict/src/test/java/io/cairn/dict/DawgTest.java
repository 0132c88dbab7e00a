package io.cairn.dict;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class DawgTest {

    @Test
    void randomInsertRemoveSequencesMatchATreeMapAndStayMinimal() {
        randomSequences(40, 300);
    }

    @Test
    @Tag("soak")
    void longRandomInsertRemoveSequencesMatchATreeMapAndStayMinimal() {
        randomSequences(100, 2_000);
    }

    private static void randomSequences(int rounds, int operations) {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < rounds; round++) {
            Alphabet alphabet = random.nextBoolean() ? Alphabet.UTF8_BYTES : Alphabet.CODE_POINTS;
            boolean valued = random.nextBoolean();
            Dawg<Integer> dawg = Dawg.create(alphabet);
            TreeMap<String, Integer> model = new TreeMap<>();
            for (int op = 0; op < operations; op++) {
                String context = "seed " + seed + " round " + round + " op " + op;
                String term = DoubleArrayTrieTest.randomTerm(random);
                switch (random.nextInt(4)) {
                    case 0, 1 -> {
                        if (valued) {
                            int value = random.nextInt(3);
                            assertEquals(!model.containsKey(term), dawg.insertWithValue(term, value), context);
                            model.put(term, value);
                        } else {
                            assertEquals(!model.containsKey(term), dawg.insert(term), context);
                            model.putIfAbsent(term, null);
                        }
                    }
                    case 2 -> {
                        assertEquals(model.containsKey(term), dawg.remove(term), context);
                        model.remove(term);
                    }
                    default -> {
                        assertEquals(model.containsKey(term), dawg.contains(term), context);
                        assertEquals(model.get(term), dawg.getValue(term), context);
                    }
                }
                assertEquals(model.size(), dawg.size(), context);
                if (op % 25 == 24) {
                    assertSameContents(model, dawg, context);
                    assertEquals(MinimalAutomaton.stateCount(model, alphabet), dawg.nodeCount(), context);
                    Dawg<Integer> fresh = Dawg.create(alphabet);
                    model.forEach((t, v) -> {
                        if (v == null) {
                            fresh.insert(t);
                        } else {
                            fresh.insertWithValue(t, v);
                        }
                    });
                    assertEquals(fresh.nodeCount(), dawg.nodeCount(), context);
                    assertEquals(fresh.edgeCount(), dawg.edgeCount(), context);
                    Dawg<Integer> bulk = valued
                            ? Dawg.ofEntries(new ArrayList<>(model.entrySet()), alphabet)
                            : Dawg.of(model.keySet(), alphabet);
                    assertEquals(dawg.nodeCount(), bulk.nodeCount(), context);
                    assertSameContents(model, bulk, context);
                }
            }
        }
    }

    @Test
    void everySystemWordIsFoundWhateverTheInsertionOrderAndTheGraphIsTheSame() {
        List<String> words = new ArrayList<>(SystemWords.all());
        Dawg<Object> sorted = Dawg.of(words, Alphabet.UTF8_BYTES);
        Collections.shuffle(words, new Random(42));
        Dawg<Object> shuffled = Dawg.create();
        assertEquals(new TreeSet<>(words).size(), shuffled.addAll(words));
        assertEquals(sorted.nodeCount(), shuffled.nodeCount());
        assertEquals(sorted.edgeCount(), shuffled.edgeCount());
        for (String word : words) {
            assertTrue(shuffled.contains(word), word);
            assertFalse(shuffled.contains(word + "\u0000"), word);
        }
        assertEquals(new TreeSet<>(words), DoubleArrayTrieTest.termsOf(shuffled));
        assertEquals(new TreeSet<>(words), DoubleArrayTrieTest.termsOf(sorted));
        // Removing half and putting it back returns to the same minimal graph.
        List<String> half = words.subList(0, words.size() / 2);
        shuffled.removeAll(half);
        shuffled.addAll(half);
        assertEquals(sorted.nodeCount(), shuffled.nodeCount());
    }

    @Test
    void concurrentReadersSeeStableTermsWhileWritersChurnOthers() throws Exception {
        List<String> words = SystemWords.all();
        List<String> stable = words.subList(0, 5_000);
        List<String> churn = words.subList(50_000, 53_000);
        Dawg<Integer> dawg = Dawg.create();
        for (int i = 0; i < stable.size(); i++) {
            dawg.insertWithValue(stable.get(i), i);
        }
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int writer = w;
            futures.add(pool.submit(() -> {
                start.await();
                for (int pass = 0; pass < 3; pass++) {
                    for (int i = writer; i < churn.size(); i += 2) {
                        assertTrue(dawg.insert(churn.get(i)));
                    }
                    for (int i = writer; i < churn.size(); i += 2) {
                        assertTrue(dawg.remove(churn.get(i)));
                    }
                }
                return null;
            }));
        }
        futures.add(pool.submit(() -> {
            start.await();
            Random random = new Random();
            while (!done.get()) {
                int i = random.nextInt(stable.size());
                assertEquals(i, dawg.getValue(stable.get(i)), stable.get(i));
                long size = dawg.size();
                assertTrue(size >= stable.size() && size <= stable.size() + churn.size(), "size " + size);
            }
            return null;
        }));
        // Whole-version reads: every enumeration of one root holds each stable term with its value, and
        // nothing but churn terms besides.
        java.util.Set<String> churnSet = new java.util.HashSet<>(churn);
        futures.add(pool.submit(() -> {
            start.await();
            while (!done.get()) {
                int[] stableSeen = {0};
                dawg.entries().forEach(entry -> {
                    if (entry.value() != null) {
                        assertEquals(stable.get(entry.value()), entry.term());
                        stableSeen[0]++;
                    } else {
                        assertTrue(churnSet.contains(entry.term()), entry.term());
                    }
                });
                assertEquals(stable.size(), stableSeen[0]);
            }
            return null;
        }));
        start.countDown();
        for (int i = 0; i < 2; i++) {
            futures.get(i).get(60, TimeUnit.SECONDS);
        }
        done.set(true);
        for (Future<?> future : futures) {
            future.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(stable.size(), dawg.size());
        Dawg<Integer> fresh = Dawg.create();
        for (int i = 0; i < stable.size(); i++) {
            fresh.insertWithValue(stable.get(i), i);
        }
        assertEquals(fresh.nodeCount(), dawg.nodeCount());
    }

    @Test
    void aTraversalKeepsTheVersionItStartedOn() {
        Dawg<Object> dawg = Dawg.create();
        dawg.addAll(List.of("cat", "car"));
        Node root = dawg.root();
        dawg.remove("cat");
        dawg.insert("dog");
        assertEquals(new TreeSet<>(List.of("car", "cat")), DoubleArrayTrieTest.termsOf(new FixedRoot(root)));
        assertEquals(new TreeSet<>(List.of("car", "dog")), DoubleArrayTrieTest.termsOf(dawg));
    }

    /** A dictionary view of one node, to enumerate an old version. */
    private record FixedRoot(Node root) implements Dictionary {
        @Override
        public Alphabet alphabet() {
            return Alphabet.UTF8_BYTES;
        }

        @Override
        public boolean contains(String term) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long size() {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void mappedOperationsFollowTheirContracts() {
        Dawg<Integer> dawg = Dawg.create();
        assertTrue(dawg.insertWithValue("apple", 1));
        assertFalse(dawg.insertWithValue("apple", 2));
        assertEquals(2, dawg.getValue("apple"));
        assertFalse(dawg.insert("apple"));
        assertEquals(2, dawg.getValue("apple"));
        assertTrue(dawg.insert("plain"));
        assertNull(dawg.getValue("plain"));
        assertTrue(dawg.contains("plain"));
        assertEquals(5, dawg.updateOrInsert("plain", 5, v -> v + 1));
        assertEquals(6, dawg.updateOrInsert("plain", 5, v -> v + 1));
        assertEquals(7, dawg.updateOrInsert("new", 7, v -> v + 1));
        assertTrue(dawg.containsWithValue("new", v -> v == 7));
        assertFalse(dawg.containsWithValue("new", v -> v == 8));

        Dawg<Integer> other = Dawg.create();
        other.insertWithValue("apple", 10);
        other.insertWithValue("banana", 20);
        other.insert("cherry");
        assertEquals(2, dawg.unionWith(other, Integer::sum));
        assertEquals(12, dawg.getValue("apple"));
        assertEquals(20, dawg.getValue("banana"));
        assertTrue(dawg.contains("cherry"));
        assertEquals(0, dawg.unionReplace(other));
        assertEquals(10, dawg.getValue("apple"));

        DoubleArrayTrie<Integer> trie = DoubleArrayTrie.ofEntries(List.of(Map.entry("apple", 100), Map.entry("zed", 1)),
                Alphabet.UTF8_BYTES);
        assertEquals(1, dawg.unionWith(trie, Math::max));
        assertEquals(100, dawg.getValue("apple"));
        assertEquals(1, dawg.getValue("zed"));
        assertEquals(2, dawg.removeAll(List.of("zed", "cherry", "absent")));
    }

    @Test
    void aFailingMergeLeavesTheUnionUndone() {
        Dawg<Integer> dawg = Dawg.create();
        dawg.insertWithValue("a", 1);
        dawg.insertWithValue("m", 2);
        Dawg<Integer> other = Dawg.create();
        other.insertWithValue("a", 10);
        other.insertWithValue("b", 20);
        other.insertWithValue("m", 30);
        long nodes = dawg.nodeCount();
        assertEquals("merge result", assertThrows(NullPointerException.class,
                () -> dawg.unionWith(other, (mine, theirs) -> mine == 2 ? null : mine + theirs)).getMessage());
        assertEquals(2, dawg.size());
        assertEquals(1, dawg.getValue("a"));
        assertFalse(dawg.contains("b"));
        assertEquals(nodes, dawg.nodeCount());
    }

    @Test
    void nullsAreRejectedByNameAndChangeNothing() {
        Dawg<Integer> dawg = Dawg.create();
        dawg.insertWithValue("a", 1);
        long nodes = dawg.nodeCount();
        assertEquals("value", assertThrows(NullPointerException.class, () -> dawg.insertWithValue("b", null)).getMessage());
        assertEquals("term", assertThrows(NullPointerException.class, () -> dawg.insert(null)).getMessage());
        assertEquals("updater result",
                assertThrows(NullPointerException.class, () -> dawg.updateOrInsert("a", 0, v -> null)).getMessage());
        assertEquals(1, dawg.getValue("a"));
        assertEquals(1, dawg.size());
        assertEquals(nodes, dawg.nodeCount());
        assertThrows(IllegalArgumentException.class, () -> dawg.insert("\uDC00"));
        assertFalse(dawg.contains("\uDC00"));
    }

    @Test
    void aRegistryLimitLeavesNodesUnsharedUntilMinimize() {
        List<String> words = SystemWords.all().subList(10_000, 14_000);
        Dawg<Object> unbounded = Dawg.create();
        unbounded.addAll(words);
        Dawg<Object> bounded = Dawg.create(Alphabet.UTF8_BYTES, 500);
        bounded.addAll(words);
        assertFalse(bounded.isMinimal());
        long before = bounded.nodeCount();
        assertTrue(before > unbounded.nodeCount());
        assertEquals(before - unbounded.nodeCount(), bounded.minimize());
        assertTrue(bounded.isMinimal());
        assertEquals(unbounded.nodeCount(), bounded.nodeCount());
        for (String word : words) {
            assertTrue(bounded.contains(word), word);
        }
        // Past the limit (the registry now holds every node), new nodes stay private until compact().
        bounded.removeAll(words.subList(0, 2_000));
        bounded.addAll(List.of("zzz", "zzzs", "zzzing"));
        bounded.compact();
        assertTrue(bounded.isMinimal());
        Dawg<Object> expected = Dawg.create();
        expected.addAll(words.subList(2_000, words.size()));
        expected.addAll(List.of("zzz", "zzzs", "zzzing"));
        assertEquals(expected.nodeCount(), bounded.nodeCount());
        assertEquals(DoubleArrayTrieTest.termsOf(expected), DoubleArrayTrieTest.termsOf(bounded));
    }

    @Test
    void compactKeepsContentsAndMinimality() {
        Dawg<Integer> dawg = Dawg.create(Alphabet.CODE_POINTS);
        List<String> words = SystemWords.all().subList(0, 3_000);
        for (int i = 0; i < words.size(); i++) {
            dawg.insertWithValue(words.get(i), i % 5);
        }
        long nodes = dawg.nodeCount();
        assertEquals(0, dawg.compact());
        assertEquals(nodes, dawg.nodeCount());
        for (int i = 0; i < words.size(); i++) {
            assertEquals(words.lastIndexOf(words.get(i)) % 5, dawg.getValue(words.get(i)));
        }
        dawg.insertWithValue("added after compact", 1);
        assertEquals(1, dawg.getValue("added after compact"));
    }

    @Test
    void bulkBuildKeepsTheLastValueOfARepeatedTermAndStaysMutable() {
        Dawg<String> dawg = Dawg.ofEntries(List.of(Map.entry("b", "1"), Map.entry("a", "2"), Map.entry("b", "3")),
                Alphabet.CODE_POINTS);
        assertEquals(2, dawg.size());
        assertEquals("3", dawg.getValue("b"));
        assertTrue(dawg.remove("b"));
        assertTrue(dawg.insertWithValue("c", "4"));
        assertEquals(new TreeSet<>(List.of("a", "c")), DoubleArrayTrieTest.termsOf(dawg));
        assertEquals(1, Dawg.of(List.of(), Alphabet.UTF8_BYTES).nodeCount());
    }

    @Test
    void edgesAreAscendingAndEdgeCountAgreesWithForEachEdge() {
        Dawg<Object> dawg = Dawg.of(SystemWords.all().subList(0, 20_000), Alphabet.CODE_POINTS);
        assertTrue(DoubleArrayTrieTest.assertEdgesAscending(dawg) > dawg.nodeCount(), "paths through shared nodes");
    }

    @Test
    void veryLongTermsDoNotOverflowTheStack() {
        String longTerm = "ab".repeat(100_000);
        Dawg<Object> dawg = Dawg.create();
        dawg.addAll(List.of(longTerm, longTerm + "c", "a"));
        assertTrue(dawg.contains(longTerm));
        assertEquals(new TreeSet<>(List.of(longTerm, longTerm + "c", "a")), DoubleArrayTrieTest.termsOf(dawg));
        assertEquals(Dawg.of(List.of(longTerm, longTerm + "c", "a"), Alphabet.UTF8_BYTES).nodeCount(), dawg.nodeCount());
        dawg.compact();
        assertTrue(dawg.remove(longTerm));
        assertFalse(dawg.contains(longTerm));
        assertTrue(dawg.contains(longTerm + "c"));
    }

    @Test
    void equalArrayValuesShareNodesAsEqualValuesOfAnyTypeDo() throws java.io.IOException {
        Dawg<byte[]> bytes = Dawg.create();
        Dawg<String> strings = Dawg.create();
        for (String term : List.of("cat", "bat", "hat", "rat")) {
            bytes.insertWithValue(term, new byte[] {7}); // a fresh array each: equal by content only
            strings.insertWithValue(term, "7");
        }
        assertEquals(strings.nodeCount(), bytes.nodeCount(), "the four 'at' endings are one node");
        assertTrue(bytes.isMinimal());
        bytes.insertWithValue("cat", new byte[] {7});
        assertEquals(strings.nodeCount(), bytes.nodeCount(), "setting an equal value changes nothing");
        bytes.insertWithValue("cat", new byte[] {8});
        assertArrayEquals(new byte[] {8}, bytes.getValue("cat"));
        assertArrayEquals(new byte[] {7}, bytes.getValue("bat"));
        assertEquals(strings.nodeCount() + 3, bytes.nodeCount(), "'cat' has its own path after the root now");
        Dawg<byte[]> bulk = Dawg.ofEntries(List.of(Map.entry("cat", new byte[] {7}), Map.entry("bat", new byte[] {7}),
                Map.entry("hat", new byte[] {7}), Map.entry("rat", new byte[] {7})), Alphabet.UTF8_BYTES);
        assertEquals(strings.nodeCount(), bulk.nodeCount(), "a bulk build shares them too");
    }

    @Test
    void emptyDawgHasOneNonFinalRoot() {
        Dawg<Object> dawg = Dawg.create();
        assertTrue(dawg.isEmpty());
        assertEquals(1, dawg.nodeCount());
        assertFalse(dawg.root().isFinal());
        assertEquals(0, dawg.root().edgeCount());
        dawg.insert("");
        assertTrue(dawg.contains(""));
        assertTrue(dawg.root().isFinal());
        dawg.remove("");
        assertEquals(1, dawg.nodeCount());
        assertTrue(dawg.isEmpty());
    }

    private static void assertSameContents(TreeMap<String, Integer> model, Dawg<Integer> dawg, String context) {
        assertEquals(new TreeSet<>(model.keySet()), DoubleArrayTrieTest.termsOf(dawg), context);
        model.forEach((term, value) -> assertEquals(value, dawg.getValue(term), context + " term " + term));
    }
}
