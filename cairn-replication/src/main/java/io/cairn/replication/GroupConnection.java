package io.cairn.replication;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.cairn.replication.command.Command;
import io.cairn.replication.command.CommandCodec;
import io.cairn.replication.command.Query;
import io.cairn.replication.command.QueryResult;
import io.cairn.replication.command.Reply;
import io.cairn.stack.CorruptedStoreException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.ReadIndexException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * A Ratis client of one replication group, and the Ratis configuration every member and client shares: writes go
 * to the leader (found and followed by the client across elections), reads go to a chosen member after a read
 * index. Thread-safe: many writers share one client, each request waiting for its own reply.
 */
final class GroupConnection implements AutoCloseable {
    /** A client retries a request this often while no leader answers, until the write timeout. */
    private static final TimeDuration RETRY_SLEEP = TimeDuration.valueOf(100, TimeUnit.MILLISECONDS);

    private final RaftGroup group;
    private final ReplicationOptions options;
    private final long timeoutNanos;
    private final Object clientLock = new Object();
    private volatile RaftClient client;

    GroupConnection(RaftGroup group, ReplicationOptions options) {
        this.group = group;
        this.options = options;
        this.timeoutNanos = options.writeTimeout().toNanos();
        this.client = newClient();
    }

    private RaftClient newClient() {
        int retries = (int) Math.max(1, options.writeTimeout().toMillis() / RETRY_SLEEP.toLong(TimeUnit.MILLISECONDS));
        return RaftClient.newBuilder().setProperties(properties(options)).setRaftGroup(group)
                .setClientId(ClientId.randomId())
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(retries, RETRY_SLEEP)).build();
    }

    /**
     * Replaces {@code failed} (if it is still the client) after one of its requests failed: Ratis closes a client's
     * ordered request window when a request runs out of retries, and every later request of that client then fails
     * at once, so the next request gets a new client.
     */
    private void replace(RaftClient failed, UnknownOutcomeException cause) {
        synchronized (clientLock) {
            if (client == failed) {
                client = newClient();
                try {
                    failed.close();
                } catch (IOException e) {
                    cause.addSuppressed(e);
                }
            }
        }
    }

    /** The group of this name with these members (the id is derived from the name, so every member agrees). */
    static RaftGroup group(String name, List<Peer> peers) {
        return RaftGroup.valueOf(groupId(name), peers.stream().map(GroupConnection::raftPeer).toList());
    }

    static RaftGroupId groupId(String name) {
        return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(("cairn-replication/" + name).getBytes(UTF_8)));
    }

    static RaftPeer raftPeer(Peer p) {
        return RaftPeer.newBuilder().setId(p.id()).setAddress(p.address()).build();
    }

    static Peer peer(RaftPeer p) {
        return Peer.parse(p.getId() + "=" + p.getAddress());
    }

    /** The Ratis settings of every member and client of a group. */
    static RaftProperties properties(ReplicationOptions options) {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        long election = options.electionTimeout().toMillis();
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(election, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(2 * election, TimeUnit.MILLISECONDS));
        // linearizable reads through the read index, on the leader or on a follower that asks the leader for it
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, options.snapshotInterval());
        RaftServerConfigKeys.Snapshot.setCreationGap(p, Math.min(1024, options.snapshotInterval()));
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        // the log a snapshot covers goes even if a member is behind it: that member installs the snapshot, so a
        // member that is down does not make the others keep their whole log
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(1024, options.snapshotInterval()));
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(options.logSegmentSize()));
        // a clean stop keeps the local database (its marker names the applied entry): no image needed
        RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(p, false);
        // the leader's retries towards a member that failed or answered INCONSISTENCY (each step of finding where a
        // restarted member's log diverges is one) sleep at most an election timeout: Ratis's default climbs to 5 s
        // after 30 errors, which a member down for a few seconds has collected, and a restarted member that had to
        // walk back a few entries then took minutes to rejoin
        RaftServerConfigKeys.Log.Appender.setRetryPolicy(p, "1ms,10," + Math.max(1, election / 4) + "ms,20,"
                + election + "ms,1000000");
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(Math.max(3_000, 4 * election),
                TimeUnit.MILLISECONDS));
        GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf("64MB"));
        return p;
    }

    RaftGroup group() {
        return group;
    }

    RaftClient client() {
        return client;
    }

    /** What the leader answered to a write, and the index of the log entry that holds it. */
    record Written(Reply reply, long index) {}

    /** Replicates a command and returns the leader's answer once it is applied there. */
    Written write(Command command) {
        Message message = Message.valueOf(ByteString.copyFrom(CommandCodec.encode(command)));
        RaftClient c = client;
        RaftClientReply reply;
        try {
            reply = await(c.async().send(message), "write");
        } catch (UnknownOutcomeException e) {
            replace(c, e);
            throw e;
        }
        try {
            return new Written(Reply.decode(reply.getMessage().getContent().toByteArray()), reply.getLogIndex());
        } catch (CorruptedStoreException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Answers a query on {@code member} (null: the leader) after a read index: linearizable. A member that knows no
     * leader yet (just started, or an election is on) is asked again until the write timeout.
     */
    QueryResult read(Query query, RaftPeerId member) {
        Message message = Message.valueOf(ByteString.copyFrom(Query.encode(query)));
        long deadline = System.nanoTime() + timeoutNanos;
        RaftClientReply reply;
        while (true) {
            RaftClient c = client;
            try {
                // unordered: an ordered read to a chosen member takes a sequence window of its own, and when that
                // member is also the leader both windows share the client's one stream to it, whose server-side
                // window then waits for sequence numbers it never gets (each such request stalled for the client's
                // request timeout, then the client gave up on that leader and tried the next member)
                reply = await(member == null ? c.async().sendReadOnlyUnordered(message)
                        : c.async().sendReadOnlyUnordered(message, member), "read");
                break;
            } catch (UnknownOutcomeException e) {
                if (!(e.getCause() instanceof ReadIndexException || e.getCause() instanceof LeaderNotReadyException)
                        || System.nanoTime() + RETRY_SLEEP.toLong(TimeUnit.NANOSECONDS) > deadline) {
                    replace(c, e);
                    throw e;
                }
                sleep(RETRY_SLEEP);
            }
        }
        try {
            return QueryResult.decode(reply.getMessage().getContent().toByteArray());
        } catch (CorruptedStoreException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes {@code peers} the group's members (a Ratis configuration change through the leader). */
    void reconfigure(List<RaftPeer> peers) {
        RaftClientReply reply;
        try {
            reply = client.admin().setConfiguration(peers);
        } catch (IOException e) {
            throw new UnknownOutcomeException("changing the members of group " + group.getGroupId() + " to " + peers
                    + " failed: " + e, e);
        }
        if (!reply.isSuccess()) {
            throw new UnknownOutcomeException("group " + group.getGroupId() + " refused the members " + peers + ": "
                    + reply.getException(), reply.getException());
        }
    }

    private static void sleep(TimeDuration d) {
        try {
            d.sleep();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnknownOutcomeException("interrupted while waiting for a leader",
                    new InterruptedIOException(e.toString()));
        }
    }

    private RaftClientReply await(java.util.concurrent.CompletableFuture<RaftClientReply> future, String what) {
        RaftClientReply reply;
        try {
            reply = future.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new UnknownOutcomeException("no answer from group " + group.getGroupId() + " to a " + what
                    + " within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms; members " + group.getPeers(), e);
        } catch (ExecutionException e) {
            throw new UnknownOutcomeException("the " + what + " to group " + group.getGroupId() + " failed: "
                    + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnknownOutcomeException("interrupted while waiting for a " + what,
                    new InterruptedIOException(e.toString()));
        }
        if (!reply.isSuccess()) {
            IOException cause = reply.getException() != null ? reply.getException() : new IOException("refused");
            throw new UnknownOutcomeException("group " + group.getGroupId() + " refused a " + what + ": " + cause,
                    cause);
        }
        return reply;
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
