package io.cairn.tree.storage;

import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.Durability;
import io.cairn.stack.StorageIo;
import io.cairn.stack.StoreFailedException;
import io.cairn.stack.StoreLockedException;
import io.cairn.tree.engine.BatchLog;
import io.cairn.tree.engine.BatchOp;
import io.cairn.tree.engine.Engine;
import io.cairn.tree.engine.FrameCapture;
import io.cairn.tree.engine.FrameTable;
import io.cairn.tree.engine.FrameImage;
import io.cairn.tree.engine.Outcome;
import io.cairn.tree.engine.RedoLog;
import io.cairn.tree.engine.ScanBuffer;
import io.cairn.tree.engine.SnapshotFrames;
import io.cairn.tree.wal.JournalChain;
import io.cairn.tree.wal.LogEntry;
import io.cairn.tree.wal.Redo;
import io.cairn.tree.wal.TreeNames;
import io.cairn.tree.wal.WalOptions;
import io.cairn.tree.wal.WalStats;
import io.cairn.tree.wal.WriteAheadLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A directory that holds trees durably: the entry point of this package. One frame file, one manifest and one
 * write-ahead log serve every tree of the directory, named in a catalog ({@link TreeCatalog}; {@code Tree.open}
 * keeps one tree, {@code Database} many).
 *
 * <pre>
 * DIR/frames.stack     frame images in slots ({@link FrameFileFormat}); its lock is the directory's lock
 * DIR/manifest.stack   the last published checkpoint ({@link ManifestFormat})
 * DIR/wal/*.stack      write-ahead log segments (io.cairn.tree.wal.WalFormat)
 * </pre>
 *
 * <p><b>Writes</b> go to the frames in memory and, as one redo record each (a batch or rename too, a batch across
 * trees too), to the WAL ({@link WalLog}); durability is the WAL's. Creating and dropping a tree are records too,
 * so the WAL is a complete change feed: a follower that applies it ({@link #apply}) converges to this store.
 * <b>Checkpoints</b> ({@link #checkpoint}) make the frames durable so the WAL can be retired: with the catalog
 * locked and every tree's writer gate closed they note the last WAL sequence L, copy the frames changed since the
 * last checkpoint and note the frame ids released, then reopen the gates (writers stop only for that capture);
 * then, with writers running, they force the WAL through L, write each image to a free slot of the frame file
 * (never over a slot the published manifest names: shadow paging), force the frame file, publish a new manifest (a
 * temporary file, forced, renamed over the old one, directory forced), and only then free the old slots and retire
 * WAL segments at or below L (or fewer, to keep the change feed's retention). A crash anywhere leaves the old
 * manifest with the WAL after its L, or the new manifest with the WAL after the new L; either recovers every
 * durable write.
 *
 * <p><b>Recovery</b> ({@link #open}): lock, read the manifest (none: a new, empty store), load and check every
 * frame it names (magic, id, size, CRC32C), replay the WAL records after its L (tree creates and drops included)
 * through the engines, a group of records at a time ({@link EffectGroup}), then log new writes. A read-only open ({@link #openReadOnly}) takes shared locks and does
 * the same in memory, writing no file.
 */
public final class Store implements AutoCloseable {
    /** The tree {@code Tree.open} opens. */
    public static final String DEFAULT_TREE = "default";
    static final String FRAMES = "frames.stack";
    static final String WAL = "wal";

    /**
     * How a store is opened.
     *
     * @param durability        when a write's WAL record is forced (see {@code TreeOptions})
     * @param asyncFlushInterval the longest an acknowledged ASYNC write waits for its force
     * @param frameSize         the frame size of a new store (an existing one keeps its own)
     * @param frameBudget       the most frames the store may hold
     * @param cacheBytes        the frame cache's budget (see {@code TreeOptions.cacheBytes})
     * @param checkpointEveryBytes log bytes after which a checkpoint runs in the background
     * @param io                the I/O seam
     * @param retention         the change feed's retention, recorded in the manifest from the open on; null: keep
     *                          the one the manifest records (none for a new store)
     */
    public record Options(Durability durability, Duration asyncFlushInterval, int frameSize, int frameBudget,
            long cacheBytes, long checkpointEveryBytes, StorageIo io, Retention retention) {}

    /** Recovery and checkpoint figures. */
    public record Figures(long checkpoints, long lastCheckpointNanos, long checkpointedFrames, long replayedRecords,
            long recoveryNanos, long lastCheckpointSequence) {}

    private final Path directory;
    private final Options options;
    private final boolean readOnly;
    private final FrameFile frames;
    private final WriteAheadLog wal;
    private final FrameTable table;
    private final AtomicLong versions;
    private final TreeCatalog catalog = new TreeCatalog();
    /** Serialises {@link #apply} calls (a follower applies one feed in order). */
    private final Object applying = new Object();
    /** The published manifest (null before a new store publishes its first). */
    private Manifest published;
    /** Frame id → slot of the published manifest. */
    private Map<Integer, Long> slots = new HashMap<>();
    private final TreeSet<Long> freeSlots = new TreeSet<>();
    private long nextSlot;
    private long generation;
    private volatile long checkpointSequence;
    /** A compaction's catch-up reads the log after this sequence: checkpoints keep it. Guarded by this. */
    private long retireFloor = Long.MAX_VALUE;
    /** The change feed's retention in force: the open's, or else the manifest's (see {@link #retention()}). */
    private volatile Retention retention;
    /** The log's appended bytes (since open) at the last checkpoint's capture. */
    private volatile long checkpointWalBytes;
    /** The journal chain's head while recovery replays (the log keeps it afterwards). */
    private byte[] journalHead;
    private long checkpoints;
    private long lastCheckpointNanos;
    private long checkpointedFrames;
    private long replayedRecords;
    private long recoveryNanos;
    private volatile IOException failure;
    private volatile boolean closed;
    /** Checkpoints in the background (see {@link #checkpointInBackground}); null read-only. */
    private Thread checkpointer;
    /** Wakes the background checkpointer at close (it is never interrupted: that would close a file under it). */
    private final Object wakeUp = new Object();
    private volatile boolean stopping;
    /** Read-only: the frames recovery changed that did not fit the cache ({@link #spill}); null until needed. */
    private volatile ScratchFrames scratch;

    /** How often the background checkpointer looks at the log. */
    private static final long AUTO_CHECKPOINT_POLL_MILLIS = 200;

    private Store(Path directory, Options options, boolean readOnly, FrameFile frames, WriteAheadLog wal,
            AtomicLong versions) {
        this.directory = directory;
        this.options = options;
        this.readOnly = readOnly;
        this.frames = frames;
        this.wal = wal;
        this.versions = versions;
        this.table = new FrameTable(frames.slotSize(), options.frameBudget(), options.cacheBytes(),
                (id, slot, into) -> {
                    if (ScratchFrames.holds(slot)) {
                        scratch.readInto(slot, id, into);
                    } else {
                        frames.readInto(slot, id, into);
                    }
                }, this::wakeCheckpointer);
    }

    /**
     * Opens (creating if needed) the store in {@code directory} for writing and recovers it.
     *
     * @throws StoreLockedException if another handle, in this process or another, has the directory open
     */
    public static Store open(Path directory, Options options) throws IOException {
        Files.createDirectories(directory);
        return open(directory, options, false);
    }

    /**
     * Opens the store in {@code directory} read-only: shared locks (beside other readers, never beside a writer),
     * the WAL replayed in memory, nothing written.
     */
    public static Store openReadOnly(Path directory, Options options) throws IOException {
        if (!Files.isDirectory(directory) || Files.notExists(directory.resolve(FRAMES))) {
            throw new java.nio.file.NoSuchFileException(directory.toString(), null, "no tree store here");
        }
        return open(directory, options, true);
    }

    /**
     * Creates a new, empty store in {@code directory} (which must hold no store) whose log continues after
     * {@code sequence}: the start of a store built from an image of another one at that sequence.
     */
    static Store create(Path directory, Options options, long sequence) throws IOException {
        Files.createDirectories(directory);
        if (Files.exists(directory.resolve(FRAMES)) || Files.exists(directory.resolve(ManifestFormat.FILE))
                || Files.exists(directory.resolve(WAL))) {
            throw new java.nio.file.FileAlreadyExistsException(directory.toString(), null, "already holds a store");
        }
        WriteAheadLog.create(directory.resolve(WAL), sequence, walOptions(options)).close();
        return open(directory, options, false);
    }

    private static WalOptions walOptions(Options options) {
        return new WalOptions(options.durability(), options.asyncFlushInterval(), WalOptions.DEFAULT_BUFFER_BYTES,
                options.io());
    }

    private static Store open(Path directory, Options options, boolean readOnly) throws IOException {
        RecoveryEvent event = new RecoveryEvent();
        event.begin();
        long started = System.nanoTime();
        StorageIo io = options.io();
        FrameFile frames;
        try {
            frames = FrameFile.open(directory.resolve(FRAMES), options.frameSize(), readOnly, io);
        } catch (StoreLockedException e) {
            StoreLockedException named = new StoreLockedException(directory, "tree store " + directory
                    + " is open " + (readOnly ? "for writing" : "") + " elsewhere (in this process or another)");
            named.initCause(e);
            throw named;
        }
        WriteAheadLog wal = null;
        Store store = null;
        try {
            if (!readOnly) {
                io.deleteIfExists(directory.resolve(ManifestFormat.TEMPORARY));
            }
            Manifest manifest = Manifest.read(directory, io);
            if (manifest != null && manifest.frameSize() != frames.slotSize()) {
                throw new CorruptedStoreException(directory.resolve(ManifestFormat.FILE)
                        + " names frames of " + manifest.frameSize() + " bytes, " + frames.path() + " holds slots of "
                        + frames.slotSize());
            }
            AtomicLong versions = new AtomicLong(manifest != null ? manifest.versionHighWater() : 0);
            wal = readOnly ? WriteAheadLog.openReadOnly(directory.resolve(WAL), io)
                    : WriteAheadLog.open(directory.resolve(WAL), walOptions(options));
            store = new Store(directory, options, readOnly, frames, wal, versions);
            store.retention = options.retention() != null ? options.retention()
                    : manifest != null ? manifest.retention() : Retention.NONE;
            store.load(manifest);
            store.replay();
            store.recoveryNanos = System.nanoTime() - started;
            if (event.shouldCommit()) {
                event.directory = directory.toString();
                event.replayedRecords = store.replayedRecords;
                event.readOnly = readOnly;
                event.commit();
            }
            if (!readOnly) {
                if (manifest == null || !manifest.retention().equals(store.retention)) {
                    // a new store publishes its first manifest at once; a changed retention is recorded at once
                    store.checkpoint();
                }
                store.table.backPressure(true);
                store.checkpointer = Thread.ofPlatform().daemon().name("cairn-checkpointer " + directory)
                        .start(store::checkpointInBackground);
            }
            return store;
        } catch (IOException | RuntimeException e) {
            closeQuietly(e, wal, frames, store != null ? store.scratch : null);
            if (store != null) {
                store.table.close();
            }
            if (e instanceof UncheckedIOException u) {
                throw u.getCause(); // a frame loaded during recovery (a root, a replayed write's path) was damaged
            }
            throw e;
        }
    }

    /**
     * Registers every frame the manifest names with its slot (the cache loads each when it is first used) and
     * restores the trees; a new store has none.
     */
    private void load(Manifest manifest) throws IOException {
        if (manifest == null) {
            nextSlot = 0;
            journalHead = JournalChain.genesis();
            return;
        }
        int maxId = -1;
        for (Manifest.FrameEntry f : manifest.frames()) {
            maxId = Math.max(maxId, f.id());
        }
        int[] parents = new int[maxId + 1];
        java.util.Arrays.fill(parents, -1);
        for (Manifest.FrameEntry f : manifest.frames()) {
            table.restore(f.id(), f.slot());
            parents[f.id()] = f.parent();
            slots.put(f.id(), f.slot());
        }
        table.restored(parents);
        for (Manifest.TreeEntry t : manifest.trees()) {
            catalog.add(t.id(), t.name(), Engine.restore(table, t.rootFrame(), versions));
        }
        journalHead = manifest.journalHead();
        java.util.Set<Long> live = new java.util.HashSet<>(slots.values());
        long used = live.stream().mapToLong(Long::longValue).max().orElse(-1) + 1;
        nextSlot = Math.max(used, frames.slotCount());
        for (long s = 0; s < nextSlot; s++) {
            if (!live.contains(s)) {
                freeSlots.add(s);
            }
        }
        generation = manifest.generation();
        checkpointSequence = manifest.checkpointSequence();
        published = manifest;
    }

    /**
     * Replays the WAL after the manifest's checkpoint, then logs every tree's writes to it. A writable open whose
     * replay fills the cache with dirty frames checkpoints on the way (covering the records replayed so far), so a
     * log longer than the cache holds is replayed within the cache too.
     */
    private void replay() throws IOException {
        if (generation == 0 && wal.lastSequence() < wal.firstSequence()) {
            // a new store whose log holds no record yet: it starts where its log does (after an image's sequence)
            checkpointSequence = wal.lastSequence();
        }
        if (wal.lastSequence() < checkpointSequence) {
            // the log is forced through a checkpoint's sequence before it is published and keeps its last segment:
            // a shorter log lost records (or was replaced), and new records would reuse sequences replay skips
            throw new CorruptedStoreException(directory.resolve(WAL) + " ends at sequence "
                    + wal.lastSequence() + ", before sequence " + checkpointSequence + " that "
                    + directory.resolve(ManifestFormat.FILE) + " covers: the log lost records");
        }
        EffectGroup group = new EffectGroup(catalog, versions);
        int groupChanges = replayGroupChanges();
        wal.replay(checkpointSequence, (sequence, redo) -> {
            try {
                switch (redo) {
                    case Redo.Effect e -> group.add(sequence, List.of(e));
                    case Redo.Batch b -> group.add(sequence, b.effects());
                    case Redo.Envelope e -> {
                        checkChain(sequence, e, journalHead);
                        group.add(sequence, e.batch().effects());
                        journalHead = e.hash();
                    }
                    case Redo.CreateTree c -> {
                        replayGroup(group);
                        createTree(sequence, c, false);
                        replayedAlone(sequence);
                    }
                    case Redo.DropTree d -> {
                        replayGroup(group);
                        dropTree(sequence, d, false);
                        replayedAlone(sequence);
                    }
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new CorruptedStoreException(directory.resolve(WAL) + ": record " + sequence + " cannot be"
                        + " replayed: " + e.getMessage(), e);
            }
            if (group.changes() >= groupChanges) {
                replayGroup(group);
            }
        });
        replayGroup(group);
        if (!readOnly) {
            wal.startJournal(journalHead);
            catalog.engines().forEach((id, tree) -> tree.logTo(walLog(id)));
        }
    }

    /**
     * The read-only counterpart of a checkpoint during recovery: the frames replay changed are written to the
     * handle's private {@link ScratchFrames} (never to the store's files), after which the cache may evict them
     * like any clean frame. Nothing else runs yet, so the capture needs no gates.
     */
    private void spill() throws IOException {
        if (scratch == null) {
            scratch = ScratchFrames.create(frames.slotSize(), options.io());
        }
        FrameCapture capture = table.capture();
        try {
            capture.writeImages((id, image) -> {
                FrameImage.seal(image);
                return scratch.write(id, image);
            });
        } finally {
            capture.close();
        }
    }

    /**
     * The most changes recovery applies as one redo: enough to spread the fixed cost of a redo (the writer gate, the
     * latches, the merge pass) thin, few enough that the frames a group keeps latched (as a rule two per change: the
     * one it lands in and a spill) stay within an eighth of the cache.
     */
    private int replayGroupChanges() {
        long cacheFrames = options.cacheBytes() / frames.slotSize();
        return (int) Math.clamp(cacheFrames / 16, 1, 256);
    }

    /** Applies the records gathered so far, and checkpoints on the way when they filled the cache with changes. */
    private void replayGroup(EffectGroup group) throws IOException {
        int records = group.records();
        if (records == 0) {
            return;
        }
        long last = group.lastSequence();
        try {
            group.apply(null);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CorruptedStoreException(directory.resolve(WAL) + ": records " + (last - records + 1) + ".."
                    + last + " cannot be replayed: " + e.getMessage(), e);
        }
        replayedRecords += records;
        checkpointOnTheWay(last);
    }

    /** Counts a record that changed the catalog (applied alone), and checkpoints on the way if the cache wants it. */
    private void replayedAlone(long sequence) throws IOException {
        replayedRecords++;
        checkpointOnTheWay(sequence);
    }

    /**
     * When replay (through {@code sequence}) filled the cache with changed frames: a writable open checkpoints, a
     * read-only one {@linkplain #spill spills} them.
     */
    private void checkpointOnTheWay(long sequence) throws IOException {
        if (table.wantsCheckpoint()) {
            if (readOnly) {
                spill();
            } else {
                checkpoint(sequence);
            }
        }
    }

    /**
     * Checks that envelope {@code sequence} links to the journal chain's {@code head}.
     *
     * @throws IllegalArgumentException if it does not
     */
    private static void checkChain(long sequence, Redo.Envelope e, byte[] head) {
        if (!java.util.Arrays.equals(e.previousHash(), head)) {
            throw new IllegalArgumentException("record " + sequence + " breaks the journal chain: it links"
                    + " to " + HexFormat.of().formatHex(e.previousHash()) + ", the chain's head is "
                    + HexFormat.of().formatHex(head));
        }
    }

    private WalLog walLog(int treeId) {
        return new WalLog(this, wal, treeId, options.durability());
    }

    /**
     * Applies one record of a leader's change feed: the record is appended to this store's log with the same
     * sequence, while the frames it changed are latched.
     *
     * @throws IllegalArgumentException if the record does not fit the catalog (an unknown tree, a create of a
     *                                  taken id or name) or breaks the journal chain; nothing changed
     */
    private void applyRecord(long sequence, Redo redo) throws IOException {
        switch (redo) {
            case Redo.CreateTree c -> createTree(sequence, c, true);
            case Redo.DropTree d -> dropTree(sequence, d, true);
            case Redo.Envelope e -> {
                checkChain(sequence, e, wal.journalHead());
                if (!java.util.Arrays.equals(e.hash(), JournalChain.hash(e.previousHash(), sequence, e.payload(),
                        e.batch()))) {
                    throw new IllegalArgumentException("record " + sequence + "'s envelope hash does not match its"
                            + " contents");
                }
                redoEffects(sequence, e.batch().effects(), () -> {
                    LogEntry logged = wal.appendEnvelope(e.payload(), e.batch());
                    if (!java.util.Arrays.equals(((Redo.Envelope) logged.redo()).hash(), e.hash())) {
                        throw new IOException("envelope " + sequence + " was logged with another hash");
                    }
                    return logged.sequence();
                });
            }
            case Redo.Batch b -> redoEffects(sequence, b.effects(), () -> wal.append(redo));
            case Redo.Effect effect -> redoEffects(sequence, List.of(effect), () -> wal.append(redo));
        }
    }

    /**
     * Creates the tree record {@code sequence} names: recovery's replay ({@code relog} false: nothing is logged
     * again) or a follower ({@code relog}: appended to this store's log with the same sequence).
     *
     * @throws IllegalArgumentException if the id or name is taken; nothing changed
     */
    private void createTree(long sequence, Redo.CreateTree c, boolean relog) {
        catalog.lock();
        try {
            if (catalog.engine(c.treeId()) != null || catalog.id(c.name()) >= 0) {
                throw new IllegalArgumentException("record " + sequence + " creates tree " + c.treeId()
                        + " " + TreeNames.quote(c.name()) + ", but that id or name is taken");
            }
            Engine engine = Engine.create(table, versions);
            if (relog) {
                relog(sequence, () -> wal.append(c));
                engine.logTo(walLog(c.treeId()));
            }
            catalog.add(c.treeId(), c.name(), engine);
        } finally {
            catalog.unlock();
        }
    }

    /**
     * Drops the tree record {@code sequence} names, logged again if {@code relog} (as {@link #createTree}).
     *
     * @throws IllegalArgumentException if the tree does not exist; nothing changed
     */
    private void dropTree(long sequence, Redo.DropTree d, boolean relog) {
        catalog.lock();
        try {
            Engine engine = catalog.engine(d.treeId());
            if (engine == null) {
                throw new IllegalArgumentException("record " + sequence + " drops tree " + d.treeId()
                        + ", which does not exist");
            }
            engine.drop(droppedMessage(catalog.name(d.treeId())));
            catalog.remove(d.treeId());
            if (relog) {
                relog(sequence, () -> wal.append(d));
            }
        } finally {
            catalog.unlock();
        }
    }

    /** Appends a record in place of a leader's (as {@link #applyRecord} does); an I/O failure fails the store. */
    private interface Append {
        long append() throws IOException;
    }

    /** Appends through {@code append} and checks the record got {@code sequence}: this log mirrors the leader's. */
    private void relog(long sequence, Append append) {
        try {
            long got = append.append();
            if (got != sequence) {
                throw new IOException("a change of sequence " + sequence + " was logged as " + got + ": this store"
                        + " took writes of its own while applying a change feed");
            }
        } catch (IOException e) {
            throw fail(e);
        }
    }

    /** Applies effects across trees as one (atomically for readers), logged through {@code append}. */
    private void redoEffects(long sequence, List<Redo.Effect> effects, Append append) {
        EffectGroup group = new EffectGroup(catalog, versions);
        group.add(sequence, effects);
        group.apply(new BatchLog() {
            @Override
            public void check(List<List<RedoLog.Change>> changes) {}

            @Override
            public long log(List<List<RedoLog.Change>> changes) {
                relog(sequence, append);
                return sequence;
            }
        });
    }

    // ------------------------------------------------------------------ the catalog

    /** The tree named {@code name}, or null. */
    public Engine tree(String name) {
        int id = catalog.id(name);
        return id < 0 ? null : catalog.engine(id);
    }

    /** The names of the trees, sorted. */
    public List<String> treeNames() {
        return catalog.names();
    }

    /** The id of the tree named {@code name} (as the change feed names it), or -1. */
    public int treeId(String name) {
        return catalog.id(name);
    }

    /** The name of tree {@code id}, or null. */
    public String treeName(int id) {
        return catalog.name(id);
    }

    private String droppedMessage(String name) {
        return "tree " + TreeNames.quote(name) + " was dropped from " + directory;
    }

    /**
     * Creates an empty tree named {@code name} (logged, so a reopen and a follower create it too) and returns it.
     *
     * @throws IllegalArgumentException if the name breaks the rule ({@link TreeNames})
     * @throws IllegalStateException    if a tree of that name exists
     */
    public Engine createTree(String name) throws IOException {
        TreeNames.encode(name);
        checkWritable();
        Engine engine;
        long sequence;
        catalog.lock();
        try {
            if (catalog.id(name) >= 0) {
                throw new IllegalStateException("tree " + TreeNames.quote(name) + " already exists in " + directory);
            }
            int id = catalog.nextId();
            engine = Engine.create(table, versions); // may fail on the frame budget: before anything is logged
            try {
                sequence = wal.append(new Redo.CreateTree(id, name));
            } catch (IOException e) {
                throw fail(e);
            }
            engine.logTo(walLog(id));
            catalog.add(id, name, engine);
        } finally {
            catalog.unlock();
        }
        awaitDurable(sequence);
        return engine;
    }

    /**
     * Drops the tree named {@code name}: waits for its writers to leave, fences it (every handle's later call
     * fails with {@link IllegalStateException} naming it), returns its frames (the next checkpoint frees their
     * slots) and logs the drop. Returns false if there is no such tree.
     */
    public boolean dropTree(String name) throws IOException {
        checkWritable();
        long sequence;
        catalog.lock();
        try {
            int id = catalog.id(name);
            if (id < 0) {
                return false;
            }
            catalog.engine(id).drop(droppedMessage(name));
            catalog.remove(id);
            try {
                sequence = wal.append(new Redo.DropTree(id));
            } catch (IOException e) {
                throw fail(e);
            }
        } finally {
            catalog.unlock();
        }
        awaitDurable(sequence);
        return true;
    }

    private void checkWritable() {
        checkUsable();
        if (readOnly) {
            throw new UnsupportedOperationException("tree store " + directory + " is open read-only");
        }
    }

    /**
     * Waits until record {@code sequence} is as durable as the durability option promises; a failure fails the
     * store.
     */
    public void awaitDurable(long sequence) {
        if (options.durability() == Durability.SYNC) {
            try {
                wal.awaitDurable(sequence);
            } catch (IOException e) {
                throw fail(e);
            }
        }
    }

    // ------------------------------------------------------------------ batches across trees

    /**
     * Applies one batch per named tree as one atomic batch ({@link Engine#applyTogether}) logged as one record —
     * wrapped in a journal envelope carrying {@code envelope} if that is not null — and returns the record (its
     * sequence and what it holds, an envelope with its hashes), or null if a guard or condition failed and nothing
     * changed. It does not wait for durability: the caller does ({@link #awaitDurable}), and a failure there leaves
     * the outcome unknown. Any exception thrown here means nothing was applied (durably: a failure to log also fails
     * the store, and a reopen has none of it).
     *
     * @throws java.util.NoSuchElementException if a name is not a tree
     * @throws IllegalStateException            if a tree was dropped meanwhile
     */
    public LogEntry applyTogether(List<String> names, List<List<BatchOp>> ops, byte[] envelope) {
        checkWritable();
        TreeMap<Integer, List<BatchOp>> byId = new TreeMap<>();
        TreeMap<Integer, Engine> engines = new TreeMap<>();
        for (int i = 0; i < names.size(); i++) {
            int id = catalog.id(names.get(i));
            Engine engine = id < 0 ? null : catalog.engine(id);
            if (engine == null) {
                throw new java.util.NoSuchElementException("no tree " + TreeNames.quote(names.get(i)) + " in "
                        + directory);
            }
            engines.put(id, engine);
            byId.computeIfAbsent(id, k -> new ArrayList<>()).addAll(ops.get(i));
        }
        List<Integer> ids = new ArrayList<>(byId.keySet());
        LogEntry[] logged = new LogEntry[1];
        Outcome outcome = Engine.applyTogether(new ArrayList<>(engines.values()), new ArrayList<>(byId.values()),
                new BatchLog() {
                    @Override
                    public void check(List<List<RedoLog.Change>> changes) {
                        Redo.Batch batch = WalLog.batchOf(ids, changes);
                        WriteAheadLog.checkFits(envelope == null ? batch
                                : new Redo.Envelope(envelope, JournalChain.genesis(), JournalChain.genesis(), batch));
                    }

                    @Override
                    public long log(List<List<RedoLog.Change>> changes) {
                        Redo.Batch batch = WalLog.batchOf(ids, changes);
                        try {
                            logged[0] = envelope == null ? new LogEntry(wal.appendBatch(batch), batch)
                                    : wal.appendEnvelope(envelope, batch);
                        } catch (IOException e) {
                            throw fail(e);
                        }
                        return logged[0].sequence();
                    }
                });
        return outcome == Outcome.APPLIED ? logged[0] : null;
    }

    // ------------------------------------------------------------------ consistent captures

    /** One tree a capture holds still. */
    public record Captured(int id, String name, Engine engine) {}

    /**
     * The moment a capture is at: the log sequence the captured trees' state is exactly at, the version high-water
     * mark (no version in them is above it) and the journal chain's head at that sequence.
     */
    public record Moment(long sequence, long versionHighWater, byte[] journalHead) {}

    /** What runs while the trees hold still. */
    public interface Capture<T> {
        T run(List<Captured> trees, Moment at);
    }

    /**
     * Runs {@code capture} with the catalog locked and the writer gates of the named trees (all trees if null)
     * closed, in id order: no write of those trees is in flight, so their state is exactly the log's through the
     * moment's sequence (later records only touch other trees). Writers of those trees wait only for the capture.
     *
     * @throws java.util.NoSuchElementException if a name is not a tree
     */
    public <T> T capture(java.util.Collection<String> names, Capture<T> capture) {
        checkUsable();
        catalog.lock();
        List<Engine> gated = new ArrayList<>();
        try {
            TreeMap<Integer, String> chosen = catalog.namesById();
            if (names != null) {
                java.util.Set<String> wanted = new java.util.HashSet<>(names);
                for (String n : wanted) {
                    if (catalog.id(n) < 0) {
                        throw new java.util.NoSuchElementException("no tree " + TreeNames.quote(n) + " in "
                                + directory);
                    }
                }
                chosen.values().retainAll(wanted);
            }
            List<Captured> trees = new ArrayList<>();
            for (var e : chosen.entrySet()) {
                Engine engine = catalog.engine(e.getKey());
                engine.closeGate();
                gated.add(engine);
                trees.add(new Captured(e.getKey(), e.getValue(), engine));
            }
            WriteAheadLog.Tip tip = wal.tip();
            byte[] head = readOnly ? journalHead.clone() : tip.journalHead();
            return capture.run(trees, new Moment(tip.lastSequence(), versions.get(), head));
        } finally {
            for (Engine e : gated) {
                e.openGate();
            }
            catalog.unlock();
        }
    }

    // ------------------------------------------------------------------ building from an image

    /**
     * Adds an empty tree with the given id and name without logging it: part of a store being built from an
     * image (whose log starts after the image's sequence), before anything else uses the store.
     */
    Engine installTree(int id, String name) {
        catalog.lock();
        try {
            if (catalog.engine(id) != null || catalog.id(name) >= 0) {
                throw new IllegalArgumentException("tree " + id + " " + TreeNames.quote(name) + " is installed twice");
            }
            Engine engine = Engine.create(table, versions);
            engine.logTo(walLog(id));
            catalog.add(id, name, engine);
            return engine;
        } finally {
            catalog.unlock();
        }
    }

    /** Sets what an image's header says beyond its trees: the version high-water mark and the journal head. */
    void installed(long versionHighWater, byte[] head) {
        versions.accumulateAndGet(versionHighWater, Math::max);
        journalHead = head.clone();
        wal.startJournal(head);
    }

    // ------------------------------------------------------------------ the change feed

    /** The sequence of the last change applied to this store (its log's last record; 0 for none). */
    public long lastSequence() {
        checkUsable();
        return wal.lastSequence();
    }

    /**
     * The change feed's retention in force: the one the store was opened with, or else the one its manifest records
     * (an open that names none keeps it; an open that names another records that one before it returns).
     */
    public Retention retention() {
        return retention;
    }

    /** The oldest position {@link #changesAfter} still serves: records after it are retained. */
    public long feedStart() {
        checkUsable();
        return wal.firstSequence() - 1;
    }

    /**
     * Thrown by {@link #changesAfter} for a position older than the retained log (the API turns it into its own
     * exception).
     */
    public static final class Expired extends Exception {
        private static final long serialVersionUID = 1L;
        private final long position;
        private final long start;

        Expired(long position, long start) {
            super("position " + position + " expired");
            this.position = position;
            this.start = start;
        }

        public long position() {
            return position;
        }

        /** The oldest position still served. */
        public long start() {
            return start;
        }
    }

    /**
     * Up to {@code maxRecords} committed (durable) records after {@code after}, in order, within {@code maxBytes}
     * (the first record whatever its size).
     *
     * @throws Expired                  if records after {@code after} were retired
     * @throws IllegalArgumentException if {@code after} is beyond the last record, or a bound is not positive
     */
    public List<LogEntry> changesAfter(long after, int maxRecords, long maxBytes) throws IOException, Expired {
        checkUsable();
        if (after < 0) {
            throw new IllegalArgumentException("sequence must not be negative: " + after);
        }
        if (after < feedStart()) {
            throw new Expired(after, feedStart());
        }
        try {
            return wal.read(after, maxRecords, maxBytes);
        } catch (IllegalArgumentException e) {
            if (after < feedStart()) { // retired meanwhile
                throw new Expired(after, feedStart());
            }
            throw e;
        }
    }

    /**
     * Applies a leader's records (from its {@link #changesAfter}) in order: a record at or below this store's last
     * sequence is skipped, the next one must follow it exactly, and each is applied and logged with its own
     * sequence, so this store's log becomes a copy of the leader's. Waits for durability once at the end.
     * Returns the last sequence afterwards.
     *
     * @throws IllegalArgumentException if a record leaves a gap after this store's last sequence, or does not fit
     *                                  this store (an unknown tree, a broken journal chain); the records before it
     *                                  are applied, it and the ones after are not
     */
    public long apply(List<LogEntry> records) {
        checkWritable();
        synchronized (applying) {
            long last = wal.lastSequence();
            long first = last;
            for (LogEntry record : records) {
                if (record.sequence() <= last) {
                    continue;
                }
                if (record.sequence() != last + 1) {
                    throw new IllegalArgumentException("change " + record.sequence() + " does not follow this"
                            + " database's last sequence " + last + ": changes " + (last + 1) + ".."
                            + (record.sequence() - 1) + " are missing");
                }
                try {
                    applyRecord(record.sequence(), record.redo());
                } catch (IOException e) {
                    throw fail(e);
                }
                last = record.sequence();
            }
            if (last > first) {
                awaitDurable(last);
            }
            return last;
        }
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    /** The I/O seam the store's files go through. */
    public StorageIo io() {
        return options.io();
    }

    public Path directory() {
        return directory;
    }

    /**
     * Writes the frames changed since the last checkpoint, publishes a new manifest and retires the WAL it covers
     * (see the class comment); writers are held off only while the changed frames are captured.
     */
    public void checkpoint() throws IOException {
        checkpoint(-1);
    }

    /**
     * A checkpoint covering the log through its last record, or (during recovery, before any new record can be
     * appended) through {@code replayed}, the last record replayed so far.
     */
    private synchronized void checkpoint(long replayed) throws IOException {
        checkUsable();
        if (readOnly) {
            throw new UnsupportedOperationException("tree store " + directory + " is open read-only");
        }
        CheckpointEvent event = new CheckpointEvent();
        event.begin();
        long started = System.nanoTime();
        long covered;
        long walBytes;
        FrameCapture capture;
        int[][] inUse;
        long versionHigh;
        byte[] head;
        List<Manifest.TreeEntry> entries = new ArrayList<>();
        List<Engine> gated = new ArrayList<>();
        catalog.lock();
        try {
            TreeMap<Integer, Engine> trees = catalog.engines();
            for (Engine t : trees.values()) {
                t.closeGate();
                gated.add(t);
            }
            covered = replayed >= 0 ? replayed : wal.lastSequence();
            head = replayed >= 0 ? journalHead.clone() : wal.journalHead(); // (the log's journal starts after replay)
            walBytes = wal.appendedBytes();
            capture = table.capture();
            inUse = table.framesInUse();
            versionHigh = versions.get();
            catalog.namesById().forEach((id, name) -> entries.add(new Manifest.TreeEntry(id,
                    trees.get(id).rootId(), name)));
            if (replayed < 0) {
                wal.rollSegment();
            }
        } finally {
            for (Engine t : gated) {
                t.openGate();
            }
            catalog.unlock();
        }
        try {
            wal.sync(); // the log never restarts below a published checkpoint
            Map<Integer, Long> written = new HashMap<>();
            capture.writeImages((id, image) -> {
                FrameImage.seal(image);
                long slot = freeSlots.isEmpty() ? nextSlot++ : freeSlots.pollFirst();
                frames.write(slot, image);
                written.put(id, slot);
                return slot;
            });
            frames.force();
            Map<Integer, Long> next = new HashMap<>();
            List<Manifest.FrameEntry> frameEntries = new ArrayList<>(inUse.length);
            for (int[] f : inUse) {
                Long slot = written.getOrDefault(f[0], slots.get(f[0]));
                if (slot == null) {
                    throw new IllegalStateException("frame " + f[0] + " is in use but was never captured");
                }
                next.put(f[0], slot);
                frameEntries.add(new Manifest.FrameEntry(f[0], slot, f[1]));
            }
            Manifest manifest = new Manifest(generation + 1, covered, versionHigh, table.frameSize(), head, retention,
                    entries, frameEntries);
            manifest.publish(directory, options.io());
            published = manifest;
            generation++;
            // (a hash set of the kept slots: TreeSet.removeAll(HashMap.values()) is quadratic in the frames)
            Set<Long> kept = new HashSet<>(next.values());
            for (long slot : slots.values()) {
                if (!kept.contains(slot)) {
                    freeSlots.add(slot);
                }
            }
            slots = next;
            checkpointSequence = covered;
            checkpointWalBytes = walBytes;
            if (replayed < 0) {
                wal.retireThrough(retirable(covered)); // (during recovery the replay is reading the log)
            }
            checkpoints++;
            checkpointedFrames += written.size();
            lastCheckpointNanos = System.nanoTime() - started;
            if (event.shouldCommit()) {
                event.directory = directory.toString();
                event.sequence = covered;
                event.frames = written.size();
                event.commit();
            }
        } catch (IOException e) {
            throw fail(e);
        } finally {
            capture.close();
        }
    }

    /** What {@link #vacuum} did. */
    public record Vacuumed(long framesMoved, long fileBytesBefore, long fileBytesAfter) {}

    /**
     * Shrinks the frame file to the slots its frames need: checkpoints, copies every frame image that sits in a
     * slot past the live frames' count into a free slot below it (never over a slot the published manifest names),
     * forces the file, publishes a manifest naming the new slots, and only then cuts the file's tail. A crash before
     * the publication leaves the old manifest and its untouched slots; after it, at worst a tail of unused slots
     * that the next vacuum cuts. Writers run on meanwhile (their changes go to the log and the next checkpoint).
     */
    public synchronized Vacuumed vacuum() throws IOException {
        checkpoint();
        long before = Files.size(frames.path());
        long live = slots.size();
        TreeSet<Long> holes = new TreeSet<>(freeSlots.headSet(live));
        Map<Integer, Long> next = new HashMap<>(slots);
        Map<Integer, Long> movedTo = new HashMap<>();
        long moved = 0;
        try {
            try (Arena scratch = Arena.ofConfined()) {
                MemorySegment image = scratch.allocate(frames.slotSize(), FrameFileFormat.PAGE);
                for (Map.Entry<Integer, Long> e : slots.entrySet()) {
                    if (e.getValue() >= live) {
                        long to = holes.pollFirst(); // as many holes below live as frames above it
                        frames.readInto(e.getValue(), e.getKey(), image);
                        frames.write(to, image);
                        next.put(e.getKey(), to);
                        movedTo.put(e.getKey(), to);
                        moved++;
                    }
                }
            }
            if (moved > 0) {
                frames.force();
                List<Manifest.FrameEntry> remapped = new ArrayList<>(published.frames().size());
                for (Manifest.FrameEntry f : published.frames()) {
                    remapped.add(new Manifest.FrameEntry(f.id(), next.get(f.id()), f.parent()));
                }
                Manifest manifest = new Manifest(generation + 1, published.checkpointSequence(),
                        published.versionHighWater(), published.frameSize(), published.journalHead(),
                        published.retention(), published.trees(), remapped);
                manifest.publish(directory, options.io());
                published = manifest;
                generation++;
                slots = next;
                // the cache loads an evicted frame from its slot: point the moved ones at their new slots before
                // the tail is cut (a load in flight holds the frame's latch, which this waits for)
                movedTo.forEach(table::moved);
            }
            frames.truncateSlots(live);
            frames.force();
        } catch (IOException e) {
            throw fail(e);
        }
        freeSlots.clear();
        nextSlot = live;
        return new Vacuumed(moved, before, Files.size(frames.path()));
    }

    // ------------------------------------------------------------------ compaction and garbage collection

    /** What {@link #compact} did: trees rewritten (into fewer frames), and the store's frames before and after. */
    public record Compacted(int trees, long framesBefore, long framesAfter) {}

    /**
     * Rewrites every tree into full frames ({@link Engine#adopt}): for each tree, a snapshot at sequence S (writers
     * wait only for its registration), its records copied in key order into a new tree of the same frame table
     * (unlogged: this is layout, not data), the log's writes to the tree after S applied to the copy with writers
     * running, then — with the tree's writer gate closed, the log forced and the last of its writes applied — the
     * tree takes over the copy's frames and releases its own. Readers carry on throughout. Then a checkpoint
     * publishes the new frames and frees the old slots ({@link #vacuum} returns them to the file system).
     *
     * <p>Crash safety is the checkpoint's: the copy lives only in memory and the log until a manifest names it as
     * the tree's, and either manifest recovers the same records. A checkpoint during the copy (the cache filled)
     * publishes the copy's frames as frames no tree reaches; a crash before the compaction's last checkpoint
     * leaves those in the manifest, and {@link #gc} (which every compaction runs first) releases them. The log
     * after S is kept meanwhile whatever the retention, so the catch-up can read it.
     */
    public synchronized Compacted compact() throws IOException {
        checkWritable();
        collectGarbage();
        checkpoint();
        long before = table.framesInUse().length;
        int trees = 0;
        for (Map.Entry<Integer, String> t : catalog.namesById().entrySet()) {
            if (compactTree(t.getKey(), t.getValue())) {
                trees++;
            }
        }
        checkpoint();
        return new Compacted(trees, before, table.framesInUse().length);
    }

    /**
     * Compacts one tree; false if the copy has no fewer frames than the tree, or the tree was dropped meanwhile (the
     * copy is discarded).
     */
    private boolean compactTree(int id, String name) throws IOException {
        Engine live = catalog.engine(id);
        if (live == null) {
            return false;
        }
        Engine copy = null;
        SnapshotFrames view = null;
        boolean adopted = false;
        try {
            SnapshotFrames[] captured = new SnapshotFrames[1];
            long at = capture(List.of(name), (trees, moment) -> {
                captured[0] = trees.getFirst().engine().snapshot(new byte[0]);
                return moment.sequence();
            });
            view = captured[0];
            retireFloor = at;
            copy = Engine.create(table, versions);
            copyInKeyOrder(live, view, copy);
            view.close();
            view = null;
            long applied = catchUp(id, copy, at, wal.lastSequence());
            if (applied < 0) {
                return false;
            }
            catalog.lock();
            try {
                if (catalog.engine(id) != live) {
                    return false;
                }
                live.closeGate();
                try {
                    wal.sync(); // every write of the tree is in the log and readable now
                    if (catchUp(id, copy, applied, wal.lastSequence()) < 0) {
                        return false;
                    }
                    adopted = live.adopt(copy);
                } finally {
                    live.openGate();
                }
            } finally {
                catalog.unlock();
            }
            return adopted;
        } catch (IOException e) {
            throw fail(e);
        } finally {
            retireFloor = Long.MAX_VALUE;
            if (view != null) {
                view.close();
            }
            if (copy != null && !adopted) {
                copy.drop("a discarded compaction copy");
            }
        }
    }

    /** Copies every record of {@code view} (a snapshot of {@code live}) into {@code copy}, in key order. */
    private void copyInKeyOrder(Engine live, SnapshotFrames view, Engine copy) throws IOException {
        byte[] after = null;
        while (true) {
            ScanBuffer chunk = live.scan(view, new byte[0], after, -1, false, ScanBuffer.CHUNK);
            List<RedoLog.Change> changes = new ArrayList<>(chunk.size());
            try {
                for (int i = 0; i < chunk.size(); i++) {
                    changes.add(new RedoLog.Change(chunk.key(i), chunk.value(i), chunk.version(i)));
                }
            } finally {
                chunk.release();
            }
            if (changes.isEmpty()) {
                return;
            }
            copy.redo(changes);
            after = changes.getLast().key();
            if (table.wantsCheckpoint()) {
                checkpoint(); // the copy's frames are dirty too: writers must not wait for the compaction to end
            }
        }
    }

    /**
     * Applies to {@code copy} the log's changes of tree {@code id} after sequence {@code after} through {@code
     * through} (those that are durable by then), and returns the last sequence read, or -1 if the log drops the
     * tree.
     */
    private long catchUp(int id, Engine copy, long after, long through) throws IOException {
        while (after < through) {
            List<LogEntry> records = wal.read(after, 4096, 16L << 20);
            if (records.isEmpty()) {
                return after;
            }
            for (LogEntry record : records) {
                List<Redo.Effect> effects = switch (record.redo()) {
                    case Redo.DropTree d when d.treeId() == id -> null;
                    case Redo.Batch b -> b.effects();
                    case Redo.Envelope e -> e.batch().effects();
                    case Redo.Effect e -> List.of(e);
                    case Redo.DropTree d -> List.of();
                    case Redo.CreateTree c -> List.of();
                };
                if (effects == null) {
                    return -1;
                }
                List<RedoLog.Change> changes = new ArrayList<>();
                for (Redo.Effect e : effects) {
                    if (e.treeId() == id) {
                        changes.addAll(WalLog.changesOf(e));
                    }
                }
                if (!changes.isEmpty()) {
                    copy.redo(changes);
                }
                after = record.sequence();
            }
        }
        return after;
    }

    /**
     * Releases the frames in use that no tree reaches ({@link Engine#releaseUnreachable}: what a crash during a
     * compaction can leave in a manifest) and checkpoints if it found any, so the manifest forgets them and their
     * slots are free. Returns how many. Writers wait while the trees are walked.
     */
    public synchronized int gc() throws IOException {
        checkWritable();
        int released = collectGarbage();
        if (released > 0) {
            checkpoint();
        }
        return released;
    }

    private int collectGarbage() {
        catalog.lock();
        List<Engine> gated = new ArrayList<>();
        try {
            for (Engine t : catalog.engines().values()) {
                t.closeGate();
                gated.add(t);
            }
            return Engine.releaseUnreachable(table, gated);
        } finally {
            for (Engine t : gated) {
                t.openGate();
            }
            catalog.unlock();
        }
    }

    /** How far a checkpoint covering {@code covered} may retire the log and still keep the feed's retention. */
    private long retirable(long covered) throws IOException {
        long through = Math.min(covered, retireFloor);
        Retention keep = retention;
        if (keep.records() > 0) {
            through = Math.min(through, Math.max(0, wal.lastSequence() - keep.records()));
        }
        if (keep.bytes() > 0) {
            through = Math.min(through, wal.retireKeeping(keep.bytes()));
        }
        return through;
    }

    /**
     * The background checkpointer's loop, until close: a checkpoint whenever the log has grown by {@link
     * Options#checkpointEveryBytes} since the last one, or dirty frames fill the cache ({@link
     * FrameTable#wantsCheckpoint}, which also wakes it); and between checkpoints it gives back cache buffers taken
     * past the budget.
     */
    private void checkpointInBackground() {
        try {
            while (!stopping && failure == null) {
                synchronized (wakeUp) {
                    if (!checkpointDue()) {
                        wakeUp.wait(AUTO_CHECKPOINT_POLL_MILLIS);
                    }
                }
                if (!stopping && checkpointDue()) {
                    checkpoint();
                }
                table.trimCache(); // buffers taken past the budget go back once their frames allow
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            // the store is failed (or closing): its callers see that
        } finally {
            table.backPressure(false);
        }
    }

    private boolean checkpointDue() {
        return table.wantsCheckpoint()
                || wal.appendedBytes() - checkpointWalBytes >= options.checkpointEveryBytes();
    }

    /** Asks the background checkpointer for a checkpoint now (the cache is filling with dirty frames). */
    private void wakeCheckpointer() {
        synchronized (wakeUp) {
            wakeUp.notifyAll();
        }
    }

    /** Forces every write acknowledged so far (whatever the durability option). */
    public void sync() throws IOException {
        checkUsable();
        if (!readOnly) {
            try {
                wal.sync();
            } catch (IOException e) {
                throw fail(e);
            }
        }
    }

    public WalStats walStats() throws IOException {
        return wal.stats();
    }

    public synchronized Figures figures() {
        return new Figures(checkpoints, lastCheckpointNanos, checkpointedFrames, replayedRecords, recoveryNanos,
                checkpointSequence);
    }

    public long memoryBytes() {
        return table.memoryBytes();
    }

    /** Frames the store holds now, of all its trees (and those a snapshot still keeps). */
    public int frameCount() {
        return table.liveCount();
    }

    public FrameTable.CacheFigures cacheFigures() {
        return table.cacheFigures();
    }

    /** Bytes the store's files take on disk: the frame file, the manifest and the retained log. */
    public record DiskUsage(long frameFileBytes, long manifestBytes, long walBytes) {}

    public DiskUsage diskUsage() throws IOException {
        checkUsable();
        Path manifest = directory.resolve(ManifestFormat.FILE);
        return new DiskUsage(Files.size(directory.resolve(FRAMES)), Files.exists(manifest) ? Files.size(manifest) : 0,
                wal.stats().retainedBytes());
    }

    /**
     * Marks the store failed after an I/O error that left its durable state unknown: every later call throws a
     * {@link StoreFailedException} carrying the first cause. Returns it unchecked for writers deep in the engine.
     */
    UncheckedIOException fail(IOException cause) {
        if (failure == null) {
            failure = cause;
        }
        table.backPressure(false);
        return new UncheckedIOException(new StoreFailedException(directory, failure));
    }

    /** Throws if the store failed. */
    public void checkUsable() {
        if (closed) {
            throw new IllegalStateException("tree store " + directory + " is closed");
        }
        IOException f = failure;
        if (f != null) {
            throw new UncheckedIOException(new StoreFailedException(directory, f));
        }
    }

    /**
     * Checkpoints (when writable and not failed, so the next open has nothing to replay), closes the WAL and the
     * frame file and frees the frames. Idempotent; no reader or writer may still be running.
     */
    @Override
    public void close() throws IOException {
        Thread background = checkpointer;
        if (background != null) {
            stopping = true;
            synchronized (wakeUp) {
                wakeUp.notifyAll();
            }
            try {
                background.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeFiles();
    }

    private synchronized void closeFiles() throws IOException {
        if (closed) {
            return;
        }
        IOException first = null;
        try {
            if (!readOnly && failure == null && wal.lastSequence() > checkpointSequence) {
                checkpoint();
            }
        } catch (IOException | UncheckedIOException e) {
            first = e instanceof IOException io ? io : ((UncheckedIOException) e).getCause();
        } finally {
            closed = true;
            try {
                closeQuietly(first, wal, frames, scratch);
            } finally {
                table.close();
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static void closeQuietly(Exception primary, AutoCloseable... handles) throws IOException {
        IOException first = null;
        for (AutoCloseable h : handles) {
            if (h == null) {
                continue;
            }
            try {
                h.close();
            } catch (Exception e) {
                if (primary != null) {
                    primary.addSuppressed(e);
                } else if (first == null && e instanceof IOException io) {
                    first = io;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
