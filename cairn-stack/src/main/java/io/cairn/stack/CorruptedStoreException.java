package io.cairn.stack;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A store's bytes are impossible: bad magic, failed checksum, or a structure that cannot be valid. Cairn never
 * repairs user data silently and never returns wrong data: it throws this instead, naming the file and the
 * expected and actual values.
 *
 * <p>Exceptions built with {@link #CorruptedStoreException(Path, long, String, String, String)} carry the file, the
 * offset and the expected and found values as fields, so tools can report them without parsing the message. The
 * stack layer builds every one it throws this way: magics through the one shared check ({@link FormatHeader}),
 * and the stack's header, each allocator's header fields and checksums (expected and stored) and its blocks and
 * free lists with the payload offset of the bad bytes.
 */
public class CorruptedStoreException extends IOException {
    private static final long serialVersionUID = 1L;
    /** {@link #offset()} when the exception does not name an offset. */
    public static final long UNKNOWN_OFFSET = -1;

    private final transient Path path;
    private final long offset;
    private final String expected;
    private final String found;

    /** A corruption described only by its message (which should name the file and the values). */
    public CorruptedStoreException(String message) {
        this(message, (Throwable) null);
    }

    public CorruptedStoreException(String message, Throwable cause) {
        super(message, cause);
        this.path = null;
        this.offset = UNKNOWN_OFFSET;
        this.expected = null;
        this.found = null;
    }

    /**
     * A mismatch of a value read from {@code path}: the message is {@code what in path at offset N: expected E,
     * found F}.
     *
     * @param path     the file
     * @param offset   where the bad bytes are: a file offset for a file format, a payload offset for a structure
     *                 inside a {@link BStack}; {@link #UNKNOWN_OFFSET} if none applies
     * @param what     what was checked, e.g. {@code "BStack header magic"}
     * @param expected the value (or the rule) the format requires
     * @param found    the value read
     */
    public CorruptedStoreException(Path path, long offset, String what, String expected, String found) {
        super(what + " in " + path + (offset >= 0 ? " at offset " + offset : "") + ": expected " + expected
                + ", found " + found);
        this.path = path;
        this.offset = offset;
        this.expected = expected;
        this.found = found;
    }

    /** The damaged file, or {@code null} if only the message names it. */
    public Path path() {
        return path;
    }

    /** Where the bad bytes are (see the constructor), or {@link #UNKNOWN_OFFSET}. */
    public long offset() {
        return offset;
    }

    /** The value the format requires, or {@code null} if only the message says. */
    public String expected() {
        return expected;
    }

    /** The value read, or {@code null} if only the message says. */
    public String found() {
        return found;
    }
}
