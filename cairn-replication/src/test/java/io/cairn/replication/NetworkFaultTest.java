package io.cairn.replication;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.replication.command.Command;
import io.cairn.replication.command.Op;
import io.cairn.replication.command.Reply;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three members in this JVM, each behind a {@link LoopbackProxy} on its advertised port: messages to a member are
 * dropped or delayed. The side without a majority never acknowledges a write; healed, the group converges.
 */
class NetworkFaultTest {
    @TempDir
    Path dir;

    private ProxiedGroup group;
    private List<ReplicatedDatabase> members;
    private List<LoopbackProxy> proxies;

    @AfterEach
    void stop() throws IOException {
        if (group != null) {
            group.close();
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private void startBehindProxies() throws IOException {
        group = new ProxiedGroup(dir, ReplicatedDatabaseTest.fastOptions());
        members = group.members;
        proxies = group.proxies;
    }

    private int leaderIndex() {
        return group.leaderIndex();
    }

    private List<String> contents(ReplicatedDatabase m) {
        m.linearize();
        return m.tree("t").scan(new byte[0], Long.MAX_VALUE).stream()
                .map(e -> e.keyString() + "=" + new String(e.value(), UTF_8) + "@" + e.version()).toList();
    }

    @Test
    void aLeaderCutOffFromItsFollowersAcknowledgesNothingAndTheHealedGroupConverges() throws IOException {
        startBehindProxies();
        int leader = leaderIndex();
        ReplicatedTree t = members.get(leader).tree("t");
        t.put(b("before"), b("1"));
        for (int i = 0; i < 3; i++) {
            if (i != leader) {
                proxies.get(i).cut(true);
            }
        }
        // the leader alone is a minority: a write it takes is appended but never committed, so never acknowledged;
        // a client that can reach only the leader (the followers hear nothing) gets no answer in time
        int follower = (leader + 1) % 3;
        try (GroupConnection impatient = new GroupConnection(GroupConnection.group(ReplicationOptions.defaults()
                .groupName(), members.get(leader).peers()), ReplicatedDatabaseTest.fastOptions()
                .writeTimeout(Duration.ofSeconds(2)))) {
            assertThrows(UnknownOutcomeException.class, () -> impatient.write(new Command.Point("t",
                    Op.put(b("cut-off"), b("2")))));
            assertThrows(UnknownOutcomeException.class, () -> impatient.write(new Command.Point("t",
                    Op.put(b("cut-off-2"), b("3")))));
            for (LoopbackProxy p : proxies) {
                p.cut(false);
            }
            members.get(follower).tree("t").put(b("after"), b("4"));
            // the group is back: a connection whose writes timed out writes again (it is not left broken)
            assertEquals(Reply.Status.APPLIED, impatient.write(new Command.Point("t",
                    Op.put(b("after-2"), b("5")))).reply().status());
        }
        List<String> expected = contents(members.get(0));
        for (ReplicatedDatabase m : members) {
            assertEquals(expected, contents(m), "member " + m.self().id());
        }
    }

    @Test
    void aSlowFollowerDoesNotHoldUpTheGroupAndCatchesUp() throws IOException {
        startBehindProxies();
        int leader = leaderIndex();
        int slow = (leader + 1) % 3;
        proxies.get(slow).delay(40);
        ReplicatedTree t = members.get(leader).tree("t");
        for (int i = 0; i < 30; i++) {
            t.put(b("k" + i), b("v" + i));
        }
        proxies.get(slow).delay(0);
        List<String> expected = contents(members.get(leader));
        assertEquals(30, expected.size());
        assertEquals(expected, contents(members.get(slow)));
    }
}
