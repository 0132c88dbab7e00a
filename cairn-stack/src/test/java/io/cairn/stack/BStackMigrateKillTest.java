package io.cairn.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.testkit.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BStack#migrate} in a child JVM killed with SIGKILL at random moments (while it copies, forces, renames or
 * syncs the directory, or after it finished): the path then holds the intact 0.2 original or the finished 0.4
 * file, never anything else, and a second migrate (of the original, past a left-over {@code .migrating} sibling)
 * finishes the job.
 */
class BStackMigrateKillTest {
    private static final int ROUNDS = 6;
    /** Large enough that the copy and its fdatasync take a while, so most kills land inside migrate. */
    private static final int PAYLOAD = 16 << 20;

    @TempDir
    Path dir;

    /** The child: {@code FILE}; prints {@code migrating}, migrates, prints {@code done}. */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            System.out.println("migrating");
            System.out.flush();
            BStack.migrate(Path.of(args[0]));
            System.out.println("done");
            System.out.flush();
        }
    }

    @Test
    void aKilledMigrateLeavesTheOriginalOrTheFinishedFile() throws Exception {
        byte[] payload = new byte[PAYLOAD];
        new Random(13).nextBytes(payload);
        Path path = dir.resolve("old.bstack");
        Path sibling = dir.resolve("old.bstack.migrating");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int killedInside = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String where = "seed " + seed + ", round " + round;
            Files.deleteIfExists(path);
            Files.deleteIfExists(sibling);
            try (BStack stack = BStack.open(path, BStackOptions.defaults().withFormat(StackFormat.V0_2))) {
                stack.push(payload);
            }
            byte[] original = digest(Files.readAllBytes(path));
            boolean done = false;
            try (ChildJvm child = ChildJvm.start(Child.class, path.toString())) {
                assertEquals("migrating", child.nextLine(Duration.ofSeconds(60)), where + "; stderr:\n"
                        + child.stderr());
                Thread.sleep(random.nextInt(120));
                child.kill();
                for (String line = child.nextLine(Duration.ofSeconds(60)); line != null;
                        line = child.nextLine(Duration.ofSeconds(60))) {
                    done |= line.equals("done");
                }
            }
            byte[] found = Files.readAllBytes(path);
            boolean isOriginal = Arrays.equals(original, digest(found));
            if (isOriginal) {
                assertFalse(done, where + ": migrate said done, but the path holds the original");
                killedInside++;
                assertTrue(BStack.migrate(path), where + ": the second migrate");
            } else {
                assertEquals(32 + PAYLOAD, found.length, where + ": neither the original nor the 0.4 file");
                killedInside += done ? 0 : 1;
            }
            assertFalse(BStack.migrate(path), where + ": already 0.4");
            try (BStack stack = BStack.open(path)) {
                assertEquals(StackFormat.V0_4, stack.format(), where);
                assertEquals(PAYLOAD, stack.length(), where);
                assertArrayEquals(digest(payload), digest(stack.get(0, PAYLOAD)), where + ": the payload");
            }
            assertFalse(Files.exists(sibling), where + ": a .migrating sibling was left behind");
        }
        assertTrue(killedInside > 0, "seed " + seed + ": every kill came after migrate finished");
    }

    private static byte[] digest(byte[] bytes) throws NoSuchAlgorithmException {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
