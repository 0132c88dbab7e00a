package io.cairn.tree.engine;

/**
 * Where an optimistic reader finds frames: the live tree or a snapshot's view of it as it was at capture
 * ({@link SnapshotFrames}). Readers resolve a frame, read its stable version, then {@link #recheck} it: a snapshot
 * may have preserved a copy of the frame in between, and from then on the copy is what it reads.
 */
public interface FrameView {

    /** The root frame of the tree. */
    Frame rootFrame();

    /** The frame with this id (a Blob's target), or null if there is none. */
    Frame frame(long id);

    /** Frames in use: a reader that crosses more Blobs than this in one descent is in a cycle. */
    int frameCount();

    /**
     * Called after reading {@code f}'s version: the frame to read instead if the view has switched to a copy
     * since {@code f} was resolved (a copy never changes, so its version needs no validation), else {@code f}.
     */
    Frame recheck(Frame f);
}
