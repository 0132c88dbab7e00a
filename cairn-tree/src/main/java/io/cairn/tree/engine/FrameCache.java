package io.cairn.tree.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The memory of a store's frames: a pool of frame-sized off-heap buffers, each holding one resident frame (or a
 * checkpoint's copy of one). A memory tree's cache is unbounded and never evicts. A file-backed store's cache holds
 * at most {@link #capacity} buffers: a frame that is not resident is loaded from its {@link FrameSource} when a
 * reader or writer first needs it ({@link Frame#stableVersion}), and a buffer for it is taken from a frame nobody
 * needs right now, chosen by a CLOCK (second chance) sweep: a frame used since the hand last passed keeps its
 * buffer once more.
 *
 * <p><b>What may be evicted.</b> Only a clean frame whose image is in the frame file: not dirty (changed since the
 * last checkpoint captured it), not pending (captured but its image not yet written), not released, not pinned, not
 * a tree's root, not latched. Dirty frames stay until a checkpoint has written them; the store checkpoints when
 * dirty frames fill {@link #wantsCheckpoint three quarters} of the cache, and writers wait at the door ({@link
 * #admitWriter}) while nearly all of it is dirty.
 *
 * <p><b>Readers never use a frame being evicted: optimistic validation and recycled buffers.</b> Eviction takes
 * the frame's latch (without waiting), detaches the buffer ({@link Frame#seg} becomes {@link Frame#ABSENT}) and
 * releases the latch, which moves the frame's version. A reader reads a frame's version, then its buffer, then the
 * nodes, and validates the version at the end, exactly as it does against writers: if the cache took the buffer
 * meanwhile, the validation fails and the reader starts again (an access to the absent frame fails at once; one to
 * the recycled buffer reads another frame's bytes, which the validation discards). Buffers within the capacity are
 * never freed before the store closes, so a stale read is always a read of valid memory. This was chosen over pins
 * on the read path because the read path already validates every frame it reads against writers: eviction is just
 * one more writer, and readers keep doing no atomic read-modify-write (a pin would be two per frame per lookup,
 * on the root frame by every thread). The few readers that read without validating (snapshot capture, statistics,
 * and the last-resort passes of lookups and scans that keep being restarted) {@linkplain #pin pin} the frames they
 * read instead: eviction skips a pinned frame.
 *
 * <p><b>Past the capacity.</b> A load or a new frame that finds no evictable frame (everything dirty, pinned or
 * latched: a batch keeps every frame it changes latched until it ends) gets a buffer past the capacity rather than
 * waiting, since its caller may hold latches a checkpoint needs released. When buffers come back while there are
 * more than the capacity, their memory goes back to the OS ({@link PageRelease}: the addresses stay valid, so a
 * stale reader reads zeros), and {@link #trim} evicts frames until the count is back within the capacity. So the
 * resident memory is the capacity plus what is momentarily unevictable beyond it: since writers wait at the door
 * while the unevictable frames and what they may change would fill all but 1/16 of the cache, at most that 1/16
 * plus two buffers per key of the writes in flight (the frame, and a running checkpoint's copy of it).
 */
final class FrameCache {
    /** A bounded cache keeps at least this many frames, so a descent always finds its path resident. */
    static final int MIN_FRAMES = 8;

    private static final byte FREE = 0;
    private static final byte FRAME = 1;
    private static final byte COPY = 2;
    /** Reserved for a frame whose image is being read into it. */
    private static final byte LOADING = 3;
    /** A buffer whose memory went back to the OS; reused before a new one is made. */
    private static final byte DORMANT = 4;

    private static final int HIT_STRIPES = 32;
    private static final int HIT_PAD = 16;

    private final int frameSize;
    /** Buffers with memory the cache keeps; {@link Integer#MAX_VALUE} for an unbounded (memory) cache. */
    private final int capacity;
    private final boolean bounded;
    private final FrameSource source;
    /** Holds every buffer; freed at close (before, a buffer's memory at most goes back to the OS). */
    private final Arena arena = Arena.ofShared();

    // ---- guarded by this
    private MemorySegment[] buffers = new MemorySegment[16];
    private Frame[] owners = new Frame[16];
    private byte[] states = new byte[16];
    private int indices;
    private final ArrayDeque<Integer> free = new ArrayDeque<>();
    private final ArrayDeque<Integer> dormant = new ArrayDeque<>();
    /** Buffers with memory (free, holding a frame or a copy, loading). */
    private int allocated;
    private int hand;
    private long loads;
    private long evictions;
    private long overdrafts;
    /** The most buffers with memory there have been at once. */
    private int peakAllocated;
    private volatile boolean closed;

    /** Approximate hit counts, per thread stripe with plain increments: no shared write on the read path. */
    private final long[] hits = new long[HIT_STRIPES * HIT_PAD];
    private final AtomicInteger dirty = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    private volatile int copies;
    /** Asks the store for a checkpoint (a file-backed cache filling with dirty frames). */
    private final Runnable checkpointWanted;
    /** Set while the store's checkpointer runs, so writers may wait for it ({@link #admitWriter}). */
    private volatile boolean backPressure;
    /** Set by a writer waiting for room at the door, until the checkpoint it asked for captures. */
    private volatile boolean roomWanted;
    private final Object admission = new Object();

    private FrameCache(int frameSize, int capacity, FrameSource source, Runnable checkpointWanted) {
        this.frameSize = frameSize;
        this.capacity = capacity;
        this.bounded = source != null;
        this.source = source;
        this.checkpointWanted = checkpointWanted;
    }

    /** The memory of a memory tree: every frame resident, nothing ever evicted. */
    static FrameCache unbounded(int frameSize) {
        return new FrameCache(frameSize, Integer.MAX_VALUE, null, () -> { });
    }

    /**
     * A file-backed store's cache of {@code budgetBytes} (at least {@link #MIN_FRAMES} frames), loading from
     * {@code source} and calling {@code checkpointWanted} when dirty frames fill it.
     */
    static FrameCache bounded(int frameSize, long budgetBytes, FrameSource source, Runnable checkpointWanted) {
        long frames = Math.max(MIN_FRAMES, budgetBytes / frameSize);
        return new FrameCache(frameSize, (int) Math.min(frames, Integer.MAX_VALUE / 2), source, checkpointWanted);
    }

    int capacity() {
        return capacity;
    }

    boolean isBounded() {
        return bounded;
    }

    // ------------------------------------------------------------------ buffers

    /** Gives {@code f} (latched by the caller, not resident) a buffer: a new frame, or one being loaded. */
    synchronized void attach(Frame f) {
        int i = acquire(f);
        states[i] = FRAME;
        owners[i] = f;
        f.cacheIndex = i;
        f.seg = buffers[i];
    }

    /** Takes the buffer from {@code f}, latched by the caller and no longer reachable (a released frame). */
    synchronized void detach(Frame f) {
        int i = f.cacheIndex;
        if (i < 0) {
            return;
        }
        f.seg = Frame.ABSENT;
        f.cacheIndex = -1;
        giveBack(i);
    }

    /** A buffer for a checkpoint's copy of a frame (or its scratch); {@link #returnCopy} it. */
    synchronized int borrowCopy() {
        int i = acquire(null);
        states[i] = COPY;
        copies++;
        return i;
    }

    synchronized MemorySegment copyBuffer(int i) {
        return buffers[i];
    }

    synchronized void returnCopy(int i) {
        copies--;
        giveBack(i);
        trim();
    }

    /**
     * A buffer index: a free one, one more within the capacity, an evicted frame's, or one past the capacity (a
     * dormant buffer woken, or a new one).
     */
    private int acquire(Frame forFrame) {
        if (closed) {
            throw new IllegalStateException("the tree's frames are closed");
        }
        Integer f = free.poll();
        if (f != null) {
            return f;
        }
        if (allocated >= capacity) {
            int victim = evictOne(forFrame);
            if (victim >= 0) {
                return victim;
            }
            overdrafts++;
        }
        allocated++;
        peakAllocated = Math.max(peakAllocated, allocated);
        Integer sleeping = dormant.poll();
        if (sleeping != null) {
            return sleeping;
        }
        int i = indices++;
        if (i == buffers.length) {
            buffers = Arrays.copyOf(buffers, i * 2);
            owners = Arrays.copyOf(owners, i * 2);
            states = Arrays.copyOf(states, i * 2);
        }
        buffers[i] = arena.allocate(frameSize, 4096);
        return i;
    }

    /** Returns buffer {@code i} to the free list, or its memory to the OS if there are more than the capacity. */
    private void giveBack(int i) {
        owners[i] = null;
        if (allocated > capacity) {
            PageRelease.release(buffers[i]);
            states[i] = DORMANT;
            dormant.push(i);
            allocated--;
        } else {
            states[i] = FREE;
            free.push(i);
        }
    }

    /**
     * Gives memory back while there are more buffers than the capacity (after a batch, or a moment when nothing was
     * evictable): free buffers first, then evicted frames'. Called after checkpoints and by the store's checkpointer
     * now and then.
     */
    synchronized void trim() {
        while (allocated > capacity && !closed) {
            Integer f = free.poll();
            int i = f != null ? f : evictOne(null);
            if (i < 0) {
                return; // everything is in use: the next trim tries again
            }
            giveBack(i);
        }
    }

    /** One CLOCK sweep for a victim (at most two turns): returns its buffer, now owned by nobody, or -1. */
    private int evictOne(Frame forFrame) {
        for (int steps = 0, n = 2 * indices; steps < n; steps++) {
            int i = hand;
            hand = hand + 1 >= indices ? 0 : hand + 1;
            if (states[i] != FRAME) {
                continue;
            }
            Frame f = owners[i];
            if (f == forFrame || !evictable(f)) {
                continue;
            }
            if (f.referenced) {
                f.referenced = false;
                continue;
            }
            if (evict(f)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether {@code f} may be evicted as far as a read without its latch can tell (a capture changes the flags
     * without latches: {@code dirty} is read before {@code pending}, see {@link #captured}).
     */
    private static boolean evictable(Frame f) {
        return !f.dirty && !f.pending && !f.released && !f.keepResident && f.slot >= 0 && !f.pinned();
    }

    /**
     * Evicts {@code f} if it can be latched now and may go: its buffer is detached (and stays reserved for the
     * caller, which owns the index afterwards). A pin taken meanwhile wins: the buffer is put back.
     */
    private boolean evict(Frame f) {
        long v = f.tryLatchQuiet();
        if (v < 0) {
            return false;
        }
        if (!evictable(f) || f.seg == Frame.ABSENT) {
            f.unlatchUnchanged(v);
            return false;
        }
        MemorySegment held = f.seg;
        f.seg = Frame.ABSENT;
        VarHandle.fullFence(); // against pin(): it increments, then reads seg
        if (f.pinned()) {
            f.seg = held;
            f.unlock(); // a reader may have seen the frame absent: its version must move
            return false;
        }
        int i = f.cacheIndex;
        f.cacheIndex = -1;
        owners[i] = null;
        states[i] = LOADING; // the caller's now
        f.unlock();
        evictions++;
        EvictionEvent event = new EvictionEvent();
        if (event.shouldCommit()) {
            event.frameId = f.id;
            event.buffers = allocated;
            event.commit();
        }
        return true;
    }

    // ------------------------------------------------------------------ loading

    /**
     * Loads {@code f} (not resident) from the frame file, under its latch, into a buffer. Returns false if there is
     * nothing to load (a memory tree, a released frame, a frame never written), true once the frame is resident or
     * someone else holds its latch (the caller looks again).
     *
     * @throws UncheckedIOException if the read fails or the image is damaged
     */
    boolean load(Frame f) {
        if (source == null || f.released || f.slot < 0) {
            return false;
        }
        long v = f.tryLatchQuiet();
        if (v < 0) {
            Thread.onSpinWait();
            return true;
        }
        if (f.seg != Frame.ABSENT || f.released || f.slot < 0) {
            f.unlatchUnchanged(v);
            return f.seg != Frame.ABSENT;
        }
        int i;
        MemorySegment into;
        synchronized (this) {
            try {
                i = acquire(f);
            } catch (RuntimeException e) {
                f.unlatchUnchanged(v);
                throw e;
            }
            states[i] = LOADING;
            into = buffers[i];
        }
        try {
            source.read(f.id, f.slot, into);
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                giveBack(i);
            }
            f.unlatchUnchanged(v);
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        synchronized (this) {
            states[i] = FRAME;
            owners[i] = f;
            f.cacheIndex = i;
            f.seg = into;
            loads++;
        }
        f.referenced = true;
        f.unlock();
        return true;
    }

    /** Pins {@code f} (no eviction until {@link Frame#unpin}) and makes it resident. */
    static void pin(Frame f) {
        f.pin();
        f.stableVersion();
    }

    // ------------------------------------------------------------------ dirty frames and checkpoints

    /** Marks {@code f} (latched by the caller) changed since the last checkpoint. */
    void markDirty(Frame f) {
        if (!f.dirty && !f.released) {
            f.dirty = true;
            if (bounded && dirty.incrementAndGet() == wantedAt()) {
                checkpointWanted.run();
            }
        }
    }

    /** {@code f} (latched, or with every writer shut out) is no longer dirty: released, or captured. */
    void markClean(Frame f) {
        if (f.dirty) {
            f.dirty = false;
            if (bounded) {
                dirty.decrementAndGet();
            }
        }
    }

    /**
     * A checkpoint captured {@code f} (dirty, writers shut out): it stays resident until its image is written. It is
     * pending before it is clean, since loads evict meanwhile without the writer gates: a frame seen clean and not yet
     * pending would be evicted and reloaded from its previous image, losing every write since ({@link #evictable}
     * reads the two flags in the opposite order).
     */
    void captured(Frame f) {
        f.pending = true;
        pending.incrementAndGet();
        markClean(f);
    }

    /** The image a checkpoint captured of {@code f} is in {@code slot} now. */
    void written(Frame f, long slot) {
        f.slot = slot;
        f.pending = false;
        pending.decrementAndGet();
        synchronized (admission) {
            admission.notifyAll();
        }
    }

    /** Dirty and pending frames at which a checkpoint is wanted: three quarters of the cache. */
    private int wantedAt() {
        return capacity - capacity / 4;
    }

    /** Unevictable frames at which writers wait for a checkpoint: all but 1/16 of the cache (at least one). */
    private int blockedAt() {
        return capacity - Math.max(1, capacity / 16);
    }

    /**
     * Whether a checkpoint should run: dirty frames fill enough of the cache, or a writer waits at the door for
     * room ({@link #admitWriter}).
     */
    boolean wantsCheckpoint() {
        return bounded && (roomWanted || dirty.get() + pending.get() >= wantedAt());
    }

    /** A checkpoint is capturing the dirty frames: what a waiting writer asked for is under way. */
    void captureStarted() {
        roomWanted = false;
    }

    /** Frames changed since the last capture. */
    int dirtyFrames() {
        return dirty.get();
    }

    /** Lets writers wait for checkpoints (while the store's checkpointer runs) or not (before, after, failed). */
    void backPressure(boolean on) {
        backPressure = on;
        synchronized (admission) {
            admission.notifyAll();
        }
    }

    /**
     * Called by a writer before it enters the tree (holding no latch and no gate) with the most frames it may
     * change ({@code frames}; a batch's frames stay latched, so unevictable, until it ends): while dirty frames,
     * frames waiting for their image to be written, checkpoint copies and those would fill all but 1/16 of the
     * cache, asks for a checkpoint and waits for it to clean frames, so the cache keeps buffers to evict. A writer
     * is counted as needing at most half the cache, so a batch larger than that still gets in (past the budget).
     */
    void admitWriter(int frames) {
        int need = Math.min(frames, capacity / 2);
        if (!bounded || !backPressure || unevictable() + need < blockedAt()) {
            return;
        }
        boolean interrupted = false;
        synchronized (admission) {
            while (backPressure && unevictable() + need >= blockedAt()) {
                roomWanted = true;
                checkpointWanted.run();
                try {
                    admission.wait(10);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private int unevictable() {
        return dirty.get() + pending.get() + copies;
    }

    // ------------------------------------------------------------------ figures

    void hit() {
        if (bounded) {
            hits[(int) (Thread.currentThread().threadId() & (HIT_STRIPES - 1)) * HIT_PAD]++;
        }
    }

    /** The cache's figures at one moment. */
    synchronized FrameTable.CacheFigures figures() {
        long h = 0;
        for (int s = 0; s < HIT_STRIPES; s++) {
            h += hits[s * HIT_PAD];
        }
        int resident = 0;
        for (int i = 0; i < indices; i++) {
            resident += states[i] == FRAME ? 1 : 0;
        }
        return new FrameTable.CacheFigures(bounded ? (long) capacity * frameSize : 0, (long) allocated * frameSize,
                (long) peakAllocated * frameSize, (long) resident * frameSize, (long) dirty.get() * frameSize, h,
                loads, evictions, overdrafts);
    }

    /** Bytes of every buffer with memory: the resident memory of the frames. */
    synchronized long memoryBytes() {
        return (long) allocated * frameSize;
    }

    boolean isClosed() {
        return closed;
    }

    /** Frees every buffer; nothing may use a frame any more. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        backPressure(false);
        arena.close();
    }
}
