package io.cairn.tree.wal;

import io.cairn.stack.Durability;
import io.cairn.stack.StorageIo;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link WriteAheadLog} is opened for writing.
 *
 * @param durability         {@code SYNC}: {@link WriteAheadLog#awaitDurable} forces (shared by concurrent callers);
 *                           {@code ASYNC}: a flusher forces at least every {@code asyncFlushInterval};
 *                           {@code NONE}: the flusher hands records to the OS at that interval and never forces
 * @param asyncFlushInterval the flusher's period under {@code ASYNC} and {@code NONE} (5 ms by default)
 * @param bufferBytes        capacity of each of the two group buffers; an append waits for a flush when the filling
 *                           one is full (back-pressure), and a single larger record gets a buffer of its own size
 * @param io                 the I/O seam
 */
public record WalOptions(Durability durability, Duration asyncFlushInterval, int bufferBytes, StorageIo io) {
    public static final Duration DEFAULT_ASYNC_FLUSH_INTERVAL = Duration.ofMillis(5);
    public static final int DEFAULT_BUFFER_BYTES = 1024 * 1024;
    /** Smallest buffer: room for a few small records. */
    public static final int MIN_BUFFER_BYTES = 4096;

    public WalOptions {
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(asyncFlushInterval, "asyncFlushInterval");
        Objects.requireNonNull(io, "io");
        if (asyncFlushInterval.isNegative() || asyncFlushInterval.isZero()) {
            throw new IllegalArgumentException("asyncFlushInterval must be positive: " + asyncFlushInterval);
        }
        if (bufferBytes < MIN_BUFFER_BYTES) {
            throw new IllegalArgumentException("bufferBytes must be at least " + MIN_BUFFER_BYTES + ": "
                    + bufferBytes);
        }
    }

    /** {@code SYNC}, 5 ms, 1 MiB buffers, the local file system. */
    public static WalOptions defaults() {
        return new WalOptions(Durability.SYNC, DEFAULT_ASYNC_FLUSH_INTERVAL, DEFAULT_BUFFER_BYTES,
                StorageIo.fileSystem());
    }

    public WalOptions withDurability(Durability value) {
        return new WalOptions(value, asyncFlushInterval, bufferBytes, io);
    }

    public WalOptions withAsyncFlushInterval(Duration value) {
        return new WalOptions(durability, value, bufferBytes, io);
    }

    public WalOptions withBufferBytes(int value) {
        return new WalOptions(durability, asyncFlushInterval, value, io);
    }

    public WalOptions withIo(StorageIo value) {
        return new WalOptions(durability, asyncFlushInterval, bufferBytes, value);
    }
}
