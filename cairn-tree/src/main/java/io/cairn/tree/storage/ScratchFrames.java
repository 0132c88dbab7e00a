package io.cairn.tree.storage;

import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where a read-only handle keeps the frames its recovery changed once they no longer fit its cache: a private frame
 * file ({@link FrameFile}, so every image keeps its CRC32C and is checked when it is loaded back) in a new temporary
 * directory, deleted at close. A read-only handle never writes the store's own files, and its replayed frames are
 * dirty (their slots in the store hold older images), so without this a log longer than the cache would keep every
 * frame it touches resident, past {@code cacheBytes}.
 *
 * <p>A frame spilled here is named by a tagged slot ({@link #TAG} set), which the store's frame source sends here
 * instead of to the frame file. A frame spilled twice reuses its scratch slot: nothing else can read that slot,
 * and the frame itself is resident while it is dirty.
 */
final class ScratchFrames implements AutoCloseable {
    /** Set in a frame's slot while its newest image is here. */
    static final long TAG = 1L << 62;

    private final Path directory;
    private final FrameFile file;
    private final Map<Integer, Long> slots = new HashMap<>();

    private ScratchFrames(Path directory, FrameFile file) {
        this.directory = directory;
        this.file = file;
    }

    /** A new scratch file for frames of {@code frameSize} bytes, in a new directory under the system's temp. */
    static ScratchFrames create(int frameSize, StorageIo io) throws IOException {
        Path directory = Files.createTempDirectory("cairn-read-only-");
        try {
            return new ScratchFrames(directory, FrameFile.open(directory.resolve("frames.stack"), frameSize, false,
                    io));
        } catch (IOException | RuntimeException e) {
            deleteQuietly(directory, e);
            throw e;
        }
    }

    static boolean holds(long slot) {
        return (slot & TAG) != 0;
    }

    /** Writes frame {@code id}'s image (sealed) and returns the tagged slot that names it. */
    synchronized long write(int id, MemorySegment image) throws IOException {
        long slot = slots.computeIfAbsent(id, k -> (long) slots.size());
        file.write(slot, image);
        return slot | TAG;
    }

    /** Reads frame {@code id} back from a tagged slot {@link #write} returned. */
    void readInto(long taggedSlot, int id, MemorySegment into) throws IOException {
        file.readInto(taggedSlot & ~TAG, id, into);
    }

    @Override
    public void close() throws IOException {
        try {
            file.close();
        } finally {
            delete(directory);
        }
    }

    private static void delete(Path directory) throws IOException {
        Files.deleteIfExists(directory.resolve("frames.stack"));
        Files.deleteIfExists(directory);
    }

    private static void deleteQuietly(Path directory, Exception primary) {
        try {
            delete(directory);
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }
}
