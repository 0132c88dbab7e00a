package io.cairn.tree.engine;

import java.util.List;

/**
 * Where a batch over one or more trees is logged as one record: the store's write-ahead log for a batch across
 * trees (one list of changes per tree, in the order the trees were given).
 */
public interface BatchLog {

    /**
     * Throws {@link IllegalArgumentException} if these changes cannot be logged as one record (too large); called
     * before any frame changes, so a refused batch leaves nothing behind.
     */
    void check(List<List<RedoLog.Change>> changes);

    /** Logs the changes as one record while their frames are still latched; returns its sequence. */
    long log(List<List<RedoLog.Change>> changes);
}
