package io.cairn.tree.engine;

import static io.cairn.tree.engine.FrameFormat.*;

import io.cairn.stack.CorruptedStoreException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * One frame: an off-heap segment laid out as {@link FrameFormat} describes, plus the latch that guards it.
 *
 * <p>The latch is a sequence lock. The version is even while the frame is free and odd while one writer holds
 * it. Readers never lock: they read the version ({@link #stableVersion}), read nodes with plain loads, and then
 * {@link #validate} that the version did not move; if it did, what they read may be torn and they restart. A torn
 * read can only produce garbage numbers, never a fault: every access goes through the segment's bounds checks,
 * and the walkers treat an out-of-bounds offset as a reason to validate, not as an answer.
 */
final class Frame {
    private static final VarHandle VERSION;
    private static final VarHandle WATCHERS;
    private static final VarHandle PINS;
    private static final FrameWatcher[] NO_WATCHERS = new FrameWatcher[0];

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(Frame.class, "version", long.class);
            WATCHERS = MethodHandles.lookup().findVarHandle(Frame.class, "watchers", FrameWatcher[].class);
            PINS = MethodHandles.lookup().findVarHandle(Frame.class, "pins", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@link #readWords} moves short runs in blocks of this many bytes. */
    static final int BLOCK = 4 * Long.BYTES;
    /** Bytes a destination of {@link #readWords} must have free past the run: the last block's scratch. */
    static final int WORD_SLACK = BLOCK;
    /** Runs longer than this are copied by {@code MemorySegment.copy}, whose fixed cost they amortise. */
    private static final int WORD_COPY_LIMIT = 512;
    private static final VarHandle DST_WORD = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    /** What {@link #seg} holds while the frame is not resident: a segment of no bytes, so every access fails. */
    static final MemorySegment ABSENT = MemorySegment.NULL;

    /**
     * The frame's memory while it is resident, {@link #ABSENT} while it is not (a file-backed frame the cache
     * evicted or has not loaded yet; a released frame). Changed only under the latch, so a reader that read it after
     * a stable version and then validates that version read one buffer throughout; a reader that read a buffer the
     * cache took away meanwhile fails its validation (see {@link FrameCache}).
     */
    MemorySegment seg;
    final int size;
    /** Index in the frame table; fixed for the life of this object (a reused frame keeps its index). */
    final int id;
    /** The cache that loads and evicts this frame; null for a frame that is always resident (copies, scratch). */
    final FrameCache cache;
    @SuppressWarnings("unused") // accessed through VERSION
    private volatile long version;
    @SuppressWarnings("unused") // accessed through PINS
    private volatile int pins;
    /** Clock bit: set when a reader or writer uses the frame, cleared by the cache's clock hand. */
    boolean referenced;
    /** The frame's buffer in its cache ({@link FrameCache}), -1 while it has none. Guarded by the cache. */
    int cacheIndex = -1;
    /** The frame-file slot holding the frame's newest written image, -1 if it has none (a new frame). */
    volatile long slot = -1;
    /**
     * Set while a checkpoint has captured the frame but not yet written its image: the frame must stay resident
     * until then, since its slot does not hold what it holds.
     */
    volatile boolean pending;
    /** Set while the frame is released (unlinked, waiting for reuse): nothing is ever loaded into it. */
    volatile boolean released;
    /** Set for a tree's root frame, which every operation starts from: the cache never evicts it. */
    volatile boolean keepResident;
    /**
     * Id of the frame whose Blob points here (-1 for the root frame). Kept on the heap, not in the frame: only
     * merges read it, with the writer gate closed, and the persistent mode can rebuild it from the Blobs.
     */
    volatile int parent = -1;
    /**
     * Watchers (open snapshots) that read this frame live and need a copy before its next change; the writer that
     * latches the frame next hands it to them and clears the list (see {@link FrameWatcher}).
     */
    @SuppressWarnings("unused") // accessed through WATCHERS
    private volatile FrameWatcher[] watchers = NO_WATCHERS;
    /**
     * Whether the frame changed since the last checkpoint captured it (a new frame is). Set by writers under the
     * latch, cleared by a checkpoint with every writer gate closed; volatile because the cache's eviction reads it
     * without either (see {@link FrameCache#captured}).
     */
    volatile boolean dirty;
    /** Set while the frame waits in the merge queue, so it is queued once. */
    final java.util.concurrent.atomic.AtomicBoolean mergeQueued = new java.util.concurrent.atomic.AtomicBoolean();

    /** A frame that is always resident in {@code seg}: a snapshot's copy, a compaction's scratch. */
    Frame(MemorySegment seg, int id) {
        this.seg = seg;
        this.size = (int) seg.byteSize();
        this.id = id;
        this.cache = null;
    }

    /** A frame of {@code size} bytes whose memory {@code cache} provides; not resident yet. */
    Frame(int size, int id, FrameCache cache) {
        this.seg = ABSENT;
        this.size = size;
        this.id = id;
        this.cache = cache;
    }

    // ---- latch ----

    /**
     * Waits until nobody holds the frame's latch and returns the (even) version seen, the frame resident at that
     * version: a frame that is not is loaded first. Only a frame with nothing to load (a released one, which no
     * consistent reader reaches) is returned absent; the reader's next access then fails and its validation sends
     * it back.
     */
    long stableVersion() {
        int spins = 0;
        for (;;) {
            long v = (long) VERSION.getAcquire(this);
            if ((v & 1) != 0) {
                backOff(++spins);
            } else if (seg != ABSENT) {
                if (!referenced) {
                    referenced = true; // one plain store, and only when the clock hand cleared it
                }
                if (cache != null) {
                    cache.hit();
                }
                return v;
            } else if (cache == null || !cache.load(this)) {
                return v;
            }
        }
    }

    /** The version as it is, even or odd: for a caller that holds the latch itself. */
    long currentVersion() {
        return (long) VERSION.getAcquire(this);
    }

    /** True if no writer touched the frame since {@code v} was read: the plain reads made since are consistent. */
    boolean validate(long v) {
        VarHandle.loadLoadFence();
        return (long) VERSION.getAcquire(this) == v;
    }

    boolean tryLock(long v) {
        if (VERSION.compareAndSet(this, v, v + 1)) {
            VarHandle.storeStoreFence();
            if (((FrameWatcher[]) WATCHERS.getAcquire(this)).length != 0) {
                preserveForSnapshots();
            }
            return true;
        }
        return false;
    }

    /** Hands the frame, still unchanged, to every watcher; the latch is held. */
    private void preserveForSnapshots() {
        for (FrameWatcher s : (FrameWatcher[]) WATCHERS.getAndSet(this, NO_WATCHERS)) {
            s.preserve(this);
        }
    }

    /** Marks the frame changed since the last checkpoint; the caller holds its latch. */
    void markDirty() {
        if (cache != null) {
            cache.markDirty(this);
        } else {
            dirty = true;
        }
    }

    /** Registers a watcher that must see this frame as it is now (called with the writer gate closed). */
    void watch(FrameWatcher s) {
        for (;;) {
            FrameWatcher[] w = (FrameWatcher[]) WATCHERS.getAcquire(this);
            if (java.util.Arrays.asList(w).contains(s)) {
                return;
            }
            FrameWatcher[] more = java.util.Arrays.copyOf(w, w.length + 1);
            more[w.length] = s;
            if (WATCHERS.compareAndSet(this, w, more)) {
                return;
            }
        }
    }

    /** Withdraws a watcher that no longer needs a copy of this frame. */
    void unwatch(FrameWatcher s) {
        for (;;) {
            FrameWatcher[] w = (FrameWatcher[]) WATCHERS.getAcquire(this);
            FrameWatcher[] fewer = java.util.Arrays.stream(w).filter(x -> x != s).toArray(FrameWatcher[]::new);
            if (fewer.length == w.length || WATCHERS.compareAndSet(this, w, fewer.length == 0 ? NO_WATCHERS : fewer)) {
                return;
            }
        }
    }

    /**
     * Locks the frame if nobody holds it right now and it is resident; never waits, never loads (its callers can
     * do without the frame).
     */
    boolean tryLockNow() {
        long v = (long) VERSION.getAcquire(this);
        return (v & 1) == 0 && seg != ABSENT && tryLock(v);
    }

    /**
     * Latches the frame for the cache (to evict or load it) if nobody holds it: no watcher is told, since the
     * cache does not change what the frame holds. Returns the version it latched at, or -1.
     */
    long tryLatchQuiet() {
        long v = (long) VERSION.getAcquire(this);
        return (v & 1) == 0 && VERSION.compareAndSet(this, v, v + 1) ? v : -1;
    }

    /**
     * Releases a {@link #tryLatchQuiet} latch after changing nothing at all: the version goes back to {@code v}, so
     * readers that read the frame meanwhile still validate (what they read was never touched).
     */
    void unlatchUnchanged(long v) {
        VERSION.setRelease(this, v);
    }

    // ---- pins (kept by the few readers that read without validating; the cache never evicts a pinned frame)

    void pin() {
        PINS.getAndAdd(this, 1);
    }

    void unpin() {
        PINS.getAndAdd(this, -1);
    }

    boolean pinned() {
        return (int) PINS.getVolatile(this) != 0;
    }

    /** Locks the frame, waiting for the current holder. Only for callers that can never be waited on in turn. */
    void lock() {
        int spins = 0;
        while (!tryLock(stableVersion())) {
            backOff(++spins);
        }
    }

    void unlock() {
        VERSION.setRelease(this, (long) VERSION.getAcquire(this) + 1);
    }

    /** Spins, then yields, then (for a wait as long as a frame load) parks a few microseconds at a time. */
    static void backOff(int spins) {
        if (spins < 64) {
            Thread.onSpinWait();
        } else if (spins < 1024) {
            Thread.yield();
        } else {
            java.util.concurrent.locks.LockSupport.parkNanos(20_000);
        }
    }

    // ---- raw access ----

    int u8(int off) {
        return seg.get(U8, off) & 0xFF;
    }

    int u16(int off) {
        return seg.get(U16, off) & 0xFFFF;
    }

    int u32(int off) {
        return seg.get(U32, off);
    }

    long u64(int off) {
        return seg.get(U64, off);
    }

    /**
     * Copies {@code len} frame bytes at {@code off} into {@code dst[at..)}. Copies go segment to segment: the
     * array overloads of {@code MemorySegment.copy} measured several times slower per call in the scan loop.
     */
    void read(int off, byte[] dst, int at, int len) {
        MemorySegment.copy(seg, off, MemorySegment.ofArray(dst), at, len);
    }

    /**
     * {@link #read} for the short runs of the scan loop (key pieces, values). A run of up to 64 bytes moves as one or
     * two fixed blocks of four words in straight-line code ({@link #copyBlock}): C2 compiles a loop of a few words
     * into pre-, main- and post-loops whose control costs more than the copy, and blocks measured about a third
     * cheaper per leaf than a word loop (and several times cheaper than {@code MemorySegment.copy}). Longer runs go
     * to {@link #readRun}. {@code dst} needs {@link #WORD_SLACK} bytes of slack after {@code at + len}: the last
     * block may write scratch there (and read as far past the run in the frame).
     *
     * <p>The hottest loop (the walker's leaf run) does not call this method but its two steps: C2 never inlines a
     * callee whose own compiled code is over 2,500 bytes ("already compiled into a big method"), which two inlined
     * blocks of checked segment reads are, so whether the loop got the copy inlined depended on which of the two
     * C2 compiled first, and a call in the middle of the loop cost it about a fifth. {@link #copyBlock} alone
     * compiles to about 1,400 bytes and is inlined either way.
     */
    void readWords(int off, byte[] dst, int at, int len) {
        if (fitsBlocks(off, len)) {
            copyBlock(seg, off, dst, at);
            if (len > BLOCK) {
                copyBlock(seg, off + BLOCK, dst, at + BLOCK);
            }
        } else {
            readRun(off, dst, at, len);
        }
    }

    /** Whether {@link #readWords} moves this run as blocks: at most two, all inside the frame. */
    boolean fitsBlocks(int off, int len) {
        return len <= 2 * BLOCK && off <= size - 2 * BLOCK;
    }

    /**
     * {@link #readWords} for runs longer than two blocks (or near the frame's end): up to {@value #WORD_COPY_LIMIT}
     * bytes a word at a time, beyond that one {@code MemorySegment.copy}, whose fixed cost they amortise.
     */
    private void readRun(int off, byte[] dst, int at, int len) {
        if (len > WORD_COPY_LIMIT || off + ((len + Long.BYTES - 1) & -Long.BYTES) > size) {
            read(off, dst, at, len);
            return;
        }
        MemorySegment src = seg;
        long from = off;
        for (long i = 0; i < len; i += Long.BYTES) { // a long index lets C2 hoist the segment's checks
            DST_WORD.set(dst, at + (int) i, src.get(U64, from + i));
        }
    }

    /** Four words from the frame at {@code from} to {@code dst[at..at + 32)}: one {@link #BLOCK}. */
    static void copyBlock(MemorySegment src, long from, byte[] dst, int at) {
        DST_WORD.set(dst, at, src.get(U64, from));
        DST_WORD.set(dst, at + 8, src.get(U64, from + 8));
        DST_WORD.set(dst, at + 16, src.get(U64, from + 16));
        DST_WORD.set(dst, at + 24, src.get(U64, from + 24));
    }

    /** Copies {@code src[from..from + len)} into the frame at {@code off}. */
    void write(byte[] src, int from, int off, int len) {
        MemorySegment.copy(MemorySegment.ofArray(src), from, seg, off, len);
    }

    void putU8(int off, int v) {
        seg.set(U8, off, (byte) v);
    }

    void putU16(int off, int v) {
        seg.set(U16, off, (short) v);
    }

    void putU32(int off, int v) {
        seg.set(U32, off, v);
    }

    void putU64(int off, long v) {
        seg.set(U64, off, v);
    }

    int type(int node) {
        return u8(node + TYPE_OFFSET);
    }

    /** The body offset a reference field points at, or 0 if the field is empty. */
    int target(int refField) {
        int ref = u16(refField);
        return ref == 0 ? 0 : decode(ref);
    }

    void link(int refField, int node) {
        putU16(refField, node == 0 ? 0 : encode(node));
    }

    /**
     * Rethrows {@code torn} (an access that failed during an optimistic read) if the frames are closed: that is not
     * a torn read but a use after close.
     */
    void rethrowIfClosed(RuntimeException torn) {
        if (torn instanceof IllegalStateException && cache != null && cache.isClosed()) {
            throw torn;
        }
    }

    /**
     * An impossible structure found at {@code offset} of this frame (by a reader whose version still validates, or
     * by a writer under the latch): a {@link CorruptedStoreException} naming the frame, unchecked because readers
     * and writers meet it deep inside a descent.
     */
    UncheckedIOException corrupt(int offset, String what) {
        return new UncheckedIOException(new CorruptedStoreException(
                "tree frame " + id + " is corrupt at offset " + offset + ": " + what));
    }

    // ---- header ----

    /** Formats the frame empty: header fields and the EmptyRoot sentinel as the root. */
    void format() {
        seg.asSlice(0, HEADER_SIZE + EMPTY_ROOT_SIZE).fill((byte) 0);
        putU32(MAGIC_OFFSET, MAGIC);
        putU16(VERSION_OFFSET, FORMAT_VERSION);
        putU16(HEADER_SIZE_OFFSET, HEADER_SIZE);
        putU64(FRAME_ID_OFFSET, id);
        putU32(FRAME_SIZE_OFFSET, size);
        putU8(DATA_START + TYPE_OFFSET, T_EMPTY_ROOT);
        link(ROOT_OFFSET, DATA_START);
        putU32(BUMP_OFFSET, DATA_START + EMPTY_ROOT_SIZE);
    }

    int root() {
        return target(ROOT_OFFSET);
    }

    int bump() {
        return u32(BUMP_OFFSET);
    }

    int deadBytes() {
        return u32(DEAD_BYTES_OFFSET);
    }

    int leafCount() {
        return u32(LEAF_COUNT_OFFSET);
    }

    int blobCount() {
        return u32(BLOB_COUNT_OFFSET);
    }

    void addLeaves(int delta) {
        putU32(LEAF_COUNT_OFFSET, leafCount() + delta);
    }

    void addBlobs(int delta) {
        putU32(BLOB_COUNT_OFFSET, blobCount() + delta);
    }

    /** Records that a node body of {@code bytes} is no longer reachable. */
    void kill(int bytes) {
        putU32(DEAD_BYTES_OFFSET, deadBytes() + bytes);
    }

    /** Bytes of the data area (excluding the spill reserve) a frame of this size offers. */
    int dataCapacity() {
        return size - SPILL_RESERVE - DATA_START;
    }

    /** Bytes still free for ordinary nodes. */
    int free() {
        return size - SPILL_RESERVE - bump();
    }

    /** Bytes reachable from the root (what a compaction would keep). */
    int liveBytes() {
        return bump() - DATA_START - deadBytes();
    }

    /**
     * {@link #liveBytes} read without the latch, for a decision that is only a hint (whether a merge or a lift may
     * pay): -1 if the frame is not resident (or its buffer went away during the read).
     */
    int liveBytesHint() {
        MemorySegment s = seg;
        try {
            return s == ABSENT ? -1 : s.get(U32, BUMP_OFFSET) - DATA_START - s.get(U32, DEAD_BYTES_OFFSET);
        } catch (IndexOutOfBoundsException | IllegalStateException gone) {
            return -1;
        }
    }

    /**
     * Bump-allocates a zeroed body of {@code bytes} (a multiple of 8), or returns 0 if it does not fit; only a
     * spillover Blob passes {@code useReserve}.
     */
    int allocate(int bytes, boolean useReserve) {
        int at = bump();
        int limit = useReserve ? size : size - SPILL_RESERVE;
        if (bytes > limit - at) {
            return 0;
        }
        putU32(BUMP_OFFSET, at + bytes);
        seg.asSlice(at, bytes).fill((byte) 0);
        return at;
    }
}
