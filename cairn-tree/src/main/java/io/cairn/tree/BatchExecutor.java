package io.cairn.tree;

import io.cairn.tree.AtomicBatch.Op;
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
    private BatchExecutor() {}

    enum Outcome { APPLIED, CONDITION_FAILED, SOURCE_MISSING, TARGET_EXISTS }

    /** Marks a key the batch deletes. */
    private static final Record DELETED = new Record(new byte[0], -1);

    static Outcome run(Art art, List<Op> ops) {
        if (ops.isEmpty()) {
            return Outcome.APPLIED;
        }
        art.gate.close();
        Art.Mutation m = new Art.Mutation();
        try {
            TreeMap<byte[], Record> overlay = new TreeMap<>(Arrays::compareUnsigned);
            for (Op op : ops) {
                Outcome o = plan(art, overlay, op);
                if (o != Outcome.APPLIED) {
                    return o;
                }
            }
            art.table.ensureHeadroom(overlay.size());
            m.pastBudget = true;
            for (Map.Entry<byte[], Record> e : overlay.entrySet()) {
                Record r = e.getValue();
                if (r == DELETED) {
                    art.writeHoldingGate(m, Art.Kind.DELETE, e.getKey(), null, 0, 0);
                } else {
                    art.writeHoldingGate(m, Art.Kind.PUT, e.getKey(), r.value(), 0, r.version());
                }
            }
            return Outcome.APPLIED;
        } finally {
            m.releaseAll();
            art.gate.open();
            art.space.mergeQueuedFrames();
        }
    }

    private static Outcome plan(Art art, TreeMap<byte[], Record> overlay, Op op) {
        byte[] key = op.key();
        Record current = read(art, overlay, key);
        switch (op.kind()) {
            case PUT -> overlay.put(key, new Record(op.other(), art.nextVersion()));
            case PUT_IF_ABSENT -> {
                if (current != null) {
                    return Outcome.CONDITION_FAILED;
                }
                overlay.put(key, new Record(op.other(), art.nextVersion()));
            }
            case COMPARE_AND_PUT -> {
                if (current == null || current.version() != op.version()) {
                    return Outcome.CONDITION_FAILED;
                }
                overlay.put(key, new Record(op.other(), art.nextVersion()));
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
                if (Arrays.equals(key, target)) {
                    return Outcome.APPLIED;
                }
                if (!op.overwrite() && read(art, overlay, target) != null) {
                    return Outcome.TARGET_EXISTS;
                }
                overlay.put(target, new Record(current.value(), art.nextVersion()));
                overlay.put(key, DELETED);
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
                if (!prefixEmpty(art, overlay, key)) {
                    return Outcome.CONDITION_FAILED;
                }
            }
        }
        return Outcome.APPLIED;
    }

    private static Record read(Art art, TreeMap<byte[], Record> overlay, byte[] key) {
        Record r = overlay.get(key);
        if (r != null) {
            return r == DELETED ? null : r;
        }
        return art.get(key);
    }

    /** Empty if the overlay adds nothing under the prefix and every stored key under it is deleted by the batch. */
    private static boolean prefixEmpty(Art art, TreeMap<byte[], Record> overlay, byte[] prefix) {
        int deleted = 0;
        for (Map.Entry<byte[], Record> e : overlay.tailMap(prefix, true).entrySet()) {
            if (!Keys.startsWith(e.getKey(), prefix)) {
                break;
            }
            if (e.getValue() != DELETED) {
                return false;
            }
            deleted++;
        }
        // at most `deleted` stored keys can be hidden, so looking at one more than that decides it
        Walker w = Walker.borrow(art, art, prefix, null, -1, true, deleted + 1L, false);
        try {
            art.walk(w);
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
