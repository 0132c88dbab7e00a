package io.cairn.dict.fuzzy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.dict.Alphabet;
import io.cairn.dict.Dawg;
import io.cairn.dict.DurableDictionary;
import io.cairn.dict.DurableVocabulary;
import io.cairn.stack.Durability;
import io.cairn.tree.TreeOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzy search straight on the durable dictionary's tree equals the same search on a DAWG built from the same
 * terms: seeded typos of /usr/share/dict/words, all three algorithms, distances 0..2, whole-term and prefix mode, with
 * limits; after a reopen (frames loaded from disk); on the durable vocabulary; and while writers change other terms.
 */
class DurableFuzzyTest {
    private static final TreeOptions FAST = TreeOptions.defaults().durability(Durability.NONE);

    @TempDir
    Path dir;

    @Test
    void typosOfRealWordsFindWhatTheDawgFinds() throws Exception {
        List<String> words = WordList.words();
        try (DurableDictionary durable = DurableDictionary.open(dir, FAST)) {
            assertEquals(words.size(), durable.merge(Dawg.of(words, Alphabet.UTF8_BYTES)));
        }
        long seed = LevenshteinOracleTest.seed(20261123L);
        try (DurableDictionary durable = DurableDictionary.open(dir, FAST)) {
            Dawg<Object> dawg = Dawg.of(durable.terms().toList(), Alphabet.UTF8_BYTES);
            assertEquals(words.size(), dawg.size());
            int[][] characters = words.stream().map(w -> w.codePoints().toArray()).toArray(int[][]::new);
            Random random = new Random(seed);
            int hits = 0;
            for (int q = 0; q < 40; q++) {
                int[] query = LevenshteinOracleTest.randomQuery(random, characters);
                String text = new String(query, 0, query.length);
                for (Algorithm algorithm : Algorithm.values()) {
                    for (int d = 0; d <= 2; d++) {
                        String at = "seed " + seed + ", query #" + q + " \"" + text + "\" " + algorithm + " d=" + d;
                        List<Candidate> expected = Levenshtein.search(dawg, text, d, algorithm);
                        assertEquals(expected, Levenshtein.search(durable, text, d, algorithm), at);
                        hits += expected.size();
                        if (q % 4 == 0) {
                            assertEquals(Levenshtein.query(dawg, text).maxDistance(d).algorithm(algorithm).prefix()
                                    .limit(20).list(), Levenshtein.query(durable, text).maxDistance(d)
                                    .algorithm(algorithm).prefix().limit(20).list(), at + " prefix");
                        }
                    }
                }
            }
            assertTrue(hits > 100, "the queries find words: " + hits);
        }
    }

    @Test
    void searchesDuringWritesFindEveryStableTermAndNoForeignOne() throws Exception {
        List<String> words = WordList.words().subList(0, 20_000);
        try (DurableDictionary durable = DurableDictionary.open(dir, FAST)) {
            durable.merge(Dawg.of(words, Alphabet.UTF8_BYTES));
            Dawg<Object> dawg = Dawg.of(words, Alphabet.UTF8_BYTES);
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            Thread writer = Thread.ofPlatform().start(() -> {
                Random r = new Random(1);
                try {
                    while (!stop.get()) { // extra terms next to the stable ones: "abandon" + "qz7"
                        String term = words.get(r.nextInt(words.size())) + "qz" + r.nextInt(10);
                        if (r.nextBoolean()) {
                            durable.insert(term);
                        } else {
                            durable.remove(term);
                        }
                    }
                } catch (Throwable t) {
                    failures.add(t);
                }
            });
            try {
                Random random = new Random(5);
                int[][] characters = words.stream().map(w -> w.codePoints().toArray()).toArray(int[][]::new);
                for (int q = 0; q < 40; q++) {
                    int[] query = LevenshteinOracleTest.randomQuery(random, characters);
                    String text = new String(query, 0, query.length);
                    List<Candidate> stable = Levenshtein.search(dawg, text, 2, Algorithm.TRANSPOSITION);
                    List<Candidate> found = Levenshtein.search(durable, text, 2, Algorithm.TRANSPOSITION);
                    List<Candidate> withoutExtras = found.stream().filter(c -> !c.term().matches(".*qz\\d")).toList();
                    assertEquals(stable, withoutExtras, "query \"" + text + "\"");
                }
            } finally {
                stop.set(true);
                writer.join();
            }
            assertTrue(failures.isEmpty(), () -> "writer failed: " + failures.getFirst());
        }
    }

    @Test
    void theDurableVocabularyIsSearchedInPlaceToo() throws Exception {
        List<String> words = WordList.words().subList(0, 5_000);
        try (DurableVocabulary vocabulary = DurableVocabulary.open(dir, FAST)) {
            for (int i = 0; i < words.size(); i += 1000) {
                vocabulary.addAll(words.subList(i, i + 1000));
            }
            Dawg<Object> dawg = Dawg.of(words, Alphabet.UTF8_BYTES);
            for (String query : List.of("abandn", "zygote", "aaron", "Abe")) {
                List<Candidate> found = Levenshtein.search(vocabulary, query, 2, Algorithm.STANDARD);
                assertEquals(Levenshtein.search(dawg, query, 2, Algorithm.STANDARD), found, query);
                for (Candidate c : found) {
                    assertEquals(c.term(), vocabulary.getTerm(vocabulary.getId(c.term())));
                }
            }
        }
    }
}
