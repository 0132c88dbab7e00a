package io.cairn.tree;

import io.cairn.tree.engine.BatchOp;
import io.cairn.tree.engine.Engine;
import io.cairn.tree.engine.SnapshotFrames;
import io.cairn.tree.storage.ImageInstaller;
import io.cairn.tree.storage.ImageReader;
import io.cairn.tree.storage.ImageWriter;
import io.cairn.tree.storage.Retention;
import io.cairn.tree.storage.Store;
import io.cairn.tree.wal.LogEntry;
import io.cairn.tree.wal.Redo;
import io.cairn.tree.wal.TreeNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Named trees in one directory, sharing one write-ahead log, one frame cache and one checkpoint: the way to keep
 * many namespaces (buckets, tenants, indexes) in one store, change several of them atomically, and replicate or
 * move them as a whole.
 *
 * <ul>
 *   <li><b>Trees.</b> {@link #createTree}, {@link #openTree}, {@link #tree} (open or create), {@link #treeNames},
 *       {@link #dropTree}. A name is 1 to 255 bytes of UTF-8 without NUL. A tree handle is a {@link Tree} with
 *       every operation of a file-backed tree; closing it closes only the handle. Dropping a tree fences its
 *       handles: every later call on them throws {@link IllegalStateException} naming the tree, and its frames are
 *       reclaimed (their slots are free from the next checkpoint).</li>
 *   <li><b>Atomic batches across trees</b> ({@link #atomic}): all guards of all trees are checked before anything
 *       changes, the batch is one log record, and no reader of any tree sees half of it.</li>
 *   <li><b>Snapshots</b> ({@link #snapshot}): a consistent view of several trees at one sequence.</li>
 *   <li><b>Change feed.</b> Every committed record has a sequence ({@link #lastSequence});
 *       {@link #changesAfter} returns the committed records after a position, creates and drops of trees
 *       included, from the retained log ({@link TreeOptions#changeRetention}); {@link #apply} applies them to
 *       another database, idempotently, so a follower converges to the leader (keys, values and versions).
 *       Journal envelopes ({@link #atomicWithEnvelope}) chain batches by hash for an external log.</li>
 *   <li><b>Maintenance</b>, online and crash-safe: {@link #compact} gathers frames left sparse by deletes,
 *       {@link #gc} releases frames no tree reaches, {@link #vacuum} returns free slots to the file system.</li>
 * </ul>
 *
 * <p>{@link Tree#open} and {@code Database} share one directory layout: a tree's directory opens as a database
 * holding that one tree, and a database holding one tree opens as that tree. Layout, formats and crash rules:
 * docs/architecture.md ("Database") and docs/formats.md. Thread-safe; closing is idempotent and every later call
 * throws {@link IllegalStateException}.
 */
public final class Database implements AutoCloseable {
    /** Records between two progress reports of an export. */
    private static final int PROGRESS_EVERY = 4096;

    private final Store store;
    /** One handle per tree name, made on first use; a dropped or closed handle leaves the map. */
    private final Map<String, Tree> handles = new ConcurrentHashMap<>();
    private final Set<DatabaseSnapshot> snapshots = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private Database(Store store) {
        this.store = store;
    }

    /** Opens (creating if needed) the database in {@code directory}, with default options. */
    public static Database open(Path directory) throws IOException {
        return open(directory, TreeOptions.defaults());
    }

    /**
     * Opens (creating it and the directory if needed) the database in {@code directory} for writing: takes the
     * directory's lock, recovers every tree (the last checkpoint, then the write-ahead log after it) and returns.
     *
     * @throws io.cairn.stack.StoreLockedException    if another handle, in this process or another, has it open
     * @throws io.cairn.stack.CorruptedStoreException if a file is damaged (the message names it)
     * @throws io.cairn.stack.FormatVersionException  if a file comes from a newer format version
     */
    public static Database open(Path directory, TreeOptions options) throws IOException {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(options, "options");
        return new Database(Store.open(directory, Tree.storeOptions(options)));
    }

    /**
     * Opens the database in {@code directory} read-only: a shared lock (beside other readers, never beside a
     * writer), every acknowledged write visible (the log is replayed in memory), no file written. Every mutation
     * and maintenance call throws {@link UnsupportedOperationException}.
     */
    public static Database openReadOnly(Path directory) throws IOException {
        Objects.requireNonNull(directory, "directory");
        return new Database(Store.openReadOnly(directory, Tree.storeOptions(TreeOptions.defaults())));
    }

    // ------------------------------------------------------------------ trees

    /**
     * Creates an empty tree and returns a handle on it.
     *
     * @throws IllegalArgumentException if the name breaks the rule (1 to 255 bytes of UTF-8, no NUL)
     * @throws IllegalStateException    if a tree of that name exists
     */
    public Tree createTree(String name) {
        ensureWritable();
        try {
            store.createTree(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return openTree(name);
    }

    /**
     * A handle on the tree named {@code name} (the same handle for every call until it is closed or the tree is
     * dropped).
     *
     * @throws IllegalArgumentException if the name breaks the rule
     * @throws NoSuchElementException   if there is no such tree
     */
    public Tree openTree(String name) {
        ensureOpen();
        TreeNames.encode(name);
        Engine engine = store.tree(name);
        if (engine == null) {
            throw new NoSuchElementException("no tree " + TreeNames.quote(name) + " in " + store.directory()
                    + "; it holds " + store.treeNames());
        }
        return handles.compute(name, (n, h) -> h != null && h.engine() == engine && h.isOpen() ? h
                : Tree.inDatabase(engine, store));
    }

    /** The tree named {@code name}, created if it does not exist. */
    public Tree tree(String name) {
        ensureOpen();
        TreeNames.encode(name);
        if (store.tree(name) == null && !store.isReadOnly()) {
            try {
                store.createTree(name);
            } catch (IllegalStateException created) {
                // another thread created it first: open that one
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return openTree(name);
    }

    /** The names of the trees, sorted. */
    public List<String> treeNames() {
        ensureOpen();
        return store.treeNames();
    }

    /**
     * Drops the tree named {@code name} and everything in it: waits for its writers in flight, then every handle
     * on it fails every later call with {@link IllegalStateException} naming it; its frames are reclaimed. A
     * snapshot taken before stays readable. Returns false if there is no such tree.
     */
    public boolean dropTree(String name) {
        ensureWritable();
        TreeNames.encode(name);
        try {
            boolean dropped = store.dropTree(name);
            handles.remove(name);
            return dropped;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ batches across trees

    /**
     * Runs {@code body} to record operations on any trees ({@link DatabaseBatch#tree}), then applies them as one
     * atomic batch: every guard and condition of every tree is checked first, against its tree as changed by the
     * batch's earlier operations on it; if all hold, every change is applied as one write-ahead-log record, and no
     * reader of any tree sees part of it. Durable as {@link TreeOptions#durability} says once it returns.
     *
     * <p>Errors: {@link OutcomeUnknownException} when the record reached the log but forcing it failed (present or
     * absent as a whole after a reopen); any other exception means nothing was applied — a bad argument or
     * unknown tree ({@link IllegalArgumentException}, {@link NoSuchElementException}), a tree dropped meanwhile
     * ({@link IllegalStateException}), a batch too large for one record, or a failed database.
     *
     * @return true if applied (an empty batch is), false if a guard or condition failed and nothing changed
     */
    public boolean atomic(Consumer<DatabaseBatch> body) {
        return commit(null, body) != null;
    }

    /**
     * {@link #atomic} with a journal envelope: the batch's log record also carries {@code payload} (opaque to the
     * database) and a link of a hash chain over every enveloped batch ({@link JournalEnvelope}), so an external
     * log (a replication protocol's) can check that it saw every enveloped batch in order. The envelope is written
     * even if the batch holds no operation.
     *
     * @return the envelope as logged, or null if a guard or condition failed and nothing changed
     */
    public JournalEnvelope atomicWithEnvelope(byte[] payload, Consumer<DatabaseBatch> body) {
        Objects.requireNonNull(payload, "payload");
        LogEntry logged = commit(payload.clone(), body);
        return logged == null ? null : envelopeOf(logged);
    }

    private LogEntry commit(byte[] envelope, Consumer<DatabaseBatch> body) {
        ensureWritable();
        Objects.requireNonNull(body, "body");
        DatabaseBatch batch = new DatabaseBatch();
        body.accept(batch);
        ensureWritable();
        List<String> names = batch.names();
        List<List<BatchOp>> ops = batch.seal();
        for (int i = 0; i < names.size(); i++) {
            openTree(names.get(i)).checkFits(ops.get(i));
        }
        if (envelope == null && ops.stream().allMatch(List::isEmpty)) {
            return new LogEntry(store.lastSequence(), new Redo.Batch(List.of()));
        }
        LogEntry logged = store.applyTogether(names, ops, envelope);
        if (logged != null) {
            try {
                store.awaitDurable(logged.sequence());
            } catch (UncheckedIOException e) {
                throw new OutcomeUnknownException(logged.sequence(), e);
            }
        }
        return logged;
    }

    private static JournalEnvelope envelopeOf(LogEntry logged) {
        Redo.Envelope e = (Redo.Envelope) logged.redo();
        return new JournalEnvelope(logged.sequence(), e.payload(), e.previousHash(), e.hash());
    }

    // ------------------------------------------------------------------ snapshots

    /** A consistent view of every tree (see {@link #snapshot(Map)}). */
    public DatabaseSnapshot snapshot() {
        return snapshot(null);
    }

    /**
     * A consistent view of the named trees, each limited to its prefix (the empty prefix: the whole tree), or of
     * every tree if {@code scopes} is null. Writers of those trees are held off only while the view registers the
     * frames it covers.
     *
     * @throws NoSuchElementException if a name is not a tree
     */
    public DatabaseSnapshot snapshot(Map<String, byte[]> scopes) {
        ensureOpen();
        Map<String, byte[]> checked = new LinkedHashMap<>();
        if (scopes != null) {
            scopes.forEach((name, prefix) -> {
                TreeNames.encode(name);
                checked.put(name, Keys.checked("prefix", prefix).clone());
            });
        }
        DatabaseSnapshot snapshot = store.capture(scopes == null ? null : checked.keySet(), (trees, at) -> {
            LinkedHashMap<String, Snapshot> views = new LinkedHashMap<>();
            List<Tree> owners = new ArrayList<>();
            try {
                for (Store.Captured t : trees) {
                    byte[] scope = checked.getOrDefault(t.name(), new byte[0]);
                    SnapshotFrames frames = t.engine().snapshot(scope);
                    Tree owner = Tree.inDatabase(t.engine(), store);
                    owners.add(owner);
                    views.put(t.name(), owner.adopt(frames, scope));
                }
            } catch (RuntimeException e) {
                owners.forEach(Tree::close);
                throw e;
            }
            return new DatabaseSnapshot(this, at, trees, views, owners);
        });
        snapshots.add(snapshot);
        return snapshot;
    }

    void forget(DatabaseSnapshot snapshot) {
        snapshots.remove(snapshot);
    }

    // ------------------------------------------------------------------ the change feed

    /** The sequence of the last change applied to this database (0 if none ever was). */
    public long lastSequence() {
        ensureOpen();
        return store.lastSequence();
    }

    /**
     * Up to {@code maxRecords} committed records after {@code sequence}, in commit order, stopping before the
     * record that would take their encoded size past {@code maxBytes} (the first record is returned whatever its
     * size). Only records that are durable are returned (under {@code ASYNC}, a write shows here within the flush
     * interval). Empty when nothing follows.
     *
     * @throws PositionExpiredException  if the records after {@code sequence} were retired (install an image)
     * @throws IllegalArgumentException  if {@code sequence} is negative or beyond {@link #lastSequence}, or a bound
     *                                   is not positive
     */
    public ChangeBatch changesAfter(long sequence, int maxRecords, long maxBytes) throws IOException {
        ensureOpen();
        try {
            return new ChangeBatch(sequence, store.changesAfter(sequence, maxRecords, maxBytes));
        } catch (Store.Expired e) {
            throw new PositionExpiredException(store.directory(), e.position(), e.start());
        }
    }

    /**
     * Applies a leader's changes to this database, in order and idempotently: records at or below
     * {@link #lastSequence} are skipped, each other one must follow the last exactly and is applied (atomically,
     * as on the leader) and logged with its own sequence, so this database's feed becomes the leader's. Durable as
     * {@link TreeOptions#durability} says once it returns. A database that applies a feed must take no writes of
     * its own: they would take sequences the feed needs (the database fails if that happens).
     *
     * @return {@link #lastSequence} afterwards
     * @throws IllegalArgumentException if a record leaves a gap after {@link #lastSequence}, names a tree this
     *                                  database does not have, or breaks the journal chain; the records before
     *                                  it were applied
     */
    public long apply(ChangeBatch changes) {
        ensureWritable();
        Objects.requireNonNull(changes, "changes");
        return store.apply(changes.entries());
    }

    /**
     * The change feed's retention in force: the one this open set ({@link TreeOptions#changeRetention}), or else the
     * one the database recorded.
     */
    public ChangeRetention changeRetention() {
        ensureOpen();
        Retention r = store.retention();
        return new ChangeRetention(r.records(), r.bytes());
    }

    // ------------------------------------------------------------------ images

    /** Writes an image of every tree (see {@link #exportImage(Path, java.util.Collection)}). */
    public ImageInfo exportImage(Path file) throws IOException {
        return exportImage(file, null);
    }

    /**
     * Writes a consistent, checksummed logical image of the named trees (all if {@code trees} is null) at one
     * change-feed sequence to {@code file}: a snapshot holds writers off only while it registers, then the records
     * stream out while writes go on. The image is written to a fresh hidden file beside {@code file} and renamed
     * over it once forced, so a crash never leaves half an image under that name. {@code file} must be a new name
     * or a regular file (a symbolic link's target is replaced), outside the database's directory. A follower that
     * has fallen behind the retained feed installs it ({@link #installImage}) and then applies {@link #changesAfter}
     * its sequence. Format: docs/formats.md ("Database image").
     *
     * @throws IllegalArgumentException        if {@code file} is a directory or a special file, or lies in the
     *                                         database's directory
     * @throws java.nio.file.NoSuchFileException if {@code file}'s directory does not exist
     */
    public ImageInfo exportImage(Path file, java.util.Collection<String> trees) throws IOException {
        return exportImage(file, trees, WorkProgress.NONE);
    }

    /** {@link #exportImage(Path, java.util.Collection)}, reporting the records written to {@code progress}. */
    public ImageInfo exportImage(Path file, java.util.Collection<String> trees, WorkProgress progress)
            throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(progress, "progress");
        Path target = ImageWriter.target(file);
        if (target.getParent().toRealPath().startsWith(directory().toRealPath())) {
            throw new IllegalArgumentException("refusing to write the image " + file + " into the database's own "
                    + "directory " + directory() + " (its files could be replaced): write it elsewhere");
        }
        Map<String, byte[]> scopes = null;
        if (trees != null) {
            scopes = new LinkedHashMap<>();
            for (String name : trees) {
                scopes.put(name, new byte[0]);
            }
        }
        try (DatabaseSnapshot snapshot = snapshot(scopes)) {
            Store.Moment at = snapshot.moment();
            if (!store.isReadOnly()) {
                store.sync(); // the image must not hold a write a crash could still take back
            }
            LinkedHashMap<String, Long> counts = new LinkedHashMap<>();
            long written = 0;
            try (ImageWriter out = ImageWriter.create(target, store.io(), at.sequence(), at.versionHighWater(),
                    at.journalHead(), snapshot.captured().size())) {
                for (Store.Captured t : snapshot.captured()) {
                    out.beginTree(t.id(), t.name());
                    long n = 0;
                    for (ScanEntry e : snapshot.tree(t.name()).scan(new byte[0])) {
                        out.add(e.key(), e.value(), e.version());
                        n++;
                        if (n % PROGRESS_EVERY == 0) {
                            progress.update("exporting", written + n, -1);
                        }
                    }
                    written += n;
                    out.endTree();
                    counts.put(t.name(), n);
                }
                ImageWriter.Summary summary = out.finish();
                progress.update("exporting", written, written);
                return new ImageInfo(at.sequence(), counts, summary.records(), summary.bytes());
            }
        }
    }

    /**
     * Checks an image whole (every checksum, count, order and bound) and says what it holds.
     *
     * @throws io.cairn.stack.CorruptedStoreException if it is damaged, cut or padded
     */
    public static ImageInfo verifyImage(Path image) throws IOException {
        Objects.requireNonNull(image, "image");
        return info(ImageReader.read(image, io.cairn.stack.StorageIo.fileSystem(), new ImageReader.Visitor() {}));
    }

    /** Installs an image as a new database in {@code directory}, with default options. */
    public static ImageInfo installImage(Path image, Path directory) throws IOException {
        return installImage(image, directory, TreeOptions.defaults());
    }

    /**
     * Builds a new database in {@code directory} (missing or empty) from an image: checked whole first, then
     * loaded beside the directory and renamed into place, so a damaged or cut image, or a crash, never leaves a
     * partial database. The new database's change feed continues after the image's sequence: open it and
     * {@link #apply} the source's {@link #changesAfter} that sequence.
     *
     * @throws java.nio.file.DirectoryNotEmptyException if {@code directory} holds anything
     * @throws io.cairn.stack.CorruptedStoreException   if the image is damaged (nothing is installed)
     */
    public static ImageInfo installImage(Path image, Path directory, TreeOptions options) throws IOException {
        return installImage(image, directory, options, WorkProgress.NONE);
    }

    /**
     * {@link #installImage(Path, Path, TreeOptions)}, reporting to {@code progress} the records checked, then those
     * installed (of the total the check found).
     */
    public static ImageInfo installImage(Path image, Path directory, TreeOptions options, WorkProgress progress)
            throws IOException {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(progress, "progress");
        return info(ImageInstaller.install(image, directory, Tree.storeOptions(options), progress::update));
    }

    private static ImageInfo info(ImageReader.Info info) {
        LinkedHashMap<String, Long> counts = new LinkedHashMap<>();
        info.trees().forEach(t -> counts.put(t.name(), t.records()));
        return new ImageInfo(info.sequence(), counts, info.records(), info.bytes());
    }

    // ------------------------------------------------------------------ maintenance

    /**
     * Rewrites every tree into full frames: deletes leave frames partly empty (a frame is merged back into its
     * parent only once it is nearly empty), and this gathers the surviving records into as few frames as a bulk
     * load in key order fills. Keys, values and versions stay as they are; it logs nothing. Readers run on
     * throughout; the writers of one tree wait only while its last changes are applied to its copy and the copy
     * takes over (a snapshot is taken first, the copy built from it while writers go on, their changes then
     * replayed from the log); creating, dropping and snapshotting trees wait as briefly. Background checkpoints
     * wait for the compaction (it checkpoints itself whenever the cache needs one). The frames freed become free
     * slots; {@link #vacuum} returns them to the file system. Crash-safe at every step: a crash leaves the
     * committed data exactly, and at worst frames no tree reaches, which {@link #gc} (run first by every
     * compaction) releases.
     */
    public CompactReport compact() {
        ensureWritable();
        try {
            Store.Compacted c = store.compact();
            return new CompactReport(c.trees(), c.framesBefore(), c.framesAfter());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Releases frames in use that no tree reaches (what a crash during {@link #compact} can leave behind; a dropped
     * tree's frames are released at once by the drop) and checkpoints if it found any, so their slots are free.
     * Every tree is walked with writers held off. Returns how many frames it released.
     */
    public long gc() {
        ensureWritable();
        try {
            return store.gc();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Returns the frame file's unused space to the file system: checkpoints, moves the frames that sit past the
     * live frames' count into free slots below it, publishes that, and cuts the file's tail (crash-safe at every
     * step: see docs/architecture.md). Writers run on meanwhile. Space is freed by dropped trees, deletes that
     * merged frames away and {@link #compact}, which gathers frames left partly empty by deletes.
     */
    public VacuumReport vacuum() {
        ensureWritable();
        try {
            Store.Vacuumed v = store.vacuum();
            return new VacuumReport(v.framesMoved(), v.fileBytesBefore(), v.fileBytesAfter());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------ observability

    /**
     * Every tree's shape (walking each tree, as {@link Tree#stats} does) and the store's log, checkpoint, recovery,
     * feed and disk figures. A tree dropped while this runs is left out.
     */
    public DatabaseStats stats() {
        return stats(WorkProgress.NONE);
    }

    /**
     * {@link #stats()}, telling {@code progress} the frames walked so far over all the trees ("checking", after each
     * frame) of those the store held when the walk started.
     */
    public DatabaseStats stats(WorkProgress progress) {
        Objects.requireNonNull(progress, "progress");
        ensureOpen();
        int total = store.frameCount();
        long walked = 0;
        Map<String, TreeStats> trees = new java.util.TreeMap<>();
        for (String name : store.treeNames()) {
            try {
                TreeStats stats = openTree(name).statsWalking(Tree.checking(progress, walked, total));
                trees.put(name, stats);
                walked += stats.frames();
            } catch (NoSuchElementException | IllegalStateException droppedMeanwhile) {
                // not a tree any more
            }
        }
        try {
            Store.DiskUsage disk = store.diskUsage();
            long last = store.lastSequence();
            long oldest = store.feedStart();
            return new DatabaseStats(trees, store.memoryBytes(), Tree.durableStats(store),
                    new DatabaseStats.Feed(last, oldest, last - oldest),
                    new DatabaseStats.Disk(disk.frameFileBytes(), disk.manifestBytes(), disk.walBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@link #stats} in the Prometheus text exposition format: families named {@code cairn_…} with HELP and TYPE
     * lines, counters (since open) ending in {@code _total}, per-tree gauges labelled {@code tree}.
     */
    public String prometheusText() {
        return PrometheusText.of(stats());
    }

    // ------------------------------------------------------------------ durability

    /** Forces every write acknowledged so far to stable storage. */
    public void sync() {
        ensureWritable();
        try {
            store.sync();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the frames changed since the last checkpoint and retires the log it covers (beyond retention). */
    public void checkpoint() {
        ensureWritable();
        try {
            store.checkpoint();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isReadOnly() {
        return store.isReadOnly();
    }

    public Path directory() {
        return store.directory();
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Closes every handle and snapshot, checkpoints (when writable) and releases the files. Idempotent.
     *
     * @throws UncheckedIOException if the final checkpoint or force failed (the files are released anyway)
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        synchronized (this) {
            if (!closed) {
                closed = true;
                List.copyOf(snapshots).forEach(DatabaseSnapshot::close);
                handles.values().forEach(Tree::close);
                handles.clear();
                try {
                    store.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("database " + store.directory() + " is closed");
        }
        store.checkUsable();
    }

    private void ensureWritable() {
        ensureOpen();
        if (store.isReadOnly()) {
            throw new UnsupportedOperationException("database " + store.directory() + " is open read-only");
        }
    }

    @Override
    public String toString() {
        return "Database[" + store.directory() + (store.isReadOnly() ? ", read-only" : "") + "]";
    }
}
