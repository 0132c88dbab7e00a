package io.cairn.tree.wal;

import static io.cairn.tree.wal.WalFormat.MAX_BODY;
import static io.cairn.tree.wal.WalFormat.RECORD_OVERHEAD;
import static io.cairn.tree.wal.WalFormat.SEGMENT_HEADER_SIZE;

import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.Durability;
import io.cairn.stack.StorageIo;
import io.cairn.stack.StoreFailedException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * The durable tree's write-ahead log: redo records ({@link Redo}) with contiguous sequence numbers in a directory
 * of {@code BStack} segments ({@link WalFormat}).
 *
 * <p><b>Appending.</b> {@code append*} assigns the next sequence and copies the framed, checksummed record into
 * the filling group buffer, under one short lock and without I/O, so the engine calls it while it still holds the
 * latch of the frame it changed and the log's order of two writes to one key is their apply order. The caller
 * then releases its latch and, under {@code SYNC}, calls {@link #awaitDurable}. A reader of the tree may see a
 * write a moment before it is durable; only writes whose {@code awaitDurable} returned (or that precede a
 * returned {@link #sync}) are promised after a crash. Only when the filling buffer is full does an append wait
 * (back-pressure): for the flush in flight, or by writing the buffer itself.
 *
 * <p><b>Group commit.</b> {@link #awaitDurable} makes the first waiter that finds no write in flight the
 * leader: it takes the whole filling buffer (every record appended so far, its own and other threads'), pushes it
 * to the segment in one append, forces once, publishes the durable sequence and wakes the waiters it covered.
 * Writers that arrive meanwhile fill the other buffer and wait; when the leader finishes one of them leads the
 * next group. So N concurrent writers share one fdatasync instead of paying N. When more writers than the
 * buffer holds records for have lately waited for one force at once, the leader first gathers: it waits, at most
 * half a force's time, for their records ({@link #gather}); a writer alone never waits. Under {@code ASYNC} a flusher
 * thread does the same (write and force) at least every {@code asyncFlushInterval}; under {@code NONE} it writes
 * without forcing. {@link #sync} forces everything appended so far in any mode; {@link #close} writes everything
 * and forces it unless the durability is {@code NONE}.
 *
 * <p><b>Failure.</b> A failed write or force of a group leaves the durable state unknown: the log is failed and
 * every later call throws a {@link StoreFailedException} carrying the first cause, until the log is reopened (which keeps
 * exactly the records that reached the file, cutting a torn tail). A record forced before the failure is still
 * durable: {@code awaitDurable} of it returns.
 *
 * <p><b>Segments.</b> {@link #rollSegment} makes records appended from now on go to a new segment (the switch
 * happens at the next group write: it adds no I/O to the caller, who may be holding writers back). {@link
 * #retireThrough} deletes whole segments whose every record is at or below a sequence, never the last one;
 * callers retire only what a durable checkpoint covers. A checkpoint covering sequence L must be published only
 * after {@code awaitDurable(L)} (or {@link #sync}) returned, so the log never restarts below it.
 *
 * <p><b>Opening.</b> A writable open takes every segment's lock, deletes segments left half created, checks each
 * header, scans the last segment and cuts a torn tail (records that fail their checks with no valid record after
 * them) before anything is appended; damage followed by a valid record is a {@link CorruptedStoreException}
 * naming the file and offset. Earlier segments are checked when they are read. A read-only open writes nothing:
 * it ignores a torn tail in memory. The log relies on its owner's directory lock to keep two writers apart; the
 * segments' own locks are a second line.
 *
 * <p><b>Reading.</b> {@link #replay} streams every record after a sequence (recovery); {@link #read} returns a
 * bounded batch (the change feed). Both see only records that are durable (handed to the OS under {@code NONE}),
 * so nothing a crash could take back is ever read.
 */
public final class WriteAheadLog implements AutoCloseable {

    /** Receives replayed records in sequence order. */
    @FunctionalInterface
    public interface RedoHandler {
        void apply(long sequence, Redo redo) throws IOException;
    }

    /** Groups per period over which the log remembers how many writers waited for one force at once. */
    private static final int GATHER_PERIOD = 64;
    /** The longest a leader gathers a group, whatever the forces cost. */
    private static final long GATHER_MAX_NANOS = 200_000;

    /** The handle's lifecycle: OPEN → CLOSING → CLOSED, and FAILED from OPEN or CLOSING until closed. */
    private enum State { OPEN, CLOSING, FAILED, CLOSED }

    private final Path directory;
    private final StorageIo io;
    private final Durability durability;
    private final int bufferBytes;
    private final boolean readOnly;
    private final long tornBytesCut;
    private final Thread flusher;

    /** Guards everything below that is not volatile; held for appends and around (not during) group writes. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a group write ends (and on failure and close). */
    private final Condition groupWritten = lock.newCondition();
    /** Wakes the flusher early: at close. */
    private final Condition flusherWake = lock.newCondition();
    /** Wakes a leader gathering a group: the records it waits for are in, or an append needs the buffer. */
    private final Condition gathered = lock.newCondition();
    /** Readers hold it shared while they read segments; retirement holds it exclusively to close and delete them. */
    private final ReentrantReadWriteLock retireLock = new ReentrantReadWriteLock();

    private volatile State state = State.OPEN;
    /** The segments, oldest first; the last takes new records. Replaced (never changed) under {@link #lock}. */
    private volatile Segment[] segments;
    /** Every record up to here is in a segment file (handed to the OS). */
    private volatile long writtenSequence;
    /** Every record up to here is forced. */
    private volatile long durableSequence;
    private Throwable failure;
    private long nextSequence;
    /** The first sequence of the segment that new records go to, counting a roll that is marked but not done. */
    private long segmentStart;
    private GroupBuffer filling;
    /** The hash the next envelope links to. */
    private byte[] journalHead = JournalChain.genesis();
    /** The other buffer; null while a group write owns it. */
    private GroupBuffer spare;
    /** A group write is in flight, or its leader is gathering it ({@link #gather}). */
    private boolean writing;
    /** While a leader gathers: the records it waits for in the filling buffer; else 0. */
    private int gatherTarget;
    /** Threads waiting in {@link #awaitDurable} now, the leader included. */
    private int waiters;
    /** The most waiters seen at once in this period of {@link #GATHER_PERIOD} groups, and in the one before. */
    private int peakWaiters;
    private int lastPeakWaiters;
    private int periodGroups;
    /** Running mean time of a forced group write, in nanoseconds: what bounds a gather's wait. */
    private long forceNanosMean;

    private long appendedRecords;
    private long appendedBytes;
    private long groupWrites;
    private long forces;
    private long flushNanosTotal;
    private long flushNanosMax;
    private long gathers;
    private long gatherNanosTotal;
    private final Log2Histogram groupSizes = new Log2Histogram();
    private final Log2Histogram flushMicros = new Log2Histogram();

    private WriteAheadLog(Path directory, StorageIo io, Durability durability, int bufferBytes, boolean readOnly,
            Segment[] segments, long lastSequence, long tornBytesCut, long flushIntervalNanos) {
        this.directory = directory;
        this.io = io;
        this.durability = durability;
        this.bufferBytes = bufferBytes;
        this.readOnly = readOnly;
        this.segments = segments;
        this.tornBytesCut = tornBytesCut;
        this.nextSequence = lastSequence + 1;
        this.writtenSequence = lastSequence;
        this.durableSequence = lastSequence;
        this.segmentStart = segments.length == 0 ? 1 : segments[segments.length - 1].firstSequence();
        if (readOnly) {
            this.flusher = null;
        } else {
            this.filling = new GroupBuffer(bufferBytes);
            this.spare = new GroupBuffer(bufferBytes);
            this.flusher = durability == Durability.SYNC ? null
                    : Thread.ofPlatform().daemon().name("cairn-wal-flusher " + directory)
                            .start(() -> runFlusher(flushIntervalNanos));
        }
    }

    // ------------------------------------------------------------------ opening

    /**
     * Opens the log in {@code directory} for writing, creating the directory and a first segment if there are
     * none, and recovers: see the class comment.
     *
     * @throws CorruptedStoreException if a segment is damaged anywhere but in a torn tail of the last one
     */
    public static WriteAheadLog open(Path directory, WalOptions options) throws IOException {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(options, "options");
        StorageIo io = options.io();
        if (Files.notExists(directory)) {
            Files.createDirectories(directory);
            Path parent = directory.toAbsolutePath().getParent();
            if (parent != null) {
                io.syncDirectory(parent);
            }
        }
        Listing listing = list(directory);
        boolean removed = false;
        for (Path creating : listing.creating()) {
            removed |= io.deleteIfExists(creating);
        }
        if (removed) {
            io.syncDirectory(directory);
        }
        List<Segment> opened = new ArrayList<>();
        try {
            for (var entry : listing.segments().entrySet()) {
                opened.add(Segment.open(entry.getValue(), entry.getKey(), io, false));
            }
            if (opened.isEmpty()) {
                opened.add(Segment.create(directory, 1, io));
            }
            Segment tail = opened.getLast();
            Tail recovered = recoverTail(tail, false);
            if (options.durability() != Durability.NONE
                    && (recovered.cutBytes() > 0 || recovered.lastSequence() >= tail.firstSequence())) {
                // What a crashed process left in the page cache is about to be built on: make it durable first.
                tail.sync();
            }
            return new WriteAheadLog(directory, io, options.durability(), options.bufferBytes(), false,
                    opened.toArray(Segment[]::new), recovered.lastSequence(), recovered.cutBytes(),
                    options.asyncFlushInterval().toNanos());
        } catch (IOException | RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
    }

    /**
     * Creates a new log in {@code directory} whose first record will be {@code lastSequence + 1} (a store built from
     * an image continues its source's sequence), and opens it for writing.
     *
     * @throws IllegalArgumentException if {@code lastSequence} is negative
     * @throws java.nio.file.FileAlreadyExistsException if the directory already holds a segment
     */
    public static WriteAheadLog create(Path directory, long lastSequence, WalOptions options) throws IOException {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(options, "options");
        if (lastSequence < 0 || lastSequence == Long.MAX_VALUE) {
            throw new IllegalArgumentException("lastSequence must be in [0, " + (Long.MAX_VALUE - 1) + "]: "
                    + lastSequence);
        }
        if (Files.notExists(directory)) {
            Files.createDirectories(directory);
            Path parent = directory.toAbsolutePath().getParent();
            if (parent != null) {
                options.io().syncDirectory(parent);
            }
        }
        if (!list(directory).segments().isEmpty()) {
            throw new java.nio.file.FileAlreadyExistsException(directory.toString(), null,
                    "already holds a write-ahead log");
        }
        Segment.create(directory, lastSequence + 1, options.io()).close();
        return open(directory, options);
    }

    /**
     * Opens the log read-only: shared locks on the segments (a writer excludes it), nothing written, a torn tail
     * ignored in memory. A missing directory is an empty log.
     */
    public static WriteAheadLog openReadOnly(Path directory, StorageIo io) throws IOException {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(io, "io");
        List<Segment> opened = new ArrayList<>();
        try {
            long last = 0;
            long ignored = 0;
            if (Files.exists(directory)) {
                for (var entry : list(directory).segments().entrySet()) {
                    opened.add(Segment.open(entry.getValue(), entry.getKey(), io, true));
                }
                if (!opened.isEmpty()) {
                    Tail recovered = recoverTail(opened.getLast(), true);
                    last = recovered.lastSequence();
                    ignored = recovered.cutBytes();
                }
            }
            return new WriteAheadLog(directory, io, Durability.NONE, 0, true, opened.toArray(Segment[]::new), last,
                    ignored, 0);
        } catch (IOException | RuntimeException e) {
            closeAll(opened, e);
            throw e;
        }
    }

    /** The segment files by first sequence, and segment files left half created. */
    private record Listing(TreeMap<Long, Path> segments, List<Path> creating) {}

    private static Listing list(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new NotDirectoryException(directory.toString());
        }
        TreeMap<Long, Path> segments = new TreeMap<>();
        List<Path> creating = new ArrayList<>();
        try (Stream<Path> entries = Files.list(directory)) {
            for (Path path : (Iterable<Path>) entries::iterator) {
                String name = path.getFileName().toString();
                long first = WalFormat.parseSegmentName(name);
                if (first >= 0) {
                    segments.put(first, path);
                } else if (WalFormat.isCreatingName(name)) {
                    creating.add(path);
                }
            }
        }
        return new Listing(segments, creating);
    }

    /** What the scan of the last segment found: its last whole record and the bytes of a torn tail after it. */
    private record Tail(long lastSequence, long cutBytes) {}

    private static Tail recoverTail(Segment tail, boolean readOnly) throws IOException {
        RecordScanner scanner = new RecordScanner(tail, SEGMENT_HEADER_SIZE, tail.end(), tail.firstSequence());
        while (true) {
            switch (scanner.next()) {
                case RECORD -> tail.index(scanner.sequence(), scanner.offset());
                case END -> {
                    return new Tail(scanner.expected() - 1, 0);
                }
                case WRONG_SEQUENCE -> throw scanner.corrupted("");
                case BAD_BYTES -> {
                    long torn = scanner.offset();
                    long after = scanner.findRecordAfter(torn);
                    if (after >= 0) {
                        throw scanner.corrupted(" (a whole record follows at payload offset " + after
                                + ", so this is damage, not a torn tail)");
                    }
                    long cut = tail.end() - torn;
                    if (readOnly) {
                        tail.ignoreFrom(torn);
                    } else {
                        tail.cut(torn);
                    }
                    return new Tail(scanner.expected() - 1, cut);
                }
            }
        }
    }

    private static void closeAll(List<Segment> opened, Exception failure) {
        for (Segment segment : opened) {
            try {
                segment.close();
            } catch (IOException suppressed) {
                failure.addSuppressed(suppressed);
            }
        }
    }

    // ------------------------------------------------------------------ appending (no I/O unless back-pressure)

    /** Appends {@code PUT(treeId, key, value, version)}; returns its sequence. */
    public long appendPut(int treeId, byte[] key, byte[] value, long version) throws IOException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        RedoCodec.checkTreeId(treeId);
        RedoCodec.checkVersion(version);
        int body = checkBody(RedoCodec.putSize(key, value));
        checkWritable();
        lock.lock();
        try {
            long sequence = reserve(body);
            MemorySegment m = filling.begin(sequence, WalFormat.TYPE_PUT, body);
            filling.seal(RedoCodec.encodePut(m, filling.bodyOffset(), treeId, key, value, version));
            return sequence;
        } finally {
            lock.unlock();
        }
    }

    /** Appends {@code DELETE(treeId, key)}; returns its sequence. */
    public long appendDelete(int treeId, byte[] key) throws IOException {
        Objects.requireNonNull(key, "key");
        RedoCodec.checkTreeId(treeId);
        int body = checkBody(RedoCodec.deleteSize(key));
        checkWritable();
        lock.lock();
        try {
            long sequence = reserve(body);
            MemorySegment m = filling.begin(sequence, WalFormat.TYPE_DELETE, body);
            filling.seal(RedoCodec.encodeDelete(m, filling.bodyOffset(), treeId, key));
            return sequence;
        } finally {
            lock.unlock();
        }
    }

    /** Appends {@code RENAME(treeId, source, target, value, version)}; returns its sequence. */
    public long appendRename(int treeId, byte[] source, byte[] target, byte[] value, long version)
            throws IOException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(value, "value");
        RedoCodec.checkTreeId(treeId);
        RedoCodec.checkVersion(version);
        int body = checkBody(RedoCodec.renameSize(source, target, value));
        checkWritable();
        lock.lock();
        try {
            long sequence = reserve(body);
            MemorySegment m = filling.begin(sequence, WalFormat.TYPE_RENAME, body);
            filling.seal(RedoCodec.encodeRename(m, filling.bodyOffset(), treeId, source, target, value, version));
            return sequence;
        } finally {
            lock.unlock();
        }
    }

    /** Appends a batch of effects (possibly across trees) as one record; returns its sequence. */
    public long appendBatch(Redo.Batch batch) throws IOException {
        return append(batch);
    }

    /**
     * Appends any record but an envelope (which {@link #appendEnvelope} links into the journal chain) as it is;
     * returns its sequence. A follower re-logs what it applies of a leader's change feed this way.
     */
    public long append(Redo redo) throws IOException {
        Objects.requireNonNull(redo, "redo");
        if (redo instanceof Redo.Envelope) {
            throw new IllegalArgumentException("an envelope is appended with appendEnvelope, which links its hash");
        }
        int body = checkBody(RedoCodec.size(redo));
        checkWritable();
        lock.lock();
        try {
            long sequence = reserve(body);
            MemorySegment m = filling.begin(sequence, RedoCodec.typeOf(redo), body);
            filling.seal(RedoCodec.encode(m, filling.bodyOffset(), redo));
            return sequence;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends {@code batch} wrapped in a journal envelope carrying {@code payload}: the record links to the last
     * envelope's hash ({@link #journalHead}) and gets its own ({@link JournalChain}), computed here under the lock
     * so the chain follows the log's order. Returns the record: its sequence and the envelope with both hashes.
     */
    public LogEntry appendEnvelope(byte[] payload, Redo.Batch batch) throws IOException {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(batch, "batch");
        int body = checkBody(RedoCodec.envelopeSize(payload, batch));
        checkWritable();
        lock.lock();
        try {
            long sequence = reserve(body);
            MemorySegment m = filling.begin(sequence, WalFormat.TYPE_ENVELOPE, body);
            long head = filling.bodyOffset();
            long batchAt = RedoCodec.encodeEnvelopeHead(m, head, payload, journalHead);
            long end = RedoCodec.encodeBatch(m, batchAt, batch.effects());
            byte[] hash = JournalChain.hash(journalHead, sequence, payload, m, batchAt, end);
            MemorySegment.copy(hash, 0, m, WalFormat.U8, head + JournalChain.HASH_BYTES, hash.length);
            filling.seal(end);
            Redo.Envelope envelope = new Redo.Envelope(payload, journalHead, hash, batch);
            journalHead = hash;
            return new LogEntry(sequence, envelope);
        } finally {
            lock.unlock();
        }
    }

    /** The last sequence appended and the journal chain's head after it, read together. */
    public record Tip(long lastSequence, byte[] journalHead) {}

    /** The last sequence and the journal head, at one moment (an image records both). */
    public Tip tip() {
        lock.lock();
        try {
            checkNotClosed();
            return new Tip(nextSequence - 1, journalHead.clone());
        } finally {
            lock.unlock();
        }
    }

    /** The hash of the last envelope appended, or the chain's genesis: what the next envelope links to. */
    public byte[] journalHead() {
        lock.lock();
        try {
            return journalHead.clone();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sets the hash the next envelope links to: the owner's recovery found it (in its checkpoint or in the last
     * envelope it replayed), since the records that held it may have been retired.
     */
    public void startJournal(byte[] head) {
        JournalChain.checkHash("head", head);
        lock.lock();
        try {
            journalHead = head.clone();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Throws {@link IllegalArgumentException} if a record holding {@code redo} would exceed the largest record
     * (16 MiB of body): what a caller checks before it changes anything it would then have to log.
     */
    public static void checkFits(Redo redo) {
        checkBody(RedoCodec.size(Objects.requireNonNull(redo, "redo")));
    }

    private static int checkBody(long bytes) {
        if (bytes > MAX_BODY) {
            throw new IllegalArgumentException("a record body of " + bytes + " bytes exceeds the limit of "
                    + MAX_BODY + " bytes");
        }
        return (int) bytes;
    }

    /** Makes room for a record with a body of {@code body} bytes in the filling buffer; returns its sequence. */
    private long reserve(int body) throws IOException {
        int size = RECORD_OVERHEAD + body;
        checkAppendable();
        while (!filling.fits(size)) {
            if (filling.isEmpty()) {
                filling.growEmptyTo(size);
                break;
            }
            if (gatherTarget > 0) { // the gathering leader holds back a full buffer: it writes now
                gatherTarget = 0;
                gathered.signal();
            }
            if (writing) {
                groupWritten.awaitUninterruptibly();
            } else {
                writeGroup(durability == Durability.SYNC);
            }
            checkAppendable();
        }
        if (gatherTarget > 0 && filling.count() + 1 >= gatherTarget) {
            gathered.signal(); // it wakes once this append has released the lock, the record in place
        }
        appendedRecords++;
        appendedBytes += size;
        return nextSequence++;
    }

    // ------------------------------------------------------------------ durability

    /**
     * Returns once the record {@code sequence} is durable: forced under {@code SYNC} and {@code ASYNC} (a waiter
     * that finds no group write in flight writes and forces every record so far for everyone), handed to the OS
     * under {@code NONE}.
     *
     * @throws IllegalArgumentException if no record {@code sequence} was appended
     */
    public void awaitDurable(long sequence) throws IOException {
        checkWritable();
        boolean force = durability != Durability.NONE;
        if (sequence > 0 && sequence <= (force ? durableSequence : writtenSequence)) {
            checkNotClosed();
            return;
        }
        lock.lock();
        try {
            if (sequence < 1 || sequence >= nextSequence) {
                throw new IllegalArgumentException("sequence " + sequence + " was not appended: the log's records"
                        + " are 1.." + (nextSequence - 1));
            }
            waiters++;
            peakWaiters = Math.max(peakWaiters, waiters);
            try {
                writeThrough(sequence, force, durability == Durability.SYNC);
            } finally {
                waiters--;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Writes and forces every record appended so far (in every durability mode). */
    public void sync() throws IOException {
        checkWritable();
        lock.lock();
        try {
            checkAppendable();
            writeThrough(nextSequence - 1, true, false);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Under the lock: leads or waits for group writes until {@code sequence} is written (and forced); a leader
     * first {@linkplain #gather gathers} its group if {@code gather}.
     */
    private void writeThrough(long sequence, boolean force, boolean gather) throws IOException {
        while ((force ? durableSequence : writtenSequence) < sequence) {
            checkWriting();
            if (writing) {
                groupWritten.awaitUninterruptibly();
            } else {
                if (gather) {
                    gather();
                }
                writeGroup(force);
            }
        }
    }

    /**
     * Under the lock, as the leader of the next group, before taking the buffer: if more writers than the records
     * now in the buffer have lately waited for one force at once, waits for their records, at most half a force's
     * time (and {@link #GATHER_MAX_NANOS}), so one force covers them all. Without the wait, the writers a group
     * released are still on their way back with their next records when the first waiter to wake leads the next
     * group: groups split in halves, and 8 writers shared each force by about 4. A writer alone never waits: it
     * is the only one ever seen waiting.
     */
    private void gather() {
        int writers = Math.max(peakWaiters, lastPeakWaiters);
        long window = Math.min(forceNanosMean / 2, GATHER_MAX_NANOS);
        if (writers <= filling.count() || window <= 0) {
            return;
        }
        writing = true; // the group is this leader's: other waiters wait for it, appenders fill it
        gatherTarget = writers;
        long started = System.nanoTime();
        long left = window;
        try {
            while (gatherTarget > 0 && filling.count() < gatherTarget && left > 0) {
                left = gathered.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the group is written at once; the caller sees the flag
        } finally {
            gatherTarget = 0;
        }
        gathers++;
        gatherNanosTotal += System.nanoTime() - started;
    }

    /**
     * Under the lock, with no write in flight: takes the filling buffer, and, without the lock, appends it to
     * the segment (rolling first if marked) and forces if asked. Fails the log if any of it fails.
     */
    private void writeGroup(boolean force) throws IOException {
        writing = true;
        GroupBuffer group = filling;
        filling = spare;
        spare = null;
        long through = group.isEmpty() ? writtenSequence : group.lastSequence();
        int forced;
        GroupCommitEvent event = new GroupCommitEvent();
        event.begin();
        long started = System.nanoTime();
        Throwable error = null;
        lock.unlock();
        try {
            forced = write(group, force);
        } catch (Throwable e) {
            forced = 0;
            error = e;
        } finally {
            lock.lock();
        }
        long elapsed = System.nanoTime() - started;
        writing = false;
        try {
            if (error != null) {
                fail(error);
                if (error instanceof Error e) {
                    throw e;
                }
                throw failedException();
            }
            writtenSequence = through;
            if (force) {
                durableSequence = through;
            }
            groupWrites++;
            forces += forced;
            if (forced > 0) {
                forceNanosMean += (elapsed - forceNanosMean) / 8;
            }
            if (++periodGroups == GATHER_PERIOD) {
                lastPeakWaiters = peakWaiters;
                peakWaiters = waiters;
                periodGroups = 0;
            }
            groupSizes.add(group.count());
            flushMicros.add(TimeUnit.NANOSECONDS.toMicros(elapsed));
            flushNanosTotal += elapsed;
            flushNanosMax = Math.max(flushNanosMax, elapsed);
            if (event.shouldCommit()) {
                event.records = group.count();
                event.bytes = group.size();
                event.forces = forced;
                event.commit();
            }
        } finally {
            group.reset(bufferBytes);
            spare = group;
            groupWritten.signalAll();
        }
    }

    /** The I/O of one group write, without the lock; returns the forces it made. */
    private int write(GroupBuffer group, boolean force) throws IOException {
        Segment segment = segments[segments.length - 1];
        int forced = 0;
        int from = 0;
        if (group.hasRoll()) {
            from = group.rollOffset();
            if (from > 0) {
                push(segment, group, 0, from, group.firstSequence());
            }
            if (durability != Durability.NONE && (from > 0 || writtenSequence > durableSequence)) {
                segment.sync(); // a segment before the last is whole: recovery relies on it
                forced++;
            }
            segment = Segment.create(directory, group.rollSequence(), io);
            publish(segment);
        }
        if (group.size() > from) {
            push(segment, group, from, group.size(), from == 0 ? group.firstSequence() : group.rollSequence());
        }
        if (force) {
            segment.sync();
            forced++;
        }
        return forced;
    }

    private static void push(Segment segment, GroupBuffer group, int from, int to, long firstSequence)
            throws IOException {
        long offset = segment.push(group.bytes(from, to));
        segment.index(firstSequence, offset);
    }

    private void publish(Segment created) {
        lock.lock();
        try {
            Segment[] all = segments;
            Segment[] grown = Arrays.copyOf(all, all.length + 1);
            grown[all.length] = created;
            segments = grown;
        } finally {
            lock.unlock();
        }
    }

    /** The ASYNC / NONE flusher: a group write (forced under ASYNC) at least every interval while records wait. */
    private void runFlusher(long intervalNanos) {
        boolean force = durability == Durability.ASYNC;
        lock.lock();
        try {
            while (state == State.OPEN) {
                flusherWake.awaitNanos(intervalNanos);
                if (state == State.OPEN) {
                    writeThrough(nextSequence - 1, force, false);
                }
            }
        } catch (IOException e) {
            // The log is failed now; every caller learns it from the next call. Nothing is left for this thread.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ segments

    /**
     * Makes records appended from now on go to a new segment, so that a checkpoint covering everything before can
     * later {@linkplain #retireThrough retire} the current one whole. The new file is created by the next group
     * write, not by this call; a call with nothing appended since the last roll (or the open) does nothing.
     */
    public void rollSegment() throws IOException {
        checkWritable();
        lock.lock();
        try {
            while (true) {
                checkAppendable();
                if (nextSequence == segmentStart) {
                    return;
                }
                if (!filling.hasRoll()) {
                    filling.markRoll(nextSequence);
                    segmentStart = nextSequence;
                    return;
                }
                // The filling buffer holds an earlier roll and records after it: write it out first.
                if (writing) {
                    groupWritten.awaitUninterruptibly();
                } else {
                    writeGroup(durability != Durability.NONE);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes every segment whose records are all at or below {@code sequence}, oldest first, forcing the
     * directory after each; the last segment always stays. A roll marked at or below {@code sequence + 1} is
     * carried out first, so the segment it closes can go. Returns the number of segments deleted.
     *
     * @throws IllegalArgumentException if {@code sequence} is negative or beyond the last appended record
     */
    public int retireThrough(long sequence) throws IOException {
        checkWritable();
        List<Segment> retired;
        lock.lock();
        try {
            if (sequence < 0 || sequence >= nextSequence) {
                throw new IllegalArgumentException("sequence " + sequence + " is outside the log's records 0.."
                        + (nextSequence - 1));
            }
            while (true) {
                checkAppendable();
                boolean rollDue = filling.hasRoll() && filling.rollSequence() <= sequence + 1;
                if (!writing && !rollDue) {
                    break;
                }
                if (writing) {
                    groupWritten.awaitUninterruptibly();
                } else {
                    writeGroup(durability != Durability.NONE);
                }
            }
            Segment[] all = segments;
            int drop = 0;
            while (drop < all.length - 1 && all[drop + 1].firstSequence() - 1 <= sequence) {
                drop++;
            }
            retired = List.of(Arrays.copyOfRange(all, 0, drop));
            segments = Arrays.copyOfRange(all, drop, all.length);
        } finally {
            lock.unlock();
        }
        retireLock.writeLock().lock();
        try {
            for (Segment segment : retired) {
                segment.close();
                io.deleteIfExists(segment.path());
                io.syncDirectory(directory);
            }
        } finally {
            retireLock.writeLock().unlock();
        }
        return retired.size();
    }

    // ------------------------------------------------------------------ reading

    /**
     * Calls {@code handler} with every durable record after {@code afterSequence}, in order (recovery replays
     * what follows its checkpoint).
     *
     * @throws CorruptedStoreException if a record after {@code afterSequence} is missing or damaged
     */
    public void replay(long afterSequence, RedoHandler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        if (afterSequence < 0) {
            throw new IllegalArgumentException("afterSequence must not be negative: " + afterSequence);
        }
        scan(afterSequence, Integer.MAX_VALUE, Long.MAX_VALUE, true, handler);
    }

    /**
     * Up to {@code maxRecords} durable records after {@code afterSequence}, in order, stopping before the record
     * that would take their encoded size past {@code maxBytes} (the first record is returned whatever its size).
     * Empty when nothing durable follows {@code afterSequence}.
     *
     * @throws IllegalArgumentException if {@code afterSequence} is beyond the last record, or older than the
     *                                  retained records (the position expired: the caller needs an image)
     */
    public List<LogEntry> read(long afterSequence, int maxRecords, long maxBytes) throws IOException {
        if (afterSequence < 0) {
            throw new IllegalArgumentException("afterSequence must not be negative: " + afterSequence);
        }
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords must be positive: " + maxRecords);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        long last = lastSequence();
        if (afterSequence > last) {
            throw new IllegalArgumentException("afterSequence " + afterSequence + " is beyond the log's last record "
                    + last);
        }
        List<LogEntry> entries = new ArrayList<>();
        scan(afterSequence, maxRecords, maxBytes, false, (sequence, redo) -> entries.add(new LogEntry(sequence,
                redo)));
        return entries;
    }

    private void scan(long afterSequence, int maxRecords, long maxBytes, boolean replaying, RedoHandler handler)
            throws IOException {
        retireLock.readLock().lock();
        try {
            checkReadable();
            // The bound first, then the segments: every record up to the bound is in a segment of this snapshot.
            long through = readOnly || durability == Durability.NONE ? writtenSequence : durableSequence;
            Segment[] all = segments;
            long want = afterSequence + 1;
            if (want > through) {
                return;
            }
            if (want < all[0].firstSequence()) {
                String missing = "records " + want + ".." + (all[0].firstSequence() - 1);
                if (replaying) {
                    throw new CorruptedStoreException("WAL " + directory + " starts at sequence "
                            + all[0].firstSequence() + ": " + missing + " are missing");
                }
                throw new IllegalArgumentException("afterSequence " + afterSequence + " has expired: " + missing
                        + " were retired");
            }
            int i = all.length - 1;
            while (all[i].firstSequence() > want) {
                i--;
            }
            int records = 0;
            long bytes = 0;
            for (; i < all.length; i++) {
                Segment segment = all[i];
                long[] start = segment.seek(want);
                RecordScanner scanner = new RecordScanner(segment, start[1], segment.end(), start[0]);
                for (RecordScanner.Step step = scanner.next(); step != RecordScanner.Step.END;
                        step = scanner.next()) {
                    if (step != RecordScanner.Step.RECORD) {
                        throw scanner.corrupted("");
                    }
                    long sequence = scanner.sequence();
                    if (sequence > through) {
                        return;
                    }
                    segment.index(sequence, scanner.offset());
                    if (sequence < want) {
                        continue;
                    }
                    if (records > 0 && bytes + scanner.recordBytes() > maxBytes) {
                        return;
                    }
                    handler.apply(sequence, scanner.decode());
                    records++;
                    bytes += scanner.recordBytes();
                    if (records == maxRecords) {
                        return;
                    }
                }
                if (i + 1 < all.length && scanner.expected() != all[i + 1].firstSequence()) {
                    throw new CorruptedStoreException("WAL segment " + segment.path() + " ends before sequence "
                            + scanner.expected() + " but the next segment starts at " + all[i + 1].firstSequence());
                }
                want = Math.max(want, scanner.expected());
            }
        } finally {
            retireLock.readLock().unlock();
        }
    }

    // ------------------------------------------------------------------ figures

    /** The last sequence appended (0 if none ever was). */
    public long lastSequence() {
        lock.lock();
        try {
            checkNotClosed();
            return nextSequence - 1;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The first record the log still holds (retired segments are gone): {@link #read} serves positions from one
     * before it. One more than {@link #lastSequence} when the log holds no record.
     */
    public long firstSequence() {
        checkNotClosed();
        return segments[0].firstSequence();
    }

    /**
     * The highest sequence that {@link #retireThrough} may retire through and still keep at least {@code bytes} of
     * segments (whole segments, newest first); 0 if even all of them hold less.
     */
    public long retireKeeping(long bytes) throws IOException {
        retireLock.readLock().lock();
        try {
            checkNotClosed();
            Segment[] all = segments;
            long kept = 0;
            for (int i = all.length - 1; i >= 0; i--) {
                kept += all[i].length();
                if (kept >= bytes) {
                    return all[i].firstSequence() - 1;
                }
            }
            return 0;
        } finally {
            retireLock.readLock().unlock();
        }
    }

    /** Bytes of records appended since the log was opened (what a checkpoint policy measures growth by). */
    public long appendedBytes() {
        lock.lock();
        try {
            return appendedBytes;
        } finally {
            lock.unlock();
        }
    }

    /** Every record up to this sequence is durable (under {@code NONE}: handed to the OS). */
    public long durableSequence() {
        checkNotClosed();
        return readOnly || durability == Durability.NONE ? writtenSequence : durableSequence;
    }

    public WalStats stats() throws IOException {
        retireLock.readLock().lock();
        lock.lock();
        try {
            checkNotClosed();
            long bytes = 0;
            for (Segment segment : segments) {
                bytes += segment.length();
            }
            return new WalStats(nextSequence - 1, durableSequence(), segments.length, bytes, appendedRecords,
                    appendedBytes, groupWrites, forces, tornBytesCut, groupSizes.snapshot(), flushMicros.snapshot(),
                    flushNanosTotal, flushNanosMax, gathers, gatherNanosTotal);
        } finally {
            lock.unlock();
            retireLock.readLock().unlock();
        }
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Writes every appended record and forces it (unless the durability is {@code NONE}), stops the flusher and
     * releases the segments. Idempotent. Throws if that last write fails (the files are released anyway).
     */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (state == State.CLOSING || state == State.CLOSED) {
                return;
            }
            if (state == State.OPEN) {
                state = State.CLOSING;
            }
            flusherWake.signalAll();
        } finally {
            lock.unlock();
        }
        if (flusher != null) {
            joinUninterruptibly(flusher);
        }
        IOException error = null;
        lock.lock();
        try {
            if (state == State.CLOSING && !readOnly) {
                try {
                    writeThrough(nextSequence - 1, durability != Durability.NONE, false);
                } catch (IOException e) {
                    error = e;
                }
            }
            while (writing) {
                groupWritten.awaitUninterruptibly();
            }
            state = State.CLOSED;
            groupWritten.signalAll();
        } finally {
            lock.unlock();
        }
        retireLock.writeLock().lock();
        try {
            for (Segment segment : segments) {
                try {
                    segment.close();
                } catch (IOException e) {
                    if (error == null) {
                        error = e;
                    } else {
                        error.addSuppressed(e);
                    }
                }
            }
            if (!readOnly) {
                filling.close();
                spare.close();
            }
        } finally {
            retireLock.writeLock().unlock();
        }
        if (error != null) {
            throw error;
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "WriteAheadLog[" + directory + ", " + durability + (readOnly ? ", read-only" : "") + ", " + state
                + "]";
    }

    // ------------------------------------------------------------------ state checks

    private void checkWritable() {
        if (readOnly) {
            throw new UnsupportedOperationException("write-ahead log " + directory + " is open read-only");
        }
    }

    private void checkNotClosed() {
        if (state == State.CLOSED) {
            throw new IllegalStateException("write-ahead log " + directory + " is closed");
        }
    }

    /** Appends and segment changes need an open, healthy log. */
    private void checkAppendable() throws IOException {
        switch (state) {
            case OPEN -> { }
            case FAILED -> throw failedException();
            case CLOSING, CLOSED -> throw new IllegalStateException("write-ahead log " + directory + " is closed");
        }
    }

    /** Group writes also run while closing (close's own, and waiters of records appended before it). */
    private void checkWriting() throws IOException {
        switch (state) {
            case OPEN, CLOSING -> { }
            case FAILED -> throw failedException();
            case CLOSED -> throw new IllegalStateException("write-ahead log " + directory + " is closed");
        }
    }

    private void checkReadable() throws IOException {
        checkWriting();
    }

    /** Under the lock: the first failure wins; waiters and the flusher wake to see it. */
    private void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        state = State.FAILED;
        groupWritten.signalAll();
        flusherWake.signalAll();
    }

    private StoreFailedException failedException() {
        return new StoreFailedException(directory, failure);
    }
}
