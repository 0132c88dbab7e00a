package io.cairn.tree.engine;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * All frames of a store (one tree in memory, or every tree of a file-backed store), indexed by frame id, in off-heap
 * memory owned by one shared arena (frames are read by every thread and live as long as the store). Frames released
 * by a merge are kept and reused rather than freed, so a reader still holding a stale reference only ever touches
 * valid memory; its version check sends it back to the root.
 *
 * <p>For a file-backed store the table also keeps what a checkpoint needs: which frames changed since the last one
 * (their {@link Frame#dirty} flags; a new frame is dirty) and which frame ids were released meanwhile.
 */
public final class FrameTable {
    private final Arena arena = Arena.ofShared();
    private final int frameSize;
    private final int budget;
    private final ArrayDeque<Frame> released = new ArrayDeque<>();
    /** The ids of the frames in {@link #released}. */
    private final java.util.BitSet idle = new java.util.BitSet();
    /** Ids below {@link #idLimit} that no frame holds (a restored store's gaps), handed out before new ones. */
    private final ArrayDeque<Integer> freeIds = new ArrayDeque<>();
    /** Ids released since the last {@link #capture}. */
    private final List<Integer> releasedIds = new ArrayList<>();
    private volatile Frame[] frames = new Frame[16];
    /** Every id below this has been handed out at some point. */
    private int idLimit;
    /** Frame objects made (each holds a segment of the arena). */
    private int made;
    /** Frames in use, readable without the lock (readers use it to bound frame hops). */
    private volatile int live;

    /** An empty table of frames of {@code frameSize} bytes, at most {@code budget} of them. */
    public FrameTable(int frameSize, int budget) {
        this.frameSize = frameSize;
        this.budget = budget;
    }

    public int frameSize() {
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
        if (f != null) {
            idle.clear(f.id);
        } else {
            if (made >= budget && !pastBudget) {
                throw new IllegalStateException("frame budget exhausted: the tree already uses " + made
                        + " frames of " + frameSize + " bytes (TreeOptions.frameBudget = " + budget + ")");
            }
            Integer gap = freeIds.poll();
            f = install(gap != null ? gap : idLimit);
        }
        live++;
        f.lock();
        f.format();
        f.dirty = true;
        return f;
    }

    /** Makes a frame object for {@code id} with fresh (zeroed) memory and registers it. */
    private Frame install(int id) {
        Frame f = new Frame(arena.allocate(frameSize, 4096), id);
        Frame[] all = frames;
        if (id >= all.length) {
            all = java.util.Arrays.copyOf(all, Math.max(all.length * 2, id + 1));
        }
        all[id] = f;
        frames = all;
        made++;
        idLimit = Math.max(idLimit, id + 1);
        return f;
    }

    /** Whether {@link #allocate} would hand out a frame now. */
    synchronized boolean canAllocate(boolean pastBudget) {
        return !released.isEmpty() || made < budget || pastBudget;
    }

    /** Returns a frame that is no longer linked; the caller holds its latch and releases it afterwards. */
    synchronized void release(Frame f) {
        released.push(f);
        idle.set(f.id);
        releasedIds.add(f.id);
        f.dirty = false;
        live--;
    }

    /**
     * Fails before a multi-key write (a batch, a rename) changes anything if the budget has fewer frames left
     * than it has changes. Once it passes, the write allocates with {@code pastBudget}: a change can take more
     * than one spill, and a write stopped halfway by the budget would be half applied (a rename would lose its
     * source), so it may go past the budget by the few frames its spills need instead.
     */
    synchronized void ensureHeadroom(int changes) {
        long available = (long) budget - made + released.size();
        if (available < changes) {
            throw new IllegalStateException("frame budget too tight for a batch of " + changes + " changes: "
                    + available + " of " + budget + " frames left (TreeOptions.frameBudget)");
        }
    }

    /** Frames in use (allocated and not released). */
    int liveCount() {
        return live;
    }

    public synchronized long memoryBytes() {
        return (long) made * frameSize;
    }

    // ---- persistence (called with every tree's writer gate closed, or before the trees open)

    /**
     * Installs frame {@code id} with the image {@code from} holds (a frame loaded from a file at open; the caller
     * checked it). Ids never restored below the highest one become free ids.
     */
    public synchronized void restore(int id, MemorySegment from) {
        if (get(id) != null) {
            throw new IllegalArgumentException("frame " + id + " is restored twice");
        }
        Frame f = install(id);
        MemorySegment.copy(from, 0, f.seg, 0, Math.min(from.byteSize(), frameSize));
        live++;
    }

    /** After every {@link #restore}: the ids below the highest restored one that no frame holds become free. */
    public synchronized void restored(int[] parents) {
        freeIds.clear();
        for (int id = 0; id < idLimit; id++) {
            Frame f = get(id);
            if (f == null) {
                freeIds.add(id);
            } else {
                f.parent = parents[id];
            }
        }
    }

    /** A frame's image and links as a checkpoint captured them. */
    public record Image(int id, int parent, MemorySegment bytes) {}

    /**
     * Copies every frame changed since the last capture (into memory from {@code arena}) and clears their dirty
     * flags; the caller has closed every writer gate of the store, so no frame is latched.
     */
    public synchronized List<Image> captureDirty(Arena into) {
        List<Image> out = new ArrayList<>();
        for (int id = 0; id < idLimit; id++) {
            Frame f = get(id);
            if (f != null && f.dirty) {
                MemorySegment copy = into.allocate(frameSize, 4096);
                MemorySegment.copy(f.seg, 0, copy, 0, f.bump());
                out.add(new Image(id, f.parent, copy));
                f.dirty = false;
            }
        }
        return out;
    }

    /** Frame ids released since the last call (their frames may have been reused and captured since). */
    public synchronized List<Integer> takeReleasedIds() {
        List<Integer> out = List.copyOf(releasedIds);
        releasedIds.clear();
        return out;
    }

    /** Every frame in use with its parent id, for a manifest. */
    public synchronized int[][] framesInUse() {
        List<int[]> out = new ArrayList<>();
        for (int id = 0; id < idLimit; id++) {
            Frame f = get(id);
            if (f != null && !idle.get(id)) {
                out.add(new int[] {id, f.parent});
            }
        }
        return out.toArray(int[][]::new);
    }

    public void close() {
        arena.close();
    }
}
