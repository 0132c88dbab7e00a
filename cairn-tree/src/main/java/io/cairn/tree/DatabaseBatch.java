package io.cairn.tree;

import io.cairn.tree.engine.BatchOp;
import io.cairn.tree.wal.TreeNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operations of one {@link Database#atomic} call, grouped by tree: {@link #tree} gives each tree's
 * {@link AtomicBatch}, with the same operations and guards as {@link Tree#atomic}. Every guard and condition of
 * every tree is checked before anything changes; then all of it is applied, as one record of the write-ahead log.
 */
public final class DatabaseBatch {
    private final Map<String, AtomicBatch> trees = new LinkedHashMap<>();
    private boolean sealed;

    DatabaseBatch() {}

    /**
     * The batch of the tree named {@code name} (the same object for every call with that name).
     *
     * @throws IllegalArgumentException if the name breaks the naming rule
     */
    public AtomicBatch tree(String name) {
        if (sealed) {
            throw new IllegalStateException("this batch was already applied; record operations inside the body");
        }
        TreeNames.encode(name);
        return trees.computeIfAbsent(name, n -> new AtomicBatch());
    }

    /** The trees named, in the order first named. */
    List<String> names() {
        return new ArrayList<>(trees.keySet());
    }

    /** Each named tree's operations, in {@link #names} order; the batch takes no more. */
    List<List<BatchOp>> seal() {
        sealed = true;
        List<List<BatchOp>> out = new ArrayList<>(trees.size());
        trees.values().forEach(b -> out.add(b.seal()));
        return out;
    }
}
