package io.cairn.replication;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.replication.command.Command;
import io.cairn.replication.command.Op;
import io.cairn.replication.command.Query;
import io.cairn.replication.command.QueryResult;
import io.cairn.replication.command.Reply;
import io.cairn.stack.testkit.Linearizability;
import io.cairn.stack.testkit.Linearizability.Call;
import io.cairn.tree.Record;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.protocol.RaftPeerId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Linearizability of single-key operations through the group, checked on recorded histories with the
 * Wing–Gong/Lowe checker ({@link Linearizability}): clients outside the group read (a read index on a random
 * member), write and compare-and-put a few keys while the leader is stopped or the network is partitioned, each
 * operation recorded with its invocation and completion time; an operation whose outcome is unknown (the client
 * gave up) may or may not have happened, a read that got no answer says nothing and is left out. Each key's
 * history (linearizability is local, so keys are checked apart) must have a linearization against a register.
 */
class GroupLinearizabilityTest {
    private static final int CLIENTS = 3;
    private static final int OPS_PER_CLIENT = 10;
    private static final int KEYS = 2;
    /** A completion time for an operation whose outcome is unknown: it may take effect at any later point or never. */
    private static final long UNKNOWN = Long.MAX_VALUE;

    @TempDir
    Path dir;

    private ProxiedGroup group;
    private final List<GroupConnection> connections = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (GroupConnection c : connections) {
            c.close();
        }
        if (group != null) {
            group.close();
        }
    }

    /**
     * One key as a register: the write it holds ({@code holder}, a token naming the write; 0: absent) and the version
     * the group gave each write, as far as results have shown them. Versions cannot be predicted, so the model learns
     * them; a token has one version and a version one token, and compare-and-put succeeds exactly when the key holds
     * the write whose version it names.
     */
    record Register(int holder, Map<Integer, Long> versions) {
        static final Register ABSENT = new Register(0, Map.of());

        Register hold(int token) {
            return new Register(token, versions);
        }

        /** This register with {@code token}'s version learned, or null if either is known to belong elsewhere. */
        Register bind(int token, long version) {
            Long known = versions.get(token);
            if (known != null) {
                return known == version ? this : null;
            }
            if (versions.containsValue(version)) {
                return null;
            }
            Map<Integer, Long> next = new HashMap<>(versions);
            next.put(token, version);
            return new Register(holder, Map.copyOf(next));
        }

        /** Whether the key holds the write of that version (a version a client passes was shown to it before). */
        boolean holdsVersion(long version) {
            return holder != 0 && versions.get(holder) != null && versions.get(holder) == version;
        }
    }

    /** A write of {@code token} answered with {@code version}, or ({@code returned == UNKNOWN}) never answered. */
    static Call<Register> write(long invoked, long returned, int token, long version) {
        return new Call<>(invoked, returned, s -> returned == UNKNOWN ? s.hold(token) : s.hold(token).bind(token,
                version), "write w" + token + (returned == UNKNOWN ? " (unknown)" : " -> v" + version));
    }

    /** A compare-and-put of {@code token} over {@code expected}: applied at {@code version}, refused, or unknown. */
    static Call<Register> compareAndPut(long invoked, long returned, long expected, int token, Boolean applied,
            long version) {
        String what = "cas v" + expected + " -> w" + token;
        if (returned == UNKNOWN) {
            return new Call<>(invoked, returned, s -> s.holdsVersion(expected) ? s.hold(token) : s,
                    what + " (unknown)");
        }
        if (applied) {
            return new Call<>(invoked, returned, s -> s.holdsVersion(expected) ? s.hold(token).bind(token, version)
                    : null, what + " applied at v" + version);
        }
        return new Call<>(invoked, returned, s -> s.holdsVersion(expected) ? null : s, what + " refused");
    }

    /** A read that found {@code token} at {@code version} (token 0: the key was absent). */
    static Call<Register> read(long invoked, long returned, int token, long version) {
        return new Call<>(invoked, returned, s -> s.holder() != token ? null : token == 0 ? s : s.bind(token,
                version), "read " + (token == 0 ? "absent" : "w" + token + " at v" + version));
    }

    private static boolean linearizable(List<Call<Register>> history) {
        return Linearizability.check(Register.ABSENT, history);
    }

    @Test
    void theCheckerRejectsStaleReadsAndLostWritesAndAcceptsWhatConcurrencyAllows() {
        // a read that starts after an acknowledged write returned must see it (or something later)
        assertFalse(linearizable(List.of(write(0, 10, 1, 7), read(20, 30, 0, 0))), "stale read of the absence");
        assertFalse(linearizable(List.of(write(0, 10, 1, 7), write(20, 30, 2, 9), read(40, 50, 2, 9),
                read(60, 70, 1, 7))), "a read going back to an overwritten value");
        assertFalse(linearizable(List.of(write(0, 10, 1, 7), write(20, 30, 2, 9),
                compareAndPut(40, 50, 7, 3, true, 11))), "a compare-and-put applied over a version no longer held");
        assertFalse(linearizable(List.of(write(0, 10, 1, 7), compareAndPut(20, 30, 7, 2, false, 0))),
                "a compare-and-put refused although the key held that version");
        assertFalse(linearizable(List.of(write(0, 10, 1, 7), read(20, 30, 1, 8))), "one write seen at two versions");
        // overlap allows either order; an unknown write may have happened or not, but only once and in one place
        assertTrue(linearizable(List.of(write(0, 10, 1, 7), read(5, 30, 0, 0))));
        assertTrue(linearizable(List.of(write(0, UNKNOWN, 1, 0), read(20, 30, 0, 0), read(40, 50, 1, 7))));
        assertTrue(linearizable(List.of(write(0, UNKNOWN, 1, 0), read(20, 30, 0, 0))));
        assertFalse(linearizable(List.of(write(0, UNKNOWN, 1, 0), read(20, 30, 1, 7), read(40, 50, 0, 0))),
                "an unknown write seen, then unseen");
        assertTrue(linearizable(List.of(write(0, 10, 1, 7), compareAndPut(20, UNKNOWN, 7, 2, null, 0),
                read(30, 40, 1, 7), read(50, 60, 2, 12))));
    }

    /**
     * The check catches a real stale read: a follower cut off from the leader still answers local reads (documented
     * staleness), so a history with one of them after a newer acknowledged write has no linearization.
     */
    @Test
    void aLocalReadOnACutOffFollowerIsCaughtAsStale() throws Exception {
        group = new ProxiedGroup(dir, ReplicatedDatabaseTest.fastOptions());
        int leader = group.leaderIndex();
        int follower = (leader + 1) % 3;
        ReplicatedTree writer = group.members.get(leader).tree("t");
        group.members.get(follower).linearize();
        byte[] key = "k".getBytes(UTF_8);
        List<Call<Register>> history = new ArrayList<>();
        long invoked = System.nanoTime();
        long v1 = writer.put(key, "w1".getBytes(UTF_8));
        history.add(write(invoked, System.nanoTime(), 1, v1));
        group.members.get(follower).linearize();
        group.proxies.get(follower).cut(true);
        invoked = System.nanoTime();
        long v2 = writer.put(key, "w2".getBytes(UTF_8));
        history.add(write(invoked, System.nanoTime(), 2, v2));
        invoked = System.nanoTime();
        Record stale = group.members.get(follower).tree("t").getRecord(key);
        history.add(read(invoked, System.nanoTime(), 1, stale.version()));
        assertEquals("w1", new String(stale.value(), UTF_8), "the cut-off follower has not seen w2");
        assertFalse(linearizable(history), Linearizability.describe(history));
        group.proxies.get(follower).cut(false);
    }

    @Test
    void singleKeyOperationsThroughTheGroupAreLinearizableAcrossLeaderStopsAndPartitions() throws Exception {
        run(Integer.getInteger("cairn.replication.linearizabilitySegments", 4), 7);
    }

    @Test
    @Tag("soak")
    void soakLinearizabilityThroughTheGroup() throws Exception {
        run(Integer.getInteger("cairn.replication.soakLinearizabilitySegments", 100), System.nanoTime());
    }

    /**
     * {@code segments} rounds, each on fresh keys: the clients run their operations while, a random moment in, the
     * leader is stopped (even segments; it restarts a moment later) or both followers stop hearing anything (odd
     * segments: the leader is cut off from them, though what they send still reaches it; healed a moment later).
     */
    private void run(int segments, long seed) throws Exception {
        ReplicationOptions options = ReplicatedDatabaseTest.fastOptions();
        group = new ProxiedGroup(dir, options);
        group.members.get(0).tree("t");
        for (int c = 0; c < CLIENTS; c++) {
            connections.add(new GroupConnection(GroupConnection.group(options.groupName(), group.peers),
                    options.writeTimeout(Duration.ofSeconds(3))));
        }
        Random random = new Random(seed);
        AtomicInteger tokens = new AtomicInteger();
        for (int segment = 0; segment < segments; segment++) {
            String context = "seed " + seed + " segment " + segment;
            List<List<Call<Register>>> histories = new ArrayList<>();
            for (int k = 0; k < KEYS; k++) {
                histories.add(Collections.synchronizedList(new ArrayList<>()));
            }
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                GroupConnection connection = connections.get(c);
                Random r = new Random(random.nextLong());
                String prefix = "s" + segment + "-k";
                clients.add(Thread.ofPlatform().name("client-" + c).start(() -> {
                    try {
                        new Client(connection, r, prefix, tokens, histories).run();
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            Thread.sleep(random.nextInt(300));
            int leader = group.leaderIndex();
            if (segment % 2 == 0) {
                group.stop(leader);
                Thread.sleep(500 + random.nextInt(500));
                group.restart(leader);
            } else {
                for (int i = 0; i < 3; i++) {
                    group.proxies.get(i).cut(i != leader);
                }
                Thread.sleep(500 + random.nextInt(1000));
                group.proxies.forEach(p -> p.cut(false));
            }
            for (Thread t : clients) {
                t.join();
            }
            if (!failures.isEmpty()) {
                throw new AssertionError(context + ": a client failed: " + failures.getFirst(), failures.getFirst());
            }
            for (int k = 0; k < KEYS; k++) {
                List<Call<Register>> history = List.copyOf(histories.get(k));
                assertTrue(linearizable(history), context + " key " + k + " has no linearization:\n"
                        + Linearizability.describe(history));
            }
            System.out.printf("%s: %s operations checked%n", context, histories.stream().map(List::size).toList());
        }
    }

    /** One client's operations on the segment's keys, each recorded in its key's history. */
    private final class Client {
        private final GroupConnection connection;
        private final Random random;
        private final String prefix;
        private final AtomicInteger tokens;
        private final List<List<Call<Register>>> histories;
        /** The last version this client saw on each key (0: none yet): what its compare-and-puts expect. */
        private final long[] seen = new long[KEYS];

        Client(GroupConnection connection, Random random, String prefix, AtomicInteger tokens,
                List<List<Call<Register>>> histories) {
            this.connection = connection;
            this.random = random;
            this.prefix = prefix;
            this.tokens = tokens;
            this.histories = histories;
        }

        void run() {
            for (int i = 0; i < OPS_PER_CLIENT; i++) {
                int key = random.nextInt(KEYS);
                int kind = random.nextInt(10);
                if (kind < 4) {
                    read(key);
                } else if (kind < 7 || seen[key] == 0) {
                    write(key);
                } else {
                    compareAndPut(key);
                }
            }
        }

        private byte[] key(int key) {
            return (prefix + key).getBytes(UTF_8);
        }

        private void read(int key) {
            RaftPeerId member = RaftPeerId.valueOf(group.peers.get(random.nextInt(3)).id());
            long invoked = System.nanoTime();
            QueryResult.Found found;
            try {
                found = (QueryResult.Found) connection.read(new Query.Get("t", key(key)), member);
            } catch (UnknownOutcomeException e) {
                return; // no answer: a read that changed nothing and showed nothing
            }
            long returned = System.nanoTime();
            int token = found.value() == null ? 0 : Integer.parseInt(new String(found.value(), UTF_8).substring(1));
            histories.get(key).add(GroupLinearizabilityTest.read(invoked, returned, token, found.version()));
            if (token != 0) {
                seen[key] = found.version();
            }
        }

        private void write(int key) {
            int token = tokens.incrementAndGet();
            long invoked = System.nanoTime();
            try {
                Reply r = connection.write(new Command.Point("t", Op.put(key(key), value(token)))).reply();
                long returned = System.nanoTime();
                assertEquals(Reply.Status.APPLIED, r.status());
                histories.get(key).add(GroupLinearizabilityTest.write(invoked, returned, token, r.version()));
                seen[key] = r.version();
            } catch (UnknownOutcomeException e) {
                histories.get(key).add(GroupLinearizabilityTest.write(invoked, UNKNOWN, token, 0));
            }
        }

        private void compareAndPut(int key) {
            int token = tokens.incrementAndGet();
            long expected = seen[key];
            long invoked = System.nanoTime();
            try {
                Reply r = connection.write(new Command.Point("t", Op.compareAndPut(key(key), expected,
                        value(token)))).reply();
                long returned = System.nanoTime();
                boolean applied = r.status() == Reply.Status.APPLIED;
                assertTrue(applied || r.status() == Reply.Status.CONDITION_FAILED, r.toString());
                histories.get(key).add(GroupLinearizabilityTest.compareAndPut(invoked, returned, expected, token,
                        applied, r.version()));
                if (applied) {
                    seen[key] = r.version();
                }
            } catch (UnknownOutcomeException e) {
                histories.get(key).add(GroupLinearizabilityTest.compareAndPut(invoked, UNKNOWN, expected, token,
                        null, 0));
            }
        }

        private static byte[] value(int token) {
            return ("w" + token).getBytes(UTF_8);
        }
    }
}
