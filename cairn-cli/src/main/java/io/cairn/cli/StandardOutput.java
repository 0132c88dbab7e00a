package io.cairn.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * Standard output for the commands, checked at the end of every run. A {@link PrintStream} swallows write
 * errors, so without this a full disk ({@code > /dev/full}) or a closed pipe would end a run with exit 0 and
 * the output lost. {@link #install} (done by {@code main}) remembers the first error, so the message can say why.
 */
final class StandardOutput {
    /** The exit status of a process killed by SIGPIPE: what a shell reports for a reader that went away. */
    static final int BROKEN_PIPE = 141;

    private static volatile IOException firstFailure;

    private StandardOutput() {}

    /** Replaces {@link System#out} with a stream over file descriptor 1 that remembers its first write error. */
    static void install() {
        Charset charset = System.out.charset();
        System.setOut(new PrintStream(new Remembering(new FileOutputStream(FileDescriptor.out)), true, charset));
    }

    /**
     * Flushes {@link System#out} and returns the exit code to end with: {@code code} when every write succeeded,
     * else 1 after saying on standard error what failed ({@link #BROKEN_PIPE} without a word when the reader
     * closed the pipe, as {@code head} does).
     */
    static int check(int code) {
        System.out.flush();
        if (!System.out.checkError()) {
            return code;
        }
        IOException cause = firstFailure;
        String reason = cause == null ? null : cause.getMessage();
        if ("Broken pipe".equals(reason)) {
            return BROKEN_PIPE;
        }
        System.err.println("cairn: cannot write to standard output" + (reason == null ? "" : ": " + reason)
                + "; the output is incomplete");
        return 1;
    }

    /** Passes bytes on; keeps the first {@link IOException} before rethrowing it to the print stream. */
    private static final class Remembering extends OutputStream {
        private final OutputStream out;

        Remembering(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw remember(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw remember(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw remember(e);
            }
        }

        private static IOException remember(IOException e) {
            if (firstFailure == null) {
                firstFailure = e;
            }
            return e;
        }
    }
}
