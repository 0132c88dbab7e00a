package io.cairn.replication;

import io.cairn.replication.command.Command;
import io.cairn.replication.command.Op;
import io.cairn.replication.command.Query;
import io.cairn.replication.command.QueryResult;
import io.cairn.replication.command.Reply;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * A client of a replication group that is not one of its members (the command line's {@code cairn tree --cluster}):
 * it holds no database, so its writes go to the leader like a member's, and its reads are linearizable, answered
 * by the leader after a read index (Ratis confirms its leadership with a majority first). It follows the leader
 * across elections; a write with no answer within the write timeout throws {@link UnknownOutcomeException}.
 * Thread-safe.
 */
public final class GroupClient implements AutoCloseable {
    private final GroupConnection connection;

    /**
     * A record read through the group, or an entry of a scan.
     *
     * @param commonPrefix true for a prefix a scan rolled up at its delimiter (no value, version 0)
     */
    public record Entry(byte[] key, byte[] value, long version, boolean commonPrefix) {}

    private GroupClient(GroupConnection connection) {
        this.connection = connection;
    }

    /**
     * A client of the group {@code peers} (its members, as they were started; one reachable member is enough to
     * find the leader). Only the group name, timeouts and Ratis settings of {@code options} matter.
     */
    public static GroupClient connect(List<Peer> peers, ReplicationOptions options) {
        Objects.requireNonNull(options, "options");
        List<Peer> members = Peer.checkDistinct(Objects.requireNonNull(peers, "peers"));
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a group has at least one peer, got none");
        }
        return new GroupClient(new GroupConnection(GroupConnection.group(options.groupName(), members), options));
    }

    /** Creates an empty tree; false if the group already has one of that name. */
    public boolean createTree(String name) {
        return connection.write(new Command.CreateTree(name)).reply().status()
                == Reply.Status.APPLIED;
    }

    /** Stores {@code value} under {@code key} in {@code tree}; returns the version it got. */
    public long put(String tree, byte[] key, byte[] value) {
        Op op = Op.put(key, value);
        return ReplicatedTree.applied(tree, op, connection.write(new Command.Point(tree, op)).reply()).version();
    }

    /** Removes {@code key} from {@code tree}; true if it was present. */
    public boolean delete(String tree, byte[] key) {
        Op op = Op.delete(key);
        return ReplicatedTree.conditional(tree, op, connection.write(new Command.Point(tree, op)).reply());
    }

    /** Moves the value of {@code source} to {@code target}, as {@link ReplicatedTree#rename} does. */
    public long rename(String tree, byte[] source, byte[] target, boolean overwrite) {
        return ReplicatedTree.renamed(tree, source, target,
                connection.write(new Command.Point(tree, Op.rename(source, target, overwrite))).reply());
    }

    /** The record under {@code key} in {@code tree} (linearizable), or null if absent or there is no such tree. */
    public Entry get(String tree, byte[] key) {
        QueryResult.Found found = (QueryResult.Found) connection.read(new Query.Get(tree, key), null);
        return found.present() ? new Entry(key, found.value(), found.version(), false) : null;
    }

    /**
     * At most {@code limit} entries of {@code tree} under {@code prefix}, after {@code startAfter} (null: from the
     * start), rolled up at the byte {@code delimiter} (-1: none), in key order (linearizable: one read index).
     */
    public List<Entry> scan(String tree, byte[] prefix, byte[] startAfter, int delimiter, long limit) {
        QueryResult.Entries entries = (QueryResult.Entries) connection.read(
                new Query.Scan(tree, prefix, startAfter, delimiter, limit, false), null);
        return entries.entries().stream().map(e -> new Entry(e.key(), e.commonPrefix() ? null : e.value(),
                e.version(), e.commonPrefix())).toList();
    }

    /** The group's trees, sorted (linearizable). */
    public List<String> treeNames() {
        return ((QueryResult.Names) connection.read(new Query.TreeNames(), null)).names();
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
