package io.cairn.tree.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * All frames of a store (one tree in memory, or every tree of a file-backed store), indexed by frame id. A frame is
 * a small heap object (latch, links, flags) whose memory the store's {@link FrameCache} provides: always resident
 * for a memory tree; loaded on demand and evicted for a file-backed one, whose frames are registered at open with
 * the slot of their image ({@link #restore}) and loaded when first used. Frames released by a merge are kept and
 * reused (their buffers go back to the cache), so a reader still holding a stale reference only ever touches a
 * valid frame object; its version check sends it back to the root.
 *
 * <p>For a file-backed store the table also keeps what a checkpoint needs: which frames changed since the last one
 * (their {@link Frame#dirty} flags; a new frame is dirty), which frames are in use, and a {@link #capture} of the
 * changed frames as they are at one moment.
 */
public final class FrameTable {
    private final int frameSize;
    private final int budget;
    private final FrameCache cache;
    private final ArrayDeque<Frame> released = new ArrayDeque<>();
    /** The ids of the frames in {@link #released}. */
    private final java.util.BitSet idle = new java.util.BitSet();
    /** Ids below {@link #idLimit} that no frame holds (a restored store's gaps), handed out before new ones. */
    private final ArrayDeque<Integer> freeIds = new ArrayDeque<>();
    private volatile Frame[] frames = new Frame[16];
    /** Every id below this has been handed out at some point. */
    private int idLimit;
    /** Frame objects made. */
    private int made;
    /** Frames in use, readable without the lock (readers use it to bound frame hops). */
    private volatile int live;

    /** An empty table of frames of {@code frameSize} bytes, at most {@code budget} of them, all in memory. */
    public FrameTable(int frameSize, int budget) {
        this(frameSize, budget, FrameCache.unbounded(frameSize));
    }

    /**
     * An empty table for a file-backed store: frames of {@code frameSize} bytes, at most {@code budget} of them,
     * resident in a cache of {@code cacheBytes} (at least {@value FrameCache#MIN_FRAMES} frames) that loads them
     * from {@code source} and calls {@code checkpointWanted} when dirty frames fill it.
     */
    public FrameTable(int frameSize, int budget, long cacheBytes, FrameSource source, Runnable checkpointWanted) {
        this(frameSize, budget, FrameCache.bounded(frameSize, cacheBytes, source, checkpointWanted));
    }

    private FrameTable(int frameSize, int budget, FrameCache cache) {
        this.frameSize = frameSize;
        this.budget = budget;
        this.cache = cache;
    }

    public int frameSize() {
        return frameSize;
    }

    FrameCache cache() {
        return cache;
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
        f.slot = -1;
        f.released = false;
        cache.attach(f);
        f.format();
        cache.markDirty(f);
        return f;
    }

    /** Makes a frame object for {@code id} (not resident) and registers it. */
    private Frame install(int id) {
        Frame f = new Frame(frameSize, id, cache);
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

    /**
     * Returns a frame that is no longer linked; the caller holds its latch and releases it afterwards. Its buffer
     * goes back to the cache.
     */
    synchronized void release(Frame f) {
        released.push(f);
        idle.set(f.id);
        cache.markClean(f);
        f.released = true;
        cache.detach(f);
        live--;
    }

    /** Marks a frame the caller latched and changed: it must be written by the next checkpoint. */
    void markDirty(Frame f) {
        cache.markDirty(f);
    }

    /** Keeps a tree's root frame resident for good (loading it now): every operation starts there. */
    void keepResident(Frame root) {
        root.keepResident = true;
        root.stableVersion();
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
    public int liveCount() {
        return live;
    }

    /** Off-heap bytes held by the frames' buffers (resident frames, free buffers, checkpoint copies). */
    public long memoryBytes() {
        return cache.memoryBytes();
    }

    /**
     * What the frame cache holds and did.
     *
     * @param capacityBytes the cache budget (0 for a memory tree, whose frames are all resident)
     * @param memoryBytes   bytes of buffers in existence (the resident memory)
     * @param peakBytes     the most bytes of buffers there have been at once since open
     * @param residentBytes bytes of buffers holding a frame
     * @param dirtyBytes    bytes of frames changed since the last checkpoint
     * @param hits          frame uses that found the frame resident (counted approximately)
     * @param misses        frames loaded from the frame file
     * @param evictions     frames evicted
     * @param overdrafts    buffers taken past the budget because nothing was evictable
     */
    public record CacheFigures(long capacityBytes, long memoryBytes, long peakBytes, long residentBytes,
            long dirtyBytes, long hits, long misses, long evictions, long overdrafts) {}

    public CacheFigures cacheFigures() {
        return cache.figures();
    }

    /**
     * Called by a writer that may change up to {@code frames} frames before it enters a tree: waits while the cache
     * is too dirty to hold them (see FrameCache#admitWriter).
     */
    void admitWriter(int frames) {
        cache.admitWriter(frames);
    }

    /** Whether dirty frames fill enough of the cache that a checkpoint should run. */
    public boolean wantsCheckpoint() {
        return cache.wantsCheckpoint();
    }

    /** Gives back buffers taken past the cache's budget, as far as their frames allow (see FrameCache#trim). */
    public void trimCache() {
        cache.trim();
    }

    /** Lets writers wait for checkpoints when the cache fills with dirty frames (while a checkpointer runs). */
    public void backPressure(boolean on) {
        cache.backPressure(on);
    }

    // ---- persistence (called with every tree's writer gate closed, or before the trees open)

    /**
     * Registers frame {@code id} of a file-backed store, whose image is in {@code slot} of the frame file; the
     * cache loads it when it is first used.
     */
    public synchronized void restore(int id, long slot) {
        if (get(id) != null) {
            throw new IllegalArgumentException("frame " + id + " is restored twice");
        }
        install(id).slot = slot;
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

    /**
     * Frame {@code id}'s image now lives in {@code slot} (a vacuum moved it): an evicted frame is loaded from there
     * from now on. Waits for a load in flight (it holds the frame's latch); loads nothing itself.
     */
    public void moved(int id, long slot) {
        Frame f = get(id);
        int spins = 0;
        long v;
        while ((v = f.tryLatchQuiet()) < 0) {
            Frame.backOff(++spins);
        }
        f.slot = slot;
        f.unlatchUnchanged(v);
    }

    /**
     * Captures every frame changed since the last capture, as it is now, and clears their dirty flags; the caller
     * has closed every writer gate of the store, so no writer holds a latch. Nothing is copied here: the capture
     * watches the frames and a writer that changes one first hands it a copy (see {@link FrameCapture}).
     */
    public synchronized FrameCapture capture() {
        List<Frame> out = new ArrayList<>();
        for (int id = 0; id < idLimit; id++) {
            Frame f = get(id);
            if (f != null && f.dirty && !f.released) {
                out.add(f);
            }
        }
        cache.captureStarted();
        return FrameCapture.of(cache, out);
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
        cache.close();
    }
}
