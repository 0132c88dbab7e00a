package io.cairn.tree;

import java.util.List;

/**
 * One committed record of a database's change feed: everything one write did, in one piece (a batch across trees
 * is one record, so a follower applies it atomically too).
 *
 * @param sequence its position in the feed (contiguous: each record's is the previous one's plus one)
 * @param changes  what it did, in order
 * @param envelope its journal envelope, or null if it has none
 */
public record ChangeRecord(long sequence, List<Change> changes, JournalEnvelope envelope) {
    public ChangeRecord {
        changes = List.copyOf(changes);
    }
}
