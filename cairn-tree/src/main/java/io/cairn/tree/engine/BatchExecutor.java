package io.cairn.tree.engine;

import io.cairn.tree.engine.Descent.Probe;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies an atomic batch: with the writer gate closed (no other writer in the tree), every operation is first
 * checked against the tree plus the batch's own earlier changes (an overlay), and only if all pass are the net
 * changes written, in key order, each frame latched until the last change is in. A validating reader therefore
 * sees the batch whole or not at all.
 */
final class BatchExecutor {
    /** Marks a key the batch deletes. */
    private static final Versioned DELETED = new Versioned(new byte[0], -1);

    private final FrameTable table;
    private final FrameView live;
    private final WriterGate gate;
    private final FrameSpace space;
    private final Writes writes;
    private final Walker.Pool walkers;

    BatchExecutor(FrameTable table, FrameView live, WriterGate gate, FrameSpace space, Writes writes,
            Walker.Pool walkers) {
        this.table = table;
        this.live = live;
        this.gate = gate;
        this.space = space;
        this.writes = writes;
        this.walkers = walkers;
    }

    /**
     * Plans and applies the batch with the gate closed, logs its net changes as one record while the frames are
     * still latched, and waits for the record's durability after opening the gate.
     */
    Outcome run(List<BatchOp> ops) {
        if (ops.isEmpty()) {
            return Outcome.APPLIED;
        }
        gate.close();
        Mutation m = new Mutation();
        long sequence = 0;
        try {
            TreeMap<byte[], Versioned> overlay = new TreeMap<>(Arrays::compareUnsigned);
            for (BatchOp op : ops) {
                Outcome o = plan(overlay, op);
                if (o != Outcome.APPLIED) {
                    return o;
                }
            }
            table.ensureHeadroom(overlay.size());
            m.pastBudget = true;
            List<RedoLog.Change> changes = new ArrayList<>(overlay.size());
            for (Map.Entry<byte[], Versioned> e : overlay.entrySet()) {
                Versioned r = e.getValue();
                if (r == DELETED) {
                    writes.writeHoldingGate(m, Writes.Kind.DELETE, e.getKey(), null, 0, 0);
                    changes.add(new RedoLog.Change(e.getKey(), null, 0));
                } else {
                    writes.writeHoldingGate(m, Writes.Kind.PUT, e.getKey(), r.value(), 0, r.version());
                    changes.add(new RedoLog.Change(e.getKey(), r.value(), r.version()));
                }
            }
            sequence = writes.log().batch(changes);
            return Outcome.APPLIED;
        } finally {
            m.releaseAll();
            gate.open();
            space.mergeQueuedFrames();
            writes.log().awaitDurable(sequence);
        }
    }

    /**
     * Applies changes that a log replay found, unconditionally and without logging them again (recovery and
     * read-only opens; the caller runs it before any other writer can start).
     */
    void redo(List<RedoLog.Change> changes) {
        gate.close();
        Mutation m = new Mutation();
        try {
            for (RedoLog.Change c : changes) {
                if (c.value() == null) {
                    writes.writeHoldingGate(m, Writes.Kind.DELETE, c.key(), null, 0, 0);
                } else {
                    writes.writeHoldingGate(m, Writes.Kind.PUT, c.key(), c.value(), 0, c.version());
                }
            }
        } finally {
            m.releaseAll();
            gate.open();
            space.mergeQueuedFrames();
        }
    }

    private Outcome plan(TreeMap<byte[], Versioned> overlay, BatchOp op) {
        byte[] key = op.key();
        Versioned current = read(overlay, key);
        switch (op.kind()) {
            case PUT -> overlay.put(key, new Versioned(op.other(), writes.nextVersion()));
            case PUT_IF_ABSENT -> {
                if (current != null) {
                    return Outcome.CONDITION_FAILED;
                }
                overlay.put(key, new Versioned(op.other(), writes.nextVersion()));
            }
            case COMPARE_AND_PUT -> {
                if (current == null || current.version() != op.version()) {
                    return Outcome.CONDITION_FAILED;
                }
                overlay.put(key, new Versioned(op.other(), writes.nextVersion()));
            }
            case DELETE -> {
                if (current != null) {
                    overlay.put(key, DELETED);
                }
            }
            case DELETE_IF_VERSION -> {
                if (current == null || current.version() != op.version()) {
                    return Outcome.CONDITION_FAILED;
                }
                overlay.put(key, DELETED);
            }
            case RENAME -> {
                byte[] target = op.other();
                if (current == null) {
                    return Outcome.SOURCE_MISSING;
                }
                if (!op.overwrite() && read(overlay, target) != null) {
                    return Outcome.TARGET_EXISTS; // a key renamed onto itself included: its target exists
                }
                if (!Arrays.equals(key, target)) {
                    overlay.put(key, DELETED);
                }
                overlay.put(target, new Versioned(current.value(), writes.nextVersion()));
            }
            case ASSERT_VERSION -> {
                if (current == null || current.version() != op.version()) {
                    return Outcome.CONDITION_FAILED;
                }
            }
            case ASSERT_ABSENT -> {
                if (current != null) {
                    return Outcome.CONDITION_FAILED;
                }
            }
            case ASSERT_PREFIX_EMPTY -> {
                if (!prefixEmpty(overlay, key)) {
                    return Outcome.CONDITION_FAILED;
                }
            }
        }
        return Outcome.APPLIED;
    }

    private Versioned read(TreeMap<byte[], Versioned> overlay, byte[] key) {
        Versioned r = overlay.get(key);
        if (r != null) {
            return r == DELETED ? null : r;
        }
        Probe p = Descent.get(live, key);
        return p.matched < 0 ? null : new Versioned(p.value, p.version);
    }

    /** Empty if the overlay adds nothing under the prefix and every stored key under it is deleted by the batch. */
    private boolean prefixEmpty(TreeMap<byte[], Versioned> overlay, byte[] prefix) {
        int deleted = 0;
        for (Map.Entry<byte[], Versioned> e : overlay.tailMap(prefix, true).entrySet()) {
            byte[] k = e.getKey();
            if (k.length < prefix.length || !Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
                break;
            }
            if (e.getValue() != DELETED) {
                return false;
            }
            deleted++;
        }
        // at most `deleted` stored keys can be hidden, so looking at one more than that decides it
        Walker w = Walker.borrow(walkers, live, prefix, null, -1, true, deleted + 1L, false);
        try {
            w.walk(gate);
            for (int i = 0; i < w.out.size(); i++) {
                if (overlay.get(w.out.key(i)) != DELETED) {
                    return false;
                }
            }
            return true;
        } finally {
            w.release();
        }
    }
}
