package io.cairn.stack.alloc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackOptions;
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
 * Fault injection through the I/O seam: for every operation of a fixed repertoire and every N, the Nth write
 * fails, or is torn, or the Nth force fails; then the file is either reopened as it is or after a simulated
 * power loss ({@link FaultyStorageIo#crash()}). After the reopen: the structure is valid, every allocation that
 * was live before the operation (other than the operation's own subject) is intact and rebuildable, the bytes
 * unaccounted for stay within {@link AllocatorFactory#leakBound}, and the recovered allocator keeps working
 * (fresh allocations never overlap survivors; everything can be freed).
 */
final class AllocatorFaultDriver {

    /** One operation under test, given the allocator and the setup slices (index 1 is already freed). */
    @FunctionalInterface
    interface Operation {
        void apply(Allocator allocator, List<Slice> setup) throws IOException;
    }

    /** How a fault is injected. */
    enum Fault { FAIL_WRITE, TEAR_WRITE, FAIL_FORCE }

    private static final long[] SETUP = {100, 300, 40, 700, 900};
    private static final long LARGEST = 1500;

    private final AllocatorFactory factory;
    private final Path dir;
    private int runs;

    AllocatorFaultDriver(AllocatorFactory factory, Path dir) {
        this.factory = factory;
        this.dir = dir;
    }

    /**
     * The operations over the setup (A 100, B 300 freed, C 40, D 700, E 900 at the tail): list hits with and
     * without a split, tail growth, middle and tail frees, every realloc direction (moving, absorbing the free
     * neighbour with and without a split, at the tail), bulk.
     */
    static Map<String, Operation> repertoire() {
        Map<String, Operation> ops = new LinkedHashMap<>();
        ops.put("alloc small", (a, s) -> a.alloc(24));
        ops.put("alloc exact fit", (a, s) -> a.alloc(290));
        ops.put("alloc large", (a, s) -> a.alloc(1200));
        ops.put("dealloc middle", (a, s) -> a.dealloc(s.get(2)));
        ops.put("dealloc tail", (a, s) -> a.dealloc(s.get(4)));
        ops.put("realloc grow middle", (a, s) -> resize(a, s.get(0), 600));
        ops.put("realloc grow into the free neighbour", (a, s) -> resize(a, s.get(0), 300));
        ops.put("realloc grow over the free neighbour", (a, s) -> resize(a, s.get(0), 400));
        ops.put("realloc shrink middle", (a, s) -> resize(a, s.get(3), 50));
        ops.put("realloc grow tail", (a, s) -> resize(a, s.get(4), LARGEST));
        ops.put("realloc shrink tail", (a, s) -> resize(a, s.get(4), 30));
        ops.put("alloc bulk", (a, s) -> {
            if (a instanceof BulkAllocator bulk) {
                bulk.allocBulk(10, 200, 0, 50);
            }
        });
        ops.put("dealloc bulk", (a, s) -> {
            if (a instanceof BulkAllocator bulk) {
                bulk.deallocBulk(List.of(s.get(2), s.get(0), s.get(4)));
            }
        });
        return ops;
    }

    private static void resize(Allocator a, Slice slice, long newLength) throws IOException {
        try {
            a.realloc(slice, newLength);
        } catch (UnsupportedOperationException e) {
            // The linear allocator resizes only its tail: nothing was written.
        }
    }

    /** Runs every operation under every fault at every position until the operation completes unfaulted. */
    int runAll() throws IOException {
        for (Map.Entry<String, Operation> op : repertoire().entrySet()) {
            for (Fault fault : Fault.values()) {
                for (boolean crash : new boolean[] {false, true}) {
                    for (int n = 1; ; n++) {
                        if (!runOne(op.getKey(), op.getValue(), fault, n, crash)) {
                            break;
                        }
                    }
                }
            }
        }
        return runs;
    }

    /** One faulted run; returns whether the fault fired (so a later N is worth trying). */
    private boolean runOne(String name, Operation op, Fault fault, int n, boolean crash) throws IOException {
        runs++;
        String what = factory.name() + " '" + name + "' with " + fault + " #" + n + (crash ? " + crash" : "");
        Path file = dir.resolve("fault-" + runs + ".stack");
        FaultyStorageIo io = new FaultyStorageIo(new UnsyncedStorageIo());
        BStackOptions options = BStackOptions.defaults().withIo(io);
        Random random = new Random(runs);
        Map<Slice, byte[]> before = new LinkedHashMap<>();
        List<Slice> setup = new ArrayList<>();
        Allocator allocator = factory.create(BStack.open(file, options));
        for (long length : SETUP) {
            Slice s = allocator.alloc(length);
            byte[] content = new byte[(int) length];
            random.nextBytes(content);
            s.write(content);
            setup.add(s);
            before.put(s, content);
        }
        allocator.dealloc(setup.get(1));
        before.remove(setup.get(1));
        switch (fault) {
            case FAIL_WRITE -> io.failWrite(n);
            case TEAR_WRITE -> io.tearWrite(n);
            case FAIL_FORCE -> io.failForce(n);
        }
        boolean fired;
        try {
            op.apply(allocator, setup);
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
        try (Allocator reopened = factory.open(BStack.open(file, options))) {
            check(what, reopened, before, opTouched(name, setup));
        } catch (IOException | RuntimeException | AssertionError e) {
            throw new AssertionError(what + ": " + e, e);
        } finally {
            Files.deleteIfExists(file);
        }
        return fired;
    }

    /** Setup slices an operation changes: after a fault their state is either the old or the new one. */
    private static List<Slice> opTouched(String name, List<Slice> setup) {
        return switch (name) {
            case "dealloc middle" -> List.of(setup.get(2));
            case "dealloc tail", "realloc grow tail", "realloc shrink tail" -> List.of(setup.get(4));
            case "realloc grow middle", "realloc grow into the free neighbour", "realloc grow over the free neighbour" ->
                    List.of(setup.get(0));
            case "realloc shrink middle" -> List.of(setup.get(3));
            case "dealloc bulk" -> List.of(setup.get(0), setup.get(2), setup.get(4));
            default -> List.of();
        };
    }

    private void check(String what, Allocator allocator, Map<Slice, byte[]> before, List<Slice> inFlux)
            throws IOException {
        AllocatorReport report = allocator.verify();
        assertTrue(report.structureValid(), () -> what + ": " + report);
        long leaked = report.unaccounted().orElse(0);
        assertTrue(leaked <= factory.leakBound(LARGEST), () -> what + ": leaked " + leaked + " bytes, more than "
                + factory.leakBound(LARGEST) + ": " + report);
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
