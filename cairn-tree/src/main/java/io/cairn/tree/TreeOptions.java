package io.cairn.tree;

import io.cairn.tree.engine.Engine;

/**
 * Options of an in-memory tree. Immutable; each {@code with...} returns a copy.
 *
 * <p>The frame budget caps the frames (512 KiB each) the tree may hold; a write that would need one more fails
 * with {@link IllegalStateException} and changes nothing. A batch or rename checks before it changes anything that
 * the budget has a frame left for each of its changes; once that passes it always completes, even if its spills
 * take it a few frames past the budget, so it is never left half applied.
 */
public final class TreeOptions {
    /** Default budget: 65,536 frames (32 GiB), i.e. bounded only by the machine. */
    public static final int DEFAULT_FRAME_BUDGET = 65_536;

    private final int frameBudget;
    private final int frameSize;

    private TreeOptions(int frameBudget, int frameSize) {
        this.frameBudget = frameBudget;
        this.frameSize = frameSize;
    }

    public static TreeOptions defaults() {
        return new TreeOptions(DEFAULT_FRAME_BUDGET, Engine.DEFAULT_FRAME_SIZE);
    }

    /** The most frames the tree may use (at least 1). */
    public TreeOptions frameBudget(int frames) {
        if (frames < 1) {
            throw new IllegalArgumentException("frameBudget must be at least 1, got " + frames);
        }
        return new TreeOptions(frames, frameSize);
    }

    public int frameBudget() {
        return frameBudget;
    }

    /**
     * Test knob: a smaller frame size (a multiple of 8 between 4 KiB and 512 KiB) makes small data sets span many
     * frames. Keys and values must then stay small enough for a frame.
     */
    TreeOptions frameSize(int bytes) {
        if (bytes < Engine.MIN_FRAME_SIZE || bytes > Engine.DEFAULT_FRAME_SIZE || bytes % 8 != 0) {
            throw new IllegalArgumentException("frameSize must be a multiple of 8 in [" + Engine.MIN_FRAME_SIZE
                    + ", " + Engine.DEFAULT_FRAME_SIZE + "], got " + bytes);
        }
        return new TreeOptions(frameBudget, bytes);
    }

    int frameSize() {
        return frameSize;
    }
}
