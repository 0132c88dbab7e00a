package io.cairn.replication;

import io.cairn.replication.command.Command;
import io.cairn.replication.command.Query;
import io.cairn.replication.command.QueryResult;
import io.cairn.replication.command.Reply;
import io.cairn.replication.command.TreeName;
import io.cairn.replication.state.CairnStateMachine;
import io.cairn.tree.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;

/**
 * One member of a Cairn database replicated by Raft (Apache Ratis): every member holds the whole database and
 * applies the same log of writes in the same order.
 *
 * <ul>
 *   <li><b>Writes</b> ({@link ReplicatedTree}'s put, delete, rename..., {@link #atomic}, {@link #createTree},
 *       {@link #dropTree}) go to the leader from any member, become one Raft log entry each, and return once a
 *       majority has forced the entry to its log and the leader has applied it. Conditions and guards are evaluated
 *       when the entry is applied, so every member gives the same answer; versions are drawn in log order, so a
 *       key has the same version on every member. A write then waits (up to the write timeout) until this member
 *       has applied it too, so this member's own reads see its own writes.</li>
 *   <li><b>Reads</b> ({@link ReplicatedTree#get}, scans) are local: they see what this member has applied, which
 *       may lag the leader by the entries in flight (a heartbeat, usually milliseconds; longer while this member
 *       is cut off). {@link #linearize()} makes the reads after it linearizable: it returns once this member has
 *       applied every write the group committed before the call (a Ratis read index, confirmed by a majority).</li>
 *   <li><b>Durability.</b> The Raft log is the one durability point: an entry is forced there before it counts
 *       towards the majority that acknowledges it. The local database is not forced per write; a crash throws it
 *       away and rebuilds it from the latest snapshot image and the log after it (docs/architecture.md,
 *       "Replication").</li>
 * </ul>
 *
 * <p>The directory holds {@code raft/} (Ratis's log, metadata and snapshot images) and {@code db/} (the local
 * database). Thread-safe; {@link #close} is idempotent and every later call throws {@link IllegalStateException}.
 */
public final class ReplicatedDatabase implements AutoCloseable {
    private final Peer self;
    private final ReplicationOptions options;
    private final RaftServer server;
    private final CairnStateMachine machine;
    private final GroupConnection connection;
    private volatile boolean closed;

    private ReplicatedDatabase(Peer self, ReplicationOptions options, RaftServer server, CairnStateMachine machine,
            GroupConnection connection) {
        this.self = self;
        this.options = options;
        this.server = server;
        this.machine = machine;
        this.connection = connection;
    }

    /**
     * Starts the member {@code nodeId} of the group {@code peers} (every member starts with the same list), with
     * its state in {@code directory} (created if needed; reused after a restart). Returns once the member is
     * running; it has not necessarily found a leader yet (the first write waits for one).
     *
     * @throws IllegalArgumentException if {@code nodeId} is not one of {@code peers} or two peers share an id
     */
    public static ReplicatedDatabase start(String nodeId, List<Peer> peers, Path directory,
            ReplicationOptions options) throws IOException {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(peers, "peers");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(options, "options");
        List<Peer> members = Peer.checkDistinct(peers);
        Peer self = members.stream().filter(p -> p.id().equals(nodeId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("nodeId " + nodeId + " is not one of the peers "
                        + members));
        Files.createDirectories(directory);
        RaftGroup group = GroupConnection.group(options.groupName(), members);
        RaftProperties properties = GroupConnection.properties(options);
        RaftServerConfigKeys.setStorageDir(properties, List.of(directory.resolve("raft").toFile()));
        GrpcConfigKeys.Server.setHost(properties, self.host());
        GrpcConfigKeys.Server.setPort(properties, options.bindPort() != 0 ? options.bindPort() : self.port());
        CairnStateMachine machine = new CairnStateMachine(directory.resolve("db"), options.treeOptions());
        RaftServer server = RaftServer.newBuilder().setServerId(RaftPeerId.valueOf(nodeId)).setGroup(group)
                .setStateMachine(machine).setProperties(properties)
                .setOption(RaftStorage.StartupOption.RECOVER).build();
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            try {
                server.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return new ReplicatedDatabase(self, options, server, machine, new GroupConnection(group, options));
    }

    /** This member. */
    public Peer self() {
        return self;
    }

    /**
     * The id of the member this one believes leads the group now, or null while it knows none (an election is on,
     * or it is cut off). Writes from the leader skip the hop to it.
     */
    public String leaderId() {
        RaftPeerId leader = division().getInfo().getLeaderId();
        return leader == null ? null : leader.toString();
    }

    /** The members of the group, as the configuration this member last applied names them. */
    public List<Peer> peers() {
        return currentPeers().stream().map(GroupConnection::peer).toList();
    }

    private List<RaftPeer> currentPeers() {
        return List.copyOf(division().getRaftConf().getCurrentPeers());
    }

    /** This member's part of the group in its Raft server. */
    private RaftServer.Division division() {
        ensureOpen();
        try {
            return server.getDivision(connection.group().getGroupId());
        } catch (IOException e) {
            throw new IllegalStateException("member " + self.id() + " has no division of its group: " + e, e);
        }
    }

    /**
     * Adds a member to the group through a Raft configuration change: the leader first brings it up to date (a
     * snapshot install and the log after it), then commits the configuration that counts it. Start the new member
     * first, with {@link #start} and the group's peers plus itself. Returns false if it is a member already.
     *
     * @throws IllegalArgumentException if another member has that id
     * @throws UnknownOutcomeException  if the change was not confirmed within the write timeout
     */
    public boolean addMember(Peer peer) {
        Objects.requireNonNull(peer, "peer");
        List<RaftPeer> now = currentPeers();
        for (RaftPeer p : now) {
            if (p.getId().toString().equals(peer.id())) {
                if (GroupConnection.peer(p).equals(peer)) {
                    return false;
                }
                throw new IllegalArgumentException("member " + peer.id() + " is already in the group at "
                        + p.getAddress() + ", not " + peer.address());
            }
        }
        List<RaftPeer> next = new java.util.ArrayList<>(now);
        next.add(GroupConnection.raftPeer(peer));
        connection.reconfigure(next);
        return true;
    }

    /**
     * Removes a member from the group through a Raft configuration change (it stops counting towards majorities;
     * stop it afterwards). Returns false if there is no member of that id.
     *
     * @throws IllegalArgumentException if it is the last member
     * @throws UnknownOutcomeException  if the change was not confirmed within the write timeout
     */
    public boolean removeMember(String id) {
        Objects.requireNonNull(id, "id");
        List<RaftPeer> now = currentPeers();
        List<RaftPeer> next = now.stream().filter(p -> !p.getId().toString().equals(id)).toList();
        if (next.size() == now.size()) {
            return false;
        }
        if (next.isEmpty()) {
            throw new IllegalArgumentException("member " + id + " is the last member of the group; it cannot leave");
        }
        connection.reconfigure(next);
        return true;
    }

    /**
     * A handle on the tree named {@code name}, created (through the group) if this member does not know it yet.
     *
     * @throws IllegalArgumentException if the name breaks the rule (1 to 255 bytes of UTF-8, no NUL)
     */
    public ReplicatedTree tree(String name) {
        ensureOpen();
        TreeName.encode(name);
        if (!machine.database().treeNames().contains(name)) {
            Reply.Status status = write(new Command.CreateTree(name)).status();
            if (status != Reply.Status.APPLIED && status != Reply.Status.TREE_EXISTS) {
                throw refused("create tree " + name, status, "");
            }
        }
        return new ReplicatedTree(this, name);
    }

    /** Creates an empty tree; false if the group already has one of that name. */
    public boolean createTree(String name) {
        ensureOpen();
        return write(new Command.CreateTree(name)).status() == Reply.Status.APPLIED;
    }

    /** Drops the tree and everything in it on every member; false if there is no such tree. */
    public boolean dropTree(String name) {
        ensureOpen();
        return write(new Command.DropTree(name)).status() == Reply.Status.APPLIED;
    }

    /** The trees this member has applied, sorted (local: see the class comment on staleness). */
    public List<String> treeNames() {
        return read(Database::treeNames);
    }

    /**
     * Records operations on any trees ({@link ReplicatedBatch#tree}) and replicates them as one log entry: every
     * member checks every guard and condition at that point of the log, then applies all of it or nothing.
     *
     * @return true if applied, false if a guard or condition failed and nothing changed
     * @throws NoSuchElementException if the batch names a tree the group does not have (nothing changed)
     */
    public boolean atomic(Consumer<ReplicatedBatch> body) {
        ensureOpen();
        Objects.requireNonNull(body, "body");
        ReplicatedBatch batch = new ReplicatedBatch();
        body.accept(batch);
        Reply reply = write(batch.seal());
        return switch (reply.status()) {
            case APPLIED -> true;
            case CONDITION_FAILED -> false;
            default -> throw refused("atomic batch", reply.status(), reply.message());
        };
    }

    /**
     * Waits until this member has applied every write the group committed before this call (a Ratis read index):
     * reads made after it returns are linearizable.
     *
     * @throws UnknownOutcomeException if no leader confirmed the read index within the write timeout
     */
    public void linearize() {
        ensureOpen();
        QueryResult r = connection.read(new Query.Barrier(), RaftPeerId.valueOf(self.id()));
        if (!(r instanceof QueryResult.Applied)) {
            throw new IllegalStateException("member " + self.id() + " answered a barrier with " + r);
        }
    }

    /** The index of the last Raft log entry this member applied. */
    public long appliedIndex() {
        ensureOpen();
        return machine.appliedIndex();
    }

    /** How many snapshot images this member installed from the leader since it started. */
    long snapshotsInstalled() {
        ensureOpen();
        return machine.snapshotsInstalled();
    }

    /** The index of the first entry this member's Raft log still holds (those before it are purged). */
    long logStartIndex() {
        return division().getRaftLog().getStartIndex();
    }

    /** Replicates a command; returns once the leader applied it and (within the write timeout) this member too. */
    Reply write(Command command) {
        ensureOpen();
        GroupConnection.Written written = connection.write(command);
        try {
            machine.awaitApplied(written.index(), options.writeTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return written.reply();
    }

    /** Runs a read against this member's current database (retried once if a snapshot install replaced it). */
    <T> T read(Function<Database, T> reader) {
        ensureOpen();
        Database db = machine.database();
        try {
            return reader.apply(db);
        } catch (IllegalStateException e) {
            if (machine.database() == db) {
                throw e;
            }
            return reader.apply(machine.database());
        }
    }

    static RuntimeException refused(String what, Reply.Status status, String message) {
        return switch (status) {
            case NO_SUCH_TREE -> new NoSuchElementException(what + ": no such tree in the group");
            case REJECTED -> new IllegalArgumentException(what + " was refused by the group: " + message);
            default -> new IllegalStateException(what + " was answered " + status + " " + message);
        };
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("replicated database member " + self.id() + " is closed");
        }
    }

    /**
     * Stops this member: its client, then its Raft server, which closes the local database cleanly so the next start
     * reuses it. The group goes on without it (as long as a majority remains). Idempotent.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connection.close();
        } finally {
            server.close();
        }
    }

    @Override
    public String toString() {
        return "ReplicatedDatabase[" + self + ", group " + options.groupName() + "]";
    }
}
