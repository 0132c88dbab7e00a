package io.cairn.bench.replication;

import io.cairn.replication.Peer;
import io.cairn.replication.ReplicatedDatabase;
import io.cairn.replication.ReplicationOptions;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A member of the benchmarked Cairn group in a JVM of its own: {@code GroupMember ID PEERS DIR ELECTION_MS} starts it
 * (with that election timeout), prints
 * {@link #READY} once its Raft server runs, and serves the group until SIGTERM, which closes it cleanly.
 */
public final class GroupMember {
    static final String READY = "member ready";

    private GroupMember() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: GroupMember ID PEERS DIR ELECTION_MS, found " + args.length
                    + " arguments");
        }
        ReplicatedDatabase member = ReplicatedDatabase.start(args[0], Peer.parseList(args[1]), Path.of(args[2]),
                ReplicationOptions.defaults().electionTimeout(Duration.ofMillis(Long.parseLong(args[3]))));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                member.close();
            } catch (Exception e) {
                System.err.println("member " + args[0] + " did not close cleanly: " + e);
            }
        }));
        System.out.println(READY);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
