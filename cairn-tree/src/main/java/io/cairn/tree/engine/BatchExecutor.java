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
        RedoLog log = writes.log();
        long[] sequence = new long[1];
        try {
            return runTogether(List.of(this), List.of(ops), new BatchLog() {
                @Override
                public void check(List<List<RedoLog.Change>> changes) {
                    log.checkBatch(changes.getFirst());
                }

                @Override
                public long log(List<List<RedoLog.Change>> changes) {
                    return sequence[0] = log.batch(changes.getFirst());
                }
            });
        } finally {
            log.awaitDurable(sequence[0]);
        }
    }

    /**
     * Applies batches on several trees of one table as one: closes their gates in the given order, checks every
     * operation and guard of every part (each against its tree plus its own earlier operations), checks that the
     * log takes the net changes as one record, and only then writes them, each frame latched until the last change
     * of the last part is in and the record is logged. A reader of any of the trees (a scan, a snapshot) sees all
     * of it or none. Returns the first failing outcome (nothing changed) or {@code APPLIED}. The caller waits for
     * the record's durability.
     */
    static Outcome runTogether(List<BatchExecutor> parts, List<List<BatchOp>> ops, BatchLog log) {
        int keys = 0;
        for (List<BatchOp> part : ops) {
            keys += part.size();
        }
        if (!parts.isEmpty()) { // (one table serves every part) before any gate closes
            parts.getFirst().table.admitWriter(keys * Writes.FRAMES_PER_KEY);
        }
        List<BatchExecutor> gated = new ArrayList<>(parts.size());
        Mutation m = new Mutation();
        try {
            for (BatchExecutor part : parts) {
                part.gate.close();
                gated.add(part);
            }
            List<TreeMap<byte[], Versioned>> overlays = new ArrayList<>(parts.size());
            int changed = 0;
            for (int i = 0; i < parts.size(); i++) {
                TreeMap<byte[], Versioned> overlay = new TreeMap<>(Arrays::compareUnsigned);
                for (BatchOp op : ops.get(i)) {
                    Outcome o = parts.get(i).plan(overlay, op);
                    if (o != Outcome.APPLIED) {
                        return o;
                    }
                }
                overlays.add(overlay);
                changed += overlay.size();
            }
            List<List<RedoLog.Change>> changes = new ArrayList<>(parts.size());
            for (TreeMap<byte[], Versioned> overlay : overlays) {
                List<RedoLog.Change> net = new ArrayList<>(overlay.size());
                overlay.forEach((key, r) -> net.add(r == DELETED ? new RedoLog.Change(key, null, 0)
                        : new RedoLog.Change(key, r.value(), r.version())));
                changes.add(net);
            }
            log.check(changes);
            if (changed > 0) {
                parts.getFirst().table.ensureHeadroom(changed);
            }
            m.pastBudget = true;
            for (int i = 0; i < parts.size(); i++) {
                parts.get(i).writeAll(m, changes.get(i));
            }
            log.log(changes);
            return Outcome.APPLIED;
        } finally {
            m.releaseAll();
            openAndMerge(gated);
        }
    }

    /**
     * Applies changes unconditionally (a log replay, a follower applying a leader's changes) on several trees as
     * one, as {@link #runTogether} writes them: gates closed in order, every frame latched until the last change is
     * in and {@code log} (null: none, for recovery, which must not log again) has logged them.
     */
    static void redoTogether(List<BatchExecutor> parts, List<List<RedoLog.Change>> changes, BatchLog log) {
        List<BatchExecutor> gated = new ArrayList<>(parts.size());
        Mutation m = new Mutation();
        try {
            for (BatchExecutor part : parts) {
                part.gate.close();
                gated.add(part);
            }
            if (log != null) {
                log.check(changes);
            }
            m.pastBudget = true;
            for (int i = 0; i < parts.size(); i++) {
                parts.get(i).writeAll(m, changes.get(i));
            }
            if (log != null) {
                log.log(changes);
            }
        } finally {
            m.releaseAll();
            openAndMerge(gated);
        }
    }

    /** Writes net changes under the closed gate, every frame staying latched in {@code m}. */
    private void writeAll(Mutation m, List<RedoLog.Change> changes) {
        for (RedoLog.Change c : changes) {
            if (c.value() == null) {
                writes.writeHoldingGate(m, Writes.Kind.DELETE, c.key(), null, 0, 0);
            } else {
                writes.writeHoldingGate(m, Writes.Kind.PUT, c.key(), c.value(), 0, c.version());
            }
        }
    }

    private static void openAndMerge(List<BatchExecutor> gated) {
        for (int i = gated.size() - 1; i >= 0; i--) {
            gated.get(i).gate.open();
        }
        for (BatchExecutor part : gated) {
            part.space.mergeQueuedFrames();
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
