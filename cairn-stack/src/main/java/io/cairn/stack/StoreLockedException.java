package io.cairn.stack;

import java.io.IOException;
import java.nio.file.Path;

/** Another handle, in this process or another, holds a conflicting lock on a store file. */
public class StoreLockedException extends IOException {
    private static final long serialVersionUID = 1L;
    private final transient Path path;

    public StoreLockedException(Path path, String message) {
        super(message);
        this.path = path;
    }

    /** The locked file. */
    public Path path() {
        return path;
    }
}
