package io.cairn.dict;

import static io.cairn.dict.DictionaryImageFormat.HEADER_CRC_OFFSET;
import static io.cairn.dict.DictionaryImageFormat.HEADER_SIZE;
import static io.cairn.dict.DictionaryImageFormat.MAGIC;
import static io.cairn.dict.DictionaryImageFormat.MAX_IMAGE_SIZE;
import static io.cairn.dict.DictionaryImageFormat.VERSION;

import io.cairn.stack.StorageFile;
import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32C;

/**
 * An image being written: the payload is appended in pieces to a temporary sibling of the target (so an image
 * larger than memory can be streamed out), checksummed on the way, and {@link #commit() committed} by writing the
 * header, forcing the file, renaming it over the target and syncing the directory. Until then the target is
 * untouched; {@link #close()} without a commit deletes the temporary file.
 *
 * <p>The target must be a regular file or a new name: a rename would otherwise replace a directory, a device
 * node or a FIFO with a regular file (run as root, {@code -o /dev/full} did exactly that). A symbolic link is
 * followed, so the file it names is replaced and the link kept.
 */
final class ImageOutput implements AutoCloseable, PayloadOut {
    private static final int BUFFER = 1 << 16;

    private final StorageIo io;
    private final Path target;
    private final Path temporary;
    private final StorageFile file;
    private final int kind;
    private final int alphabet;
    private final int flags;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    private long written;
    private boolean committed;

    private ImageOutput(StorageIo io, Path target, Path temporary, StorageFile file, int kind, int alphabet,
            int flags) {
        this.io = io;
        this.target = target;
        this.temporary = temporary;
        this.file = file;
        this.kind = kind;
        this.alphabet = alphabet;
        this.flags = flags;
    }

    /**
     * Starts an image for {@code path}.
     *
     * @throws IllegalArgumentException if {@code path} exists and is not a regular file (nor a link to one)
     */
    static ImageOutput create(StorageIo io, Path path, int kind, int alphabet, int flags) throws IOException {
        Path target = writableTarget(path);
        Path temporary = temporarySibling(target, "tmp");
        StorageFile file = io.open(temporary, StorageIo.OpenMode.READ_WRITE_CREATE);
        return new ImageOutput(io, target, temporary, file, kind, alphabet, flags);
    }

    /**
     * The file an image for {@code path} replaces: {@code path} itself, or the file a symbolic link names.
     *
     * @throws IllegalArgumentException if that exists and is a directory or a special file
     */
    static Path writableTarget(Path path) throws IOException {
        Path absolute = path.toAbsolutePath();
        if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(absolute.getParent())) {
                throw new NoSuchFileException(absolute.getParent().toString(), null,
                        "no such directory to write the image " + path + " in");
            }
            return absolute;
        }
        Path real = Files.isSymbolicLink(absolute) && Files.exists(absolute) ? absolute.toRealPath() : absolute;
        BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            String what = attributes.isDirectory() ? "a directory" : attributes.isSymbolicLink()
                    ? "a dangling symbolic link" : "a special file (device, FIFO or socket)";
            throw new IllegalArgumentException(path + " is not a regular file but " + what
                    + "; refusing to replace it with a dictionary image");
        }
        return real;
    }

    /** A fresh name beside {@code target} (hidden, random), so no existing file is ever overwritten. */
    static Path temporarySibling(Path target, String suffix) {
        Path directory = target.getParent();
        for (;;) {
            String name = "." + target.getFileName() + "." + HexFormat.of().toHexDigits(
                    ThreadLocalRandom.current().nextInt()) + "." + suffix;
            Path candidate = directory.resolve(name);
            if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                return candidate;
            }
        }
    }

    /** The file being replaced, for messages. */
    Path target() {
        return target;
    }

    /** Bytes of payload appended so far. */
    long payloadSize() {
        return written + buffer.position();
    }

    void writeByte(int value) throws IOException {
        room(1);
        buffer.put((byte) value);
    }

    @Override
    public void writeInt(int value) throws IOException {
        room(Integer.BYTES);
        buffer.putInt(value);
    }

    @Override
    public void writeLong(long value) throws IOException {
        room(Long.BYTES);
        buffer.putLong(value);
    }

    @Override
    public void writeVarint(long value) throws IOException {
        room(10);
        while ((value & ~0x7FL) != 0) {
            buffer.put((byte) (value & 0x7F | 0x80));
            value >>>= 7;
        }
        buffer.put((byte) value);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            room(1);
            int n = Math.min(length, buffer.remaining());
            buffer.put(bytes, offset, n);
            offset += n;
            length -= n;
        }
    }

    void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    private void room(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            flush();
        }
    }

    private void flush() throws IOException {
        buffer.flip();
        long size = HEADER_SIZE + written + buffer.remaining();
        if (size > MAX_IMAGE_SIZE) {
            throw new IllegalArgumentException("dictionary image of more than " + MAX_IMAGE_SIZE
                    + " bytes exceeds the limit: " + target);
        }
        crc.update(buffer.duplicate());
        int length = buffer.remaining();
        file.write(HEADER_SIZE + written, buffer);
        written += length;
        buffer.clear();
    }

    /**
     * Writes the header, forces the file and renames it over the target, then syncs the directory.
     *
     * @return the image's size in bytes
     */
    long commit() throws IOException {
        flush();
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        header.put(MAGIC).putShort((short) VERSION).put((byte) kind).put((byte) alphabet).putInt(flags)
                .putLong(written).putInt((int) crc.getValue());
        CRC32C headerCrc = new CRC32C();
        headerCrc.update(header.array(), 0, HEADER_CRC_OFFSET);
        header.putInt((int) headerCrc.getValue());
        file.write(0, header.flip());
        file.force();
        file.close();
        io.atomicMove(temporary, target);
        committed = true;
        io.syncDirectory(target.getParent());
        return HEADER_SIZE + written;
    }

    /** Abandons an uncommitted image: closes and deletes the temporary file. */
    @Override
    public void close() throws IOException {
        if (committed) {
            return;
        }
        try {
            file.close();
        } finally {
            io.deleteIfExists(temporary);
        }
    }
}
