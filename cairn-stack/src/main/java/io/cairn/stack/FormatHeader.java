package io.cairn.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The 8-byte identity a reference-style format starts with, and the one check of it every such format uses (the
 * stack and its allocators; Lucene's {@code CodecUtil} plays this part there):
 *
 * <pre>
 * magic := tag[4] major:u8 minor:u8 patch:u8 reserved:u8
 * </pre>
 *
 * <p>A file is readable when its tag and major match and its minor is one this code supports; the patch is
 * informational and the reserved byte is not checked (the reference's rule). A different tag is damage (or
 * another format): {@link CorruptedStoreException}. A known tag with a version this code does not read is not
 * damage: {@link FormatVersionException}, naming the version found and the versions supported.
 */
public final class FormatHeader {
    /** Size of the magic: tag, major, minor, patch, reserved. */
    public static final int SIZE = 8;
    private static final int TAG_SIZE = 4;
    private static final int MAJOR_AT = 4;
    private static final int MINOR_AT = 5;
    private static final int PATCH_AT = 6;

    private final String name;
    private final byte[] tag;
    private final int major;
    private final int[] minors;

    private FormatHeader(String name, byte[] tag, int major, int[] minors) {
        this.name = name;
        this.tag = tag;
        this.major = major;
        this.minors = minors;
    }

    /**
     * A format identified by {@code tag} (four ASCII characters) whose readable versions are {@code major} with
     * any of {@code minors}.
     *
     * @param name the format's name for messages, e.g. {@code "BStack"} or {@code "first-fit allocator"}
     */
    public static FormatHeader of(String name, String tag, int major, int... minors) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tag, "tag");
        byte[] tagBytes = tag.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (tagBytes.length != TAG_SIZE || !tag.chars().allMatch(c -> c < 0x80)) {
            throw new IllegalArgumentException("tag must be " + TAG_SIZE + " ASCII characters: '" + tag + "'");
        }
        checkVersionByte(major, "major");
        if (minors.length == 0) {
            throw new IllegalArgumentException("at least one supported minor version is needed for " + name);
        }
        for (int minor : minors) {
            checkVersionByte(minor, "minor");
        }
        return new FormatHeader(name, tagBytes, major, minors.clone());
    }

    /** The format's name, as messages use it. */
    public String name() {
        return name;
    }

    /** The 8 magic bytes of version {@code major.minor.patch} of this format, for writing a new file. */
    public byte[] magic(int minor, int patch) {
        checkVersionByte(minor, "minor");
        checkVersionByte(patch, "patch");
        byte[] magic = Arrays.copyOf(tag, SIZE);
        magic[MAJOR_AT] = (byte) major;
        magic[MINOR_AT] = (byte) minor;
        magic[PATCH_AT] = (byte) patch;
        return magic;
    }

    /**
     * Checks the magic at {@code bytes[at, at + 8)} and returns the version it names.
     *
     * @param path   the file, for the exception
     * @param offset where the magic sits, for the exception (see {@link CorruptedStoreException#offset()})
     * @throws CorruptedStoreException if the tag is not this format's
     * @throws FormatVersionException  if the tag is right but the major or minor version is not one this code reads
     */
    public Version check(Path path, long offset, byte[] bytes, int at)
            throws CorruptedStoreException, FormatVersionException {
        Objects.checkFromIndexSize(at, SIZE, bytes.length);
        if (!Arrays.equals(bytes, at, at + TAG_SIZE, tag, 0, TAG_SIZE)) {
            throw new CorruptedStoreException(path, offset, name + " magic", expectedMagic(),
                    render(bytes, at, at + SIZE));
        }
        Version version = new Version(bytes[at + MAJOR_AT] & 0xFF, bytes[at + MINOR_AT] & 0xFF,
                bytes[at + PATCH_AT] & 0xFF);
        if (version.major() != major || Arrays.stream(minors).noneMatch(m -> m == version.minor())) {
            throw new FormatVersionException(path, name, version.toString(), supported());
        }
        return version;
    }

    /**
     * Rejects a structure of {@code size} bytes that is shorter than the {@code minimum} its header needs: a cut
     * file, or something else entirely.
     */
    public void checkSize(Path path, long size, long minimum) throws CorruptedStoreException {
        if (size < minimum) {
            throw new CorruptedStoreException(path, CorruptedStoreException.UNKNOWN_OFFSET, name + " size",
                    "at least " + minimum + " bytes for the header", size + " bytes");
        }
    }

    /** The versions this code reads, as {@code major.minor.x}. */
    public List<String> supported() {
        List<String> out = new ArrayList<>();
        for (int minor : minors) {
            out.add(major + "." + minor + ".x");
        }
        return out;
    }

    private String expectedMagic() {
        List<String> out = new ArrayList<>();
        for (int minor : minors) {
            out.add(render(magic(minor, 0), 0, MINOR_AT + 1));
        }
        return String.join(" or ", out);
    }

    /**
     * Bytes {@code [from, to)} for messages: printable ASCII as it is, every other byte (and the backslash) as
     * {@code \xNN}. The one rendering of raw header bytes in Cairn's messages.
     */
    public static String render(byte[] bytes, int from, int to) {
        Objects.checkFromToIndex(from, to, bytes.length);
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            int b = bytes[i] & 0xFF;
            if (b >= 0x20 && b < 0x7F && b != '\\') {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02X", b));
            }
        }
        return sb.toString();
    }

    private static void checkVersionByte(int value, String name) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException(name + " version must fit in a byte: " + value);
        }
    }

    /** A format version as the magic states it. */
    public record Version(int major, int minor, int patch) {
        @Override
        public String toString() {
            return major + "." + minor + "." + patch;
        }
    }
}
