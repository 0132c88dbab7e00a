package io.cairn.dict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.Durability;
import io.cairn.stack.testkit.AcknowledgedKill;
import io.cairn.stack.testkit.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of a real process changing a durable dictionary or vocabulary: a child JVM runs three writer threads,
 * checkpointing in the background, and prints an acknowledgement after each change returns; the test kills it at a
 * random moment, reads its output to the end, reopens the store and checks every thread's terms. Under {@code SYNC}
 * a thread's terms must be its acknowledged changes, or those plus the one in flight; under {@code ASYNC} a prefix
 * of its changes that includes everything before its last acknowledged {@code sync()}.
 */
class DurableCrashTest {
    private static final int THREADS = 3;

    @TempDir
    Path dir;

    /** Judges the store a killed child left. */
    private interface Check {
        void check(Path store, Durability durability, long seed, AcknowledgedKill kill, String what) throws Exception;
    }

    /**
     * The dictionary ({@link DurableCrashChild}): inserts, removes, values, counter increments, batches and prefix
     * removals. The stored count must equal the terms.
     */
    @Test
    void killedWritersLoseNothingAcknowledged() throws Exception {
        rounds(12, 17, DurableCrashChild.class, DurableCrashTest::checkDictionary);
    }

    @Tag("soak")
    @Test
    void killedWritersLoseNothingAcknowledgedSoak() throws Exception {
        rounds(Integer.getInteger("cairn.soak.killRounds", 500), 18, DurableCrashChild.class,
                DurableCrashTest::checkDictionary);
    }

    /**
     * The vocabulary ({@link DurableVocabularyCrashChild}): single adds and batches. The ids must run densely from 0
     * with both mappings agreeing and the term trie holding the same terms; a term whose add returned must be there
     * under {@code SYNC}, and wherever it is there it must have the id its add returned.
     */
    @Test
    void killedVocabularyAddersLoseNoReturnedId() throws Exception {
        rounds(8, 23, DurableVocabularyCrashChild.class, DurableCrashTest::checkVocabulary);
    }

    @Tag("soak")
    @Test
    void killedVocabularyAddersLoseNoReturnedIdSoak() throws Exception {
        rounds(Integer.getInteger("cairn.soak.killRounds", 300), 24, DurableVocabularyCrashChild.class,
                DurableCrashTest::checkVocabulary);
    }

    private void rounds(int rounds, long seed, Class<?> child, Check check) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int round = 0; round < rounds; round++) {
            Durability durability = round % 2 == 0 ? Durability.SYNC : Durability.ASYNC;
            Path store = Files.createDirectory(dir.resolve("round-" + round));
            long childSeed = rnd.nextLong();
            AcknowledgedKill kill;
            try (ChildJvm jvm = ChildJvm.start(child, store.toString(), durability.name(), Integer.toString(THREADS),
                    Long.toString(childSeed))) {
                kill = AcknowledgedKill.run(jvm, THREADS, rnd, 200);
            }
            check.check(store, durability, childSeed, kill, "round " + round + " (" + durability + "): " + kill);
        }
    }

    private static void checkDictionary(Path store, Durability durability, long seed, AcknowledgedKill kill,
            String what) throws Exception {
        try (DurableDictionary dictionary = DurableDictionary.open(store)) {
            System.out.println(what + "; " + dictionary.recoveryReport());
            for (int t = 0; t < THREADS; t++) {
                TreeMap<String, String> actual = DurableWorkload.contents(dictionary, "t" + t + "/");
                List<TreeMap<String, String>> states = DurableWorkload.states(t, seed, kill.acked()[t] + 2);
                assertTrue(kill.allows(t, durability, states, actual), what + ", thread " + t + ": recovered "
                        + actual.size() + " terms matching no allowed prefix: " + actual);
            }
            assertEquals(dictionary.terms().count(), dictionary.size(), what + ": the stored count");
        }
    }

    private static void checkVocabulary(Path store, Durability durability, long seed, AcknowledgedKill kill,
            String what) throws Exception {
        Map<String, Long> returnedIds = returnedIds(DurableVocabularyCrashChild.idFile(store), seed);
        try (DurableVocabulary vocabulary = DurableVocabulary.open(store)) {
            System.out.println(what + "; " + vocabulary.recoveryReport());
            List<String> byId = new ArrayList<>();
            for (long id = 0; id < vocabulary.size(); id++) {
                String term = vocabulary.getTerm(id);
                assertEquals(id, vocabulary.getId(term), what + ": term -> id of " + term);
                byId.add(term);
            }
            assertEquals(byId.stream().sorted().toList(), vocabulary.terms().toList(), what + ": the term trie");
            returnedIds.forEach((term, id) -> {
                long recovered = vocabulary.getId(term);
                if (durability == Durability.SYNC || recovered >= 0) {
                    assertEquals(id, recovered, what + ": the id the add of " + term + " returned");
                }
            });
            for (int t = 0; t < THREADS; t++) {
                String prefix = "t" + t + "/";
                List<String> actual = byId.stream().filter(term -> term.startsWith(prefix)).toList();
                List<List<String>> states = new ArrayList<>();
                List<String> state = new ArrayList<>();
                states.add(List.copyOf(state));
                for (int i = 0; i <= kill.acked()[t] + 1; i++) {
                    state.addAll(DurableVocabularyCrashChild.terms(seed, t, i));
                    states.add(List.copyOf(state));
                }
                assertTrue(kill.allows(t, durability, states, actual), what + ", thread " + t + ": recovered "
                        + actual.size() + " terms in id order matching no allowed prefix: " + actual);
            }
            assertEquals(byId.size(), vocabulary.add("after the crash"), what + ": the next id");
        }
    }

    /** Each term whose add returned in the child, with the id it returned (from the child's id file, whole lines). */
    private static Map<String, Long> returnedIds(Path idFile, long seed) throws IOException {
        Map<String, Long> ids = new HashMap<>();
        String written = Files.readString(idFile, StandardCharsets.UTF_8);
        for (String line : written.substring(0, written.lastIndexOf('\n') + 1).lines().toList()) {
            String[] f = line.split(" ");
            int thread = Integer.parseInt(f[0]);
            List<String> terms = DurableVocabularyCrashChild.terms(seed, thread, Integer.parseInt(f[1]));
            for (int k = 0; k < terms.size(); k++) {
                ids.put(terms.get(k), Long.parseLong(f[2]) + k);
            }
        }
        return ids;
    }
}
