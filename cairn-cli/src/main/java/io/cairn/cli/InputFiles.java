package io.cairn.cli;

import io.cairn.dict.Dictionaries;
import io.cairn.dict.ValueCodec;
import io.cairn.stack.BStack;
import io.cairn.stack.CorruptedStoreException;
import io.cairn.tree.Database;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The files commands are given, checked before use: a missing file, a directory or a device is refused by name,
 * and a file that holds another of Cairn's formats is named in words ("s is a BStack file, not a dictionary
 * image") instead of as a magic-number mismatch.
 */
final class InputFiles {
    /** The formats the commands read, each recognised by trying its own reader. */
    enum Kind {
        STACK("a BStack file"), DICTIONARY("a dictionary image"), DATABASE_IMAGE("a database image");

        final String words;

        Kind(String words) {
            this.words = words;
        }

        /** Whether {@code file} holds this format (intact enough for its reader to accept it). */
        boolean holds(Path file) {
            try {
                return switch (this) {
                    case STACK -> !BStack.check(file).needsHeader();
                    case DICTIONARY -> Dictionaries.load(file, ValueCodec.strings()) != null;
                    case DATABASE_IMAGE -> Database.verifyImage(file) != null;
                };
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
    }

    /** Opens a file as one kind; the caller's reader. */
    @FunctionalInterface
    interface Opener<T> {
        T open(Path file) throws IOException;
    }

    private InputFiles() {}

    /** {@code file}, which must exist and be an ordinary file, to be read as {@code what} ("a word list"). */
    static Path existing(Path file, String what) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        return ordinary(file, what);
    }

    /** {@code file} if it is missing (to be created) or an ordinary file; refuses directories and devices. */
    static Path ordinary(Path file, String what) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a directory, not " + what);
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " is " + special(file) + ", not " + what);
        }
        return file;
    }

    /**
     * {@code dir}, a directory to use as a {@code what} ("tree directory"): it must exist unless {@code mayCreate};
     * a file in its place is refused, named in words ("t.img is a database image, not a tree directory").
     */
    static Path directory(Path dir, String what, boolean mayCreate) throws IOException {
        if (Files.isDirectory(dir)) {
            return dir;
        }
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            if (mayCreate) {
                return dir;
            }
            throw new NoSuchFileException(dir.toString(), null, "no " + what);
        }
        String found = Files.isRegularFile(dir) ? identify(dir, null) : special(dir);
        throw new IllegalArgumentException(dir + " is " + (found == null ? "a file" : found) + ", not a " + what);
    }

    /** Opens {@code file}, which must exist, as {@code kind}: {@link #existing} then {@link #open}. */
    static <T> T openExisting(Path file, Kind kind, Opener<T> opener) throws IOException {
        return open(existing(file, kind.words), kind, opener);
    }

    /**
     * Opens {@code file} as {@code kind} with {@code opener}; when the reader finds the file corrupt and it holds
     * another format, or text, says so in words instead.
     */
    static <T> T open(Path file, Kind kind, Opener<T> opener) throws IOException {
        ordinary(file, kind.words);
        try {
            return opener.open(file);
        } catch (CorruptedStoreException e) {
            String found = identify(file, kind);
            if (found == null) {
                throw e;
            }
            throw new IllegalArgumentException(file + " is " + found + ", not " + kind.words, e);
        }
    }

    /** What {@code file} holds, in words: a known format other than {@code expected} (or any, if null), or text. */
    private static String identify(Path file, Kind expected) {
        for (Kind other : Kind.values()) {
            if (other != expected && other.holds(file)) {
                return other.words;
            }
        }
        return isText(file) ? "a text file" : null;
    }

    /** Whether the file's first 4 KiB are UTF-8 text without NUL bytes (a word list, say). */
    private static boolean isText(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4096);
            for (byte b : head) {
                if (b == 0) {
                    return false;
                }
            }
            // Not the end of input: a character cut at the 4 KiB boundary is not an error.
            CoderResult result = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(head), CharBuffer.allocate(head.length), false);
            return head.length > 0 && !result.isError();
        } catch (IOException e) {
            return false;
        }
    }

    private static String special(Path file) {
        try {
            Object mode = Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            int type = (Integer) mode & 0xF000;
            return switch (type) {
                case 0x2000 -> "a character device";
                case 0x6000 -> "a block device";
                case 0x1000 -> "a named pipe (FIFO)";
                case 0xC000 -> "a socket";
                default -> "not an ordinary file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "not an ordinary file";
        }
    }
}
