package io.cairn.tree;

import io.cairn.tree.wal.TreeNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A consistent, read-only view of several trees of a database at one moment ({@link Database#snapshot}): no batch
 * is seen in one tree and missed in another, and the view is exactly the database's state at {@link #sequence}
 * in the change feed. Each tree's view is a {@link Snapshot} (with its own prefix scope); the costs are theirs.
 * A tree dropped after the snapshot was taken stays readable in it. Close it when done (closing the database
 * closes it too). Thread-safe.
 */
public final class DatabaseSnapshot implements AutoCloseable {
    private final Database database;
    private final io.cairn.tree.storage.Store.Moment moment;
    private final List<io.cairn.tree.storage.Store.Captured> captured;
    private final long sequence;
    /** By name, in tree id order; each snapshot's handle is private to this snapshot. */
    private final Map<String, Snapshot> trees;
    private final List<Tree> handles;
    private volatile boolean closed;

    DatabaseSnapshot(Database database, io.cairn.tree.storage.Store.Moment moment,
            List<io.cairn.tree.storage.Store.Captured> captured, LinkedHashMap<String, Snapshot> trees,
            List<Tree> handles) {
        this.database = database;
        this.moment = moment;
        this.captured = captured;
        this.sequence = moment.sequence();
        this.trees = trees;
        this.handles = handles;
    }

    /** The change-feed sequence this view is exactly at: every record up to it, none after. */
    public long sequence() {
        ensureOpen();
        return sequence;
    }

    /** The trees in the view, sorted by name. */
    public List<String> treeNames() {
        ensureOpen();
        List<String> names = new ArrayList<>(trees.keySet());
        names.sort(null);
        return names;
    }

    /**
     * The view of the tree named {@code name}.
     *
     * @throws NoSuchElementException if the snapshot does not hold that tree
     */
    public Snapshot tree(String name) {
        ensureOpen();
        Snapshot s = trees.get(name);
        if (s == null) {
            throw new NoSuchElementException("the snapshot holds no tree " + TreeNames.quote(name) + "; it holds "
                    + treeNames());
        }
        return s;
    }

    /** The moment the snapshot is at (sequence, version high-water mark, journal head), for an image. */
    io.cairn.tree.storage.Store.Moment moment() {
        return moment;
    }

    /** The trees with their ids, in id order, for an image. */
    List<io.cairn.tree.storage.Store.Captured> captured() {
        return captured;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("database snapshot is closed");
        }
    }

    /** Releases every tree's frame copies. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            handles.forEach(Tree::close);
            database.forget(this);
        }
    }
}
