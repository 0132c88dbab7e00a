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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of a real process adding terms to a durable vocabulary ({@link DurableVocabularyCrashChild}: three adding
 * threads, single adds and batches, checkpoints in the background, each add's ids noted once it returns). After the
 * kill the test reads the child's output to the end and reopens: the ids must run densely from 0 with both mappings
 * agreeing and the term trie holding the same terms; a term whose add returned must be there under {@code SYNC}, and
 * wherever it is there it must have the id its add returned; each thread's terms must be its operations up to the
 * last acknowledged one (or the one in flight) under {@code SYNC}, up to one from the last synced on under
 * {@code ASYNC}.
 */
class DurableVocabularyCrashTest {
    private static final int THREADS = 3;

    @TempDir
    Path dir;

    @Test
    void killedAddersLoseNoAcknowledgedId() throws Exception {
        rounds(8, 23);
    }

    @Tag("soak")
    @Test
    void killedAddersLoseNoAcknowledgedIdSoak() throws Exception {
        rounds(Integer.getInteger("cairn.soak.killRounds", 300), 24);
    }

    private void rounds(int rounds, long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int round = 0; round < rounds; round++) {
            Durability durability = round % 2 == 0 ? Durability.SYNC : Durability.ASYNC;
            Path store = Files.createDirectory(dir.resolve("round-" + round));
            Path idFile = dir.resolve("ids-" + round);
            AcknowledgedKill kill;
            try (ChildJvm child = ChildJvm.start(DurableVocabularyCrashChild.class, store.toString(),
                    durability.name(), Integer.toString(THREADS), idFile.toString())) {
                kill = AcknowledgedKill.run(child, THREADS, rnd, 200);
            }
            check(store, durability, kill, returnedIds(idFile), "round " + round + " (" + durability + "): " + kill);
        }
    }

    /** Each term whose add returned in the child, with the id it returned (from the child's id file, whole lines). */
    private static Map<String, Long> returnedIds(Path idFile) throws IOException {
        Map<String, Long> ids = new HashMap<>();
        String written = Files.readString(idFile, StandardCharsets.UTF_8);
        for (String line : written.substring(0, written.lastIndexOf('\n') + 1).lines().toList()) {
            String[] f = line.split(" ");
            List<String> terms = DurableVocabularyCrashChild.terms(Integer.parseInt(f[0]), Integer.parseInt(f[1]));
            for (int k = 0; k < terms.size(); k++) {
                ids.put(terms.get(k), Long.parseLong(f[2]) + k);
            }
        }
        return ids;
    }

    private static void check(Path store, Durability durability, AcknowledgedKill kill, Map<String, Long> returnedIds,
            String what) throws Exception {
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
                    state.addAll(DurableVocabularyCrashChild.terms(t, i));
                    states.add(List.copyOf(state));
                }
                assertTrue(kill.allows(t, durability, states, actual), what + ", thread " + t + ": recovered "
                        + actual.size() + " terms in id order matching no allowed prefix: " + actual);
            }
            assertEquals(byId.size(), vocabulary.add("after the crash"), what + ": the next id");
        }
    }
}
