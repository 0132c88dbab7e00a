package io.cairn.stack;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * One open file behind the {@link StorageIo} seam: positional reads and writes, size, truncate, force (the lock
 * is taken by {@link StorageIo#openLocked}).
 *
 * <p>Every durable structure in Cairn reaches the disk only through this interface, so tests can wrap it to
 * fail or tear the Nth write, drop what was not forced at a simulated crash, or corrupt bytes. Implementations
 * must be safe for concurrent positional reads; callers serialise writes themselves.
 */
public interface StorageFile extends Closeable {

    /** The file's path, for messages. */
    Path path();

    /**
     * Reads exactly {@code dst.remaining()} bytes starting at {@code position}.
     *
     * @throws java.io.EOFException if the file ends first
     */
    void read(long position, ByteBuffer dst) throws IOException;

    /** Writes all of {@code src.remaining()} bytes at {@code position}, growing the file if needed. */
    void write(long position, ByteBuffer src) throws IOException;

    /** The current size of the file in bytes. */
    long size() throws IOException;

    /** Shrinks the file to {@code size} bytes; a size at or above the current size changes nothing. */
    void truncate(long size) throws IOException;

    /**
     * Makes every write so far durable (fdatasync: data and the metadata needed to read it, e.g. the size).
     * A failure leaves the durable state unknown: callers must not retry, they fail the store.
     */
    void force() throws IOException;
}
