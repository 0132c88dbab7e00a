package io.cairn.bench.replication;

import io.cairn.stack.Durability;
import io.cairn.tree.Tree;
import io.cairn.tree.TreeOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * One Cairn tree in this JVM, every put forced before it returns ({@link Durability#SYNC}, group commit): what a
 * write costs without replication.
 */
final class CairnSingle implements Contender {
    static final String NAME = "cairn-single";
    /** Puts per atomic batch while loading. */
    private static final int LOAD_BATCH = 1_000;

    private final Tree tree;

    CairnSingle(Path dir) throws IOException {
        this.tree = Tree.open(dir, TreeOptions.defaults().durability(Durability.SYNC));
    }

    @Override
    public void load(byte[][] keys, byte[][] values) throws Exception {
        Contender.inSlices(keys.length, LOAD_BATCH, (from, to) -> tree.atomic(batch -> {
            for (int i = from; i < to; i++) {
                batch.put(keys[i], values[i]);
            }
        }));
    }

    @Override
    public void put(byte[] key, byte[] value) {
        tree.put(key, value);
    }

    @Override
    public byte[] get(byte[] key) {
        return tree.get(key);
    }

    @Override
    public Map<String, String> facts() {
        return Map.of("durability", "SYNC");
    }

    @Override
    public void close() throws IOException {
        tree.close();
    }
}
