package io.cairn.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * For every mutating operation, every fault kind and every N: fail or tear the Nth write, or fail the Nth
 * force, optionally followed by a simulated power loss; the reopened stack must hold exactly the content before
 * or after the operation. Where the outcome is determined it is checked exactly: a returned operation is
 * durable; a failed write is rolled back and the handle stays usable; a failed force fails the handle; after a
 * crash, an operation that threw left nothing behind.
 */
class BStackFaultInjectionTest {
    @TempDir
    Path dir;

    /** 40 bytes of committed content every operation starts from. */
    private static final byte[] BASE = pattern(40, 1);

    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] overwrite(byte[] content, int offset, byte[] data) {
        byte[] out = content.clone();
        System.arraycopy(data, 0, out, offset, data.length);
        return out;
    }

    @FunctionalInterface
    interface Mutation {
        void apply(BStack stack) throws IOException;
    }

    /** An operation and the model of its effect on {@link #BASE}. */
    record Op(String name, Mutation mutation, UnaryOperator<byte[]> model) {}

    private static List<Op> operations() {
        byte[] ten = pattern(10, 2);
        byte[] four = pattern(4, 3);
        byte[] nine = pattern(9, 4);
        return List.of(
                new Op("push", s -> s.push(ten), c -> concat(c, ten)),
                new Op("push(ByteBuffer)", s -> s.push(ByteBuffer.wrap(ten)), c -> concat(c, ten)),
                new Op("pushAll", s -> s.pushAll(List.of(four, nine, ten)),
                        c -> concat(concat(concat(c, four), nine), ten)),
                new Op("extend", s -> s.extend(6), c -> Arrays.copyOf(c, c.length + 6)),
                new Op("pop", s -> s.pop(7), c -> Arrays.copyOf(c, c.length - 7)),
                new Op("popInto", s -> s.popInto(new byte[7]), c -> Arrays.copyOf(c, c.length - 7)),
                new Op("discard", s -> s.discard(40), c -> new byte[0]),
                new Op("set", s -> s.set(5, nine), c -> overwrite(c, 5, nine)),
                new Op("zero", s -> s.zero(3, 20), c -> overwrite(c, 3, new byte[20])),
                new Op("atrunc growing", s -> s.atrunc(4, nine), c -> concat(Arrays.copyOf(c, c.length - 4), nine)),
                new Op("atrunc shrinking", s -> s.atrunc(9, four),
                        c -> concat(Arrays.copyOf(c, c.length - 9), four)),
                new Op("atrunc same length", s -> s.atrunc(4, four),
                        c -> concat(Arrays.copyOf(c, c.length - 4), four)),
                new Op("splice", s -> s.splice(10, nine), c -> concat(Arrays.copyOf(c, c.length - 10), nine)),
                new Op("spliceInto", s -> s.spliceInto(new byte[3], ten),
                        c -> concat(Arrays.copyOf(c, c.length - 3), ten)),
                new Op("tryExtend", s -> assertTrue(s.tryExtend(40, ten)), c -> concat(c, ten)),
                new Op("tryExtendZeros", s -> assertTrue(s.tryExtendZeros(40, 5)),
                        c -> Arrays.copyOf(c, c.length + 5)),
                new Op("tryDiscard", s -> assertTrue(s.tryDiscard(40, 11)), c -> Arrays.copyOf(c, c.length - 11)),
                new Op("swap", s -> s.swap(30, ten), c -> overwrite(c, 30, ten)),
                new Op("cas", s -> assertTrue(s.cas(0, Arrays.copyOf(BASE, 4), four)), c -> overwrite(c, 0, four)),
                new Op("replace growing", s -> s.replace(2, tail -> nine),
                        c -> concat(Arrays.copyOf(c, c.length - 2), nine)),
                new Op("replace shrinking", s -> s.replace(12, tail -> four),
                        c -> concat(Arrays.copyOf(c, c.length - 12), four)),
                new Op("process", s -> s.process(10, 20, b -> Arrays.fill(b, (byte) 0x5A)),
                        c -> overwrite(c, 10, filled(10, 0x5A))),
                new Op("outputStream write", s -> s.newOutputStream().write(ten), c -> concat(c, ten)),
                new Op("push(InputStream)", s -> s.push(BStackStreamPushTest.trickle(ten, 3)), c -> concat(c, ten)));
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    enum Fault { FAIL_WRITE, TEAR_WRITE, FAIL_FORCE }

    private Path freshStack(String name) throws IOException {
        Path path = dir.resolve(name);
        ByteBuffer file = ByteBuffer.allocate(16 + BASE.length).order(ByteOrder.LITTLE_ENDIAN);
        file.put(BStackFormat.MAGIC).putLong(BASE.length).put(BASE);
        Files.write(path, file.array());
        return path;
    }

    private static byte[] reopenedContent(Path path) throws IOException {
        try (BStack stack = BStack.open(path)) {
            return stack.peek(0);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFaultLeavesTheStateBeforeOrAfter() {
        return operations().stream().map(op -> DynamicTest.dynamicTest(op.name(), () -> {
            int cases = 0;
            for (Fault fault : Fault.values()) {
                for (boolean crash : new boolean[] {false, true}) {
                    for (long n = 1; ; n++) {
                        if (!runCase(op, fault, n, crash)) {
                            break;
                        }
                        cases++;
                    }
                }
            }
            assertTrue(cases >= 6, op.name() + ": only " + cases + " fault cases were reached");
        }));
    }

    /** Runs one case; returns false when the operation finished before reaching the Nth write or force. */
    private boolean runCase(Op op, Fault fault, long n, boolean crash) throws IOException {
        String where = op.name() + ", " + fault + " #" + n + (crash ? ", then crash" : "");
        byte[] before = BASE;
        byte[] after = op.model().apply(BASE);
        Path path = freshStack("case.bstack");
        FaultyStorageIo io = new FaultyStorageIo();
        BStack stack = BStack.open(path, BStackOptions.defaults().withIo(io));
        long writes0 = io.writes();
        long forces0 = io.forces();
        switch (fault) {
            case FAIL_WRITE -> io.failWrite(n);
            case TEAR_WRITE -> io.tearWrite(n);
            case FAIL_FORCE -> io.failForce(n);
        }
        IOException thrown = null;
        try {
            op.mutation().apply(stack);
        } catch (IOException e) {
            thrown = e;
        }
        boolean reached = fault == Fault.FAIL_FORCE ? io.forces() - forces0 >= n : io.writes() - writes0 >= n;
        io.clearFaults();
        if (!reached) {
            stack.close();
            if (thrown != null) {
                fail(where + ": threw without a fault", thrown);
            }
            return false;
        }
        if (thrown == null) {
            fail(where + ": the injected fault was swallowed");
        }
        if (!crash && fault != Fault.FAIL_FORCE) {
            // A failed write is rolled back in place and the handle stays usable.
            assertArrayEquals(before, stack.peek(0), where + ": not rolled back in memory");
            op.mutation().apply(stack);
            assertArrayEquals(after, stack.peek(0), where + ": the retried operation");
            before = after; // the retry committed
        }
        if (!crash && fault == Fault.FAIL_FORCE) {
            IOException failed = assertThrows(IOException.class, () -> stack.push(new byte[] {1}), where);
            assertTrue(failed.getMessage().contains("must be reopened"), where + ": " + failed.getMessage());
        }
        if (crash) {
            io.crash();
        }
        stack.close();
        byte[] reopened = reopenedContent(path);
        boolean isBefore = Arrays.equals(before, reopened);
        boolean isAfter = Arrays.equals(after, reopened);
        assertTrue(isBefore || isAfter, where + ": reopened content is neither before nor after: "
                + HexFormat.of().formatHex(reopened));
        if (crash) {
            assertTrue(isBefore, where + ": after a crash, an operation that threw must leave nothing");
        }
        return true;
    }

    @Test
    void faultsDuringRecoveryOnOpenStillRecoverTheCommittedPrefix() throws IOException {
        for (Fault fault : Fault.values()) {
            for (boolean crash : new boolean[] {false, true}) {
                for (long n = 1; n <= 3; n++) {
                    String where = "open, " + fault + " #" + n + (crash ? ", then crash" : "");
                    Path path = freshStack("recover.bstack");
                    Files.write(path, pattern(13, 9), java.nio.file.StandardOpenOption.APPEND); // phantom tail
                    FaultyStorageIo io = new FaultyStorageIo();
                    switch (fault) {
                        case FAIL_WRITE -> io.failWrite(n);
                        case TEAR_WRITE -> io.tearWrite(n);
                        case FAIL_FORCE -> io.failForce(n);
                    }
                    try {
                        BStack.open(path, BStackOptions.defaults().withIo(io)).close();
                    } catch (IOException expected) {
                        // the open failed; the file must still recover below
                    }
                    if (crash) {
                        io.crash();
                    }
                    assertArrayEquals(BASE, reopenedContent(path), where);
                    assertEquals(16 + BASE.length, Files.size(path), where);
                }
            }
        }
    }
}
