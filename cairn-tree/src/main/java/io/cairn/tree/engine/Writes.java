package io.cairn.tree.engine;

import static io.cairn.tree.engine.Cursor.*;
import static io.cairn.tree.engine.FrameFormat.*;

import io.cairn.tree.engine.Descent.Probe;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Point writes and the latched rename: how a writer finds its frame, latches it, checks its condition and applies
 * the change with {@link Edits}, asking {@link FrameSpace} for room when the frame is full.
 *
 * <p>Point writers pass the {@link WriterGate} without touching a shared word, find the frame where the key's path
 * ends with an optimistic descent, and latch only that frame (compare-and-set of the version they read; failure
 * means someone changed it, so they restart). A spillover creates a new frame, latched by the same writer until it
 * is done; a writer only ever waits for a frame below one it holds, so writers cannot deadlock. Batches (and the
 * gated rename) write through {@link #writeHoldingGate}, which keeps every frame latched until the batch ends.
 */
final class Writes {
    /** What a write does. */
    enum Kind { PUT, PUT_IF_ABSENT, COMPARE_AND_PUT, DELETE, DELETE_IF_VERSION }

    /** Latch attempts a rename makes before it falls back to closing the writer gate. */
    static final int RENAME_ATTEMPTS = 64;
    /**
     * The frames one key's write changes as a rule (the frame it lands in and the one a spillover makes): what a
     * writer tells the cache it needs before it enters ({@link FrameTable#admitWriter}).
     */
    static final int FRAMES_PER_KEY = 2;

    private final FrameTable table;
    private final FrameView live;
    private final WriterGate gate;
    private final FrameSpace space;
    private final AtomicLong versions;
    /** Where applied writes are logged; set once recovery has replayed the log (which must not log again). */
    private volatile RedoLog log = RedoLog.NONE;

    Writes(FrameTable table, FrameView live, WriterGate gate, FrameSpace space, AtomicLong versions) {
        this.table = table;
        this.live = live;
        this.gate = gate;
        this.space = space;
        this.versions = versions;
    }

    long nextVersion() {
        return versions.incrementAndGet();
    }

    void logTo(RedoLog log) {
        this.log = log;
    }

    RedoLog log() {
        return log;
    }

    /**
     * A point write from any thread: passes the gate, latches one frame, applies and logs the write under the
     * latch, and waits for its log record to be durable after leaving.
     */
    boolean write(Kind kind, byte[] key, byte[] value, long expected) {
        table.admitWriter(FRAMES_PER_KEY);
        int stripe = gate.enterWriter();
        Mutation m = new Mutation();
        long sequence = 0;
        try {
            for (;;) {
                Probe t = Descent.locate(live, key, null);
                if (t.frame.tryLock(t.frameVersion)) {
                    m.adopt(t.frame);
                    long version = applyLocked(m, t.frame, t.frameDepth, key, kind, value, expected, 0);
                    if (version < 0) {
                        return false;
                    }
                    sequence = version == 0 ? log.delete(key) : log.put(key, value, version);
                    return true;
                }
            }
        } finally {
            m.releaseAll();
            gate.exitWriter(stripe);
            space.mergeQueuedFrames();
            log.awaitDurable(sequence);
        }
    }

    /**
     * Rename without closing the writer gate: latches the frames where both keys live, without waiting (so it
     * cannot deadlock with writers that wait for frames below theirs), checks, deletes the source and puts the
     * target, and releases both latches together, so a validating reader sees both changes or neither. Spills
     * stay local to the latched frames meanwhile, so both keys stay reachable from them.
     *
     * <p>A failed latch means another writer changed or holds the frame; the rename waits until that writer has
     * left (without holding anything itself) and descends again. Giving up after a handful of quick failures made
     * concurrent renames in one frame collapse into gate closures (each stopping every writer of the tree), so it
     * gives up only after {@link #RENAME_ATTEMPTS} attempts, returning null; the caller then renames with the gate
     * closed, which guarantees progress.
     */
    Outcome tryRenameLatched(byte[] source, byte[] target, boolean overwrite) {
        table.admitWriter(2 * FRAMES_PER_KEY);
        int stripe = gate.enterWriter();
        Mutation m = new Mutation();
        m.localSpillsOnly = true;
        long sequence = 0;
        try {
            for (int attempt = 0; attempt < RENAME_ATTEMPTS; attempt++) {
                Probe a = Descent.locate(live, source, null);
                Probe b = Descent.locate(live, target, null);
                if (!a.frame.tryLock(a.frameVersion)) {
                    a.frame.stableVersion();
                    continue;
                }
                m.adopt(a.frame);
                if (b.frame != a.frame) {
                    if (!b.frame.tryLock(b.frameVersion)) {
                        m.releaseAll();
                        b.frame.stableVersion();
                        continue;
                    }
                    m.adopt(b.frame);
                }
                Versioned current = readLocked(m, a.frame, a.frameDepth, source);
                if (current == null) {
                    return Outcome.SOURCE_MISSING;
                }
                if (!overwrite && readLocked(m, b.frame, b.frameDepth, target) != null) {
                    return Outcome.TARGET_EXISTS; // a key renamed onto itself included: its target exists
                }
                table.ensureHeadroom(2);
                m.pastBudget = true;
                if (!Arrays.equals(source, target)) {
                    applyLocked(m, a.frame, a.frameDepth, source, Kind.DELETE, null, 0, 0);
                }
                long version = applyLocked(m, b.frame, b.frameDepth, target, Kind.PUT, current.value(), 0, 0);
                sequence = log.rename(source, target, current.value(), version);
                return Outcome.APPLIED;
            }
            return null;
        } finally {
            m.releaseAll();
            gate.exitWriter(stripe);
            space.mergeQueuedFrames();
            log.awaitDurable(sequence);
        }
    }

    /** The value and version under {@code key}, read under latches from frame {@code f}, or null. */
    private Versioned readLocked(Mutation m, Frame f, int depth, byte[] key) {
        Cursor c = descendLocked(m, f, depth, key);
        return c.kind == K_LEAF_MATCH
                ? new Versioned(Nodes.leafValue(c.frame, c.top()), Nodes.leafVersion(c.frame, c.top())) : null;
    }

    /**
     * A write by the gate holder (batches, the gated rename, recovery): latches the key's frame into {@code m} and
     * keeps it latched until the caller releases {@code m}; nothing is logged (the caller logs the whole batch).
     * {@code version} 0 draws the next version. Returns whether it applied.
     */
    boolean writeHoldingGate(Mutation m, Kind kind, byte[] key, byte[] value, long expected, long version) {
        Probe t = Descent.locate(live, key, m);
        m.hold(t.frame);
        return applyLocked(m, t.frame, t.frameDepth, key, kind, value, expected, version) >= 0;
    }

    /**
     * Checks the write's condition and applies it under the latches of {@code m}: returns -1 if the condition
     * failed (nothing changed), 0 for a delete, else the version written.
     */
    private long applyLocked(Mutation m, Frame start, int startDepth, byte[] key, Kind kind, byte[] value,
            long expected, long version) {
        Frame f = start;
        int fDepth = startDepth;
        int rounds = 0;
        for (;;) {
            Cursor c = descendLocked(m, f, fDepth, key);
            int leaf = c.kind == K_LEAF_MATCH ? c.top() : 0;
            boolean ok = switch (kind) {
                case PUT -> true;
                case PUT_IF_ABSENT -> leaf == 0;
                case COMPARE_AND_PUT, DELETE_IF_VERSION -> leaf != 0
                        && Nodes.leafVersion(c.frame, leaf) == expected;
                case DELETE -> leaf != 0;
            };
            if (!ok) {
                return -1;
            }
            m.changed = true;
            boolean delete = kind == Kind.DELETE || kind == Kind.DELETE_IF_VERSION;
            int need = delete ? Edits.DELETE_NEED : Edits.writeNeed(key.length - c.depth, value.length);
            if (c.frame.free() < need) {
                if (++rounds > 64) {
                    throw new IllegalStateException("frame " + c.frame.id + " cannot make room for " + need
                            + " bytes");
                }
                space.makeRoom(m, c.frame, c.frameDepth, need);
                f = m.resumeFrame != null ? m.resumeFrame : c.frame;
                fDepth = m.resumeFrame != null ? m.resumeDepth : c.frameDepth;
                m.resumeFrame = null;
                continue;
            }
            if (delete) {
                Edits.removeLeaf(c);
                space.queueMergeIfSmall(c.frame);
                return 0;
            }
            long written = version != 0 ? version : nextVersion();
            Edits.insert(c, key, value, written);
            return written;
        }
    }

    /** Descends under latches from {@code f}'s root, latching child frames it crosses into. */
    private Cursor descendLocked(Mutation m, Frame f, int frameDepth, byte[] key) {
        Cursor c = new Cursor(f, frameDepth);
        int d = frameDepth;
        int ref = ROOT_OFFSET;
        int edge = EDGE_ROOT;
        for (int steps = 0;; steps++) {
            if (steps > (long) Descent.MAX_STEPS_PER_FRAME * (table.liveCount() + 1)) {
                throw f.corrupt(ref, "node or frame cycle");
            }
            int node = f.target(ref);
            c.push(ref, node, edge);
            int type = f.type(node);
            c.depth = d;
            switch (type) {
                case T_EMPTY_ROOT -> {
                    c.kind = K_EMPTY;
                    return c;
                }
                case T_LEAF -> {
                    c.kind = Edits.suffixEquals(f, node, key, d) ? K_LEAF_MATCH : K_LEAF_MISMATCH;
                    return c;
                }
                case T_PREFIX -> {
                    int n = f.u8(node + PREFIX_LEN);
                    if (n == 0) {
                        throw f.corrupt(node, "empty prefix");
                    }
                    int match = Edits.prefixMatch(f, node, n, key, d);
                    if (match < n) {
                        c.kind = K_PREFIX_MISMATCH;
                        c.mismatch = match;
                        return c;
                    }
                    d += n;
                    ref = node + PREFIX_CHILD;
                    edge = EDGE_PREFIX;
                }
                case T_NODE4, T_NODE16, T_NODE48, T_NODE256 -> {
                    if (d == key.length) {
                        int leaf = f.target(node + INNER_VALUE);
                        if (leaf == 0) {
                            c.kind = K_NO_VALUE;
                        } else {
                            c.push(node + INNER_VALUE, leaf, EDGE_VALUE);
                            c.kind = K_LEAF_MATCH;
                        }
                        return c;
                    }
                    int field = Nodes.childField(f, node, key[d] & 0xFF);
                    if (field < 0) {
                        c.kind = K_NO_CHILD;
                        return c;
                    }
                    ref = field;
                    edge = key[d] & 0xFF;
                    d++;
                }
                case T_SPLIT -> {
                    boolean right = d < key.length && (key[d] & 0xFF) >= f.u8(node + SPLIT_PIVOT);
                    ref = node + (right ? SPLIT_RIGHT : SPLIT_LEFT);
                    edge = EDGE_SPLIT;
                }
                case T_BLOB -> {
                    Frame child = table.get(f.u64(node + BLOB_FRAME_ID));
                    if (child == null) {
                        throw f.corrupt(node, "blob to a missing frame");
                    }
                    m.hold(child);
                    f = child;
                    c = new Cursor(f, d);
                    ref = ROOT_OFFSET;
                    edge = EDGE_ROOT;
                }
                default -> throw f.corrupt(node, "invalid node type " + type);
            }
        }
    }
}
