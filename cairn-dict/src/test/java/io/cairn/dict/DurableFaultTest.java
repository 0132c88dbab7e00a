package io.cairn.dict;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cairn.stack.Durability;
import io.cairn.stack.testkit.FaultyStorageIo;
import io.cairn.tree.TreeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fault injection through the I/O seam: for every N, the Nth write (failed or torn) or force made by one change of
 * a durable dictionary — an insert, a remove, a value, an increment, a batch, a prefix removal, a checkpoint — fails;
 * the process then ends with or without a simulated power loss and the dictionary is reopened. Under {@code SYNC}
 * it must hold every acknowledged change, plus possibly the failed one, with a stored count equal to its terms, and
 * accept changes again. A vocabulary add under every fault point keeps both mappings in step. Under {@code ASYNC},
 * a power loss at a random moment keeps a prefix of the changes that includes everything before the last
 * {@code sync()}.
 */
class DurableFaultTest {
    @TempDir
    Path dir;

    private record Scenario(String name, Consumer<DurableDictionary> change, Consumer<TreeMap<String, String>> effect) {}

    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(UTF_8));
    }

    private static final List<Scenario> SCENARIOS = List.of(
            new Scenario("insert", d -> d.insert("new"), m -> m.putIfAbsent("new", "")),
            new Scenario("remove", d -> d.remove("w3"), m -> m.remove("w3")),
            new Scenario("value", d -> d.insertWithValue("w4", "V".getBytes(UTF_8)), m -> m.put("w4", hex("V"))),
            new Scenario("increment", d -> d.increment("count", 3), m -> m.put("count", String.format("%016x", 8))),
            new Scenario("batch", d -> d.insertBatch(List.of("b1", "w5", "b2")), m -> {
                m.putIfAbsent("b1", "");
                m.putIfAbsent("b2", "");
            }),
            new Scenario("removePrefix", d -> d.removePrefix("w1"), m -> m.keySet().removeIf(t -> t.startsWith("w1"))),
            new Scenario("checkpoint", DurableDictionary::checkpoint, m -> { }));

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fail-write", "tear-write", "fail-force"})
    void everyFaultOfEveryChangeKeepsTheAcknowledgedState(String fault) throws IOException {
        int cases = 0;
        for (Scenario s : SCENARIOS) {
            for (boolean powerLoss : new boolean[] {false, true}) {
                for (int n = 1;; n++) {
                    Path store = Files.createDirectory(dir.resolve(fault + "-" + s.name() + "-" + powerLoss + "-" + n));
                    if (!runOne(store, s, fault, n, powerLoss)) {
                        break; // the change made fewer than n writes (or forces): every fault point was tried
                    }
                    cases++;
                }
            }
        }
        System.out.println(fault + ": " + cases + " fault points");
        assertTrue(cases >= 14, "each change must reach a fault point, with and without a power loss: " + cases);
    }

    /** Returns false if the fault was never reached. */
    private boolean runOne(Path store, Scenario s, String fault, int n, boolean powerLoss) throws IOException {
        FaultyStorageIo io = FaultyStorageIo.withoutRealSyncs();
        TreeMap<String, String> model = new TreeMap<>();
        DurableDictionary d = DurableDictionary.open(store, TreeOptions.defaults().io(io));
        for (int i = 0; i < 30; i++) {
            model.put("w" + i, "");
        }
        d.insertBatch(model.keySet());
        d.increment("count", 5);
        model.put("count", String.format("%016x", 5));
        d.checkpoint();
        d.insertWithValue("w2", "v".getBytes(UTF_8));
        model.put("w2", hex("v"));
        Fate fate = underFault(io, fault, n, powerLoss, d, () -> s.change().accept(d));
        if (fate == Fate.NOT_REACHED) {
            return false;
        }
        boolean acknowledged = fate == Fate.ACKNOWLEDGED;
        TreeMap<String, String> withChange = new TreeMap<>(model);
        s.effect().accept(withChange);
        String what = fault + " #" + n + " of " + s.name() + (powerLoss ? " with power loss" : "");
        try (DurableDictionary again = DurableDictionary.open(store,
                TreeOptions.defaults().io(FaultyStorageIo.withoutRealSyncs()))) {
            TreeMap<String, String> actual = DurableWorkload.contents(again, "");
            if (acknowledged) {
                assertEquals(withChange, actual, what + ": acknowledged, so it must be there");
            } else if (!actual.equals(model) && !actual.equals(withChange)) {
                fail(what + ": neither the state before nor after the failed change: " + actual);
            }
            assertEquals(actual.size(), again.size(), what + ": the stored count");
            again.insert("later");
        }
        try (DurableDictionary last = DurableDictionary.openReadOnly(store)) {
            assertTrue(last.contains("later"), what + ": the reopened dictionary works");
        }
        return true;
    }

    /** What became of a change made under a fault. */
    private enum Fate { NOT_REACHED, ACKNOWLEDGED, FAILED }

    /**
     * Runs {@code change} with the {@code n}-th write (failed or torn: {@code fault}) or force from now failing, then
     * ends the store's life in this process: a simulated power loss, or a close (whose report of the failure again
     * is ignored). {@code NOT_REACHED} if the change made fewer than {@code n} writes (or forces).
     */
    private static Fate underFault(FaultyStorageIo io, String fault, int n, boolean powerLoss, AutoCloseable store,
            Runnable change) throws IOException {
        long writes = io.writes();
        long forces = io.forces();
        switch (fault) {
            case "fail-write" -> io.failWrite(n);
            case "tear-write" -> io.tearWrite(n);
            default -> io.failForce(n);
        }
        Fate fate;
        try {
            change.run();
            fate = Fate.ACKNOWLEDGED;
        } catch (RuntimeException e) {
            fate = Fate.FAILED;
        }
        boolean reached = fault.equals("fail-force") ? io.forces() - forces >= n : io.writes() - writes >= n;
        io.clearFaults();
        if (reached && powerLoss) {
            io.crash();
        } else {
            try {
                store.close();
            } catch (Exception ignored) {
                // a failed store's close reports the failure again; its files are released
            }
        }
        return reached ? fate : Fate.NOT_REACHED;
    }

    /**
     * A vocabulary add under every fault point, with and without a power loss: after reopening, the ids run densely
     * from 0, both mappings agree, the term trie holds the same terms, and the add is all there (it must be if it
     * was acknowledged) or not at all; the next add gets the next id.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fail-write", "tear-write", "fail-force"})
    void everyFaultOfAVocabularyAddKeepsItsMappingsInStep(String fault) throws IOException {
        List<String> before = new ArrayList<>();
        for (int i = 0; i <= 20; i++) {
            before.add("w" + i);
        }
        List<String> after = new ArrayList<>(before);
        after.addAll(List.of("x", "y", "z"));
        int cases = 0;
        for (boolean powerLoss : new boolean[] {false, true}) {
            for (int n = 1;; n++) {
                Path store = Files.createDirectory(dir.resolve("vocabulary-" + fault + "-" + powerLoss + "-" + n));
                FaultyStorageIo io = FaultyStorageIo.withoutRealSyncs();
                DurableVocabulary v = DurableVocabulary.open(store, TreeOptions.defaults().io(io));
                v.addAll(before.subList(0, 20));
                v.checkpoint();
                v.add("w20");
                Fate fate = underFault(io, fault, n, powerLoss, v, () -> v.addAll(List.of("x", "y", "z")));
                if (fate == Fate.NOT_REACHED) {
                    break;
                }
                cases++;
                String what = fault + " #" + n + " of a vocabulary add" + (powerLoss ? " with power loss" : "");
                try (DurableVocabulary again = DurableVocabulary.open(store,
                        TreeOptions.defaults().io(FaultyStorageIo.withoutRealSyncs()))) {
                    List<String> byId = new ArrayList<>();
                    for (long id = 0; id < again.size(); id++) {
                        byId.add(again.getTerm(id));
                    }
                    if (fate == Fate.ACKNOWLEDGED) {
                        assertEquals(after, byId, what + ": acknowledged, so it must be there");
                    } else if (!byId.equals(before) && !byId.equals(after)) {
                        fail(what + ": neither the terms before nor after the failed add: " + byId);
                    }
                    for (int id = 0; id < byId.size(); id++) {
                        assertEquals(id, again.getId(byId.get(id)), what + ": term -> id of " + byId.get(id));
                    }
                    assertEquals(new TreeSet<>(byId).stream().toList(), again.terms().toList(), what + ": the trie");
                    assertEquals(byId.size(), again.add("later"), what + ": the next id");
                }
            }
        }
        System.out.println(fault + ": " + cases + " vocabulary fault points");
        assertTrue(cases >= 2, "the add must reach a fault point, with and without a power loss: " + cases);
    }

    @Test
    void asyncPowerLossKeepsAPrefixThroughTheLastSync() throws IOException {
        SplittableRandom rnd = new SplittableRandom(29);
        for (int round = 0; round < 12; round++) {
            Path store = Files.createDirectory(dir.resolve("async-" + round));
            FaultyStorageIo io = FaultyStorageIo.withoutRealSyncs();
            DurableDictionary d = DurableDictionary.open(store, TreeOptions.defaults().io(io)
                    .durability(Durability.ASYNC));
            long seed = rnd.nextLong();
            DurableWorkload w = new DurableWorkload(0, seed);
            TreeMap<String, String> model = new TreeMap<>();
            int total = 50 + rnd.nextInt(300);
            int synced = 0;
            for (int i = 1; i <= total; i++) {
                w.step(d, model);
                if (rnd.nextInt(40) == 0) {
                    d.sync();
                    synced = i;
                }
                if (rnd.nextInt(150) == 0) {
                    d.checkpoint();
                }
            }
            io.crash();
            try (DurableDictionary again = DurableDictionary.open(store,
                    TreeOptions.defaults().io(FaultyStorageIo.withoutRealSyncs()))) {
                TreeMap<String, String> actual = DurableWorkload.contents(again, w.prefix());
                List<TreeMap<String, String>> states = DurableWorkload.states(0, seed, total);
                boolean found = false;
                for (int j = synced; j <= total && !found; j++) {
                    found = states.get(j).equals(actual);
                }
                assertTrue(found, "round " + round + ": " + total + " changes, synced through " + synced
                        + "; recovered " + actual);
                assertEquals(actual.size(), again.size(), "round " + round + ": the stored count");
            }
        }
    }
}
