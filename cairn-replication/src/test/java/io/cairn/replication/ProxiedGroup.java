package io.cairn.replication;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Three members in this JVM, each behind a {@link LoopbackProxy} on its advertised port (its server listens on its
 * {@code bindPort}), so a test can drop or delay what reaches a member, and stop and restart one.
 */
final class ProxiedGroup implements AutoCloseable {
    private final Path dir;
    private final ReplicationOptions options;
    final List<Peer> peers;
    private final List<Peer> bound;
    final List<LoopbackProxy> proxies = new ArrayList<>();
    final List<ReplicatedDatabase> members = new ArrayList<>();

    ProxiedGroup(Path dir, ReplicationOptions options) throws IOException {
        this.dir = dir;
        this.options = options;
        peers = Ports.loopbackPeers(3);
        bound = Ports.loopbackPeers(3);
        for (int i = 0; i < 3; i++) {
            proxies.add(new LoopbackProxy(peers.get(i).port(), bound.get(i).port()));
        }
        for (int i = 0; i < 3; i++) {
            members.add(start(i));
        }
    }

    private ReplicatedDatabase start(int i) throws IOException {
        return ReplicatedDatabase.start(peers.get(i).id(), peers, dir.resolve(peers.get(i).id()),
                options.bindPort(bound.get(i).port()));
    }

    /** Stops member {@code i}; {@link #restart} brings it back on its directory. */
    void stop(int i) throws IOException {
        members.get(i).close();
    }

    void restart(int i) throws IOException {
        members.set(i, start(i));
    }

    /** The index of the member that leads (after a barrier through member 0, so there is one). */
    int leaderIndex() {
        members.get(0).linearize();
        String id = members.get(0).leaderId();
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).self().id().equals(id)) {
                return i;
            }
        }
        throw new AssertionError("no member is " + id);
    }

    @Override
    public void close() throws IOException {
        try {
            for (ReplicatedDatabase m : members) {
                m.close();
            }
        } finally {
            for (LoopbackProxy p : proxies) {
                p.close();
            }
        }
    }
}
