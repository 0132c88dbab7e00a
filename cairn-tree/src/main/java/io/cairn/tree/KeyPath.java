package io.cairn.tree;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A path-shaped key built from segments joined by a delimiter ('/' unless chosen otherwise), e.g.
 * {@code KeyPath.of("bucket-001", "photos").push("cat.jpg").toBytes()} is {@code bucket-001/photos/cat.jpg}.
 * Immutable; {@link #push} returns a longer path.
 *
 * <p>Segments are validated so that listings by delimiter mean what they say: a segment must not be empty, must
 * not contain the delimiter or NUL, and must not be {@code "."} or {@code ".."}.
 */
public final class KeyPath {
    private final byte delimiter;
    private final List<String> segments;

    private KeyPath(byte delimiter, List<String> segments) {
        this.delimiter = delimiter;
        this.segments = segments;
    }

    /** The empty path with delimiter '/'. */
    public static KeyPath root() {
        return root((byte) '/');
    }

    /** The empty path with the given delimiter (an ASCII byte other than NUL). */
    public static KeyPath root(byte delimiter) {
        if (delimiter <= 0) {
            throw new IllegalArgumentException("delimiter must be an ASCII byte other than NUL, got " + delimiter);
        }
        return new KeyPath(delimiter, List.of());
    }

    /** A '/'-delimited path of the given segments. */
    public static KeyPath of(String... segments) {
        KeyPath p = root();
        for (String s : segments) {
            p = p.push(s);
        }
        return p;
    }

    /** This path with one more segment. */
    public KeyPath push(String segment) {
        if (segment == null) {
            throw new IllegalArgumentException("segment must not be null");
        }
        if (segment.isEmpty()) {
            throw new IllegalArgumentException("segment must not be empty");
        }
        if (segment.equals(".") || segment.equals("..")) {
            throw new IllegalArgumentException("segment \"" + segment + "\" is a dot segment");
        }
        if (segment.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("segment \"" + segment.replace("\0", "\\0") + "\" contains NUL");
        }
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            if (b == delimiter) {
                throw new IllegalArgumentException("segment \"" + segment + "\" contains the delimiter '"
                        + (char) (delimiter & 0xFF) + "'");
            }
        }
        List<String> longer = new ArrayList<>(segments);
        longer.add(segment);
        return new KeyPath(delimiter, Collections.unmodifiableList(longer));
    }

    public List<String> segments() {
        return segments;
    }

    /** The key: segments joined by the delimiter, UTF-8 encoded. */
    public byte[] toBytes() {
        return toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The key plus a trailing delimiter: the prefix that lists this path's children. */
    public byte[] toPrefix() {
        return segments.isEmpty() ? new byte[0] : (this + String.valueOf((char) (delimiter & 0xFF)))
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return String.join(String.valueOf((char) (delimiter & 0xFF)), segments);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyPath p && p.delimiter == delimiter && p.segments.equals(segments);
    }

    @Override
    public int hashCode() {
        return segments.hashCode() * 31 + delimiter;
    }
}
