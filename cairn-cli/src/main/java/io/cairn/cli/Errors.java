package io.cairn.cli;

import io.cairn.replication.UnknownOutcomeException;
import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.FormatVersionException;
import io.cairn.stack.StoreFailedException;
import io.cairn.stack.StoreLockedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Turns any failure into one line for operators, never a stack trace: what failed, on which file, and why in
 * words. Operating-system reasons that name no file ({@code Illegal seek}) are tied to the files the command was
 * given; failures that can only be bugs say so and ask for a report ({@code CAIRN_DEBUG=1} prints the trace).
 */
final class Errors {
    /** What some terse operating-system reasons mean for a file Cairn was asked to use. */
    private static final Map<String, String> REASONS = Map.of(
            "Is a directory", "is a directory, not a file",
            "Illegal seek", "cannot be read or written at a position (Illegal seek): it is not an ordinary file",
            "No such device", "cannot be mapped into memory (No such device): it is not an ordinary file",
            "Not a directory", "has a path through something that is not a directory");

    private Errors() {}

    /** The message for {@code e}, raised while the command worked on {@code files} (the paths it was given). */
    static String describe(Throwable e, List<Path> files) {
        if (e instanceof UnknownOutcomeException u) { // an UncheckedIOException, but its own message says more
            return u.getMessage() + (u.getMessage().contains("write") ? "; the write may still take effect, or never"
                    : "");
        }
        if (e instanceof UncheckedIOException unchecked && unchecked.getCause() != null) {
            return describe(unchecked.getCause(), files);
        }
        return switch (e) {
            case CorruptedStoreException c -> "corrupt store: " + c.getMessage();
            case StoreLockedException l -> "locked: " + l.getMessage();
            case FormatVersionException v -> "unsupported format version: " + v.getMessage();
            case StoreFailedException f -> "store failed: " + f.getMessage();
            case NoSuchFileException n -> "no such file: " + n.getFile()
                    + (n.getReason() == null ? "" : " (" + n.getReason() + ")");
            case AccessDeniedException a -> "permission denied: " + a.getFile();
            case FileAlreadyExistsException a -> "already exists: " + a.getFile();
            case NotDirectoryException n -> "not a directory: " + n.getFile();
            case DirectoryNotEmptyException d -> "directory not empty: " + d.getFile();
            case FileSystemException f -> f.getFile() + " " + inWords(f.getReason());
            case IOException io when io.getClass() == IOException.class -> aboutFiles(io.getMessage(), files);
            case IOException io -> io.getMessage() == null ? "I/O error (" + io + ")" : io.getMessage();
            case OutOfMemoryError oom -> "out of memory (the heap limit is " + Runtime.getRuntime().maxMemory() / (1 << 20)
                    + " MiB); nothing more was written. This is a bug if the input was streamed: please report it";
            case RuntimeException r when expected(r) -> r.getMessage();
            default -> "internal error (" + e + "); please report it"
                    + (debug() ? "" : " (CAIRN_DEBUG=1 shows where it happened)");
        };
    }

    /** The runtime exceptions the libraries throw, with a message, for bad arguments and misuse. */
    private static boolean expected(RuntimeException e) {
        return e.getMessage() != null && (e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof IndexOutOfBoundsException || e instanceof UnsupportedOperationException
                || e instanceof java.util.NoSuchElementException);
    }

    /** Whether to print stack traces of internal errors too (environment {@code CAIRN_DEBUG=1}). */
    static boolean debug() {
        return "1".equals(System.getenv("CAIRN_DEBUG"));
    }

    /**
     * A plain {@link IOException} is how the JDK reports an operating-system error ({@code Illegal seek}); when its
     * message names none of the command's files, the files are put in front.
     */
    private static String aboutFiles(String message, List<Path> files) {
        if (message == null) {
            return "I/O error" + (files.isEmpty() ? "" : " on " + join(files));
        }
        for (Path file : files) {
            if (message.contains(file.toString())) {
                return message;
            }
        }
        return files.isEmpty() ? message : join(files) + " " + inWords(message);
    }

    private static String inWords(String reason) {
        if (reason == null) {
            return "cannot be used";
        }
        String words = REASONS.get(reason);
        return words != null ? words : "cannot be used: " + reason;
    }

    private static String join(List<Path> files) {
        return String.join(" or ", files.stream().map(Path::toString).toList());
    }
}
