package io.cairn.replication.state;

import io.cairn.replication.command.Command;
import io.cairn.replication.command.CommandCodec;
import io.cairn.replication.command.Query;
import io.cairn.replication.command.QueryResult;
import io.cairn.stack.CorruptedStoreException;
import io.cairn.tree.Database;
import io.cairn.tree.TreeOptions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;

/**
 * The Ratis state machine of a replicated Cairn database: every log entry is a {@link Command}, applied to the
 * replica's {@link LocalState} in log order on Ratis's apply thread; read-only queries are answered from it;
 * snapshots are database images.
 *
 * <ul>
 *   <li>{@link #startTransaction}: the leader decodes a client's command before it enters the log, so a damaged or
 *       foreign message is refused to its sender and never replicated.</li>
 *   <li>{@link #applyTransaction}: applies and answers; the answer reaches the writer from the leader.</li>
 *   <li>{@link #takeSnapshot}: a checkpoint and an image of the database at the applied index, written as Ratis's
 *       snapshot file {@code snapshot.TERM_INDEX} (with its MD5 file) in the state machine directory; Ratis then
 *       purges the log it covers and sends the file to a replica that is too far behind (or new).</li>
 *   <li>{@link #reinitialize}: after such a file was installed, rebuilds the database from it.</li>
 * </ul>
 */
public final class CairnStateMachine extends BaseStateMachine {
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final Path databaseDirectory;
    private final Path markerFile;
    private final TreeOptions options;
    private volatile LocalState local;
    /**
     * The last index Ratis handed to this machine since it started. Behind {@link #getLastAppliedTermIndex} only
     * while Ratis replays entries that a cleanly stopped database already holds; no snapshot is taken meanwhile,
     * since Ratis checks that a snapshot's index is one it applied.
     */
    private volatile long replayed;
    /** How many snapshot images this replica installed from the leader since it started. */
    private final AtomicLong installs = new AtomicLong();
    /** Notified whenever the applied index moves; {@link #awaitApplied} waits on it. */
    private final Object appliedMoved = new Object();

    /**
     * @param databaseDirectory where the local database lives (outside Ratis's storage, whose state machine
     *                          directory is replaced whole when a snapshot is installed)
     * @param options           the local database's options (its durability is always {@code NONE})
     */
    public CairnStateMachine(Path databaseDirectory, TreeOptions options) {
        this.databaseDirectory = databaseDirectory;
        this.markerFile = databaseDirectory.resolveSibling(databaseDirectory.getFileName() + ".clean");
        this.options = options;
    }

    /** The local database as of now (replaced when a snapshot is installed; a handle may then be closed). */
    public Database database() {
        return local.database();
    }

    /** The index of the last log entry this replica applied. */
    public long appliedIndex() {
        TermIndex t = getLastAppliedTermIndex();
        return t == null ? 0 : t.getIndex();
    }

    /** How many snapshot images this replica installed from the leader since it started (catching up by image). */
    public long snapshotsInstalled() {
        return installs.get();
    }

    /**
     * Waits until this replica has applied the log entry {@code index}, or {@code timeout} has passed.
     *
     * @return whether it has
     */
    public boolean awaitApplied(long index, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (appliedMoved) {
            for (long left = timeout.toNanos(); appliedIndex() < index; left = deadline - System.nanoTime()) {
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(appliedMoved, left);
            }
        }
        return true;
    }

    private void signalApplied() {
        synchronized (appliedMoved) {
            appliedMoved.notifyAll();
        }
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        getLifeCycle().startAndTransition(this::load);
    }

    @Override
    public void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    @Override
    public void reinitialize() throws IOException {
        getLifeCycle().startAndTransition(() -> {
            SingleFileSnapshotInfo s = storage.loadLatestSnapshot();
            if (s == null) {
                throw new IOException("no snapshot in " + storage + " to install");
            }
            local.install(s.getFile().getPath(), applied(s.getTermIndex()));
            installs.incrementAndGet();
            updateLastAppliedTermIndex(s.getTermIndex());
            replayed = s.getIndex();
            signalApplied();
        }, IOException.class);
    }

    private void load() throws IOException {
        SingleFileSnapshotInfo s = storage.getLatestSnapshot();
        local = LocalState.open(databaseDirectory, markerFile, options, s == null ? null : s.getFile().getPath(),
                s == null ? null : applied(s.getTermIndex()));
        CleanMarker.Applied a = local.applied();
        setLastAppliedTermIndex(TermIndex.valueOf(a.term(), a.index()));
        replayed = s == null ? 0 : s.getIndex();
    }

    private static CleanMarker.Applied applied(TermIndex t) {
        return new CleanMarker.Applied(t.getTerm(), t.getIndex());
    }

    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        TransactionContext trx = super.startTransaction(request);
        try {
            CommandCodec.decode(request.getMessage().getContent().toByteArray(),
                    "command from " + request.getClientId());
        } catch (CorruptedStoreException e) {
            trx.setException(e);
        }
        return trx;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long index = entry.getIndex();
        try {
            Command command = CommandCodec.decode(entry.getStateMachineLogEntry().getLogData().toByteArray(),
                    "log entry " + index);
            byte[] reply = local.apply(index, command).encode();
            advance(entry.getTerm(), index);
            return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(reply)));
        } catch (CorruptedStoreException | RuntimeException e) {
            // A damaged entry or a failed local database: this replica cannot go on. Thrown, not returned as a
            // failed future (which Ratis logs and then applies the next entry over): Ratis's apply thread then
            // stops the server, and the next start rebuilds from the snapshot and the log.
            local.fail();
            throw new IllegalStateException("replica cannot apply log entry " + index + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        advance(term, index);
    }

    /** Moves the applied index forward; entries replayed below it after a clean restart leave it. */
    private void advance(long term, long index) {
        replayed = index;
        TermIndex now = getLastAppliedTermIndex();
        if (now == null || index > now.getIndex()) {
            updateLastAppliedTermIndex(term, index);
            local.noteApplied(term, index);
            signalApplied();
        }
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        try {
            Query q = Query.decode(request.getContent().toByteArray());
            QueryResult r = local.query(q);
            return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(QueryResult.encode(r))));
        } catch (CorruptedStoreException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() <= 0 || replayed < last.getIndex()) {
            return -1;
        }
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        local.exportImage(file.toPath());
        FileInfo info = new FileInfo(file.toPath(), MD5FileUtil.computeAndSaveMd5ForFile(file));
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(info, last));
        return last.getIndex();
    }

    @Override
    public void close() throws IOException {
        LocalState l = local;
        if (l != null) {
            getLifeCycle().checkStateAndClose(l::close);
        }
    }
}
