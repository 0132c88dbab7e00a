package io.cairn.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.testkit.ChildJvm;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real crashes and real cross-process locking: a child JVM appends self-describing records and acknowledges each
 * after the call returns; the test SIGKILLs it at random moments, reopens the file and checks that every
 * acknowledged record is present and intact and that the payload is exactly a sequence of whole records (an
 * interrupted push or pushAll leaves nothing visible).
 */
class BStackProcessCrashTest {
    /**
     * Kill rounds in the default suite: enough for kills at several points and a file reopened after a crash to be
     * appended to and crashed again (each round costs a JVM start); the soak test takes
     * {@code -Dcairn.soak.killRounds} (default 200).
     */
    private static final int ROUNDS = 4;

    @TempDir
    Path dir;

    /** Record i: {@code index:i32 length:i32 payload[length]}, the payload derived from (seed, i). */
    static byte[] record(long seed, int index) {
        Random random = new Random(seed * 1_000_003L + index);
        byte[] payload = new byte[1 + random.nextInt(300)];
        random.nextBytes(payload);
        return ByteBuffer.allocate(8 + payload.length).putInt(index).putInt(payload.length).put(payload).array();
    }

    /**
     * The child: {@code append FILE SEED FIRST} appends forever; {@code hold FILE}, {@code try FILE} and {@code fcntl
     * FILE} (whether the file's POSIX lock alone is held) for the lock tests.
     */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            PrintStream out = new PrintStream(System.out, true);
            Path path = Path.of(args[1]);
            switch (args[0]) {
                case "append" -> append(path, Long.parseLong(args[2]), Integer.parseInt(args[3]), out);
                case "hold" -> {
                    try (BStack stack = BStack.open(path)) {
                        out.println("holding " + stack.length());
                        Thread.sleep(Duration.ofMinutes(5));
                    }
                }
                case "try" -> {
                    try (BStack stack = BStack.open(path)) {
                        out.println("opened " + stack.length());
                    } catch (IOException e) {
                        out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
                    }
                }
                case "fcntl" -> { // the POSIX lock alone, as a Cairn that predates flock (or any fcntl user) sees it
                    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
                            FileLock lock = channel.tryLock()) {
                        out.println(lock == null ? "fcntl held" : "fcntl free");
                    }
                }
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        }

        private static void append(Path path, long seed, int first, PrintStream out) throws IOException {
            Random random = new Random(seed ^ first);
            try (BStack stack = BStack.open(path)) {
                for (int i = first; ; ) {
                    if (random.nextInt(4) == 0) {
                        List<byte[]> batch = new ArrayList<>();
                        int size = 1 + random.nextInt(5);
                        for (int k = 0; k < size; k++) {
                            batch.add(record(seed, i + k));
                        }
                        out.println("batch " + i + " " + size);
                        long[] offsets = stack.pushAll(batch);
                        for (long offset : offsets) {
                            out.println("ack " + i++ + " " + offset);
                        }
                    } else {
                        long offset = stack.push(record(seed, i));
                        out.println("ack " + i++ + " " + offset);
                    }
                }
            }
        }
    }

    @Test
    void everyAcknowledgedRecordSurvivesSigkill() throws Exception {
        killRounds(ROUNDS);
    }

    @Test
    @Tag("soak")
    void everyAcknowledgedRecordSurvivesManySigkills() throws Exception {
        killRounds(Integer.getInteger("cairn.soak.killRounds", 200));
    }

    private void killRounds(int rounds) throws Exception {
        Path path = dir.resolve("crash.bstack");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int present = 0;
        for (int round = 0; round < rounds; round++) {
            String where = "seed " + seed + ", round " + round;
            List<long[]> acks = new ArrayList<>();
            List<long[]> batches = new ArrayList<>();
            try (ChildJvm child = ChildJvm.start(Child.class, "append", path.toString(), Long.toString(seed),
                    Integer.toString(present))) {
                int waitFor = 1 + random.nextInt(150);
                while (acks.size() < waitFor) {
                    String line = child.nextLine(Duration.ofSeconds(60));
                    assertNotNull(line, where + ": the child ended early; stderr:\n" + child.stderr());
                    parse(line, acks, batches);
                }
                Thread.sleep(random.nextInt(30));
                assertEquals(128 + 9, child.kill(), where + ": not killed by SIGKILL");
                for (String line : child.takeAvailableLines()) {
                    parse(line, acks, batches);
                }
            }
            try (BStack stack = BStack.open(path)) {
                List<Long> offsets = verifyRecords(stack, seed, where);
                long lastAcked = acks.getLast()[0];
                assertTrue(offsets.size() > lastAcked, where + ": acknowledged record " + lastAcked
                        + " is missing; only " + offsets.size() + " records survived");
                for (long[] ack : acks) {
                    assertEquals(ack[1], offsets.get((int) ack[0]), where + ": record " + ack[0] + " moved");
                }
                present = offsets.size();
                for (long[] batch : batches) {
                    assertTrue(present <= batch[0] || present >= batch[0] + batch[1], where + ": only part of the "
                            + "pushAll of records " + batch[0] + ".." + (batch[0] + batch[1] - 1) + " survived");
                }
            }
        }
    }

    /** Sorts a child's line into acknowledgements (index, offset) and started batches (first index, size). */
    private static void parse(String line, List<long[]> acks, List<long[]> batches) {
        String[] parts = line.split(" ");
        long[] values = {Long.parseLong(parts[1]), Long.parseLong(parts[2])};
        switch (parts[0]) {
            case "ack" -> acks.add(values);
            case "batch" -> batches.add(values);
            default -> throw new AssertionError("unexpected child output: " + line);
        }
    }

    /** Parses the whole payload as records 0, 1, 2, ...; returns their offsets. */
    private static List<Long> verifyRecords(BStack stack, long seed, String where) throws IOException {
        List<Long> offsets = new ArrayList<>();
        long at = 0;
        long length = stack.length();
        while (at < length) {
            assertTrue(length - at >= 8, where + ": a partial record header at " + at);
            ByteBuffer header = ByteBuffer.allocate(8);
            stack.getInto(at, header);
            int index = header.getInt(0);
            int size = header.getInt(4);
            assertEquals(offsets.size(), index, where + ": record order at offset " + at);
            assertTrue(size > 0 && size <= 300 && at + 8 + size <= length,
                    where + ": record " + index + " of " + size + " bytes at " + at + " crosses the end " + length);
            assertArrayEquals(record(seed, index), stack.get(at, at + 8 + size), where + ": record " + index);
            offsets.add(at);
            at += 8 + size;
        }
        return offsets;
    }

    @Test
    void aWriterInAnotherProcessMakesOpenFailAtOnceNamingThePath() throws Exception {
        Path path = dir.resolve("held.bstack");
        try (ChildJvm child = ChildJvm.start(Child.class, "hold", path.toString())) {
            assertEquals("holding 0", child.nextLine(Duration.ofSeconds(60)));
            long start = System.nanoTime();
            StoreLockedException e = assertThrows(StoreLockedException.class, () -> BStack.open(path));
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 5, "open must not wait");
            assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
            assertThrows(StoreLockedException.class, () -> BStack.openReadOnly(path));
            child.kill();
        }
        BStack.open(path).close(); // the OS released the dead process's lock
    }

    @Test
    void aSecondWriterInAnotherProcessFailsNamingThePath() throws Exception {
        Path path = dir.resolve("mine.bstack");
        try (BStack stack = BStack.open(path)) {
            stack.push(new byte[] {1, 2, 3});
            try (ChildJvm child = ChildJvm.start(Child.class, "try", path.toString())) {
                String line = child.nextLine(Duration.ofSeconds(60));
                assertNotNull(line, child.stderr());
                assertTrue(line.startsWith("StoreLockedException: "), line);
                assertTrue(line.contains(path.toString()), line);
                assertEquals(0, child.awaitExit(Duration.ofSeconds(60)));
            }
        }
    }
}
