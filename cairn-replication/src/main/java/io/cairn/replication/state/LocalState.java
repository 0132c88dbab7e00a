package io.cairn.replication.state;

import io.cairn.replication.command.Command;
import io.cairn.replication.command.Op;
import io.cairn.replication.command.Query;
import io.cairn.replication.command.QueryResult;
import io.cairn.replication.command.Reply;
import io.cairn.stack.Durability;
import io.cairn.tree.AtomicBatch;
import io.cairn.tree.Database;
import io.cairn.tree.Record;
import io.cairn.tree.Scan;
import io.cairn.tree.ScanEntry;
import io.cairn.tree.Tree;
import io.cairn.tree.TreeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A replica's local database and what it holds: the state after applying the Raft log up to {@link #applied}.
 *
 * <p><b>Durability.</b> The Raft log is the durability point: Ratis forces every entry before it counts towards a
 * majority. The local database runs with {@link Durability#NONE}, so a write is never forced twice. It is reused
 * only after a clean stop (a {@link CleanMarker} names the entry it holds); after a crash it is thrown away and
 * rebuilt from the latest snapshot image, and Ratis then applies the log after the image's index again. A local
 * database that survived a crash is not reused even if its log is intact, because its version counter is not:
 * the counter advances when a batch whose guard fails draws versions, recovery restores it only from checkpoints
 * and logged writes, and a replica whose counter differs would give later writes other versions than its peers.
 *
 * <p>Everything here runs on Ratis's apply thread (apply, snapshot, install), except reads, which any thread may do
 * through {@link #database()}; an install swaps the database, and a read that meets the closed one retries.
 */
final class LocalState implements AutoCloseable {
    private final Path directory;
    private final Path marker;
    private final TreeOptions options;
    private volatile Database database;
    private volatile CleanMarker.Applied applied;
    /** Set when applying an entry failed: the state is then unknown, and no marker may vouch for it. */
    private volatile boolean failed;

    private LocalState(Path directory, Path marker, TreeOptions options, Database database,
            CleanMarker.Applied applied) {
        this.directory = directory;
        this.marker = marker;
        this.options = options;
        this.database = database;
        this.applied = applied;
    }

    /**
     * Opens the local database in {@code directory}: reused as it is if the marker says it was closed cleanly
     * (the marker is then deleted before anything else happens), else rebuilt from {@code image} (the latest
     * snapshot, holding the state at {@code imageApplied}; null: none, start empty).
     */
    static LocalState open(Path directory, Path marker, TreeOptions base, Path image, CleanMarker.Applied imageApplied)
            throws IOException {
        TreeOptions options = base.durability(Durability.NONE);
        CleanMarker.Applied clean = CleanMarker.read(marker);
        if (clean != null && Files.isDirectory(directory)
                && (imageApplied == null || clean.index() >= imageApplied.index())) {
            CleanMarker.delete(options.io(), marker);
            return new LocalState(directory, marker, options, Database.open(directory, options), clean);
        }
        CleanMarker.delete(options.io(), marker);
        return new LocalState(directory, marker, options, rebuild(directory, options, image),
                image != null ? imageApplied : new CleanMarker.Applied(0, 0));
    }

    private static Database rebuild(Path directory, TreeOptions options, Path image) throws IOException {
        deleteTree(directory);
        if (image != null) {
            Database.installImage(image, directory, options);
        }
        return Database.open(directory, options);
    }

    /** Replaces the state with a snapshot image installed from the leader. */
    void install(Path image, CleanMarker.Applied imageApplied) throws IOException {
        Database old = database;
        old.close();
        database = rebuild(directory, options, image);
        applied = imageApplied;
    }

    Database database() {
        return database;
    }

    CleanMarker.Applied applied() {
        return applied;
    }

    /**
     * Applies the command of log entry {@code index} and answers it; an entry at or below {@link #applied} (the
     * log replayed after a clean restart) is skipped. Conditions are evaluated here, against this replica's state,
     * which equals every other replica's after the same entries.
     */
    Reply apply(long index, Command command) {
        return index <= applied.index() ? Reply.of(Reply.Status.APPLIED) : execute(command);
    }

    /** Records that applying an entry failed: the next start rebuilds from the snapshot instead of reusing this. */
    void fail() {
        failed = true;
    }

    /** Records that every log entry up to {@code index} is applied (commands and Ratis's own entries alike). */
    void noteApplied(long term, long index) {
        if (index > applied.index()) {
            applied = new CleanMarker.Applied(term, index);
        }
    }

    private Reply execute(Command command) {
        Database db = database;
        try {
            return switch (command) {
                case Command.Point p -> {
                    if (!db.treeNames().contains(p.tree())) {
                        yield Reply.of(Reply.Status.NO_SUCH_TREE);
                    }
                    yield point(db.openTree(p.tree()), p.op());
                }
                case Command.Atomic a -> {
                    for (Command.TreeOps t : a.trees()) {
                        if (!db.treeNames().contains(t.tree())) {
                            yield Reply.of(Reply.Status.NO_SUCH_TREE);
                        }
                    }
                    yield Reply.of(db.atomic(batch -> {
                        for (Command.TreeOps t : a.trees()) {
                            AtomicBatch b = batch.tree(t.tree());
                            t.ops().forEach(op -> record(b, op));
                        }
                    }) ? Reply.Status.APPLIED : Reply.Status.CONDITION_FAILED);
                }
                case Command.CreateTree c -> {
                    if (db.treeNames().contains(c.name())) {
                        yield Reply.of(Reply.Status.TREE_EXISTS);
                    }
                    db.createTree(c.name());
                    yield Reply.of(Reply.Status.APPLIED);
                }
                case Command.DropTree d -> Reply.of(db.dropTree(d.name()) ? Reply.Status.APPLIED
                        : Reply.Status.NO_SUCH_TREE);
            };
        } catch (IllegalArgumentException | IllegalStateException e) {
            // refused before changing anything: a bad argument the encoder let through, a frame budget
            return new Reply(Reply.Status.REJECTED, 0, String.valueOf(e.getMessage()));
        }
    }

    private static Reply point(Tree t, Op op) {
        byte[] key = op.key();
        boolean done = switch (op.kind()) {
            case PUT -> {
                t.put(key, op.other());
                yield true;
            }
            case PUT_IF_ABSENT -> t.putIfAbsent(key, op.other());
            case COMPARE_AND_PUT -> t.compareAndPut(key, op.version(), op.other());
            case DELETE -> t.delete(key);
            case DELETE_IF_VERSION -> t.deleteIfVersion(key, op.version());
            case RENAME -> {
                // checked first so that the answer never depends on an exception's kind; only this thread writes
                if (t.getRecord(key) == null) {
                    yield false;
                }
                if (!op.overwrite() && t.getRecord(op.other()) != null) {
                    yield false;
                }
                t.rename(key, op.other(), op.overwrite());
                yield true;
            }
            case ASSERT_VERSION, ASSERT_ABSENT, ASSERT_PREFIX_EMPTY ->
                throw new IllegalArgumentException("a guard (" + op.kind() + ") belongs in a batch, not alone");
        };
        if (!done) {
            if (op.kind() == Op.Kind.RENAME) {
                return Reply.of(t.getRecord(key) == null ? Reply.Status.SOURCE_MISSING : Reply.Status.TARGET_EXISTS);
            }
            return Reply.of(Reply.Status.CONDITION_FAILED);
        }
        byte[] written = op.kind() == Op.Kind.RENAME ? op.other() : key;
        Record r = op.other() != null ? t.getRecord(written) : null;
        return new Reply(Reply.Status.APPLIED, r != null ? r.version() : 0, "");
    }

    private static void record(AtomicBatch b, Op op) {
        switch (op.kind()) {
            case PUT -> b.put(op.key(), op.other());
            case PUT_IF_ABSENT -> b.putIfAbsent(op.key(), op.other());
            case COMPARE_AND_PUT -> b.compareAndPut(op.key(), op.version(), op.other());
            case DELETE -> b.delete(op.key());
            case DELETE_IF_VERSION -> b.deleteIfVersion(op.key(), op.version());
            case RENAME -> b.rename(op.key(), op.other(), op.overwrite());
            case ASSERT_VERSION -> b.assertVersion(op.key(), op.version());
            case ASSERT_ABSENT -> b.assertAbsent(op.key());
            case ASSERT_PREFIX_EMPTY -> b.assertPrefixEmpty(op.key());
        }
    }

    /** Answers a read-only query from this replica's state. */
    QueryResult query(Query query) {
        Database db = database;
        return switch (query) {
            case Query.Get g -> {
                if (!db.treeNames().contains(g.tree())) {
                    yield new QueryResult.Found(null, 0);
                }
                Record r = db.openTree(g.tree()).getRecord(g.key());
                yield r == null ? new QueryResult.Found(null, 0) : new QueryResult.Found(r.value(), r.version());
            }
            case Query.Scan s -> {
                List<QueryResult.Entry> out = new ArrayList<>();
                if (db.treeNames().contains(s.tree())) {
                    Scan scan = db.openTree(s.tree()).scan(s.prefix()).limit(s.limit());
                    if (s.startAfter() != null) {
                        scan = scan.startAfter(s.startAfter());
                    }
                    if (s.delimiter() >= 0) {
                        scan = scan.delimiter((byte) s.delimiter());
                    }
                    if (s.keysOnly()) {
                        scan = scan.keysOnly();
                    }
                    for (ScanEntry e : scan) {
                        out.add(new QueryResult.Entry(e.isCommonPrefix(), e.key(), e.value(), e.version()));
                    }
                }
                yield new QueryResult.Entries(out);
            }
            case Query.TreeNames t -> new QueryResult.Names(db.treeNames());
            case Query.Barrier b -> new QueryResult.Applied(applied.index());
        };
    }

    /**
     * Writes an image of the state at {@link #applied} to {@code file} (forced, renamed into place) after a
     * checkpoint, so the local database also restarts quickly.
     */
    void exportImage(Path file) throws IOException {
        Database db = database;
        db.checkpoint();
        db.exportImage(file);
    }

    /**
     * Closes the database and, if that succeeded and every entry applied cleanly, writes the marker that lets the
     * next start reuse it. Without the marker (a failed apply or close, a crash) the next start rebuilds.
     */
    @Override
    public void close() throws IOException {
        database.close();
        if (!failed) {
            CleanMarker.write(options.io(), marker, applied);
        }
    }

    /** Deletes a directory tree (the local database: it is rebuilt from the snapshot and the log). */
    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
