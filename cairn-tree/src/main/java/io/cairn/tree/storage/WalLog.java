package io.cairn.tree.storage;

import io.cairn.stack.Durability;
import io.cairn.tree.engine.RedoLog;
import io.cairn.tree.wal.Redo;
import io.cairn.tree.wal.WriteAheadLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One tree's writes into the store's write-ahead log: each engine write becomes one record tagged with the tree id,
 * and under {@code SYNC} the writer waits for the group commit that forces it. A failed append or force fails the
 * store ({@link Store#fail}): the tree may hold a change the log lost, so nothing may be read or written any more.
 */
final class WalLog implements RedoLog {
    private final Store store;
    private final WriteAheadLog wal;
    private final int treeId;
    private final boolean waits;

    WalLog(Store store, WriteAheadLog wal, int treeId, Durability durability) {
        this.store = store;
        this.wal = wal;
        this.treeId = treeId;
        this.waits = durability == Durability.SYNC;
    }

    @Override
    public long put(byte[] key, byte[] value, long version) {
        try {
            return wal.appendPut(treeId, key, value, version);
        } catch (IOException e) {
            throw store.fail(e);
        }
    }

    @Override
    public long delete(byte[] key) {
        try {
            return wal.appendDelete(treeId, key);
        } catch (IOException e) {
            throw store.fail(e);
        }
    }

    @Override
    public long rename(byte[] source, byte[] target, byte[] value, long version) {
        try {
            return wal.appendRename(treeId, source, target, value, version);
        } catch (IOException e) {
            throw store.fail(e);
        }
    }

    @Override
    public void checkBatch(List<Change> changes) {
        WriteAheadLog.checkFits(batchOf(List.of(treeId), List.of(changes)));
    }

    @Override
    public long batch(List<Change> changes) {
        try {
            return wal.appendBatch(batchOf(List.of(treeId), List.of(changes)));
        } catch (IOException e) {
            throw store.fail(e);
        }
    }

    /** The batch record of net changes to trees {@code treeIds} (one list of changes each, in that order). */
    static Redo.Batch batchOf(List<Integer> treeIds, List<List<Change>> changes) {
        List<Redo.Effect> effects = new ArrayList<>();
        for (int i = 0; i < treeIds.size(); i++) {
            int treeId = treeIds.get(i);
            for (Change c : changes.get(i)) {
                effects.add(c.value() == null ? new Redo.Delete(treeId, c.key())
                        : new Redo.Put(treeId, c.key(), c.value(), c.version()));
            }
        }
        return new Redo.Batch(effects);
    }

    @Override
    public void awaitDurable(long sequence) {
        if (waits && sequence > 0) {
            try {
                wal.awaitDurable(sequence);
            } catch (IOException e) {
                throw store.fail(e);
            }
        }
    }

    /** What a replayed record changes in one tree, in apply order. */
    static List<Change> changesOf(Redo.Effect effect) {
        return switch (effect) {
            case Redo.Put p -> List.of(new Change(p.key(), p.value(), p.version()));
            case Redo.Delete d -> List.of(new Change(d.key(), null, 0));
            case Redo.Rename r -> java.util.Arrays.equals(r.source(), r.target())
                    ? List.of(new Change(r.target(), r.value(), r.version()))
                    : List.of(new Change(r.source(), null, 0), new Change(r.target(), r.value(), r.version()));
        };
    }
}
