package io.cairn.stack.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A child JVM for real-process crash and locking tests, shared with the other modules through cairn-stack's
 * test-jar.
 *
 * <p>It runs a main class with the current test class path and the current {@code java} executable. Its
 * standard output is read line by line in the background (a child prints an acknowledgement line after each
 * operation returns); its standard error is collected for failure messages. {@link #kill()} sends SIGKILL, so
 * the child gets no chance to flush or close anything: what survives is what the OS already has.
 */
public final class ChildJvm implements AutoCloseable {
    /** Sentinel queued when the child's standard output ends. */
    private static final String END = new String("<end of output>");

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();
    private final Thread stdoutReader;
    private final Thread stderrReader;
    private boolean ended;
    /** Why a reader stopped before the end of the child's output: the lines taken so far are not all there were. */
    private volatile IOException readFailure;

    private ChildJvm(Process process) {
        this.process = process;
        this.stdoutReader = Thread.ofPlatform().daemon().name("child-stdout-" + process.pid())
                .start(() -> pump(process.getInputStream(), lines::add, () -> lines.add(END)));
        this.stderrReader = Thread.ofPlatform().daemon().name("child-stderr-" + process.pid())
                .start(() -> pump(process.getErrorStream(), line -> {
                    synchronized (stderr) {
                        stderr.append(line).append('\n');
                    }
                }, () -> { }));
    }

    /** Starts {@code mainClass} in a new JVM (heap capped at 256 MiB) with {@code args}. */
    public static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
        Objects.requireNonNull(mainClass, "mainClass");
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(command).start());
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    /**
     * The next line the child printed, waiting at most {@code timeout}; {@code null} once its output has ended.
     *
     * @throws IOException if no line arrives in time (the message includes the child's standard error)
     */
    public String nextLine(Duration timeout) throws IOException, InterruptedException {
        if (ended) {
            return null;
        }
        String line = lines.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (line == null) {
            throw new IOException("child " + pid() + " printed nothing for " + timeout + "; stderr:\n" + stderr());
        }
        if (line == END) {
            ended = true;
            if (readFailure != null) {
                throw new IOException("reading child " + pid() + "'s output failed, so lines it printed may be"
                        + " missing", readFailure);
            }
            return null;
        }
        return line;
    }

    /** The lines already printed and not yet taken, without waiting; fails if reading the output failed. */
    public List<String> takeAvailableLines() throws IOException {
        List<String> taken = new ArrayList<>();
        String line;
        while (!ended && (line = lines.poll()) != null) {
            if (line == END) {
                ended = true;
                if (readFailure != null) {
                    throw new IOException("reading child " + pid() + "'s output failed, so lines it printed may"
                            + " be missing", readFailure);
                }
            } else {
                taken.add(line);
            }
        }
        return taken;
    }

    /**
     * Kills the child with SIGKILL and waits until it has exited and its output is fully read; afterwards
     * {@link #takeAvailableLines()} returns everything it printed before dying. Returns the exit code
     * (137 on Linux for a SIGKILL).
     */
    public int kill() throws InterruptedException {
        // The handle's destroyForcibly() only sends SIGKILL. Process.destroyForcibly() also closes our end of the
        // child's pipes, discarding every line still in transit (printed, not yet read): a crash test then misses
        // the child's last acknowledgements. The pipes end on their own once the child is dead.
        process.toHandle().destroyForcibly();
        return awaitExit(Duration.ofMinutes(1));
    }

    /**
     * Asks the child to stop with SIGTERM (its shutdown hooks run) and waits until it has exited and its output is
     * fully read. Returns the exit code (143 on Linux when the JVM ends on the signal).
     */
    public int terminate() throws InterruptedException {
        process.toHandle().destroy();
        return awaitExit(Duration.ofMinutes(1));
    }

    /** Waits for the child to exit on its own and its output to be fully read; returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            throw new IllegalStateException("child " + pid() + " did not exit within " + timeout
                    + " and was killed; stderr:\n" + stderr());
        }
        stdoutReader.join();
        stderrReader.join();
        return process.exitValue();
    }

    /** What the child wrote to standard error so far. */
    public String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    /** Kills the child if it is still running. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** The running JVM's own {@code java} launcher. */
    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private void pump(InputStream in, Consumer<String> sink, Runnable atEnd) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                sink.accept(line);
            }
        } catch (IOException e) {
            readFailure = e;
            synchronized (stderr) {
                stderr.append("[reading the child's output failed: ").append(e).append("]\n");
            }
        } finally {
            atEnd.run();
        }
    }
}
