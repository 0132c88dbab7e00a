package io.cairn.tree;

import io.cairn.stack.CorruptedStoreException;
import io.cairn.tree.wal.LogEntry;
import io.cairn.tree.wal.RecordBytes;
import io.cairn.tree.wal.Redo;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Consecutive committed records of a database's change feed ({@link Database#changesAfter}), to be applied by a
 * follower ({@link Database#apply}) or shipped to one as bytes ({@link #toBytes}, {@link #fromBytes}).
 * Immutable.
 */
public final class ChangeBatch {
    private final long after;
    private final List<LogEntry> entries;

    ChangeBatch(long after, List<LogEntry> entries) {
        this.after = after;
        this.entries = List.copyOf(entries);
    }

    /** The position the batch follows: its first record's sequence is one more. */
    public long after() {
        return after;
    }

    /** The sequence of the last record, or {@link #after} if there is none: where the next batch starts. */
    public long lastSequence() {
        return entries.isEmpty() ? after : entries.getLast().sequence();
    }

    public int size() {
        return entries.size();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The records, in commit order. */
    public List<ChangeRecord> records() {
        List<ChangeRecord> out = new ArrayList<>(entries.size());
        for (LogEntry e : entries) {
            out.add(record(e));
        }
        return out;
    }

    List<LogEntry> entries() {
        return entries;
    }

    /** The batch as bytes: the records exactly as the write-ahead log frames them, under one more checksum. */
    public byte[] toBytes() {
        return RecordBytes.encode(after, entries);
    }

    /**
     * The batch {@link #toBytes} wrote.
     *
     * @throws CorruptedStoreException if the bytes are not such a batch (damaged, cut, or of another format)
     */
    public static ChangeBatch fromBytes(byte[] bytes) throws CorruptedStoreException {
        RecordBytes.Decoded d = RecordBytes.decode(Objects.requireNonNull(bytes, "bytes"));
        return new ChangeBatch(d.after(), d.entries());
    }

    private static ChangeRecord record(LogEntry e) {
        List<Change> changes = new ArrayList<>();
        JournalEnvelope envelope = null;
        switch (e.redo()) {
            case Redo.Envelope env -> {
                envelope = new JournalEnvelope(e.sequence(), env.payload(), env.previousHash(), env.hash());
                env.batch().effects().forEach(x -> changes.add(change(x)));
            }
            case Redo.Batch b -> b.effects().forEach(x -> changes.add(change(x)));
            case Redo.CreateTree c -> changes.add(new Change.CreateTree(c.treeId(), c.name()));
            case Redo.DropTree d -> changes.add(new Change.DropTree(d.treeId()));
            case Redo.Effect x -> changes.add(change(x));
        }
        return new ChangeRecord(e.sequence(), changes, envelope);
    }

    private static Change change(Redo.Effect effect) {
        return switch (effect) {
            case Redo.Put p -> new Change.Put(p.treeId(), p.key(), p.value(), p.version());
            case Redo.Delete d -> new Change.Delete(d.treeId(), d.key());
            case Redo.Rename r -> new Change.Rename(r.treeId(), r.source(), r.target(), r.value(), r.version());
        };
    }

    @Override
    public String toString() {
        return "ChangeBatch[after " + after + ", " + entries.size() + " records]";
    }
}
