package io.cairn.tree;

import io.cairn.stack.testkit.UnsyncedStorageIo;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fault injection through the I/O seam: for every N, the Nth write (failed, or torn) or the Nth force made by one
 * operation — a put, a batch, a batch across trees, a rename, creating or dropping a tree, a checkpoint with its
 * manifest publication — fails; then the process ends with or without a simulated power loss (everything not forced
 * dropped), and the store is reopened. With {@code SYNC} durability the reopened store must hold every acknowledged
 * operation, plus possibly the failed one whole (whose effect may have reached the log before the fault), and nothing
 * else: a batch across trees is in all its trees or in none. It must accept writes again. The store is a database
 * of two trees, "one" and "two"; the model maps "tree:key" to the value, and "tree:" marks that the tree exists.
 */
class DurableFaultTest {
    @TempDir
    Path dir;

    private record Scenario(String name, Consumer<Database> operation, Consumer<TreeMap<String, String>> effect) {}

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private static final List<Scenario> SCENARIOS = List.of(
            new Scenario("put", db -> db.openTree("one").put(b("dir-1/new"), b("N")),
                    m -> m.put("one:dir-1/new", "N")),
            new Scenario("batch", db -> db.openTree("one").atomic(batch -> batch.put(b("dir-2/x"), b("X"))
                    .delete(b("dir-1/k3")).put(b("dir-3/y"), b("Y"))), m -> {
                        m.put("one:dir-2/x", "X");
                        m.remove("one:dir-1/k3");
                        m.put("one:dir-3/y", "Y");
                    }),
            new Scenario("batch across trees", db -> db.atomic(x -> {
                x.tree("one").put(b("dir-2/x"), b("X")).delete(b("dir-1/k5"));
                x.tree("two").assertVersion(b("dir-0/k0"), db.openTree("two").getRecord(b("dir-0/k0")).version())
                        .put(b("dir-3/y"), b("Y")).delete(b("dir-2/k2"));
            }), m -> {
                m.put("one:dir-2/x", "X");
                m.remove("one:dir-1/k5");
                m.put("two:dir-3/y", "Y");
                m.remove("two:dir-2/k2");
            }),
            new Scenario("rename", db -> db.openTree("one").rename(b("dir-0/k0"), b("dir-9/moved"), false),
                    m -> m.put("one:dir-9/moved", m.remove("one:dir-0/k0"))),
            new Scenario("create tree", db -> db.createTree("three"), m -> m.put("three:", "")),
            new Scenario("drop tree", db -> db.dropTree("two"), m -> m.keySet().removeIf(k -> k.startsWith("two:"))),
            new Scenario("checkpoint", Database::checkpoint, m -> { }));

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fail-write", "tear-write", "fail-force"})
    void everyFaultOfEveryOperationKeepsExactlyTheAcknowledgedState(String fault) throws IOException {
        int cases = 0;
        for (Scenario s : SCENARIOS) {
            for (boolean powerLoss : new boolean[] {false, true}) {
                for (int n = 1;; n++) {
                    Path store = Files.createDirectory(dir.resolve(fault + "-" + s.name() + "-" + powerLoss + "-" + n));
                    if (!runOne(store, s, fault, n, powerLoss)) {
                        break; // the operation made fewer than n writes (or forces): every fault point was tried
                    }
                    cases++;
                }
            }
        }
        System.out.println(fault + ": " + cases + " fault points");
        assertTrue(cases >= 2 * SCENARIOS.size(), "each operation must reach at least one fault point, with and"
                + " without a power loss: " + cases);
    }

    /** Returns false if the fault was never reached. */
    private boolean runOne(Path store, Scenario s, String fault, int n, boolean powerLoss) throws IOException {
        FaultyStorageIo io = new FaultyStorageIo(new UnsyncedStorageIo());
        TreeMap<String, String> model = new TreeMap<>();
        Database t = Database.open(store, TreeOptions.defaults().io(io).frameSize(8192));
        for (String tree : List.of("one", "two")) {
            t.createTree(tree);
            model.put(tree + ":", "");
            for (int i = 0; i < 60; i++) {
                String k = "dir-" + i % 4 + "/k" + i;
                t.openTree(tree).put(b(k), b("v" + i));
                model.put(tree + ":" + k, "v" + i);
            }
        }
        t.checkpoint();
        t.openTree("one").put(b("dir-0/after"), b("a"));
        model.put("one:dir-0/after", "a");
        long writes = io.writes();
        long forces = io.forces();
        switch (fault) {
            case "fail-write" -> io.failWrite(n);
            case "tear-write" -> io.tearWrite(n);
            default -> io.failForce(n);
        }
        boolean acknowledged;
        try {
            s.operation().accept(t);
            acknowledged = true;
        } catch (RuntimeException e) {
            acknowledged = false;
        }
        boolean reached = fault.equals("fail-force") ? io.forces() - forces >= n : io.writes() - writes >= n;
        io.clearFaults();
        if (!reached) {
            t.close();
            return false;
        }
        TreeMap<String, String> withOp = new TreeMap<>(model);
        s.effect().accept(withOp);
        if (powerLoss) {
            io.crash();
        } else {
            try {
                t.close();
            } catch (RuntimeException ignored) {
                // a failed store's close reports the failure again; its files are released
            }
        }
        String what = fault + " #" + n + " of " + s.name() + (powerLoss ? " with power loss" : "");
        try (Database again = Database.open(store, TreeOptions.defaults().io(new FaultyStorageIo(new UnsyncedStorageIo())))) {
            TreeMap<String, String> actual = DatabaseContents.asText(again);
            if (acknowledged) {
                assertEquals(withOp, actual, what + ": acknowledged, so it must be there");
            } else if (!actual.equals(model) && !actual.equals(withOp)) {
                fail(what + ": neither the state before nor after the failed operation: " + diff(model, actual));
            }
            again.openTree("one").put(b("dir-0/later"), b("L"));
        }
        try (Database last = Database.openReadOnly(store)) {
            assertEquals("L", new String(last.openTree("one").get(b("dir-0/later")), UTF_8),
                    what + ": the reopened store works");
        }
        return true;
    }

    private static String diff(Map<String, String> expected, Map<String, String> actual) {
        TreeMap<String, String> missing = new TreeMap<>(expected);
        missing.keySet().removeAll(actual.keySet());
        TreeMap<String, String> extra = new TreeMap<>(actual);
        extra.keySet().removeAll(expected.keySet());
        return "missing " + missing + ", extra " + extra;
    }
}
