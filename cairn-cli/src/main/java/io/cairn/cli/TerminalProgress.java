package io.cairn.cli;

import io.cairn.dict.ImageBuilder;
import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on standard error for a long build, one bar per stage, drawn only when standard error is a
 * terminal: redrawn lines would flood a log or a pipe. Otherwise it does nothing.
 */
final class TerminalProgress implements ImageBuilder.Progress, AutoCloseable {
    private final boolean enabled;
    private ProgressBar bar;
    private String stage;

    private TerminalProgress(boolean enabled) {
        this.enabled = enabled;
    }

    static TerminalProgress onStandardError() {
        return new TerminalProgress(standardErrorIsTerminal());
    }

    /** Whether file descriptor 2 is a terminal (on Linux, read from /proc; elsewhere, the console's word). */
    static boolean standardErrorIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            Console console = System.console();
            return console != null && console.isTerminal();
        }
    }

    @Override
    public void update(String stage, long done, long total) {
        if (!enabled) {
            return;
        }
        if (!stage.equals(this.stage)) {
            close();
            this.stage = stage;
            bar = new ProgressBarBuilder().setTaskName(stage).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(200).setMaxRenderedLength(90).showSpeed()
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
        }
        if (total >= 0 && bar.getMax() != total) {
            bar.maxHint(total);
        }
        bar.stepTo(done);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
