package io.cairn.replication;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cairn.replication.command.Command;
import io.cairn.replication.command.Op;
import io.cairn.replication.command.Query;
import io.cairn.replication.command.QueryResult;
import io.cairn.replication.command.Reply;
import io.cairn.stack.testkit.ChildJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftPeerId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three replicas in three JVMs on loopback, clients writing a random mix (puts, deletes, conditional puts,
 * renames, atomic batches across two trees), and the leader killed with SIGKILL at a random moment of every round.
 * After each round, with the killed replica restarted: every write the group acknowledged is on every replica
 * (each key holds its last acknowledged value, or the value of a later write whose outcome is unknown), and the
 * three replicas hold identical keys, values and versions. Snapshots are taken every few hundred entries and the
 * log they cover is purged, so a killed replica often catches up by installing one. The last round kills all three
 * at once: the Raft log alone (forced before an acknowledgement) brings every acknowledged write back.
 */
class ReplicationCrashTest {
    private static final String[] TREES = {"a", "b"};
    private static final int CLIENTS = 4;
    private static final int KEYS_PER_CLIENT = 12;
    /** How long a restarted replica may take to find the leader and catch up (generous: the machine is shared). */
    private static final Duration CATCH_UP = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private List<Peer> peers;
    private final Map<String, ChildJvm> replicas = new TreeMap<>();
    private GroupConnection client;
    /** A connection per client thread, kept across rounds: a request waiting out a dead leader holds up no other. */
    private final List<GroupConnection> connections = new ArrayList<>();

    /** The options of every replica and client of this test: quick elections, small snapshots and log segments. */
    static ReplicationOptions options() {
        return ReplicationOptions.defaults().electionTimeout(Duration.ofMillis(600))
                .writeTimeout(Duration.ofSeconds(15))
                .snapshotInterval(40).logSegmentSize(16 << 10);
    }

    @Test
    void acknowledgedWritesSurviveTheLeaderKilledRepeatedly() throws Exception {
        run(Integer.getInteger("cairn.replication.rounds", 10), 42);
    }

    @Test
    @Tag("soak")
    void soakTheLeaderKilledTwoHundredTimes() throws Exception {
        run(Integer.getInteger("cairn.replication.soakRounds", 200), System.nanoTime());
    }

    @AfterEach
    void stopAll() throws Exception {
        for (GroupConnection c : connections) {
            c.close();
        }
        if (client != null) {
            client.close();
        }
        for (ChildJvm c : replicas.values()) {
            c.close();
        }
    }

    private void run(int rounds, long seed) throws Exception {
        Random random = new Random(seed);
        peers = Ports.loopbackPeers(3);
        start(peers.stream().map(Peer::id).toList());
        client = new GroupConnection(GroupConnection.group(options().groupName(), peers), options());
        for (int c = 0; c < CLIENTS; c++) {
            connections.add(new GroupConnection(client.group(), options()));
        }
        for (String t : TREES) {
            writeUntilAcknowledged(new Command.CreateTree(t), "seed " + seed + ": creating tree " + t);
        }
        Model model = new Model();
        for (int round = 1; round <= rounds; round++) {
            String context = "seed " + seed + " round " + round;
            long started = System.nanoTime();
            boolean all = round == rounds;
            Workload load = new Workload(model, random.nextLong());
            Thread.sleep(100 + random.nextInt(600));
            List<String> killed = all ? List.copyOf(replicas.keySet()) : List.of(leader());
            for (String id : killed) {
                replicas.remove(id).kill();
            }
            if (!all) {
                // writes go on with the two left (a new election first); every third round long enough for the
                // killed one to fall behind a snapshot and the purge of the log it covers
                Thread.sleep(round % 3 == 0 ? 2500 : 300 + random.nextInt(700));
            }
            // the killed members restart while the clients still write: they rejoin a moving group, and writes
            // waiting out a group with no majority (the last round) complete instead of timing out
            long restarting = System.nanoTime();
            start(killed);
            long stopping = System.nanoTime();
            load.stop();
            // the group is live again: a write is acknowledged (and must then be everywhere)
            long writing = System.nanoTime();
            String marker = "round-" + round;
            Reply live = writeUntilAcknowledged(new Command.Point("a", Op.put(bytes(marker), bytes(marker))), context);
            assertEquals(Reply.Status.APPLIED, live.status(), context);
            model.acknowledged("a/" + marker, marker);
            long checking = System.nanoTime();
            model.check(contents(context + ", killed " + killed), context);
            long done = System.nanoTime();
            System.out.printf("%s: killed %s; %d writes acknowledged, %d unknown; %d ms (restarted in %d ms,"
                    + " clients stopped in %d, first write %d, caught up and compared %d)%n", context, killed,
                    load.acknowledged.get(), load.unknown.get(), millis(done - started), millis(stopping - restarting),
                    millis(writing - stopping), millis(checking - writing), millis(done - checking));
        }
    }

    /**
     * Sends {@code command} until the group acknowledges it (at most {@link #CATCH_UP}): on a loaded machine a group
     * that just started or lost its leader can go through several elections before a leader commits. Only for
     * commands whose repetition changes nothing more (a tree's creation, a put of the same value).
     */
    private Reply writeUntilAcknowledged(Command command, String context) throws InterruptedException {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (true) {
            try {
                return client.write(command).reply();
            } catch (UnknownOutcomeException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(context + ": the group acknowledged no write within " + CATCH_UP
                            + stderrTails(), e);
                }
                Thread.sleep(200);
            }
        }
    }

    private String stderrTails() {
        StringBuilder b = new StringBuilder();
        replicas.forEach((id, c) -> {
            String err = c.stderr();
            b.append("\n--- ").append(id).append(" stderr (tail) ---\n")
                    .append(err, Math.max(0, err.length() - 40_000), err.length());
        });
        return b.toString();
    }

    /** Starts these replicas, all at once (each in its own JVM), and waits until each says it is ready. */
    private void start(List<String> ids) throws IOException, InterruptedException {
        String group = peers.stream().map(Peer::toString).collect(Collectors.joining(","));
        Map<String, ChildJvm> started = new TreeMap<>();
        for (String id : ids) {
            started.put(id, ChildJvm.start(ReplicaProcess.class, id, group, dir.resolve(id).toString()));
        }
        replicas.putAll(started);
        for (Map.Entry<String, ChildJvm> e : started.entrySet()) {
            String line = e.getValue().nextLine(Duration.ofSeconds(60));
            if (line == null || !line.startsWith("READY")) {
                fail("replica " + e.getKey() + " did not start: " + line + "\n" + e.getValue().stderr());
            }
        }
    }

    /** The member that says it leads (waiting through an election). */
    private String leader() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (String id : replicas.keySet()) {
                try {
                    GroupInfoReply info = client.client().getGroupManagementApi(RaftPeerId.valueOf(id))
                            .info(client.group().getGroupId());
                    if (info.getRoleInfoProto().getRole() == RaftPeerRole.LEADER) {
                        return id;
                    }
                } catch (IOException notNow) {
                    // starting or unreachable: ask the others
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no leader among " + replicas.keySet() + " within 30 s");
    }

    /**
     * Each member's contents (tree/key -> value@version) after a linearizable read on it, so it has caught up; a
     * member just restarted is asked again until it has found the leader (at most {@link #CATCH_UP}).
     */
    private Map<String, Map<String, String>> contents(String context) throws InterruptedException {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (String id : replicas.keySet()) {
            long deadline = System.nanoTime() + CATCH_UP.toNanos();
            while (true) {
                try {
                    out.put(id, memberContents(id));
                    break;
                } catch (UnknownOutcomeException e) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError(context + ": replica " + id + " did not catch up within " + CATCH_UP
                                + stderrTails(), e);
                    }
                    Thread.sleep(200);
                }
            }
        }
        return out;
    }

    private Map<String, String> memberContents(String id) {
        Map<String, String> entries = new TreeMap<>();
        for (String t : TREES) {
            QueryResult r = client.read(new Query.Scan(t, new byte[0], null, -1, Long.MAX_VALUE, false),
                    RaftPeerId.valueOf(id));
            for (QueryResult.Entry e : ((QueryResult.Entries) r).entries()) {
                entries.put(t + "/" + new String(e.key(), UTF_8), new String(e.value(), UTF_8) + "@" + e.version());
            }
        }
        return entries;
    }

    /** What each key may hold: its last acknowledged value, or that of a later write whose outcome is unknown. */
    private static final class Model {
        /** tree/key -> possible values (null: absent); each key is written by one client only. */
        private final Map<String, Set<String>> possible = new java.util.concurrent.ConcurrentHashMap<>();

        Set<String> of(String key) {
            return possible.computeIfAbsent(key, k -> {
                Set<String> s = new HashSet<>();
                s.add(null);
                return s;
            });
        }

        void acknowledged(String key, String value) {
            Set<String> s = of(key);
            s.clear();
            s.add(value);
        }

        void check(Map<String, Map<String, String>> members, String context) {
            Map<String, String> first = members.values().iterator().next();
            members.forEach((id, m) -> assertEquals(first, m, context + ": replica " + id + " differs from "
                    + members.keySet().iterator().next()));
            Map<String, String> values = new HashMap<>();
            first.forEach((k, v) -> values.put(k, v.substring(0, v.lastIndexOf('@'))));
            for (String k : values.keySet()) {
                assertTrue(possible.containsKey(k), context + ": " + k + " was never written");
            }
            possible.forEach((k, s) -> {
                String actual = values.get(k);
                assertTrue(s.contains(actual), context + ": " + k + " holds " + actual + ", expected one of " + s);
                s.clear();
                s.add(actual);
            });
        }
    }

    /**
     * {@value #CLIENTS} client threads writing random commands on keys of their own until stopped. Clients sit
     * outside the group (as {@code cairn tree --cluster} does); a member's own writes take the same path.
     */
    private final class Workload {
        private final Model model;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final AtomicLong acknowledged = new AtomicLong();
        private final AtomicLong unknown = new AtomicLong();
        private final List<Thread> threads = new ArrayList<>();
        private final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

        Workload(Model model, long seed) {
            this.model = model;
            for (int c = 0; c < CLIENTS; c++) {
                int id = c;
                Random random = new Random(seed + c);
                GroupConnection connection = connections.get(c);
                threads.add(Thread.ofPlatform().name("client-" + c).start(() -> {
                    try {
                        while (!stop.get()) {
                            step(connection, id, random);
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
        }

        void stop() throws InterruptedException {
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            if (!failures.isEmpty()) {
                AssertionError e = new AssertionError("a client failed: " + failures.getFirst(), failures.getFirst());
                failures.stream().skip(1).forEach(e::addSuppressed);
                throw e;
            }
        }

        private void step(GroupConnection connection, int clientId, Random random) {
            String tree = TREES[random.nextInt(TREES.length)];
            String key = "c" + clientId + "-k" + random.nextInt(KEYS_PER_CLIENT);
            String value = "v" + clientId + "-" + random.nextInt(1_000_000) + "-" + "x".repeat(random.nextInt(400));
            String full = tree + "/" + key;
            int kind = random.nextInt(10);
            if (kind < 4) {
                write(connection, new Command.Point(tree, Op.put(bytes(key), bytes(value))), Map.of(full, value),
                        false);
            } else if (kind < 5) {
                write(connection, new Command.Point(tree, Op.delete(bytes(key))), Map.of(full, "\0absent"), true);
            } else if (kind < 7) {
                write(connection, new Command.Point(tree, Op.putIfAbsent(bytes(key), bytes(value))),
                        Map.of(full, value), true);
            } else if (kind < 8) {
                String target = "c" + clientId + "-k" + random.nextInt(KEYS_PER_CLIENT);
                rename(connection, tree, key, target);
            } else {
                // one batch across both trees, guarded by the absence of a key of tree b: when the guard fails
                // the put in tree a has drawn a version already, and every member must draw the same
                String other = "c" + clientId + "-k" + random.nextInt(KEYS_PER_CLIENT);
                String guard = "c" + clientId + "-k" + random.nextInt(KEYS_PER_CLIENT);
                Command.Atomic batch = new Command.Atomic(List.of(
                        new Command.TreeOps("a", List.of(Op.put(bytes(key), bytes(value)))),
                        new Command.TreeOps("b", List.of(Op.assertAbsent(bytes(guard)),
                                Op.put(bytes(other), bytes(value))))));
                write(connection, batch, Map.of("a/" + key, value, "b/" + other, value), true);
            }
        }

        /**
         * Sends a command that sets each key of {@code effects} (the value {@code "\0absent"}: deletes it) when it
         * is applied; a conditional one may also change nothing.
         */
        private void write(GroupConnection connection, Command command, Map<String, String> effects,
                boolean conditional) {
            try {
                Reply r = connection.write(command).reply();
                acknowledged.incrementAndGet();
                if (r.status() == Reply.Status.APPLIED) {
                    effects.forEach((k, v) -> model.acknowledged(k, v.equals("\0absent") ? null : v));
                } else if (!conditional) {
                    throw new AssertionError(command + " answered " + r);
                }
            } catch (UnknownOutcomeException e) {
                unknown.incrementAndGet();
                effects.forEach((k, v) -> model.of(k).add(v.equals("\0absent") ? null : v));
            }
        }

        private void rename(GroupConnection connection, String tree, String source, String target) {
            String s = tree + "/" + source;
            String t = tree + "/" + target;
            Set<String> moved = new HashSet<>(model.of(s));
            moved.remove(null);
            try {
                Reply r = connection.write(new Command.Point(tree, Op.rename(bytes(source), bytes(target), true)))
                        .reply();
                acknowledged.incrementAndGet();
                if (r.status() == Reply.Status.APPLIED && !source.equals(target)) {
                    model.of(t).clear();
                    model.of(t).addAll(moved);
                    model.acknowledged(s, null);
                }
            } catch (UnknownOutcomeException e) {
                unknown.incrementAndGet();
                if (!source.equals(target)) {
                    model.of(t).addAll(moved);
                    model.of(s).add(null);
                }
            }
        }
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }
}
