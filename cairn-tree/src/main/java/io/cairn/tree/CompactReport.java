package io.cairn.tree;

/**
 * What {@link Database#compact} did.
 *
 * @param trees        trees rewritten into fewer frames (a tree whose copy would not be smaller keeps its frames; a
 *                     tree dropped meanwhile is not counted)
 * @param framesBefore frames in use in the whole database before (after releasing unreachable frames)
 * @param framesAfter  and after; the difference is free slots in the frame file, which {@link Database#vacuum}
 *                     returns to the file system
 */
public record CompactReport(int trees, long framesBefore, long framesAfter) {

    /** Frames the compaction freed. */
    public long framesFreed() {
        return framesBefore - framesAfter;
    }
}
