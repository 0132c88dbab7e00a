package io.cairn.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cairn.stack.testkit.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Locks that hold: a refused open in this process must not release the lock another handle of this process
 * holds (POSIX drops all of a process's fcntl locks on a file when any descriptor of it is closed), and a Cairn
 * handle and a reference bstack process (which takes BSD {@code flock}, here util-linux {@code flock(1)}) exclude
 * each other.
 */
class BStackLockTest {
    @TempDir
    Path dir;

    /** What a child JVM's {@code try} open (writable) printed: {@code opened N} or the exception. */
    private static String childTries(Path path) throws Exception {
        return child("try", path);
    }

    /**
     * What a child JVM printed after trying the file's POSIX ({@code fcntl}) lock alone: {@code fcntl held} or
     * {@code fcntl free}. The flock Cairn also takes would refuse a Cairn child even if the fcntl lock were gone;
     * an older Cairn, or any other fcntl user, relies on the fcntl lock.
     */
    private static String childTriesFcntl(Path path) throws Exception {
        return child("fcntl", path);
    }

    private static String child(String mode, Path path) throws Exception {
        try (ChildJvm child = ChildJvm.start(BStackProcessCrashTest.Child.class, mode, path.toString())) {
            String line = child.nextLine(Duration.ofSeconds(60));
            assertNotNull(line, child.stderr());
            assertEquals(0, child.awaitExit(Duration.ofSeconds(60)), child.stderr());
            return line;
        }
    }

    @Test
    void refusedOpensInThisProcessKeepTheWritersLockAgainstOtherProcesses() throws Exception {
        Path path = dir.resolve("w.bstack");
        try (BStack writer = BStack.open(path)) {
            writer.push(new byte[] {1, 2, 3});
            assertThrows(StoreLockedException.class, () -> BStack.open(path));
            assertThrows(StoreLockedException.class, () -> BStack.openReadOnly(path));
            assertThrows(StoreLockedException.class, () -> BStack.check(path));
            String line = childTries(path);
            assertTrue(line.startsWith("StoreLockedException: "), "the child opened the held file: " + line);
            assertEquals("fcntl held", childTriesFcntl(path), "a refused open dropped the writer's fcntl lock");
        }
        assertEquals("opened 3", childTries(path), "released once the writer closed");
        assertEquals("fcntl free", childTriesFcntl(path));
    }

    @Test
    void readersClosingAndARefusedWriterKeepTheSharedLockOfTheReaderLeft() throws Exception {
        Path path = dir.resolve("r.bstack");
        BStack.open(path).close();
        try (BStack reader = BStack.openReadOnly(path)) {
            BStack.openReadOnly(path).close();
            assertThrows(StoreLockedException.class, () -> BStack.open(path));
            assertEquals(0, reader.length());
            String line = childTries(path);
            assertTrue(line.startsWith("StoreLockedException: "), "the child opened a file being read: " + line);
            assertEquals("fcntl held", childTriesFcntl(path), "the reader's shared fcntl lock was dropped");
        }
    }

    // ---------------------------------------------------------------- flock(1), as the reference locks

    /** util-linux {@code flock(1)} on the PATH; the test is skipped (nothing is installed) if it is absent. */
    private static String flockBinary() {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(entry, "flock");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        assumeTrue(false, "util-linux flock(1) is not installed");
        return null;
    }

    /** Runs {@code flock -n [-s] FILE true}: whether flock(1) could take the lock at once. */
    private static boolean flockCanTake(Path path, boolean shared) throws Exception {
        List<String> command = new ArrayList<>(List.of(flockBinary(), "-n"));
        if (shared) {
            command.add("-s");
        }
        command.addAll(List.of(path.toString(), "true"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "flock -n did not return");
        return p.exitValue() == 0;
    }

    @Test
    void whileCairnHoldsAStackFlockCannotTakeIt() throws Exception {
        Path path = dir.resolve("c.bstack");
        try (BStack writer = BStack.open(path)) {
            assertTrue(!flockCanTake(path, false), "flock -n took the file a Cairn writer holds");
            assertTrue(!flockCanTake(path, true), "flock -n -s took the file a Cairn writer holds");
        }
        try (BStack reader = BStack.openReadOnly(path)) {
            assertTrue(!flockCanTake(path, false), "flock -n took the file a Cairn reader holds");
            assertTrue(flockCanTake(path, true), "readers share");
        }
        assertTrue(flockCanTake(path, false), "released on close");
    }

    @Test
    void whileFlockHoldsAFileCairnCannotOpenIt() throws Exception {
        Path path = dir.resolve("f.bstack");
        BStack.open(path).close();
        Process holder = startFlockHolder(path, false);
        try {
            StoreLockedException e = assertThrows(StoreLockedException.class, () -> BStack.open(path));
            assertTrue(e.getMessage().contains(path.toString()) && e.getMessage().contains("flock"), e.getMessage());
            assertThrows(StoreLockedException.class, () -> BStack.openReadOnly(path));
        } finally {
            stop(holder);
        }
        BStack.open(path).close();
        Process sharedHolder = startFlockHolder(path, true);
        try {
            BStack.openReadOnly(path).close();
            assertThrows(StoreLockedException.class, () -> BStack.open(path));
        } finally {
            stop(sharedHolder);
        }
    }

    /** Starts {@code flock -o [-s] FILE sleep 120} and waits until it holds the lock. */
    private static Process startFlockHolder(Path path, boolean shared) throws Exception {
        List<String> command = new ArrayList<>(List.of(flockBinary(), "-o"));
        if (shared) {
            command.add("-s");
        }
        command.addAll(List.of(path.toString(), "sleep", "120"));
        Process holder = new ProcessBuilder(command).redirectErrorStream(true).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (flockCanTake(path, false)) {
            assertTrue(holder.isAlive() && System.nanoTime() < deadline, "flock(1) never took the lock");
            Thread.sleep(20);
        }
        return holder;
    }

    /** Kills the holder (and its sleep) by process id; flock -o keeps the lock in the flock process only. */
    private static void stop(Process holder) throws InterruptedException {
        holder.descendants().forEach(ProcessHandle::destroyForcibly);
        holder.destroyForcibly();
        assertNotEquals(-1, holder.waitFor(), "flock(1) did not end");
    }
}
