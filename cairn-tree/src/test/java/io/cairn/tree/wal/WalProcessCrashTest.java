package io.cairn.tree.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.Durability;
import io.cairn.stack.StorageIo;
import io.cairn.stack.testkit.ChildJvm;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real crashes: a child JVM appends from several threads (with rolls and retirements beside them) and prints an
 * acknowledgement after each durable append ({@code SYNC}) or each returned {@code sync()} ({@code ASYNC}); the
 * test SIGKILLs it at a random moment, drains its output, reopens the log (cutting any torn tail) and checks that
 * every acknowledged record is there with its content, that every record there is one the child appended, and
 * that the next child appends after them. Rounds alternate {@code SYNC} and {@code ASYNC} on one log.
 */
class WalProcessCrashTest {
    /** Kill rounds in the default suite; the soak test takes {@code -Dcairn.soak.walKillRounds} (default 500). */
    private static final int ROUNDS = 20;
    private static final int THREADS = 4;

    @TempDir
    Path dir;

    static byte[] key(int round, int thread, int i) {
        return ("/r" + round + "/t" + thread + "/" + i).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] value(int round, int thread, int i) {
        Random random = new Random(((long) round << 40) ^ ((long) thread << 32) ^ i);
        byte[] value = new byte[random.nextInt(200)];
        random.nextBytes(value);
        return value;
    }

    /**
     * The child: {@code DIR DURABILITY ROUND} appends forever from {@value #THREADS} threads, printing
     * {@code ack SEQ THREAD I} once the record is acknowledged, {@code synced SEQ} after a returned sync covering
     * SEQ, and {@code retire SEQ} before retiring through SEQ.
     */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            PrintStream out = new PrintStream(System.out, true);
            Durability durability = Durability.valueOf(args[1]);
            int round = Integer.parseInt(args[2]);
            WriteAheadLog log = WriteAheadLog.open(Path.of(args[0]),
                    WalTesting.options(durability, StorageIo.fileSystem()).withBufferBytes(16 * 1024));
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; ; i++) {
                            long seq = log.appendPut(thread, key(round, thread, i), value(round, thread, i), i + 1);
                            if (durability == Durability.SYNC) {
                                log.awaitDurable(seq);
                                out.println("ack " + seq + " " + thread + " " + i);
                            } else if (i % 10 == 9) {
                                long through = log.lastSequence();
                                log.sync();
                                out.println("synced " + through);
                            }
                        }
                    } catch (Exception e) {
                        e.printStackTrace();
                        System.exit(1);
                    }
                });
            }
            for (int n = 1; ; n++) {
                Thread.sleep(5);
                log.rollSegment();
                if (n % 3 == 0 && log.durableSequence() > 50) {
                    long through = log.durableSequence() - 50;
                    out.println("retire " + through);
                    log.retireThrough(through);
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
        killRounds(Integer.getInteger("cairn.soak.walKillRounds", 500));
    }

    private void killRounds(int rounds) throws Exception {
        Path wal = dir.resolve("wal");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long retired = 0;
        long tornTails = 0;
        for (int round = 0; round < rounds; round++) {
            Durability durability = round % 2 == 0 ? Durability.SYNC : Durability.ASYNC;
            String where = "seed " + seed + ", round " + round + " (" + durability + ")";
            long firstOfRound;
            try (WriteAheadLog log = WriteAheadLog.openReadOnly(wal, StorageIo.fileSystem())) {
                firstOfRound = log.lastSequence() + 1;
            }
            Map<Long, int[]> acks = new HashMap<>();
            long synced = 0;
            try (ChildJvm child = ChildJvm.start(Child.class, wal.toString(), durability.name(),
                    Integer.toString(round))) {
                int waitFor = 1 + random.nextInt(150);
                int seen = 0;
                while (seen < waitFor) {
                    String line = child.nextLine(Duration.ofSeconds(60));
                    assertNotNull(line, where + ": the child ended early; stderr:\n" + child.stderr());
                    seen++;
                    synced = Math.max(synced, parse(line, acks));
                    retired = Math.max(retired, retiredIn(line));
                }
                Thread.sleep(random.nextInt(30));
                assertEquals(128 + 9, child.kill(), where + ": not killed by SIGKILL; stderr:\n" + child.stderr());
                for (String line : child.takeAvailableLines()) {
                    synced = Math.max(synced, parse(line, acks));
                    retired = Math.max(retired, retiredIn(line));
                }
            }
            try (WriteAheadLog log = WriteAheadLog.open(wal, WalTesting.options(Durability.SYNC,
                    StorageIo.fileSystem()))) {
                long last = log.lastSequence();
                tornTails += log.stats().tornBytesCut() > 0 ? 1 : 0;
                for (long seq : acks.keySet()) {
                    assertTrue(seq <= last, where + ": acknowledged record " + seq + " is gone; the log ends at "
                            + last);
                }
                assertTrue(synced <= last, where + ": synced through " + synced + " but the log ends at " + last);
                int round0 = round;
                List<LogEntry> entries = WalTesting.replayAll(log, Math.max(retired, firstOfRound - 1));
                for (LogEntry entry : entries) {
                    Redo.Put put = (Redo.Put) entry.redo();
                    int thread = put.treeId();
                    int i = (int) put.version() - 1;
                    assertArrayEquals(key(round0, thread, i), put.key(), where + ": record " + entry.sequence());
                    assertArrayEquals(value(round0, thread, i), put.value(), where + ": record " + entry.sequence());
                    int[] ack = acks.get(entry.sequence());
                    if (ack != null) {
                        assertEquals(ack[0], thread, where + ": record " + entry.sequence());
                        assertEquals(ack[1], i, where + ": record " + entry.sequence());
                    }
                }
            }
        }
        try (WriteAheadLog log = WriteAheadLog.openReadOnly(wal, StorageIo.fileSystem())) {
            System.out.println(rounds + " kills: " + log.lastSequence() + " records, retired through " + retired
                    + ", " + log.stats().segments() + " segments left, torn tails cut after " + tornTails + " kills");
        }
    }

    /** Notes an acknowledgement; returns the sequence a {@code synced} line covers (0 for other lines). */
    private static long parse(String line, Map<Long, int[]> acks) {
        String[] parts = line.split(" ");
        return switch (parts[0]) {
            case "ack" -> {
                acks.put(Long.parseLong(parts[1]), new int[] {Integer.parseInt(parts[2]), Integer.parseInt(parts[3])});
                yield 0;
            }
            case "synced" -> Long.parseLong(parts[1]);
            case "retire" -> 0;
            default -> throw new AssertionError("unexpected child output: " + line);
        };
    }

    private static long retiredIn(String line) {
        return line.startsWith("retire ") ? Long.parseLong(line.substring("retire ".length())) : 0;
    }
}
