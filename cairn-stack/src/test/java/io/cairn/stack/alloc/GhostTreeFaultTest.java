package io.cairn.stack.alloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackOptions;
import io.cairn.stack.Durability;
import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection on a tree big enough to rotate (the shared driver's setup has a single free block): for every
 * ghost-tree path (split, exact fit, bulk, merging on both sides, tail cascade, growth into a neighbour, moves,
 * shrink, open's rebuild), every N, the Nth write fails or tears or the Nth force fails, with and without a
 * simulated power loss. The reopened file must verify, keep every live allocation byte for byte, and keep
 * working without ever handing out a survivor's bytes.
 */
class GhostTreeFaultTest {
    private static final int COUNT = 40;
    private static final BStackOptions UNSYNCED = BStackOptions.defaults().withDurability(Durability.NONE);

    @TempDir
    Path dir;
    private Path template;
    private final long[] offsets = new long[COUNT];
    private final long[] lengths = new long[COUNT];
    private final byte[][] contents = new byte[COUNT][];
    private final boolean[] live = new boolean[COUNT];
    private int runs;

    private interface Operation {
        void apply(GhostTreeAllocator a) throws IOException;
    }

    private enum Fault { FAIL_WRITE, TEAR_WRITE, FAIL_FORCE }

    /** 40 allocations of 1..400 bytes; the odd ones below 30 and number 38 freed: 16 free nodes, none adjacent. */
    @BeforeEach
    void buildTemplate() throws IOException {
        template = dir.resolve("template.stack");
        Random random = new Random(42);
        try (GhostTreeAllocator a = GhostTreeAllocator.open(BStack.open(template, UNSYNCED))) {
            for (int i = 0; i < COUNT; i++) {
                lengths[i] = 1 + (i * 97L) % 400;
                Slice s = a.alloc(lengths[i]);
                offsets[i] = s.offset();
                contents[i] = new byte[(int) lengths[i]];
                random.nextBytes(contents[i]);
                s.write(contents[i]);
                live[i] = true;
            }
            for (int i = 0; i < COUNT; i++) {
                if ((i < 30 && i % 2 == 1) || i == 38) {
                    a.dealloc(a.slice(offsets[i], lengths[i]));
                    live[i] = false;
                }
            }
            assertTrue(a.verify().isClean());
        }
    }

    private Slice handle(GhostTreeAllocator a, int i) throws IOException {
        return a.slice(offsets[i], lengths[i]);
    }

    private Map<String, Operation> repertoire() {
        Map<String, Operation> ops = new LinkedHashMap<>();
        ops.put("alloc split", a -> a.alloc(40));
        ops.put("alloc exact fit", a -> a.alloc(GhostTreeLayout.blockSize(lengths[1])));
        ops.put("alloc bulk", a -> a.allocBulk(30, 100, 0, 64));
        ops.put("dealloc merging both sides", a -> a.dealloc(handle(a, 2)));
        ops.put("dealloc tail cascading", a -> a.dealloc(handle(a, 39)));
        ops.put("dealloc bulk", a -> a.deallocBulk(List.of(handle(a, 30), handle(a, 4), handle(a, 31),
                handle(a, 6))));
        ops.put("realloc grow into neighbour", a -> a.realloc(handle(a, 8),
                GhostTreeLayout.blockSize(lengths[8]) + GhostTreeLayout.blockSize(lengths[9]) - 32));
        ops.put("realloc grow moved", a -> a.realloc(handle(a, 12), 2000));
        ops.put("realloc shrink", a -> a.realloc(handle(a, 32), 10));
        return ops;
    }

    /** The allocations an operation changes: afterwards they may be in their old or new state. */
    private static Set<Integer> inFlux(String op) {
        return switch (op) {
            case "dealloc merging both sides" -> Set.of(2);
            case "dealloc tail cascading" -> Set.of(39);
            case "dealloc bulk" -> Set.of(4, 6, 30, 31);
            case "realloc grow into neighbour" -> Set.of(8);
            case "realloc grow moved" -> Set.of(12);
            case "realloc shrink" -> Set.of(32);
            default -> Set.of();
        };
    }

    @Test
    void everyFaultInEveryPathLeavesAValidTreeAndIntactAllocations() throws IOException {
        for (Map.Entry<String, Operation> op : repertoire().entrySet()) {
            for (Fault fault : Fault.values()) {
                for (boolean crash : new boolean[] {false, true}) {
                    for (int n = 1; runOne(op.getKey(), op.getValue(), fault, n, crash); n++) {
                        assertTrue(n < 200, "an operation that never stops writing");
                    }
                }
            }
        }
        assertTrue(runs > 150, "runs: " + runs);
    }

    /** Faults during open's rebuild (a stale height forces one) must leave a file the next open recovers. */
    @Test
    void everyFaultDuringOpenRecoveryIsRecoveredByTheNextOpen() throws IOException {
        long root;
        try (BStack stack = BStack.open(template, UNSYNCED)) {
            root = AbstractAllocator.getLong(stack.get(GhostTreeLayout.ROOT_OFFSET, GhostTreeLayout.ROOT_OFFSET + 8),
                    0);
            stack.set(root + GhostTreeLayout.NODE_HEIGHT_FIELD, new byte[] {77});
        }
        for (Fault fault : Fault.values()) {
            for (boolean crash : new boolean[] {false, true}) {
                for (int n = 1; runOne("open recovery", null, fault, n, crash); n++) {
                    assertTrue(n < 200, "a recovery that never stops writing");
                }
            }
        }
    }

    /** One faulted run; returns whether the fault fired (so the next N is worth trying). */
    private boolean runOne(String name, Operation op, Fault fault, int n, boolean crash) throws IOException {
        runs++;
        String what = "ghost-tree '" + name + "' with " + fault + " #" + n + (crash ? " + crash" : "");
        Path file = dir.resolve("run-" + runs + ".stack");
        Files.copy(template, file);
        FaultyStorageIo io = FaultyStorageIo.withoutRealSyncs(); // the simulated durability is what is checked
        io.atomicWriteBlock(256); // what a 0.4 stack relies on
        BStack stack = BStack.open(file, BStackOptions.defaults().withIo(io));
        GhostTreeAllocator a = null;
        boolean fired = false;
        try {
            if (op != null) {
                a = GhostTreeAllocator.open(stack);
            }
            switch (fault) {
                case FAIL_WRITE -> io.failWrite(n);
                case TEAR_WRITE -> io.tearWrite(n);
                case FAIL_FORCE -> io.failForce(n);
            }
            if (op == null) {
                a = GhostTreeAllocator.open(stack);
            } else {
                op.apply(a);
            }
        } catch (IOException e) {
            fired = true;
        }
        io.clearFaults();
        if (crash) {
            io.crash();
        }
        try {
            if (a != null) {
                a.close();
            } else {
                stack.close();
            }
        } catch (IOException ignored) {
            // A crashed handle may refuse to close; the reopen is what matters.
        }
        try (GhostTreeAllocator reopened = GhostTreeAllocator.open(BStack.open(file, UNSYNCED))) {
            check(what, reopened, inFlux(name));
        } catch (IOException | RuntimeException e) {
            throw new AssertionError(what + ": " + e, e);
        }
        Files.delete(file);
        return fired;
    }

    private void check(String what, GhostTreeAllocator a, Set<Integer> inFlux) throws IOException {
        AllocatorReport report = a.verify();
        assertTrue(report.structureValid(), () -> what + ": " + report);
        List<Slice> survivors = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            if (live[i] && !inFlux.contains(i)) {
                Slice s = a.slice(offsets[i], lengths[i]);
                assertArrayEquals(contents[i], s.read(), what + ": live allocation " + i + " damaged");
                survivors.add(s);
            }
        }
        List<Slice> fresh = new ArrayList<>();
        for (long length : new long[] {24, 300, 1000, 16, 700, 64, 64}) {
            Slice s = a.alloc(length);
            assertArrayEquals(new byte[(int) length], s.read(), what + ": fresh " + s + " is not zeroed");
            for (Slice other : survivors) {
                if (s.offset() < other.end() && other.offset() < s.end()) {
                    fail(what + ": fresh " + s + " overlaps surviving " + other);
                }
            }
            fresh.add(s);
        }
        survivors.addAll(fresh);
        a.deallocBulk(survivors);
        AllocatorReport after = a.verify();
        assertTrue(after.structureValid(), () -> what + ": after freeing everything: " + after);
    }
}
