package io.cairn.stack;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The I/O seam: how Cairn opens files and makes directory changes durable.
 *
 * <p>{@link #fileSystem()} is the production implementation over {@link java.nio.channels.FileChannel}.
 * Tests substitute wrappers that inject faults; benchmarks substitute wrappers that count syncs.
 */
public interface StorageIo {

    /** How a file is opened. */
    enum OpenMode {
        /** Read only; the file must exist. */
        READ_ONLY,
        /** Read and write; the file must exist. */
        READ_WRITE,
        /** Read and write; the file is created (empty) if missing, never truncated. */
        READ_WRITE_CREATE
    }

    /**
     * Opens {@code path} without a lock. On POSIX systems, closing any descriptor of a file releases every fcntl
     * lock this process holds on it: do not open a file this process holds locked this way (use
     * {@link #openLocked}, which shares the holder's channel where the locks allow it).
     */
    StorageFile open(Path path, OpenMode mode) throws IOException;

    /**
     * Opens {@code path} and locks it for the life of the returned handle: shared for {@link OpenMode#READ_ONLY},
     * exclusive for the writable modes. Fails at once, never waits, with
     * {@link StoreLockedException} when a handle in this process or another process holds a conflicting lock;
     * a refused open changes nothing this process holds.
     */
    StorageFile openLocked(Path path, OpenMode mode) throws IOException;

    /** Makes the creation, deletion or renaming of entries in {@code directory} durable (fsync of the directory). */
    void syncDirectory(Path directory) throws IOException;

    /** Atomically replaces {@code target} with {@code source} (rename); the caller syncs the directory. */
    void atomicMove(Path source, Path target) throws IOException;

    /** Deletes {@code path} if it exists; returns whether it did. */
    boolean deleteIfExists(Path path) throws IOException;

    /** The production seam over the local file system. */
    static StorageIo fileSystem() {
        return FileSystemStorage.INSTANCE;
    }
}
