package io.cairn.dict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.dict.fuzzy.Algorithm;
import io.cairn.dict.fuzzy.Candidate;
import io.cairn.dict.fuzzy.Levenshtein;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class VocabularyTest {

    @Test
    void idsAreSequentialAndBothDirectionsAreInverse() {
        Vocabulary vocabulary = Vocabulary.create();
        List<String> words = SystemWords.all().subList(0, 5_000);
        for (int i = 0; i < words.size(); i++) {
            assertEquals(i, vocabulary.add(words.get(i)));
        }
        assertEquals(words.size(), vocabulary.size());
        for (int i = 0; i < words.size(); i++) {
            assertEquals(words.get(i), vocabulary.getTerm(i));
            assertEquals(i, vocabulary.getId(words.get(i)));
            assertTrue(vocabulary.contains(words.get(i)));
        }
        assertEquals(-1, vocabulary.getId("not a word at all"));
        assertFalse(vocabulary.contains("not a word at all"));
        assertEquals(UnitOrder.sorted(words, w -> true), vocabulary.terms().toList());
    }

    @Test
    void aDuplicateIsRejectedAndChangesNothing() {
        Vocabulary vocabulary = Vocabulary.create(Alphabet.CODE_POINTS);
        vocabulary.add("cat");
        vocabulary.add("");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> vocabulary.add("cat"));
        assertTrue(e.getMessage().contains("id 0"), e.getMessage());
        assertEquals(2, vocabulary.size());
        assertEquals(2, vocabulary.add("dog"));
        assertEquals(1, vocabulary.getId(""));
        assertThrows(IllegalArgumentException.class, () -> vocabulary.getTerm(3));
        assertThrows(IllegalArgumentException.class, () -> vocabulary.getTerm(-1));
        assertThrows(NullPointerException.class, () -> vocabulary.add(null));
        assertThrows(IllegalArgumentException.class, () -> Vocabulary.create().add("\uD800"));
    }

    @Test
    void fuzzySearchFindsTermsWhoseIdsFollow() {
        Vocabulary vocabulary = Vocabulary.create();
        for (String word : List.of("receive", "deceive", "recipe", "relieve")) {
            vocabulary.add(word);
        }
        List<Candidate> found = Levenshtein.search(vocabulary, "recieve", 2, Algorithm.TRANSPOSITION);
        assertEquals(new Candidate("receive", 1), found.get(0));
        assertEquals(0, vocabulary.getId(found.get(0).term()));
    }

    @Test
    void concurrentAddsGiveEveryTermOneIdAndReadersSeeWhatWasAdded() throws Exception {
        Vocabulary vocabulary = Vocabulary.create();
        List<String> words = SystemWords.all().subList(0, 8_000);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int first = t;
            futures.add(pool.submit(() -> {
                for (int i = first; i < words.size(); i += 4) {
                    long id = vocabulary.add(words.get(i));
                    assertEquals(words.get(i), vocabulary.getTerm(id));
                    assertEquals(id, vocabulary.getId(words.get(i)));
                }
                return null;
            }));
        }
        for (Future<?> future : futures) {
            future.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        Set<String> seen = new HashSet<>();
        for (long id = 0; id < vocabulary.size(); id++) {
            assertTrue(seen.add(vocabulary.getTerm(id)));
        }
        assertEquals(new HashSet<>(words), seen);
    }
}
