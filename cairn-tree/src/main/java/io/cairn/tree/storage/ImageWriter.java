package io.cairn.tree.storage;

import static io.cairn.tree.storage.ImageFormat.*;

import io.cairn.stack.StorageFile;
import io.cairn.stack.StorageIo;
import io.cairn.tree.wal.TreeNames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32C;

/**
 * Writes an image ({@link ImageFormat}) as a stream: {@link #beginTree}, the tree's records in key order
 * ({@link #add}), {@link #endTree}, for each tree in id order, then {@link #finish}, which makes it durable under
 * its final name. Closing an unfinished writer deletes what it wrote. Not thread-safe.
 */
public final class ImageWriter implements AutoCloseable {
    private static final int OUTPUT_BUFFER = 1024 * 1024;

    private final Path file;
    private final Path temporary;
    private final StorageIo io;
    private final StorageFile out;
    private final long versionHighWater;
    private final int treeCount;
    private final ByteBuffer buffer = ByteBuffer.allocate(OUTPUT_BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C fileCrc = new CRC32C();
    private final CRC32C sectionCrc = new CRC32C();
    private long position;
    private ByteBuffer block = ByteBuffer.allocate(TARGET_BLOCK + 64).order(ByteOrder.LITTLE_ENDIAN);
    private int blockCount;
    private byte[] lastKey;
    private byte[] blockLastKey;
    private long treeRecords;
    private long records;
    private int trees;
    private int lastTreeId = -1;
    private boolean inTree;
    private boolean finished;

    /** What a finished image holds. */
    public record Summary(long records, long bytes) {}

    private ImageWriter(Path file, Path temporary, StorageIo io, StorageFile out, long versionHighWater,
            int treeCount) {
        this.file = file;
        this.temporary = temporary;
        this.io = io;
        this.out = out;
        this.versionHighWater = versionHighWater;
        this.treeCount = treeCount;
    }

    /**
     * The file an image written to {@code file} replaces: a new name in an existing directory, or a regular file
     * (through a symbolic link, the file it names, so the link stays). Renaming over anything else would turn a
     * device node, a FIFO or a directory into an image file (as root, {@code /dev/full} became one).
     *
     * @throws NoSuchFileException      if the directory to write in does not exist (named, not the temporary file)
     * @throws IllegalArgumentException if {@code file} exists and is not a regular file
     */
    public static Path target(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        if (!Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            Path parent = absolute.getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new NoSuchFileException(String.valueOf(parent), null,
                        "no such directory to write the image " + file + " in");
            }
            return absolute;
        }
        if (!Files.isRegularFile(absolute)) {
            throw new IllegalArgumentException(file + " is " + (Files.isDirectory(absolute) ? "a directory"
                    : "not a regular file (a device, FIFO, socket or dangling link)")
                    + "; an image is written only over a regular file or to a new name");
        }
        return absolute.toRealPath();
    }

    /** A fresh hidden name beside {@code target}, so writing the image never overwrites or deletes a file. */
    private static Path temporaryBeside(Path target) {
        for (;;) {
            Path candidate = target.resolveSibling("." + target.getFileName() + "."
                    + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + TEMPORARY_SUFFIX);
            if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                return candidate;
            }
        }
    }

    /**
     * Starts an image of {@code treeCount} trees at {@code sequence} for {@code file} ({@link #target}), written
     * to a fresh hidden file beside it ({@code .FILE.<random>.tmp}) until {@link #finish}.
     *
     * @throws IllegalArgumentException if a number is out of range or {@code file} is not a regular file
     * @throws NoSuchFileException      if {@code file}'s directory does not exist
     */
    public static ImageWriter create(Path file, StorageIo io, long sequence, long versionHighWater,
            byte[] journalHead, int treeCount) throws IOException {
        Objects.requireNonNull(file, "file");
        if (sequence < 0 || versionHighWater < 0 || treeCount < 0 || journalHead.length != 32) {
            throw new IllegalArgumentException("image header out of range: sequence " + sequence + ", versions "
                    + versionHighWater + ", " + treeCount + " trees, a " + journalHead.length + "-byte head");
        }
        Path target = target(file);
        Path temporary = temporaryBeside(target);
        StorageFile out = io.open(temporary, StorageIo.OpenMode.READ_WRITE_CREATE);
        ImageWriter w = new ImageWriter(target, temporary, io, out, versionHighWater, treeCount);
        ByteBuffer h = ByteBuffer.allocate(HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(MAGIC).putShort(FORMAT_VERSION).putShort((short) 0).putLong(sequence).putLong(versionHighWater)
                .put(journalHead).putInt(treeCount);
        w.section(h);
        return w;
    }

    /** Starts the records of tree {@code id} named {@code name}; trees come in increasing id order. */
    public void beginTree(int id, String name) throws IOException {
        if (inTree || finished || id <= lastTreeId || trees == treeCount) {
            throw new IllegalStateException("tree " + id + " out of order (after tree " + lastTreeId + ", "
                    + trees + " of " + treeCount + " written)");
        }
        byte[] bytes = TreeNames.encode(name);
        ByteBuffer s = ByteBuffer.allocate(TREE_START_FIXED + bytes.length + CRC_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        s.put(TREE_START).putInt(id).putShort((short) bytes.length).put(bytes);
        section(s);
        inTree = true;
        lastTreeId = id;
        lastKey = null;
        treeRecords = 0;
    }

    /** Adds a record of the current tree; keys come in strictly increasing unsigned order. */
    public void add(byte[] key, byte[] value, long version) throws IOException {
        if (!inTree) {
            throw new IllegalStateException("add outside a tree");
        }
        if (lastKey != null && Arrays.compareUnsigned(lastKey, key) >= 0) {
            throw new IllegalStateException("keys out of order in tree " + lastTreeId);
        }
        if (version < 1 || version > versionHighWater || key.length > 65_534 || value.length > 65_535) {
            throw new IllegalArgumentException("record out of range: version " + version + " (high water "
                    + versionHighWater + "), key " + key.length + " bytes, value " + value.length + " bytes");
        }
        int shared = blockCount == 0 ? 0 : sharedPrefix(blockLastKey, key);
        int need = ENTRY_FIXED + key.length - shared + value.length;
        if (blockCount > 0 && block.position() + need > TARGET_BLOCK) {
            flushBlock();
            shared = 0;
            need = ENTRY_FIXED + key.length + value.length;
        }
        if (block.remaining() < need) {
            block = ByteBuffer.allocate(block.position() + need).order(ByteOrder.LITTLE_ENDIAN)
                    .put(block.flip());
        }
        block.putShort((short) shared).putShort((short) (key.length - shared)).putShort((short) value.length)
                .putLong(version).put(key, shared, key.length - shared).put(value);
        blockCount++;
        blockLastKey = key;
        lastKey = key;
        treeRecords++;
        records++;
    }

    private static int sharedPrefix(byte[] a, byte[] b) {
        int n = Math.min(Math.min(a.length, b.length), 0xFFFF);
        int mismatch = Arrays.mismatch(a, 0, n, b, 0, n);
        return mismatch < 0 ? n : mismatch;
    }

    private void flushBlock() throws IOException {
        if (blockCount == 0) {
            return;
        }
        block.flip();
        ByteBuffer s = ByteBuffer.allocate(BLOCK_HEAD + block.remaining() + CRC_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        s.put(BLOCK).putInt(blockCount).putInt(block.remaining()).put(block);
        section(s);
        block.clear();
        if (block.capacity() > TARGET_BLOCK + 64) {
            block = ByteBuffer.allocate(TARGET_BLOCK + 64).order(ByteOrder.LITTLE_ENDIAN);
        }
        blockCount = 0;
    }

    /** Ends the current tree's records. */
    public void endTree() throws IOException {
        if (!inTree) {
            throw new IllegalStateException("endTree outside a tree");
        }
        flushBlock();
        ByteBuffer s = ByteBuffer.allocate(TREE_END_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        s.put(TREE_END).putLong(treeRecords);
        section(s);
        inTree = false;
        trees++;
    }

    /** Writes the trailer, forces the file and renames it to its final name (forcing the directory). */
    public Summary finish() throws IOException {
        if (inTree || trees != treeCount || finished) {
            throw new IllegalStateException(trees + " of " + treeCount + " trees written" + (inTree
                    ? ", one still open" : ""));
        }
        ByteBuffer t = ByteBuffer.allocate(TRAILER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        t.put(TRAILER).putInt(trees).putLong(records);
        sectionCrc.reset();
        sectionCrc.update(t.array(), 0, t.position());
        t.putInt((int) sectionCrc.getValue());
        emit(t.flip());
        ByteBuffer whole = ByteBuffer.allocate(CRC_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        whole.putInt((int) fileCrc.getValue());
        emit(whole.flip());
        drain();
        out.force();
        out.close();
        finished = true;
        try {
            io.atomicMove(temporary, file);
        } catch (IOException | RuntimeException e) {
            try {
                io.deleteIfExists(temporary);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        io.syncDirectory(file.getParent());
        return new Summary(records, position);
    }

    /** Fills in the section's trailing CRC32C (the buffer has room for it) and writes it. */
    private void section(ByteBuffer s) throws IOException {
        int end = s.position();
        sectionCrc.reset();
        sectionCrc.update(s.array(), 0, end);
        if (s.remaining() < CRC_SIZE) {
            throw new IllegalStateException("no room for a section's checksum");
        }
        s.putInt((int) sectionCrc.getValue());
        emit(s.flip());
    }

    private void emit(ByteBuffer bytes) throws IOException {
        fileCrc.update(bytes.duplicate());
        while (bytes.hasRemaining()) {
            if (!buffer.hasRemaining()) {
                drain();
            }
            int n = Math.min(buffer.remaining(), bytes.remaining());
            buffer.put(bytes.slice(bytes.position(), n));
            bytes.position(bytes.position() + n);
        }
    }

    private void drain() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            int n = buffer.remaining();
            out.write(position, buffer);
            position += n - buffer.remaining();
        }
        buffer.clear();
    }

    /** Deletes the unfinished image. */
    @Override
    public void close() throws IOException {
        if (!finished) {
            finished = true;
            try {
                out.close();
            } finally {
                io.deleteIfExists(temporary);
            }
        }
    }
}
