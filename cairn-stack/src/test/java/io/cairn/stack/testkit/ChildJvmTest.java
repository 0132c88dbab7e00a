package io.cairn.stack.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The child-process helper must deliver every printed line and really SIGKILL the child. */
class ChildJvmTest {

    /** Prints its arguments, one per line in a single write, then either exits or blocks until killed. */
    public static final class Echo {
        public static void main(String[] args) throws InterruptedException {
            boolean block = args[0].equals("block");
            StringBuilder lines = new StringBuilder();
            for (int i = 1; i < args.length; i++) {
                lines.append(args[i]).append('\n');
            }
            System.out.print(lines);
            System.out.flush();
            if (block) {
                Thread.sleep(Duration.ofMinutes(5));
            }
            System.exit(3);
        }
    }

    /**
     * Prints the numbers 0, 1, 2, ... one per line until killed, in chunks of {@link #CHUNK} lines: each chunk is
     * first appended to the file named by its argument (which survives SIGKILL) and then written to standard
     * output, so the file tells which chunks the child had finished printing before it died.
     */
    public static final class Flood {
        static final int CHUNK = 100;

        public static void main(String[] args) throws IOException {
            try (FileOutputStream record = new FileOutputStream(args[0], true);
                    FileOutputStream out = new FileOutputStream(FileDescriptor.out)) {
                for (int first = 0; ; first += CHUNK) {
                    StringBuilder chunk = new StringBuilder();
                    for (int i = first; i < first + CHUNK; i++) {
                        chunk.append(i).append('\n');
                    }
                    byte[] bytes = chunk.toString().getBytes(StandardCharsets.US_ASCII);
                    record.write(bytes);
                    out.write(bytes);
                }
            }
        }
    }

    @Test
    void linesArriveInOrderAndEndAtExit() throws Exception {
        try (ChildJvm child = ChildJvm.start(Echo.class, "exit", "one", "two")) {
            assertEquals("one", child.nextLine(Duration.ofSeconds(30)));
            assertEquals("two", child.nextLine(Duration.ofSeconds(30)));
            assertNull(child.nextLine(Duration.ofSeconds(30)));
            assertEquals(3, child.awaitExit(Duration.ofSeconds(30)));
        }
    }

    @Test
    void killSendsSigkillAndKeepsWhatWasPrinted() throws Exception {
        try (ChildJvm child = ChildJvm.start(Echo.class, "block", "a", "b")) {
            assertEquals("a", child.nextLine(Duration.ofSeconds(30)));
            assertEquals(128 + 9, child.kill()); // 137: killed by signal 9
            assertEquals(List.of("b"), child.takeAvailableLines());
        }
    }

    /**
     * Kills a child that keeps the pipe full, so many lines are still in transit at the kill: all of them must
     * still arrive (a kill that closes the pipe drops them, and the allocator kill driver then misses the
     * acknowledgement of the child's last operations).
     */
    @Test
    void killDeliversEveryLinePrintedBeforeDeath(@TempDir Path dir) throws Exception {
        Path record = dir.resolve("printed.txt");
        int received = 0;
        String cutShort = null;
        try (ChildJvm child = ChildJvm.start(Flood.class, record.toString())) {
            for (; received <= 20_000; received++) {
                assertEquals(Integer.toString(received), child.nextLine(Duration.ofSeconds(30)));
            }
            assertEquals(128 + 9, child.kill());
            for (String line; (line = child.nextLine(Duration.ofSeconds(30))) != null; received++) {
                assertNull(cutShort, "only the last line may be cut short, but more followed it");
                String expected = Integer.toString(received);
                if (!line.equals(expected)) {
                    assertTrue(expected.startsWith(line), "line " + line + " where " + expected + " was expected");
                    cutShort = line; // the kill interrupted the write of this line
                }
            }
        }
        long recordedLines = Files.readString(record, StandardCharsets.US_ASCII).chars().filter(c -> c == '\n')
                .count();
        // Every chunk but the last one recorded was fully written to standard output before the child died.
        long printed = (recordedLines / Flood.CHUNK - 1) * Flood.CHUNK;
        assertTrue(received >= printed, "received " + received + " lines; the child had printed " + printed);
    }
}
