package io.cairn.tree.engine;

import java.util.List;

/**
 * Where a tree's writes are logged for redo: the write-ahead log of a file-backed tree, nothing for a memory tree.
 * The engine logs the effect of a write (not the request: conditions are already decided) while it still holds the
 * latches of the frames it changed, so the log's order of two writes to one key is their apply order; it waits for
 * durability only after releasing them. A batch or a rename is one record.
 */
public interface RedoLog {

    /** One key's new state in a batch: {@code value} at {@code version}, or absent when {@code value} is null. */
    record Change(byte[] key, byte[] value, long version) {}

    /** Logs that {@code key} holds {@code value} at {@code version}; returns the record's sequence. */
    long put(byte[] key, byte[] value, long version);

    /** Logs that {@code key} is absent; returns the record's sequence. */
    long delete(byte[] key);

    /** Logs that {@code source} is absent and {@code target} holds {@code value} at {@code version}. */
    long rename(byte[] source, byte[] target, byte[] value, long version);

    /** Logs a batch's net changes as one record; returns its sequence. */
    long batch(List<Change> changes);

    /**
     * Throws {@link IllegalArgumentException} if a batch of these changes cannot be logged as one record (too
     * large); called before the batch changes any frame.
     */
    default void checkBatch(List<Change> changes) {}

    /** Returns once the record {@code sequence} is as durable as the tree's durability option promises. */
    void awaitDurable(long sequence);

    /** The log of a memory tree: nothing is logged, everything is as durable as it gets at once. */
    RedoLog NONE = new RedoLog() {
        @Override
        public long put(byte[] key, byte[] value, long version) {
            return 0;
        }

        @Override
        public long delete(byte[] key) {
            return 0;
        }

        @Override
        public long rename(byte[] source, byte[] target, byte[] value, long version) {
            return 0;
        }

        @Override
        public long batch(List<Change> changes) {
            return 0;
        }

        @Override
        public void awaitDurable(long sequence) {}
    };
}
