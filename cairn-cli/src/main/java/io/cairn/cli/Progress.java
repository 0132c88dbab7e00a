package io.cairn.cli;

import io.cairn.dict.ImageBuilder;
import io.cairn.tree.WorkProgress;
import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The one progress bar of the command line: on standard error, for a long operation (a dictionary build, a
 * stream into a stack, a check of a file or a store, the demo's load), drawn only when standard error is a
 * terminal, because redrawn lines would flood a pipe, a log or a script. Otherwise every call is a no-op. A staged
 * operation (an image build reports "reading", "sorting", ...; a database image "checking", "installing"; a store
 * check the frames it has walked) gets a fresh bar per stage; the bar is cleared when it ends.
 */
final class Progress implements ImageBuilder.Progress, WorkProgress, AutoCloseable {
    private final boolean enabled;
    private final String unit;
    private final long unitSize;
    private ProgressBar bar;
    private String stage;

    private Progress(boolean enabled, String unit, long unitSize) {
        this.enabled = enabled;
        this.unit = unit;
        this.unitSize = unitSize;
    }

    /**
     * Starts a bar for {@code task}, {@code total} units long ({@code -1} when unknown: an indefinite bar),
     * counting in {@code unit} of {@code unitSize} steps (e.g. {@code " MiB"}, {@code 1 << 20}).
     */
    static Progress start(String task, long total, String unit, long unitSize) {
        return start(isTerminal(2), task, total, unit, unitSize);
    }

    /**
     * A bar for a command that streams its result to standard output ({@code tree export}): drawn only when that
     * goes to a file or a pipe, since on the same terminal the bar would break up the lines.
     */
    static Progress beside(String task, String unit) {
        return start(isTerminal(2) && !isTerminal(1), task, -1, unit, 1);
    }

    private static Progress start(boolean enabled, String task, long total, String unit, long unitSize) {
        Progress progress = new Progress(enabled, unit, unitSize);
        progress.update(task, 0, total);
        return progress;
    }

    /**
     * A bar per stage of an operation that reports its stages through {@link #update}, counting in {@code unit}
     * (e.g. {@code " frames"}; {@code ""} for plain numbers).
     */
    static Progress staged(String unit) {
        return new Progress(isTerminal(2), unit, 1);
    }

    /** Whether file descriptor {@code fd} is a terminal (on Linux, read from /proc; elsewhere, the console's word). */
    private static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            Console console = System.console();
            return console != null && console.isTerminal();
        }
    }

    /** Shows {@code done} of {@code total} units of {@code stage}; a new stage replaces the bar of the last one. */
    @Override
    public void update(String stage, long done, long total) {
        if (!enabled) {
            return;
        }
        if (!stage.equals(this.stage)) {
            close();
            this.stage = stage;
            bar = new ProgressBarBuilder().setTaskName(stage).setInitialMax(total).setUnit(unit, unitSize)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).setMaxRenderedLength(90)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).clearDisplayOnFinish().build();
        }
        if (total >= 0 && bar.getMax() != total) {
            bar.maxHint(total);
        }
        bar.stepTo(done);
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
            bar = null;
        }
    }
}
