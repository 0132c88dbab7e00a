package io.cairn.dict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.Durability;
import io.cairn.stack.testkit.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
            int[] acked = new int[THREADS];
            int[] synced = new int[THREADS];
            Arrays.fill(acked, -1);
            Arrays.fill(synced, -1);
            try (ChildJvm child = ChildJvm.start(DurableCrashChild.class, store.toString(), durability.name(),
                    Integer.toString(THREADS), Long.toString(workloadSeed))) {
                assertEquals("open", child.nextLine(Duration.ofSeconds(60)));
                List<String> lines = new ArrayList<>();
                int warmup = 20 + rnd.nextInt(200);
                while (lines.size() < warmup) {
                    lines.add(child.nextLine(Duration.ofSeconds(60)));
                }
                Thread.sleep(rnd.nextInt(200));
                child.kill();
                lines.addAll(child.takeAvailableLines());
                for (String line : lines) {
                    String[] f = line.split(" ");
                    int t = Integer.parseInt(f[1]);
                    int i = Integer.parseInt(f[2]);
                    if (f[0].equals("a")) {
                        acked[t] = Math.max(acked[t], i);
                    } else if (f[0].equals("s")) {
                        synced[t] = Math.max(synced[t], i);
                    }
                }
            }
            check(store, durability, workloadSeed, acked, synced, round);
        }
    }

    private static void check(Path store, Durability durability, long seed, int[] acked, int[] synced, int round)
            throws Exception {
        try (DurableDictionary dictionary = DurableDictionary.open(store)) {
            String report = dictionary.recoveryReport().toString();
            System.out.println("round " + round + " (" + durability + "): acknowledged " + Arrays.toString(acked)
                    + ", synced " + Arrays.toString(synced) + "; " + report);
            for (int t = 0; t < THREADS; t++) {
                TreeMap<String, String> actual = DurableWorkload.contents(dictionary, "t" + t + "/");
                List<TreeMap<String, String>> states = DurableWorkload.states(t, seed, acked[t] + 2);
                // states.get(j + 1) is the state after operation j
                int lowest = durability == Durability.SYNC ? acked[t] : synced[t];
                boolean found = false;
                for (int j = lowest; j <= acked[t] + 1 && !found; j++) {
                    found = states.get(j + 1).equals(actual);
                }
                assertTrue(found, "round " + round + " (" + durability + "), thread " + t + ": acknowledged through "
                        + acked[t] + ", synced through " + synced[t] + "; recovered " + actual.size()
                        + " terms matching no allowed prefix: " + actual);
            }
            assertEquals(dictionary.terms().count(), dictionary.size(), "round " + round + ": the stored count");
        }
    }
}
