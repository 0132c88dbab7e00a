package io.cairn.stack;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A {@link BStack} handle's lifecycle and committed length, shared by the handle and its write protocol.
 * Transitions happen under the stack's write lock; the fields are volatile so reads under the read lock (and
 * {@link BStack#length()}) see them.
 */
final class StackState {
    /** The explicit lifecycle of a handle. */
    enum Phase {
        /** Usable. */
        OPEN,
        /**
         * A write to a 0.4 file failed part-way: reads throw {@link InterruptedWriteException} until the next write
         * or {@link BStack#recover()} runs the journal's recovery on the file as it is.
         */
        INTERRUPTED,
        /**
         * A force or a rollback failed, so what is durable is unknown: every call but close throws
         * {@link StoreFailedException} carrying the first error, until the file is reopened.
         */
        FAILED,
        /** Closed: every call but close throws {@link IllegalStateException}. */
        CLOSED
    }

    private final Path path;
    private volatile Phase phase = Phase.OPEN;
    private volatile long length;
    /** What moved the handle out of OPEN: the interrupting or the failing error. */
    private volatile IOException cause;

    StackState(Path path, long length) {
        this.path = path;
        this.length = length;
    }

    Phase phase() {
        return phase;
    }

    long length() {
        return length;
    }

    void setLength(long value) {
        length = value;
    }

    /** Rejects use after close, and any use of a failed or (for reads) an interrupted handle. */
    void checkReadable() throws IOException {
        checkWritable();
        if (phase == Phase.INTERRUPTED) {
            throw new InterruptedWriteException(path, "reads are refused until the next write or recover() replays"
                    + " its journal", cause);
        }
    }

    /** Rejects use after close and any use of a failed handle; an interrupted handle may write (it recovers first). */
    void checkWritable() throws StoreFailedException {
        Phase current = phase;
        if (current == Phase.CLOSED) {
            throw new IllegalStateException("BStack " + path + " is closed");
        }
        if (current == Phase.FAILED) {
            throw new StoreFailedException(path, cause);
        }
    }

    /** Rejects use after close only. */
    void checkNotClosed() {
        if (phase == Phase.CLOSED) {
            throw new IllegalStateException("BStack " + path + " is closed");
        }
    }

    /** OPEN or INTERRUPTED to FAILED (the first error stays); returns the exception to throw. */
    StoreFailedException fail(IOException error) {
        if (phase == Phase.OPEN || phase == Phase.INTERRUPTED) {
            cause = phase == Phase.INTERRUPTED ? withSuppressed(cause, error) : error;
            phase = Phase.FAILED;
        }
        return new StoreFailedException(path, cause);
    }

    /** OPEN to INTERRUPTED after a failed write of a 0.4 file; returns {@code error} to throw. */
    IOException interrupt(IOException error) {
        if (phase == Phase.OPEN) {
            cause = error;
            phase = Phase.INTERRUPTED;
        }
        return error;
    }

    /** INTERRUPTED back to OPEN once recovery brought the file to rest at {@code recoveredLength}. */
    void recovered(long recoveredLength) {
        length = recoveredLength;
        cause = null;
        phase = Phase.OPEN;
    }

    /** To CLOSED; returns the phase it left. */
    Phase close() {
        Phase before = phase;
        phase = Phase.CLOSED;
        return before;
    }

    private static IOException withSuppressed(IOException first, IOException later) {
        first.addSuppressed(later);
        return first;
    }
}
