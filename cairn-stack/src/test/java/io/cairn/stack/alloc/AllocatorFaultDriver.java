package io.cairn.stack.alloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackOptions;
import io.cairn.stack.StackFormat;
import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fault injection through the I/O seam: for every operation of two fixed scenarios and every N, the Nth write
 * fails, or is torn, or the Nth force fails; then the file is either reopened as it is or after a simulated
 * power loss ({@link FaultyStorageIo#crash()}). After the reopen: the structure is valid, every allocation that
 * was live before the operation (other than the operation's own subject) is intact and rebuildable, the bytes
 * unaccounted for stay within {@link AllocatorFactory#leakBound}, and the recovered allocator keeps working
 * (fresh allocations never overlap survivors; everything can be freed).
 */
final class AllocatorFaultDriver {

    /** One operation under test, given the allocator and the setup slices. */
    @FunctionalInterface
    interface Operation {
        void apply(Allocator allocator, List<Slice> setup) throws IOException;
    }

    /** One operation and the setup slices it changes (their state afterwards is either the old or the new). */
    record Case(String name, List<Integer> touched, Operation op) {
    }

    /**
     * Allocations made (and written) before each faulted operation, the index of the one then freed, the largest
     * allocation any operation involves (for {@link AllocatorFactory#leakBound}), and the operations.
     */
    record Scenario(long[] setup, int freed, long largest, List<Case> cases) {
    }

    /** How a fault is injected. */
    enum Fault { FAIL_WRITE, TEAR_WRITE, FAIL_FORCE }

    private final AllocatorFactory factory;
    private final Path dir;
    /** The format of the stacks the allocators are created in. */
    private final StackFormat format;
    private int runs;

    AllocatorFaultDriver(AllocatorFactory factory, Path dir, StackFormat format) {
        this.factory = factory;
        this.dir = dir;
        this.format = format;
    }

    /**
     * Small blocks (A 100, B 300 freed, C 40, D 700, E 900 at the tail): list hits with and without a split,
     * tail growth, middle and tail frees, every realloc direction (moving, absorbing the free neighbour with and
     * without a split, at the tail), bulk.
     */
    static Scenario smallBlocks() {
        return new Scenario(new long[] {100, 300, 40, 700, 900}, 1, 1500, List.of(
                new Case("alloc small", List.of(), (a, s) -> a.alloc(24)),
                new Case("alloc exact fit", List.of(), (a, s) -> a.alloc(290)),
                new Case("alloc large", List.of(), (a, s) -> a.alloc(1200)),
                new Case("dealloc middle", List.of(2), (a, s) -> a.dealloc(s.get(2))),
                new Case("dealloc tail", List.of(4), (a, s) -> a.dealloc(s.get(4))),
                new Case("realloc grow middle", List.of(0), (a, s) -> resize(a, s.get(0), 600)),
                new Case("realloc grow into the free neighbour", List.of(0), (a, s) -> resize(a, s.get(0), 300)),
                new Case("realloc grow over the free neighbour", List.of(0), (a, s) -> resize(a, s.get(0), 400)),
                new Case("realloc shrink middle", List.of(3), (a, s) -> resize(a, s.get(3), 50)),
                new Case("realloc grow tail", List.of(4), (a, s) -> resize(a, s.get(4), 1500)),
                new Case("realloc shrink tail", List.of(4), (a, s) -> resize(a, s.get(4), 30)),
                new Case("alloc bulk", List.of(), (a, s) -> {
                    if (a instanceof BulkAllocator bulk) {
                        bulk.allocBulk(10, 200, 0, 50);
                    }
                }),
                new Case("dealloc bulk", List.of(0, 2, 4), (a, s) -> {
                    if (a instanceof BulkAllocator bulk) {
                        bulk.deallocBulk(List.of(s.get(2), s.get(0), s.get(4)));
                    }
                })));
    }

    /**
     * Blocks past every segregated size class and past one push (A 100, B 20,000 freed, C 40, D 9,000, E 30,000 at
     * the tail): reuse of part of a large free block, large tail growth, shrinks that free thousands of bytes,
     * a move into the large free block.
     */
    static Scenario largeBlocks() {
        return new Scenario(new long[] {100, 20_000, 40, 9_000, 30_000}, 1, 80_000, List.of(
                new Case("alloc part of a large free block", List.of(), (a, s) -> a.alloc(5_000)),
                new Case("alloc past one push", List.of(), (a, s) -> a.alloc(70_000)),
                new Case("dealloc large middle", List.of(3), (a, s) -> a.dealloc(s.get(3))),
                new Case("dealloc large tail", List.of(4), (a, s) -> a.dealloc(s.get(4))),
                new Case("realloc move into a large free block", List.of(0), (a, s) -> resize(a, s.get(0), 12_000)),
                new Case("realloc shrink large middle", List.of(3), (a, s) -> resize(a, s.get(3), 100)),
                new Case("realloc shrink large tail", List.of(4), (a, s) -> resize(a, s.get(4), 100)),
                new Case("realloc grow large tail", List.of(4), (a, s) -> resize(a, s.get(4), 80_000))));
    }

    private static void resize(Allocator a, Slice slice, long newLength) throws IOException {
        try {
            a.realloc(slice, newLength);
        } catch (UnsupportedOperationException e) {
            // The linear allocator resizes only its tail: nothing was written.
        }
    }

    /** Runs every case of both scenarios under every fault at every position until the case completes unfaulted. */
    int runAll() throws IOException {
        for (Scenario scenario : List.of(smallBlocks(), largeBlocks())) {
            for (Case c : scenario.cases()) {
                for (Fault fault : Fault.values()) {
                    for (boolean crash : new boolean[] {false, true}) {
                        for (int n = 1; ; n++) {
                            if (!runOne(scenario, c, fault, n, crash)) {
                                break;
                            }
                        }
                    }
                }
            }
        }
        return runs;
    }

    /** One faulted run; returns whether the fault fired (so a later N is worth trying). */
    private boolean runOne(Scenario scenario, Case c, Fault fault, int n, boolean crash) throws IOException {
        runs++;
        String what = factory.name() + " on " + format + " '" + c.name() + "' with " + fault + " #" + n + (crash ? " + crash" : "");
        Path file = dir.resolve("fault-" + runs + ".stack");
        FaultyStorageIo io = FaultyStorageIo.withoutRealSyncs();
        if (format == StackFormat.V0_4) {
            io.atomicWriteBlock(256); // what a 0.4 stack relies on; a 0.2 write may tear anywhere
        }
        BStackOptions options = BStackOptions.defaults().withIo(io).withFormat(format);
        Random random = new Random(runs);
        Map<Slice, byte[]> before = new LinkedHashMap<>();
        List<Slice> setup = new ArrayList<>();
        Allocator allocator = factory.create(BStack.open(file, options));
        for (long length : scenario.setup()) {
            Slice s = allocator.alloc(length);
            byte[] content = new byte[(int) length];
            random.nextBytes(content);
            s.write(content);
            setup.add(s);
            before.put(s, content);
        }
        allocator.dealloc(setup.get(scenario.freed()));
        before.remove(setup.get(scenario.freed()));
        switch (fault) {
            case FAIL_WRITE -> io.failWrite(n);
            case TEAR_WRITE -> io.tearWrite(n);
            case FAIL_FORCE -> io.failForce(n);
        }
        boolean fired;
        try {
            c.op().apply(allocator, setup);
            fired = false;
        } catch (IOException e) {
            fired = true;
        }
        io.clearFaults();
        if (crash) {
            io.crash();
        }
        try {
            allocator.close();
        } catch (IOException ignored) {
            // The handle may be dead after a crash; the reopen below is what matters.
        }
        List<Slice> inFlux = c.touched().stream().map(setup::get).toList();
        try (Allocator reopened = factory.open(BStack.open(file, options))) {
            check(what, reopened, before, inFlux, scenario.largest());
        } catch (IOException | RuntimeException | AssertionError e) {
            throw new AssertionError(what + ": " + e, e);
        } finally {
            Files.deleteIfExists(file);
        }
        return fired;
    }

    private void check(String what, Allocator allocator, Map<Slice, byte[]> before, List<Slice> inFlux,
            long largest) throws IOException {
        AllocatorReport report = allocator.verify();
        assertTrue(report.structureValid(), () -> what + ": " + report);
        long leaked = report.unaccounted().orElse(0);
        assertTrue(leaked <= factory.leakBound(largest), () -> what + ": leaked " + leaked + " bytes, more than "
                + factory.leakBound(largest) + ": " + report);
        List<Slice> survivors = new ArrayList<>();
        for (Map.Entry<Slice, byte[]> e : before.entrySet()) {
            Slice old = e.getKey();
            if (inFlux.contains(old)) {
                continue;
            }
            Slice rebuilt = allocator.slice(old.offset(), old.length());
            assertArrayEquals(e.getValue(), rebuilt.read(), () -> what + ": live " + old + " damaged");
            survivors.add(rebuilt);
        }
        // The recovered structure must keep working: fresh blocks never overlap survivors, all can be freed.
        List<Slice> fresh = new ArrayList<>();
        for (long length : new long[] {24, 300, 1000, 16, 700}) {
            Slice s = allocator.alloc(length);
            for (Slice other : survivors) {
                if (s.offset() < other.end() && other.offset() < s.end()) {
                    fail(what + ": fresh " + s + " overlaps surviving " + other);
                }
            }
            s.write(new byte[(int) length]);
            fresh.add(s);
        }
        for (Slice s : survivors) {
            allocator.dealloc(s);
        }
        for (Slice s : fresh) {
            allocator.dealloc(s);
        }
        AllocatorReport after = allocator.verify();
        assertTrue(after.structureValid(), () -> what + ": after reuse: " + after);
    }
}
