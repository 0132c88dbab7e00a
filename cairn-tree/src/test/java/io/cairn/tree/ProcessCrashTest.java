package io.cairn.tree;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.Durability;
import io.cairn.stack.testkit.AcknowledgedKill;
import io.cairn.stack.testkit.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of a real process writing a file-backed tree: a child JVM ({@link CrashChild}) runs puts, deletes,
 * renames and batches on several threads, checkpointing in the background, and prints an acknowledgement after each
 * call returns; the test kills it at a random moment, reads its output to the end, reopens the tree and checks every
 * thread's keys. Under {@code SYNC} a thread's keys must be exactly its acknowledged operations, or those plus the
 * one it had in flight; under {@code ASYNC} a prefix of its operations that includes everything before its last
 * acknowledged {@code sync()}. A batch or rename is never half there: the model states are whole operations. The
 * same runs on a database of three trees whose batches span them: a batch is in all its trees or in none.
 */
class ProcessCrashTest {
    private static final int THREADS = 3;

    @TempDir
    Path dir;

    @Test
    void killedWritersLoseNothingAcknowledged() throws Exception {
        rounds(20, 7, 1);
    }

    @Test
    void killedDatabaseWritersKeepEveryBatchAcrossTreesWhole() throws Exception {
        rounds(10, 9, CrashWorkload.TREES.size());
    }

    @Tag("soak")
    @Test
    void killedWritersLoseNothingAcknowledgedSoak() throws Exception {
        rounds(Integer.getInteger("cairn.soak.killRounds", 1000), 8, 1);
        rounds(Integer.getInteger("cairn.soak.killRounds", 1000), 10, CrashWorkload.TREES.size());
    }

    private void rounds(int rounds, long seed, int trees) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int round = 0; round < rounds; round++) {
            Durability durability = round % 2 == 0 ? Durability.SYNC : Durability.ASYNC;
            Path store = Files.createDirectory(dir.resolve("trees-" + trees + "-round-" + round));
            long workloadSeed = rnd.nextLong();
            AcknowledgedKill kill;
            try (ChildJvm child = ChildJvm.start(CrashChild.class, store.toString(), durability.name(),
                    Integer.toString(THREADS), Long.toString(workloadSeed), Integer.toString(trees))) {
                // the writers get going (and the checkpointer runs) before the kill at a random moment
                kill = AcknowledgedKill.run(child, THREADS, rnd, 300);
            }
            System.out.println("round " + round + " (" + durability + "): " + kill);
            check(store, durability, workloadSeed, trees, kill, round);
        }
    }

    private static void check(Path store, Durability durability, long seed, int trees, AcknowledgedKill kill,
            int round) throws Exception {
        for (int t = 0; t < THREADS; t++) {
            TreeMap<String, String> actual = recovered(store, trees, "t" + t + "/");
            List<TreeMap<String, String>> states = CrashWorkload.states(t, seed, trees, kill.acked()[t] + 1);
            assertTrue(kill.allows(t, durability, states, actual), "round " + round + " (" + durability
                    + "), thread " + t + ": " + kill + "; recovered " + actual.size()
                    + " keys matching no allowed prefix: " + actual);
        }
    }

    /** A thread's keys as recovered, named as {@link CrashWorkload}'s model names them. */
    private static TreeMap<String, String> recovered(Path store, int trees, String prefix) throws Exception {
        TreeMap<String, String> out = new TreeMap<>();
        byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
        if (trees == 1) {
            try (Tree tree = Tree.open(store)) {
                tree.scan(p).forEach(e -> out.put(e.keyString(), new String(e.value(), StandardCharsets.UTF_8)));
            }
            return out;
        }
        try (Database db = Database.open(store)) {
            for (String name : CrashWorkload.TREES.subList(0, trees)) {
                db.openTree(name).scan(p).forEach(e -> out.put(name + ":" + e.keyString(),
                        new String(e.value(), StandardCharsets.UTF_8)));
            }
        }
        return out;
    }
}
