package io.cairn.dict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.Durability;
import io.cairn.stack.testkit.AcknowledgedKill;
import io.cairn.stack.testkit.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of a real process changing a durable dictionary: a child JVM ({@link DurableCrashChild}) runs inserts,
 * removes, values, counter increments, batches and prefix removals on three threads, checkpointing in the
 * background, and prints an acknowledgement after each change returns; the test kills it at a random moment, reads
 * its output to the end, reopens the dictionary and checks every thread's terms. Under {@code SYNC} a thread's terms
 * must be its acknowledged changes, or those plus the one in flight; under {@code ASYNC} a prefix of its changes
 * that includes everything before its last acknowledged {@code sync()}. The stored count must equal the terms.
 */
class DurableCrashTest {
    private static final int THREADS = 3;

    @TempDir
    Path dir;

    @Test
    void killedWritersLoseNothingAcknowledged() throws Exception {
        rounds(12, 17);
    }

    @Tag("soak")
    @Test
    void killedWritersLoseNothingAcknowledgedSoak() throws Exception {
        rounds(Integer.getInteger("cairn.soak.killRounds", 500), 18);
    }

    private void rounds(int rounds, long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int round = 0; round < rounds; round++) {
            Durability durability = round % 2 == 0 ? Durability.SYNC : Durability.ASYNC;
            Path store = Files.createDirectory(dir.resolve("round-" + round));
            long workloadSeed = rnd.nextLong();
            AcknowledgedKill kill;
            try (ChildJvm child = ChildJvm.start(DurableCrashChild.class, store.toString(), durability.name(),
                    Integer.toString(THREADS), Long.toString(workloadSeed))) {
                kill = AcknowledgedKill.run(child, THREADS, rnd, 200);
            }
            check(store, durability, workloadSeed, kill, round);
        }
    }

    private static void check(Path store, Durability durability, long seed, AcknowledgedKill kill, int round)
            throws Exception {
        try (DurableDictionary dictionary = DurableDictionary.open(store)) {
            System.out.println("round " + round + " (" + durability + "): " + kill + "; "
                    + dictionary.recoveryReport());
            for (int t = 0; t < THREADS; t++) {
                TreeMap<String, String> actual = DurableWorkload.contents(dictionary, "t" + t + "/");
                List<TreeMap<String, String>> states = DurableWorkload.states(t, seed, kill.acked()[t] + 2);
                assertTrue(kill.allows(t, durability, states, actual), "round " + round + " (" + durability
                        + "), thread " + t + ": " + kill + "; recovered " + actual.size()
                        + " terms matching no allowed prefix: " + actual);
            }
            assertEquals(dictionary.terms().count(), dictionary.size(), "round " + round + ": the stored count");
        }
    }
}
