package io.cairn.stack.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
