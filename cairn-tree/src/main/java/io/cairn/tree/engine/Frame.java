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
    private static final FrameWatcher[] NO_WATCHERS = new FrameWatcher[0];

    static {
        try {
            VERSION = MethodHandles.lookup().findVarHandle(Frame.class, "version", long.class);
            WATCHERS = MethodHandles.lookup().findVarHandle(Frame.class, "watchers", FrameWatcher[].class);
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

    final MemorySegment seg;
    final int size;
    /** Index in the frame table; fixed for the life of this object (a reused frame keeps its index). */
    final int id;
    @SuppressWarnings("unused") // accessed through VERSION
    private volatile long version;
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
     * latch, read and cleared by a checkpoint with every writer gate closed.
     */
    boolean dirty;
    /** Set while the frame waits in the merge queue, so it is queued once. */
    final java.util.concurrent.atomic.AtomicBoolean mergeQueued = new java.util.concurrent.atomic.AtomicBoolean();

    Frame(MemorySegment seg, int id) {
        this.seg = seg;
        this.size = (int) seg.byteSize();
        this.id = id;
    }

    // ---- latch ----

    /** Waits until no writer holds the frame and returns the (even) version seen. */
    long stableVersion() {
        long v = (long) VERSION.getAcquire(this);
        int spins = 0;
        while ((v & 1) != 0) {
            backOff(++spins);
            v = (long) VERSION.getAcquire(this);
        }
        return v;
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

    /** Locks the frame if no writer holds it right now; never waits. */
    boolean tryLockNow() {
        long v = (long) VERSION.getAcquire(this);
        return (v & 1) == 0 && tryLock(v);
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

    static void backOff(int spins) {
        if (spins < 64) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
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
