package io.cairn.dict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable vocabulary: ids in sequence, both directions, duplicates refused, concurrent adds, reopens. */
class DurableVocabularyTest {
    @TempDir
    Path dir;

    @Test
    void idsRunInSequenceBothWaysAndDuplicatesAreRefused() throws Exception {
        try (DurableVocabulary v = DurableVocabulary.open(dir, DurableDictionaryTest.FAST)) {
            assertTrue(v.recoveryReport().created());
            assertEquals(0, v.add("zebra"));
            assertEquals(1, v.add("apple"));
            assertEquals(2, v.add(""));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.add("apple"));
            assertTrue(e.getMessage().contains("with id 1"), e.getMessage());
            assertEquals(3, v.addAll(List.of("m1", "m2")));
            assertThrows(IllegalArgumentException.class, () -> v.addAll(List.of("n1", "zebra")));
            assertThrows(IllegalArgumentException.class, () -> v.addAll(List.of("n1", "n1")));
            assertThrows(IllegalArgumentException.class, () -> v.add("\uD800"));
            assertFalse(v.contains("n1"), "a refused batch adds nothing");
            assertEquals(5, v.size());
            assertEquals(1, v.getOrAdd("apple"));
            assertEquals(5, v.getOrAdd("new"));
            assertEquals("apple", v.getTerm(1));
            assertEquals(-1, v.getId("absent"));
            assertThrows(IllegalArgumentException.class, () -> v.getTerm(6));
            assertThrows(IllegalArgumentException.class, () -> v.getTerm(-1));
            assertEquals(List.of("", "apple", "m1", "m2", "new", "zebra"), v.terms().toList());
        }
        try (DurableVocabulary v = DurableVocabulary.open(dir)) {
            assertFalse(v.recoveryReport().created());
            assertEquals(6, v.size());
            assertEquals("zebra", v.getTerm(0));
            assertEquals(6, v.add("after reopen"));
        }
        assertThrows(IllegalArgumentException.class, () -> DurableDictionary.open(dir));
    }

    @Test
    void concurrentAddsGetDenseDistinctIds() throws Exception {
        try (DurableVocabulary v = DurableVocabulary.open(dir, DurableDictionaryTest.FAST)) {
            ConcurrentHashMap<String, Long> ids = new ConcurrentHashMap<>();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < 400; i++) { // half the terms are shared: racing adds of one term
                            String term = i % 2 == 0 ? "shared-" + i : "t" + thread + "-" + i;
                            long id = v.getOrAdd(term);
                            Long before = ids.putIfAbsent(term, id);
                            if (before != null && before != id) {
                                throw new AssertionError(term + " got ids " + before + " and " + id);
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertTrue(failures.isEmpty(), () -> "an adder failed: " + failures.peek());
            assertEquals(ids.size(), v.size());
            Set<Long> seen = new HashSet<>();
            for (long id = 0; id < v.size(); id++) {
                String term = v.getTerm(id);
                assertEquals(id, v.getId(term));
                assertEquals(id, ids.get(term));
                assertTrue(seen.add(id));
            }
        }
    }
}
