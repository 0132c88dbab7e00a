package io.cairn.cli;

import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.StoreLockedException;
import java.nio.file.NoSuchFileException;

/** Turns exceptions into one-line messages for operators. */
final class Errors {
    private Errors() {}

    static String describe(Throwable e) {
        if (e instanceof CorruptedStoreException) {
            return "corrupt store: " + e.getMessage();
        }
        if (e instanceof StoreLockedException) {
            return "locked: " + e.getMessage();
        }
        if (e instanceof NoSuchFileException) {
            return "no such file: " + e.getMessage();
        }
        String message = e.getMessage();
        return message == null ? e.toString() : message;
    }
}
