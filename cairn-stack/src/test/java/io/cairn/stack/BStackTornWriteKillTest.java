package io.cairn.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.testkit.ChildJvm;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Torn in-place writes under SIGKILL: a child JVM overwrites a 64 KiB region with alternating patterns, one
 * {@code set} at a time, and is killed at random moments. Linux ends a large write at a page boundary when a
 * fatal signal arrives, so on a 0.2 file (a plain write) the region can be left half old, half new; on a 0.4 file
 * the journal makes every set all or nothing. After each kill the region must be entirely one pattern.
 *
 * <p>The child runs with {@link Durability#NONE}: a process crash keeps everything written to the page cache, so
 * no force is needed for this property, and without forces the kill lands inside a write far more often.
 */
class BStackTornWriteKillTest {
    /**
     * Kill rounds in the default suite (each costs a JVM start; the torn-write case is also proven
     * deterministically through the fault seam in {@code BStackFaultInjectionTest}); the soak test takes
     * {@code -Dcairn.soak.killRounds} (default 200).
     */
    private static final int ROUNDS = 4;
    private static final int REGION = 64 * 1024;
    private static final int ACK_EVERY = 32;
    /** Bytes after the region that no set touches. */
    private static final byte[] TRAILER = "the bytes after the region".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    static byte[] region(long generation) {
        byte[] b = new byte[REGION];
        Arrays.fill(b, generation % 2 == 0 ? (byte) 0xAA : (byte) 0x55);
        return b;
    }

    /**
     * The child: {@code FILE DURABILITY}; sets the two patterns in turn, forever, and prints {@code running} every
     * {@link #ACK_EVERY} sets (rarely, so that most of its time goes to the writes the kill should interrupt).
     */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            PrintStream out = new PrintStream(System.out, true);
            Path path = Path.of(args[0]);
            BStackOptions options = BStackOptions.defaults().withDurability(Durability.valueOf(args[1]));
            byte[][] patterns = {region(0), region(1)};
            try (BStack stack = BStack.open(path, options)) {
                for (long generation = 0; ; generation++) {
                    stack.set(0, patterns[(int) (generation % 2)]);
                    if (generation % ACK_EVERY == 0) {
                        out.println("running");
                    }
                }
            }
        }
    }

    @Test
    void aKilledSetLeavesTheRegionWhollyOldOrWhollyNew() throws Exception {
        killRounds(StackFormat.V0_4, Durability.NONE, ROUNDS);
    }

    @Test
    @Tag("soak")
    void manyKilledSetsLeaveTheRegionWhollyOldOrWhollyNew() throws Exception {
        int rounds = Integer.getInteger("cairn.soak.killRounds", 200);
        killRounds(StackFormat.V0_4, Durability.NONE, rounds);
        killRounds(StackFormat.V0_4, Durability.SYNC, rounds / 4);
    }

    private void killRounds(StackFormat format, Durability durability, int rounds) throws Exception {
        Path path = dir.resolve("torn-" + format + "-" + durability + ".bstack");
        try (BStack stack = BStack.open(path, BStackOptions.defaults().withFormat(format))) {
            stack.push(region(0));
            stack.push(TRAILER);
        }
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int round = 0; round < rounds; round++) {
            String where = format + " " + durability + ", seed " + seed + ", round " + round;
            try (ChildJvm child = ChildJvm.start(Child.class, path.toString(), durability.name())) {
                int waitFor = 1 + random.nextInt(4);
                for (int i = 0; i < waitFor; i++) {
                    assertNotNull(child.nextLine(Duration.ofSeconds(60)), where + ": the child ended early; stderr:\n"
                            + child.stderr());
                }
                Thread.sleep(random.nextInt(5));
                assertEquals(128 + 9, child.kill(), where + ": not killed by SIGKILL");
            }
            try (BStack stack = BStack.open(path)) {
                assertEquals(format, stack.format());
                assertEquals(REGION + TRAILER.length, stack.length(), where);
                byte[] bytes = stack.get(0, REGION);
                assertTrue(bytes[0] == region(0)[0] || bytes[0] == region(1)[0], where + ": neither pattern");
                int mixedAt = -1;
                for (int i = 1; i < REGION && mixedAt < 0; i++) {
                    if (bytes[i] != bytes[0]) {
                        mixedAt = i;
                    }
                }
                assertEquals(-1, mixedAt, where + ": the region holds a mix of both patterns (first change at byte "
                        + mixedAt + ")");
                assertArrayEquals(TRAILER, stack.get(REGION, REGION + TRAILER.length), where + ": the trailer");
            }
        }
    }
}
