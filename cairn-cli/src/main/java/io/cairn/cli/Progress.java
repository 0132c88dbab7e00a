package io.cairn.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A progress bar on standard error for a long operation (a dictionary build, a stream into a stack, ...). It is
 * drawn only when standard error is a terminal, so pipes, logs and scripts never see it; otherwise every call is
 * a no-op. The bar is cleared when the operation ends.
 */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /**
     * Starts a bar for {@code task}, {@code total} units long ({@code -1} when unknown: an indefinite bar),
     * counting in {@code unit} of {@code unitSize} steps (e.g. {@code " MiB"}, {@code 1 << 20}).
     */
    static Progress start(String task, long total, String unit, long unitSize) {
        if (!standardErrorIsTerminal()) {
            return new Progress(null);
        }
        return new Progress(new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(unit, unitSize)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(250)
                .clearDisplayOnFinish().build());
    }

    /** Whether a bar would be drawn: file descriptor 2 is a terminal (Linux: a tty or pseudo-terminal device). */
    static boolean standardErrorIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Advances the bar by {@code n} units. */
    void stepBy(long n) {
        if (bar != null) {
            bar.stepBy(n);
        }
    }

    /** Moves the bar to {@code n} units done. */
    void stepTo(long n) {
        if (bar != null) {
            bar.stepTo(n);
        }
    }

    /** Renames the phase shown beside the bar. */
    void phase(String message) {
        if (bar != null) {
            bar.setExtraMessage(message);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
