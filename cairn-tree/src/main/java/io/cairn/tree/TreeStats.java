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
 * @param memoryBytes   off-heap bytes held by the tree's frames
 */
public record TreeStats(long keys, long frames, int maxDepth, double avgDepth, int maxFrameDepth, double fill,
        long deadBytes, long memoryBytes) {}
