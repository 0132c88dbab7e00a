package io.cairn.replication;

import java.nio.file.Path;

/**
 * A replica in its own JVM for {@link ReplicationCrashTest}: starts member {@code args[0]} of the group
 * {@code args[1]} in directory {@code args[2]} with {@link ReplicationCrashTest#options()}, prints {@code READY}
 * and runs until it is killed.
 */
public final class ReplicaProcess {
    private ReplicaProcess() {}

    public static void main(String[] args) throws Exception {
        ReplicatedDatabase member = ReplicatedDatabase.start(args[0], Peer.parseList(args[1]), Path.of(args[2]),
                ReplicationCrashTest.options());
        System.out.println("READY " + member.self().id());
        System.out.flush();
        Thread.currentThread().join();
    }
}
