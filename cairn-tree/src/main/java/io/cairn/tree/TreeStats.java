package io.cairn.tree;

/**
 * The shape of a tree at one moment.
 *
 * @param keys          stored keys
 * @param frames        frames in use
 * @param maxDepth      the most nodes on a path from the root to a key (prefix, inner, blob and leaf nodes)
 * @param avgDepth      the mean of that over all keys
 * @param maxFrameDepth the most frames a lookup crosses (1 for a tree in one frame)
 * @param fill          live node bytes / data capacity of the frames in use (0..1)
 * @param deadBytes     bytes of replaced nodes not yet reclaimed by compaction
 * @param memoryBytes   off-heap bytes held by the tree's frames (for a file-backed tree: its store's frame cache,
 *                      within {@link TreeOptions#cacheBytes} plus what is momentarily unevictable beyond it)
 * @param durable       log, checkpoint and recovery figures of a file-backed tree; null for a memory tree
 */
public record TreeStats(long keys, long frames, int maxDepth, double avgDepth, int maxFrameDepth, double fill,
        long deadBytes, long memoryBytes, Durable durable) {

    /**
     * What a file-backed tree's storage did since it was opened.
     *
     * @param walBytes            bytes of write-ahead log retained on disk
     * @param walLastSequence     the last log sequence appended
     * @param walRecords          records appended since open
     * @param groupCommits        group commits written (one append of many writers' records each)
     * @param walForces           fdatasyncs of the log
     * @param groupSizes          records per group commit by power-of-two bucket ({@code [i]}: [2^(i-1), 2^i))
     * @param checkpoints         checkpoints since open
     * @param checkpointedFrames  frame images they wrote
     * @param lastCheckpointNanos how long the last one took (capture, writes, forces, publication)
     * @param checkpointSequence  the log sequence the published checkpoint covers
     * @param replayedRecords     log records recovery replayed at open
     * @param recoveryNanos       how long the open took (manifest, replay, and the frames replay loaded)
     * @param cache               the frame cache's figures
     */
    public record Durable(long walBytes, long walLastSequence, long walRecords, long groupCommits, long walForces,
            long[] groupSizes, long checkpoints, long checkpointedFrames, long lastCheckpointNanos,
            long checkpointSequence, long replayedRecords, long recoveryNanos, Cache cache) {}

    /**
     * A file-backed tree's frame cache since open.
     *
     * @param budgetBytes   the cache budget ({@link TreeOptions#cacheBytes}, at least 8 frames)
     * @param residentBytes bytes of frames resident now
     * @param peakBytes     the most frame memory held at once since open (the peak of {@link TreeStats#memoryBytes}:
     *                      resident frames, free buffers and checkpoint copies)
     * @param dirtyBytes    bytes of frames changed since the last checkpoint (kept until one writes them)
     * @param hits          frame uses that found the frame resident (counted per thread without synchronization,
     *                      so concurrent threads may lose a few counts)
     * @param misses        frames loaded from the frame file
     * @param evictions     frames evicted to make room
     * @param overdrafts    buffers taken past the budget because nothing was evictable at that moment (a batch
     *                      holding more frames than the cache, or every frame dirty); freed once evictable again
     */
    public record Cache(long budgetBytes, long residentBytes, long peakBytes, long dirtyBytes, long hits, long misses,
            long evictions, long overdrafts) {}

    /**
     * What opening a file-backed tree recovered.
     *
     * @param replayedRecords log records replayed after the last checkpoint
     * @param recoveryNanos   how long the open took (manifest, replay, and the frames replay loaded)
     * @param walBytesCut     bytes of a torn log tail (a write a crash interrupted) the open cut off; a read-only
     *                        open ignores them in memory instead
     */
    public record Recovery(long replayedRecords, long recoveryNanos, long walBytesCut) {}
}
