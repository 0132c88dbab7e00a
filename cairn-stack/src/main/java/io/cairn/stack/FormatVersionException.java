package io.cairn.stack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A file is in a version of its format that this code cannot read: a newer (or retired) version, not damage.
 * Distinct from {@link CorruptedStoreException} so a caller can tell "upgrade Cairn" (or "migrate the file") from
 * "the bytes are bad", as Lucene's {@code IndexFormatTooNewException} does.
 */
public class FormatVersionException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final String found;
    private final List<String> supported;

    /**
     * @param path      the file
     * @param format    the format's name, e.g. {@code "BStack"}
     * @param found     the version the file says it has, e.g. {@code "0.5.0"}
     * @param supported the versions this code reads, e.g. {@code ["0.1.x", "0.4.x"]}
     */
    public FormatVersionException(Path path, String format, String found, List<String> supported) {
        super(path + " is " + format + " format version " + found + ", which this version of Cairn cannot read"
                + " (it reads " + String.join(", ", supported) + ")");
        this.path = path;
        this.found = found;
        this.supported = List.copyOf(supported);
    }

    /** The file. */
    public Path path() {
        return path;
    }

    /** The version the file says it has. */
    public String found() {
        return found;
    }

    /** The versions this code reads. */
    public List<String> supported() {
        return supported;
    }
}
