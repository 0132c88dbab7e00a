package io.cairn.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * same runs on a database of three trees whose batches span them: a batch is in all its trees or in none; and on
 * such a database under compactions, garbage collections and vacuums in a loop, whose ballast must come back whole.
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

    @Test
    void killedDuringCompactionGcAndVacuumTheDatabaseKeepsEveryRecord() throws Exception {
        rounds(4, 11, CrashWorkload.TREES.size(), "maintain");
    }

    @Tag("soak")
    @Test
    void killedWritersLoseNothingAcknowledgedSoak() throws Exception {
        rounds(Integer.getInteger("cairn.soak.killRounds", 1000), 8, 1);
        rounds(Integer.getInteger("cairn.soak.killRounds", 1000), 10, CrashWorkload.TREES.size());
        rounds(Integer.getInteger("cairn.soak.killRounds", 1000) / 10, 12, CrashWorkload.TREES.size(), "maintain");
    }

    private void rounds(int rounds, long seed, int trees) throws Exception {
        rounds(rounds, seed, trees, "checkpoint");
    }

    private void rounds(int rounds, long seed, int trees, String background) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int round = 0; round < rounds; round++) {
            Durability durability = round % 2 == 0 ? Durability.SYNC : Durability.ASYNC;
            Path store = Files.createDirectory(dir.resolve(background + "-trees-" + trees + "-round-" + round));
            long workloadSeed = rnd.nextLong();
            AcknowledgedKill kill;
            try (ChildJvm child = ChildJvm.start(CrashChild.class, store.toString(), durability.name(),
                    Integer.toString(THREADS), Long.toString(workloadSeed), Integer.toString(trees), background)) {
                // the writers get going (and the checkpointer runs) before the kill at a random moment
                kill = AcknowledgedKill.run(child, THREADS, rnd, 300);
            }
            System.out.println("round " + round + " (" + durability + "): " + kill);
            check(store, durability, workloadSeed, trees, kill, round);
            if (background.equals("maintain")) {
                checkBallast(store, round);
            }
        }
    }

    /** The ballast the child wrote before it said "open": every even key, with its value, in every tree. */
    private static void checkBallast(Path store, int round) throws Exception {
        TreeMap<String, Integer> expected = new TreeMap<>();
        for (int i = 0; i < CrashChild.BALLAST; i += 2) {
            expected.put(CrashChild.ballast(i), 40);
        }
        try (Database db = Database.open(store)) {
            // frames a compaction's checkpoint published before the kill are released; nothing a tree reaches
            long orphans = db.gc();
            System.out.println("round " + round + ": gc released " + orphans + " frames no tree reached");
            assertEquals(0, db.gc(), "round " + round + ": a second gc finds nothing");
            for (String name : CrashWorkload.TREES) {
                TreeMap<String, Integer> actual = new TreeMap<>();
                db.openTree(name).scan(CrashWorkload.bytes("ballast/"))
                        .forEach(e -> actual.put(e.keyString(), e.value().length));
                assertEquals(expected, actual, "round " + round + ", tree " + name + ": the ballast");
            }
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
