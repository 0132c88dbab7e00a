package io.cairn.tree.engine;

import java.lang.foreign.Arena;
import java.util.ArrayDeque;

/**
 * All frames of one tree, indexed by frame id, in off-heap memory owned by one shared arena (frames are read by
 * every thread and live as long as the tree). Frames released by a merge are kept and reused rather than freed, so
 * a reader still holding a stale reference only ever touches valid memory; its version check sends it back to the
 * root.
 */
final class FrameTable {
    private final Arena arena = Arena.ofShared();
    private final int frameSize;
    private final int budget;
    private final ArrayDeque<Frame> released = new ArrayDeque<>();
    private volatile Frame[] frames = new Frame[16];
    private int allocated;
    /** Frames in use, readable without the lock (readers use it to bound frame hops). */
    private volatile int live;

    FrameTable(int frameSize, int budget) {
        this.frameSize = frameSize;
        this.budget = budget;
    }

    int frameSize() {
        return frameSize;
    }

    /** The frame with this id, or null if the id was never handed out (a torn or corrupt reference). */
    Frame get(long id) {
        Frame[] all = frames;
        return id >= 0 && id < all.length ? all[(int) id] : null;
    }

    /** Bounds the id space: every frame id is below it (the slots past the last frame handed out are empty). */
    int idLimit() {
        return frames.length;
    }

    /**
     * A formatted, empty frame locked by the caller; it is unreachable until the caller links it. Past the budget
     * this fails, unless {@code pastBudget}: a multi-key write that passed {@link #ensureHeadroom} must finish.
     */
    synchronized Frame allocate(boolean pastBudget) {
        Frame f = released.poll();
        if (f == null) {
            if (allocated >= budget && !pastBudget) {
                throw new IllegalStateException("frame budget exhausted: the tree already uses " + allocated
                        + " frames of " + frameSize + " bytes (TreeOptions.frameBudget = " + budget + ")");
            }
            f = new Frame(arena.allocate(frameSize, 4096), allocated);
            Frame[] all = frames;
            if (allocated == all.length) {
                all = java.util.Arrays.copyOf(all, all.length * 2);
            }
            all[allocated++] = f;
            frames = all;
        }
        live++;
        f.lock();
        f.format();
        return f;
    }

    /** Whether {@link #allocate} would hand out a frame now. */
    synchronized boolean canAllocate(boolean pastBudget) {
        return !released.isEmpty() || allocated < budget || pastBudget;
    }

    /** Returns a frame that is no longer linked; the caller holds its latch and releases it afterwards. */
    synchronized void release(Frame f) {
        released.push(f);
        live--;
    }

    /**
     * Fails before a multi-key write (a batch, a rename) changes anything if the budget has fewer frames left
     * than it has changes. Once it passes, the write allocates with {@code pastBudget}: a change can take more
     * than one spill, and a write stopped halfway by the budget would be half applied (a rename would lose its
     * source), so it may go past the budget by the few frames its spills need instead.
     */
    synchronized void ensureHeadroom(int changes) {
        long available = (long) budget - allocated + released.size();
        if (available < changes) {
            throw new IllegalStateException("frame budget too tight for a batch of " + changes + " changes: "
                    + available + " of " + budget + " frames left (TreeOptions.frameBudget)");
        }
    }

    /** Frames in use (allocated and not released). */
    int liveCount() {
        return live;
    }

    synchronized long memoryBytes() {
        return (long) allocated * frameSize;
    }

    void close() {
        arena.close();
    }
}
