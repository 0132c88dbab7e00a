package io.cairn.stack;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A write to a 0.4 stack failed part-way (an I/O error, not a crash), so the file holds an interrupted write that
 * its journal can finish or undo. Reads refuse with this until the next write or {@link BStack#recover()} replays
 * it, exactly as open would; a read-only open of a file whose journal needs a replay refuses the same way.
 */
public class InterruptedWriteException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    /**
     * @param path   the stack's file
     * @param detail what is pending and how to clear it
     * @param cause  the error that interrupted the write, if any
     */
    public InterruptedWriteException(Path path, String detail, Throwable cause) {
        super(path + " has an interrupted write: " + detail, cause);
        this.path = path;
    }

    /** The stack's file. */
    public Path path() {
        return path;
    }
}
