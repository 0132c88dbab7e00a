package io.cairn.tree;

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
 * operation — a put, a batch, a rename, a checkpoint with its manifest publication — fails; then the process ends
 * with or without a simulated power loss (everything not forced dropped), and the tree is reopened. With
 * {@code SYNC} durability the reopened tree must hold every acknowledged operation, plus possibly the failed one
 * (whose effect may have reached the log before the fault), and nothing else; it must accept writes again.
 */
class DurableFaultTest {
    @TempDir
    Path dir;

    private record Scenario(String name, Consumer<Tree> operation, Consumer<TreeMap<String, String>> effect) {}

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private static final List<Scenario> SCENARIOS = List.of(
            new Scenario("put", t -> t.put(b("dir-1/new"), b("N")), m -> m.put("dir-1/new", "N")),
            new Scenario("batch", t -> t.atomic(batch -> batch.put(b("dir-2/x"), b("X")).delete(b("dir-1/k3"))
                    .put(b("dir-3/y"), b("Y"))), m -> {
                        m.put("dir-2/x", "X");
                        m.remove("dir-1/k3");
                        m.put("dir-3/y", "Y");
                    }),
            new Scenario("rename", t -> t.rename(b("dir-0/k0"), b("dir-9/moved"), false),
                    m -> m.put("dir-9/moved", m.remove("dir-0/k0"))),
            new Scenario("checkpoint", Tree::checkpoint, m -> { }));

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
        assertTrue(cases >= 12, "each operation must reach at least one fault point, with and without a power loss: "
                + cases);
    }

    /** Returns false if the fault was never reached. */
    private boolean runOne(Path store, Scenario s, String fault, int n, boolean powerLoss) throws IOException {
        FaultyStorageIo io = new FaultyStorageIo(new UnsyncedIo());
        TreeMap<String, String> model = new TreeMap<>();
        Tree t = Tree.open(store, TreeOptions.defaults().io(io).frameSize(8192));
        for (int i = 0; i < 120; i++) {
            String k = "dir-" + i % 4 + "/k" + i;
            t.put(b(k), b("v" + i));
            model.put(k, "v" + i);
        }
        t.checkpoint();
        t.put(b("dir-0/after"), b("a"));
        model.put("dir-0/after", "a");
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
        try (Tree again = Tree.open(store, TreeOptions.defaults().io(new FaultyStorageIo(new UnsyncedIo())))) {
            TreeMap<String, String> actual = contents(again);
            if (acknowledged) {
                assertEquals(withOp, actual, what + ": acknowledged, so it must be there");
            } else if (!actual.equals(model) && !actual.equals(withOp)) {
                fail(what + ": neither the state before nor after the failed operation: " + diff(model, actual));
            }
            again.put(b("dir-0/later"), b("L"));
        }
        try (Tree last = Tree.openReadOnly(store)) {
            assertEquals("L", new String(last.get(b("dir-0/later")), UTF_8), what + ": the reopened tree works");
        }
        return true;
    }

    private static TreeMap<String, String> contents(Tree t) {
        TreeMap<String, String> out = new TreeMap<>();
        for (ScanEntry e : t.scan(new byte[0])) {
            out.put(e.keyString(), new String(e.value(), UTF_8));
        }
        return out;
    }

    private static String diff(Map<String, String> expected, Map<String, String> actual) {
        TreeMap<String, String> missing = new TreeMap<>(expected);
        missing.keySet().removeAll(actual.keySet());
        TreeMap<String, String> extra = new TreeMap<>(actual);
        extra.keySet().removeAll(expected.keySet());
        return "missing " + missing + ", extra " + extra;
    }
}
