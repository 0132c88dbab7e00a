package io.cairn.replication;

import io.cairn.replication.command.Command;
import io.cairn.replication.command.Op;
import io.cairn.replication.command.TreeName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operations of one {@link ReplicatedDatabase#atomic} call, grouped by tree, with the operations and guards of
 * {@link io.cairn.tree.AtomicBatch}. The batch is replicated as one log entry; every replica checks every guard and
 * condition of every tree against its state at that point of the log, then applies all of it or nothing.
 */
public final class ReplicatedBatch {
    private final Map<String, TreeBatch> trees = new LinkedHashMap<>();
    private boolean sealed;

    ReplicatedBatch() {}

    /** The operations on the tree named {@code name} (the same object for every call with that name). */
    public TreeBatch tree(String name) {
        if (sealed) {
            throw new IllegalStateException("this batch was already sent; record operations inside the body");
        }
        TreeName.encode(name);
        return trees.computeIfAbsent(name, n -> new TreeBatch());
    }

    Command.Atomic seal() {
        sealed = true;
        List<Command.TreeOps> out = new ArrayList<>();
        trees.forEach((name, b) -> out.add(new Command.TreeOps(name, b.ops)));
        return new Command.Atomic(out);
    }

    /** One tree's part of the batch; each method records an operation and returns this batch. */
    public static final class TreeBatch {
        private final List<Op> ops = new ArrayList<>();

        private TreeBatch() {}

        private static byte[] copy(String name, byte[] b) {
            if (b == null) {
                throw new NullPointerException(name + " must not be null");
            }
            return b.clone();
        }

        private TreeBatch add(Op op) {
            ops.add(op);
            return this;
        }

        public TreeBatch put(byte[] key, byte[] value) {
            return add(Op.put(copy("key", key), copy("value", value)));
        }

        public TreeBatch putIfAbsent(byte[] key, byte[] value) {
            return add(Op.putIfAbsent(copy("key", key), copy("value", value)));
        }

        public TreeBatch compareAndPut(byte[] key, long expectedVersion, byte[] value) {
            return add(Op.compareAndPut(copy("key", key), expectedVersion, copy("value", value)));
        }

        public TreeBatch delete(byte[] key) {
            return add(Op.delete(copy("key", key)));
        }

        public TreeBatch deleteIfVersion(byte[] key, long version) {
            return add(Op.deleteIfVersion(copy("key", key), version));
        }

        /** Moves the value of {@code source} to {@code target} (with a new version), as the tree's rename does. */
        public TreeBatch rename(byte[] source, byte[] target, boolean overwrite) {
            return add(Op.rename(copy("source", source), copy("target", target), overwrite));
        }

        /** Guard: the key is present with exactly this version. */
        public TreeBatch assertVersion(byte[] key, long version) {
            return add(Op.assertVersion(copy("key", key), version));
        }

        /** Guard: the key is absent. */
        public TreeBatch assertAbsent(byte[] key) {
            return add(Op.assertAbsent(copy("key", key)));
        }

        /** Guard: no key starts with {@code prefix}. */
        public TreeBatch assertPrefixEmpty(byte[] prefix) {
            return add(Op.assertPrefixEmpty(copy("prefix", prefix)));
        }
    }
}
