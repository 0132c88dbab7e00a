package io.cairn.stack;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A store handle is FAILED: an earlier force (or the rollback of a failed write) failed, so what is durable is
 * unknown, and the handle refuses every further call until the file is reopened (a failed fsync is never retried:
 * the kernel may already have dropped the dirty pages it could not write). The cause is the first error, kept as
 * H2 MVStore's {@code panic} keeps it, so every later call reports the original problem.
 */
public class StoreFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    /**
     * @param path       the store's file
     * @param firstCause the error that failed the handle
     */
    public StoreFailedException(Path path, Throwable firstCause) {
        super(path + " failed after an I/O error left its durable state unknown and must be reopened (first error: "
                + firstCause + ")", firstCause);
        this.path = path;
    }

    /** The store's file. */
    public Path path() {
        return path;
    }
}
