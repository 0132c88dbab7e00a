package io.cairn.tree;

import io.cairn.stack.Durability;
import io.cairn.stack.StorageIo;
import io.cairn.tree.engine.Engine;
import java.time.Duration;
import java.util.Objects;

/**
 * Options of a tree. Immutable; each setter returns a changed copy.
 *
 * <p>The frame budget caps the frames ({@link #frameSize}, 512 KiB by default) the tree may hold; a write that would
 * need one more fails
 * with {@link IllegalStateException} and changes nothing. A batch or rename checks before it changes anything that
 * the budget has a frame left for each of its changes; once that passes it always completes, even if its spills
 * take it a few frames past the budget, so it is never left half applied.
 *
 * <p>A file-backed tree ({@link Tree#open(java.nio.file.Path, TreeOptions)}) also takes:
 * <ul>
 *   <li>{@link #durability}: {@code SYNC} (the default) returns from a write once its log record is forced;
 *       {@code ASYNC} returns once the record is in the log's buffer, and a background flusher forces it within
 *       {@link #asyncFlushInterval} (default 5 ms): a crash loses at most that window and never a write acknowledged
 *       before the last {@link Tree#sync()}; {@code NONE} never forces the log (for tests and scratch data: a power
 *       failure may lose any write, a process crash none). A clean {@link Tree#close()} loses nothing in any mode.</li>
 *   <li>{@link #cacheBytes}: the memory for frames (default 256 MiB). Frames are loaded from the frame file when
 *       first used and evicted when the cache needs room, least recently used first (a CLOCK sweep), so the tree
 *       works with any amount of data; frames changed since the last checkpoint stay until a checkpoint has written
 *       them. {@link TreeStats#memoryBytes} reports the memory held.</li>
 *   <li>{@link #checkpointEvery}: log bytes after which a checkpoint runs in the background (default 64 MiB),
 *       bounding what a crash leaves to replay. A checkpoint also runs when changed frames fill three quarters of
 *       the cache, and writers wait for it when they fill nearly all of it.</li>
 *   <li>{@link #frameSize}: the size of a new store's frames (512 KiB by default; an existing store keeps its own).
 *       Smaller frames suit a tree much larger than its cache that takes many writes: a checkpoint rewrites every
 *       changed frame whole, and a cache miss loads and checks a whole frame.</li>
 *   <li>{@link #io}: the I/O seam (tests inject faults through it).</li>
 *   <li>{@link #changeRetention}: how much log to keep for the change feed ({@link Database#changesAfter}); the
 *       database records it, so opens that do not set it keep it.</li>
 * </ul>
 */
public final class TreeOptions {
    /** Default budget: 65,536 frames of the default size (32 GiB), i.e. bounded only by the machine. */
    public static final int DEFAULT_FRAME_BUDGET = 65_536;
    /** The default size of a frame: 512 KiB. */
    public static final int DEFAULT_FRAME_SIZE = Engine.DEFAULT_FRAME_SIZE;
    /** The smallest frame size: 4 KiB. */
    public static final int MIN_FRAME_SIZE = Engine.MIN_FRAME_SIZE;
    /** Default ASYNC flush interval: 5 ms. */
    public static final Duration DEFAULT_ASYNC_FLUSH_INTERVAL = Duration.ofMillis(5);
    /** Default frame cache of a file-backed tree: 256 MiB. */
    public static final long DEFAULT_CACHE_BYTES = 256L << 20;
    /** Default log growth between background checkpoints: 64 MiB. */
    public static final long DEFAULT_CHECKPOINT_EVERY = 64L << 20;

    private final int frameBudget;
    private final int frameSize;
    private final Durability durability;
    private final Duration asyncFlushInterval;
    private final long cacheBytes;
    private final long checkpointEvery;
    private final StorageIo io;
    /** Null: not set (keep what the database records). */
    private final ChangeRetention changeRetention;

    private TreeOptions(int frameBudget, int frameSize, Durability durability, Duration asyncFlushInterval,
            long cacheBytes, long checkpointEvery, StorageIo io, ChangeRetention changeRetention) {
        this.frameBudget = frameBudget;
        this.frameSize = frameSize;
        this.durability = durability;
        this.asyncFlushInterval = asyncFlushInterval;
        this.cacheBytes = cacheBytes;
        this.checkpointEvery = checkpointEvery;
        this.io = io;
        this.changeRetention = changeRetention;
    }

    public static TreeOptions defaults() {
        return new TreeOptions(DEFAULT_FRAME_BUDGET, Engine.DEFAULT_FRAME_SIZE, Durability.SYNC,
                DEFAULT_ASYNC_FLUSH_INTERVAL, DEFAULT_CACHE_BYTES, DEFAULT_CHECKPOINT_EVERY, StorageIo.fileSystem(),
                null);
    }

    /** The most frames the tree may use (at least 1). */
    public TreeOptions frameBudget(int frames) {
        if (frames < 1) {
            throw new IllegalArgumentException("frameBudget must be at least 1, got " + frames);
        }
        return new TreeOptions(frames, frameSize, durability, asyncFlushInterval, cacheBytes, checkpointEvery, io,
                changeRetention);
    }

    public int frameBudget() {
        return frameBudget;
    }

    /** When a file-backed tree's writes are forced (see the class comment). */
    public TreeOptions durability(Durability value) {
        return new TreeOptions(frameBudget, frameSize, Objects.requireNonNull(value, "durability"),
                asyncFlushInterval, cacheBytes, checkpointEvery, io, changeRetention);
    }

    public Durability durability() {
        return durability;
    }

    /** Under {@code ASYNC}: the longest an acknowledged write waits to be forced (between 0.1 ms and 10 s). */
    public TreeOptions asyncFlushInterval(Duration value) {
        Objects.requireNonNull(value, "asyncFlushInterval");
        if (value.compareTo(Duration.ofNanos(100_000)) < 0 || value.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("asyncFlushInterval must be between 0.1 ms and 10 s, got " + value);
        }
        return new TreeOptions(frameBudget, frameSize, durability, value, cacheBytes, checkpointEvery, io,
                changeRetention);
    }

    public Duration asyncFlushInterval() {
        return asyncFlushInterval;
    }

    /**
     * The memory a file-backed tree keeps frames in (positive; a cache holds at least 8 frames, so a smaller budget
     * is rounded up to that). A memory tree keeps all its frames whatever this says.
     */
    public TreeOptions cacheBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("cacheBytes must be positive, got " + bytes);
        }
        return new TreeOptions(frameBudget, frameSize, durability, asyncFlushInterval, bytes, checkpointEvery, io,
                changeRetention);
    }

    public long cacheBytes() {
        return cacheBytes;
    }

    /**
     * Log bytes written after which a file-backed tree checkpoints in the background (positive;
     * {@code Long.MAX_VALUE}: never for the log's sake, only when changed frames fill the cache, on
     * {@link Tree#checkpoint()} and on close). Smaller means less to replay after a crash, larger fewer frame writes.
     */
    public TreeOptions checkpointEvery(long walBytes) {
        if (walBytes < 1) {
            throw new IllegalArgumentException("checkpointEvery must be positive, got " + walBytes);
        }
        return new TreeOptions(frameBudget, frameSize, durability, asyncFlushInterval, cacheBytes, walBytes, io,
                changeRetention);
    }

    public long checkpointEvery() {
        return checkpointEvery;
    }

    /** The I/O seam a file-backed tree reaches its files through. */
    public TreeOptions io(StorageIo value) {
        return new TreeOptions(frameBudget, frameSize, durability, asyncFlushInterval, cacheBytes, checkpointEvery,
                Objects.requireNonNull(value, "io"), changeRetention);
    }

    public StorageIo io() {
        return io;
    }

    /**
     * How much log a file-backed tree or database keeps for its change feed (see {@link ChangeRetention}). The
     * database records the retention in its manifest: an open that does not set it keeps the one recorded (none
     * for a new database), so a tool or a maintenance job that opens the database never retires log a follower
     * still needs; an open that sets it (to {@link ChangeRetention#none()} too) replaces the recorded one, durably,
     * before the open returns. A read-only open ignores it.
     */
    public TreeOptions changeRetention(ChangeRetention value) {
        return new TreeOptions(frameBudget, frameSize, durability, asyncFlushInterval, cacheBytes, checkpointEvery, io,
                Objects.requireNonNull(value, "changeRetention"));
    }

    /** The retention set by {@link #changeRetention(ChangeRetention)}; empty if not set. */
    public java.util.Optional<ChangeRetention> changeRetention() {
        return java.util.Optional.ofNullable(changeRetention);
    }

    /**
     * The size of the frames of a new tree: a multiple of 8 from {@value #MIN_FRAME_SIZE} to
     * {@value #DEFAULT_FRAME_SIZE} bytes. A file-backed tree keeps the size it was created with, whatever a later open
     * asks for.
     *
     * <p>Why smaller: a checkpoint writes each changed frame whole to a fresh slot, so random writes over a tree
     * larger than its cache cost about a frame of disk writes each, and a cache miss loads and checksums a whole
     * frame; 64 KiB frames cut both 8x (docs/benchmarks.md has the measured trade-off). What it costs: one write
     * (a key plus its value) must fit half a frame, so the largest key and value shrink with the frame (a write
     * that does not fit is refused with {@link IllegalArgumentException}, naming the sizes, before anything
     * changes), and a tree of more frames has more frame hops per lookup. A budget left at its default keeps
     * meaning 32 GiB of frames: it scales with the size.
     */
    public TreeOptions frameSize(int bytes) {
        if (bytes < Engine.MIN_FRAME_SIZE || bytes > Engine.DEFAULT_FRAME_SIZE || bytes % 8 != 0) {
            throw new IllegalArgumentException("frameSize must be a multiple of 8 in [" + Engine.MIN_FRAME_SIZE
                    + ", " + Engine.DEFAULT_FRAME_SIZE + "], got " + bytes);
        }
        int budget = frameBudget == defaultBudget(frameSize) ? defaultBudget(bytes) : frameBudget;
        return new TreeOptions(budget, bytes, durability, asyncFlushInterval, cacheBytes, checkpointEvery, io,
                changeRetention);
    }

    /** The frame size a new tree gets (see {@link #frameSize(int)}). */
    public int frameSize() {
        return frameSize;
    }

    /** The default budget for frames of {@code frameSize} bytes: as many as make 32 GiB. */
    private static int defaultBudget(int frameSize) {
        return (int) ((long) DEFAULT_FRAME_BUDGET * Engine.DEFAULT_FRAME_SIZE / frameSize);
    }
}
