package io.cairn.tree.storage;

import io.cairn.stack.Durability;
import io.cairn.stack.StorageIo;
import io.cairn.stack.StoreFailedException;
import io.cairn.stack.StoreLockedException;
import io.cairn.tree.engine.Engine;
import io.cairn.tree.engine.FrameTable;
import io.cairn.tree.engine.FrameImage;
import io.cairn.tree.engine.RedoLog;
import io.cairn.tree.wal.Redo;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A directory that holds trees durably: the entry point of this package. One frame file, one manifest and one
 * write-ahead log serve every tree of the directory (today {@code Tree.open} keeps one, named {@value #DEFAULT_TREE};
 * the tree catalog in the manifest is where a database's named trees go).
 *
 * <pre>
 * DIR/frames.stack     frame images in slots ({@link FrameFileFormat}); its lock is the directory's lock
 * DIR/manifest.stack   the last published checkpoint ({@link ManifestFormat})
 * DIR/wal/*.stack      write-ahead log segments (io.cairn.tree.wal.WalFormat)
 * </pre>
 *
 * <p><b>Writes</b> go to the frames in memory and, as one redo record each (a batch or rename too), to the WAL
 * ({@link WalLog}); durability is the WAL's. <b>Checkpoints</b> ({@link #checkpoint}) make the frames durable so
 * the WAL can be retired: with every tree's writer gate closed they note the last WAL sequence L, copy the frames
 * changed since the last checkpoint and note the frame ids released, then reopen the gates (writers stop only for
 * that capture); then, with writers running, they force the WAL through L, write each image to a free slot of the
 * frame file (never over a slot the published manifest names: shadow paging), force the frame file, publish a new
 * manifest (a temporary file, forced, renamed over the old one, directory forced), and only then free the old
 * slots and retire WAL segments at or below L. A crash anywhere leaves the old manifest with the WAL after its L, or
 * the new manifest with the WAL after the new L; either recovers every durable write.
 *
 * <p><b>Recovery</b> ({@link #open}): lock, read the manifest (none: a new store), load and check every frame it
 * names (magic, id, size, CRC32C), replay the WAL records after its L through the engines, then log new writes.
 * A read-only open ({@link #openReadOnly}) takes shared locks and does the same in memory, writing no file.
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
     * @param io                the I/O seam
     */
    public record Options(Durability durability, Duration asyncFlushInterval, int frameSize, int frameBudget,
            StorageIo io) {}

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
    private final TreeMap<Integer, Engine> trees = new TreeMap<>();
    private final Map<String, Integer> treeIds = new HashMap<>();
    /** Frame id → slot of the published manifest. */
    private Map<Integer, Long> slots = new HashMap<>();
    private final TreeSet<Long> freeSlots = new TreeSet<>();
    private long nextSlot;
    private long generation;
    private volatile long checkpointSequence;
    private long checkpoints;
    private long lastCheckpointNanos;
    private long checkpointedFrames;
    private long replayedRecords;
    private long recoveryNanos;
    private volatile IOException failure;
    private volatile boolean closed;
    /** Checkpoints in the background once the log has grown past {@link #AUTO_CHECKPOINT_RECORDS}; null read-only. */
    private Thread checkpointer;
    /** Wakes the background checkpointer at close (it is never interrupted: that would close a file under it). */
    private final Object wakeUp = new Object();
    private volatile boolean stopping;

    /**
     * Log records after the last checkpoint that start a background one: bounds what a crash leaves to replay
     * (and the log on disk) without checkpointing so often that writers notice the captures.
     */
    public static final long AUTO_CHECKPOINT_RECORDS = 200_000;
    /** How often the background checkpointer looks at the log. */
    private static final long AUTO_CHECKPOINT_POLL_MILLIS = 200;

    private Store(Path directory, Options options, boolean readOnly, FrameFile frames, WriteAheadLog wal,
            FrameTable table, AtomicLong versions) {
        this.directory = directory;
        this.options = options;
        this.readOnly = readOnly;
        this.frames = frames;
        this.wal = wal;
        this.table = table;
        this.versions = versions;
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

    private static Store open(Path directory, Options options, boolean readOnly) throws IOException {
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
        FrameTable table = null;
        try {
            if (!readOnly) {
                io.deleteIfExists(directory.resolve(ManifestFormat.TEMPORARY));
            }
            Manifest manifest = Manifest.read(directory, io);
            if (manifest != null && manifest.frameSize() != frames.slotSize()) {
                throw new io.cairn.stack.CorruptedStoreException(directory.resolve(ManifestFormat.FILE)
                        + " names frames of " + manifest.frameSize() + " bytes, " + frames.path() + " holds slots of "
                        + frames.slotSize());
            }
            table = new FrameTable(frames.slotSize(), options.frameBudget());
            AtomicLong versions = new AtomicLong(manifest != null ? manifest.versionHighWater() : 0);
            wal = readOnly ? WriteAheadLog.openReadOnly(directory.resolve(WAL), io)
                    : WriteAheadLog.open(directory.resolve(WAL), new WalOptions(options.durability(),
                            options.asyncFlushInterval(), WalOptions.DEFAULT_BUFFER_BYTES, io));
            Store store = new Store(directory, options, readOnly, frames, wal, table, versions);
            store.load(manifest);
            store.replay();
            store.recoveryNanos = System.nanoTime() - started;
            if (!readOnly) {
                if (manifest == null) {
                    store.checkpoint(); // a new store publishes its first manifest at once
                }
                store.checkpointer = Thread.ofPlatform().daemon().name("cairn-checkpointer " + directory)
                        .start(store::checkpointInBackground);
            }
            return store;
        } catch (IOException | RuntimeException e) {
            closeQuietly(e, wal, frames);
            if (table != null) {
                table.close();
            }
            throw e;
        }
    }

    /** Loads every frame the manifest names and restores its trees; a new store gets its default tree. */
    private void load(Manifest manifest) throws IOException {
        if (manifest == null) {
            trees.put(0, Engine.create(table, versions));
            treeIds.put(DEFAULT_TREE, 0);
            nextSlot = 0;
            return;
        }
        int maxId = -1;
        for (Manifest.FrameEntry f : manifest.frames()) {
            maxId = Math.max(maxId, f.id());
        }
        int[] parents = new int[maxId + 1];
        java.util.Arrays.fill(parents, -1);
        try (Arena scratch = Arena.ofConfined()) {
            for (Manifest.FrameEntry f : manifest.frames()) {
                MemorySegment image = frames.read(f.slot(), f.id(), scratch);
                table.restore(f.id(), image);
                parents[f.id()] = f.parent();
                slots.put(f.id(), f.slot());
            }
        }
        table.restored(parents);
        for (Manifest.TreeEntry t : manifest.trees()) {
            trees.put(t.id(), Engine.restore(table, t.rootFrame(), versions));
            treeIds.put(t.name(), t.id());
        }
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
    }

    /** Replays the WAL after the manifest's checkpoint, then logs every tree's writes to it. */
    private void replay() throws IOException {
        if (wal.lastSequence() < checkpointSequence) {
            // the log is forced through a checkpoint's sequence before it is published and keeps its last segment:
            // a shorter log lost records (or was replaced), and new records would reuse sequences replay skips
            throw new io.cairn.stack.CorruptedStoreException(directory.resolve(WAL) + " ends at sequence "
                    + wal.lastSequence() + ", before sequence " + checkpointSequence + " that "
                    + directory.resolve(ManifestFormat.FILE) + " covers: the log lost records");
        }
        wal.replay(checkpointSequence, (sequence, redo) -> {
            List<Redo.Effect> effects = redo instanceof Redo.Batch b ? b.effects()
                    : redo instanceof Redo.Effect e ? List.of(e) : List.of();
            Map<Integer, List<RedoLog.Change>> byTree = new TreeMap<>();
            for (Redo.Effect e : effects) {
                Engine tree = trees.get(e.treeId());
                if (tree == null) {
                    throw new io.cairn.stack.CorruptedStoreException(directory.resolve(WAL) + ": record " + sequence
                            + " names tree " + e.treeId() + ", which the manifest does not list");
                }
                for (RedoLog.Change c : WalLog.changesOf(e)) {
                    byTree.computeIfAbsent(e.treeId(), id -> new ArrayList<>()).add(c);
                    versions.accumulateAndGet(c.version(), Math::max);
                }
            }
            byTree.forEach((id, changes) -> trees.get(id).redo(changes));
            replayedRecords++;
        });
        if (!readOnly) {
            trees.forEach((id, tree) -> tree.logTo(new WalLog(this, wal, id, options.durability())));
        }
    }

    /** The tree named {@code name}, or null. */
    public Engine tree(String name) {
        Integer id = treeIds.get(name);
        return id == null ? null : trees.get(id);
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    public Path directory() {
        return directory;
    }

    /**
     * Writes the frames changed since the last checkpoint, publishes a new manifest and retires the WAL it covers
     * (see the class comment); writers are held off only while the changed frames are copied.
     */
    public synchronized void checkpoint() throws IOException {
        checkUsable();
        if (readOnly) {
            throw new UnsupportedOperationException("tree store " + directory + " is open read-only");
        }
        long started = System.nanoTime();
        long covered;
        List<FrameTable.Image> images;
        List<Integer> released;
        int[][] inUse;
        long versionHigh;
        List<Manifest.TreeEntry> catalog = new ArrayList<>();
        try (Arena capture = Arena.ofConfined()) {
            List<Engine> gated = new ArrayList<>();
            try {
                for (Engine t : trees.values()) {
                    t.closeGate();
                    gated.add(t);
                }
                covered = wal.lastSequence();
                images = table.captureDirty(capture);
                released = table.takeReleasedIds();
                inUse = table.framesInUse();
                versionHigh = versions.get();
                treeIds.forEach((name, id) -> catalog.add(new Manifest.TreeEntry(id, trees.get(id).rootId(), name)));
                wal.rollSegment();
            } finally {
                for (Engine t : gated) {
                    t.openGate();
                }
            }
            try {
                wal.sync(); // the log never restarts below a published checkpoint
                Map<Integer, Long> written = new HashMap<>();
                for (FrameTable.Image image : images) {
                    FrameImage.seal(image.bytes());
                    long slot = freeSlots.isEmpty() ? nextSlot++ : freeSlots.pollFirst();
                    frames.write(slot, image.bytes());
                    written.put(image.id(), slot);
                }
                frames.force();
                Map<Integer, Long> next = new HashMap<>();
                List<Manifest.FrameEntry> entries = new ArrayList<>(inUse.length);
                for (int[] f : inUse) {
                    Long slot = written.getOrDefault(f[0], slots.get(f[0]));
                    if (slot == null) {
                        throw new IllegalStateException("frame " + f[0] + " is in use but was never captured");
                    }
                    next.put(f[0], slot);
                    entries.add(new Manifest.FrameEntry(f[0], slot, f[1]));
                }
                catalog.sort(java.util.Comparator.comparingInt(Manifest.TreeEntry::id));
                new Manifest(generation + 1, covered, versionHigh, table.frameSize(), catalog, entries)
                        .publish(directory, options.io());
                generation++;
                TreeSet<Long> freed = new TreeSet<>(slots.values());
                freed.removeAll(next.values());
                freeSlots.addAll(freed);
                slots = next;
                checkpointSequence = covered;
                wal.retireThrough(covered);
            } catch (IOException e) {
                throw fail(e);
            }
        }
        checkpoints++;
        checkpointedFrames += images.size();
        lastCheckpointNanos = System.nanoTime() - started;
    }

    /** The background checkpointer's loop: a checkpoint whenever the log has grown enough, until close. */
    private void checkpointInBackground() {
        while (!stopping && failure == null) {
            try {
                synchronized (wakeUp) {
                    wakeUp.wait(AUTO_CHECKPOINT_POLL_MILLIS);
                }
                if (!stopping && wal.lastSequence() - checkpointSequence >= AUTO_CHECKPOINT_RECORDS) {
                    checkpoint();
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                return; // the store is failed (or closing): its callers see that
            }
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

    /**
     * Marks the store failed after an I/O error that left its durable state unknown: every later call throws a
     * {@link StoreFailedException} carrying the first cause. Returns it unchecked for writers deep in the engine.
     */
    UncheckedIOException fail(IOException cause) {
        if (failure == null) {
            failure = cause;
        }
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
                closeQuietly(first, wal, frames);
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
