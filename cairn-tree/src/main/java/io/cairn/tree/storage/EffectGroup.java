package io.cairn.tree.storage;

import io.cairn.tree.engine.BatchLog;
import io.cairn.tree.engine.Engine;
import io.cairn.tree.engine.RedoLog;
import io.cairn.tree.wal.Redo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The effects of consecutive log records, gathered per tree and applied to the trees as one redo
 * ({@link Engine#redoTogether}): a follower applies one record this way, recovery a run of records. Effects are
 * unconditional, so applying a run together, in log order, leaves the trees exactly as applying it record by
 * record; recovery then pays the writer gates, the latches and the merge pass once per run instead of once per
 * record.
 */
final class EffectGroup {
    private final TreeCatalog catalog;
    private final AtomicLong versions;
    /** Tree id → its changes in log order; trees in id order (the order {@link Engine#redoTogether} gates them). */
    private final TreeMap<Integer, List<RedoLog.Change>> byTree = new TreeMap<>();
    private int changes;
    private int records;
    private long lastSequence;
    private long highestVersion;

    EffectGroup(TreeCatalog catalog, AtomicLong versions) {
        this.catalog = catalog;
        this.versions = versions;
    }

    /**
     * Adds the effects of record {@code sequence}.
     *
     * @throws IllegalArgumentException if an effect names a tree that does not exist (nothing added)
     */
    void add(long sequence, List<Redo.Effect> effects) {
        for (Redo.Effect e : effects) {
            if (catalog.engine(e.treeId()) == null) {
                throw new IllegalArgumentException("record " + sequence + " names tree " + e.treeId()
                        + ", which does not exist");
            }
        }
        for (Redo.Effect e : effects) {
            List<RedoLog.Change> tree = byTree.computeIfAbsent(e.treeId(), id -> new ArrayList<>());
            for (RedoLog.Change c : WalLog.changesOf(e)) {
                tree.add(c);
                changes++;
                if (c.value() != null) {
                    highestVersion = Math.max(highestVersion, c.version());
                }
            }
        }
        records++;
        lastSequence = sequence;
    }

    /** Records added since the last {@link #apply}. */
    int records() {
        return records;
    }

    /** Changes (keys written or deleted) added since the last {@link #apply}. */
    int changes() {
        return changes;
    }

    /** The last record added. */
    long lastSequence() {
        return lastSequence;
    }

    /**
     * Applies everything added as one redo, logged through {@code log} (null: not at all, as recovery replays),
     * raises the version counter to the highest version written, and empties the group.
     */
    void apply(BatchLog log) {
        if (records == 0) {
            return;
        }
        versions.accumulateAndGet(highestVersion, Math::max);
        List<Engine> engines = new ArrayList<>(byTree.size());
        List<List<RedoLog.Change>> lists = new ArrayList<>(byTree.size());
        for (Map.Entry<Integer, List<RedoLog.Change>> tree : byTree.entrySet()) {
            engines.add(catalog.engine(tree.getKey()));
            lists.add(tree.getValue());
        }
        byTree.clear();
        changes = 0;
        records = 0;
        highestVersion = 0;
        Engine.redoTogether(engines, lists, log);
    }
}
