package io.cairn.bench.replication;

import io.cairn.replication.Peer;
import io.cairn.replication.ReplicatedBatch;
import io.cairn.replication.ReplicatedDatabase;
import io.cairn.replication.ReplicatedTree;
import io.cairn.replication.ReplicationOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A three-member Cairn group ({@link ReplicatedDatabase}) on loopback, each member a JVM of its own, as etcd's
 * members are processes of their own: members n2 and n3 run in child JVMs ({@link GroupMember}), n1 in the
 * harness's JVM, which drives the load through it — Cairn is embedded, so the application is a member and its
 * threads write through n1's Raft client and read n1's local copy.
 *
 * <p>Where the leader is changes what a write costs (from a follower it hops to the leader, and then waits until
 * the follower has applied it too, to read its own writes), so the harness measures both placements: as
 * {@link #NAME} n1 leads, as {@link #FOLLOWER_NAME} a child leads. The placement is arranged with election
 * timeouts: the members meant to follow wait {@link #FOLLOWER_ELECTION_TIMEOUT} before standing, the one meant to
 * lead the default 500 ms (this only slows the detection of a dead leader, which the benchmark does not exercise);
 * the one meant to lead also starts first. The report gives the leader as measured after the run.
 */
final class CairnGroup implements Contender {
    static final String NAME = "cairn-group";
    static final String FOLLOWER_NAME = "cairn-group-follower";
    static final Duration FOLLOWER_ELECTION_TIMEOUT = Duration.ofSeconds(5);
    static final String TREE = "bench";
    /** The member in the driving JVM. */
    static final String DRIVER = "n1";
    /** Puts per replicated atomic batch (one log entry) while loading. */
    private static final int LOAD_BATCH = 500;

    private final ReplicatedDatabase driver;
    private final ReplicatedTree tree;
    private final List<Process> children;
    private final boolean driverLeads;

    private CairnGroup(ReplicatedDatabase driver, ReplicatedTree tree, List<Process> children, boolean driverLeads) {
        this.driver = driver;
        this.tree = tree;
        this.children = children;
        this.driverLeads = driverLeads;
    }

    /**
     * Starts the group with each member's files in {@code dir/<id>}, the driving member n1 meant to lead or to
     * follow; returns once it has a leader.
     */
    static CairnGroup start(Path dir, String memberHeap, boolean driverLeads) throws Exception {
        int[] ports = Loopback.freePorts(3);
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < ports.length; i++) {
            peers.add(new Peer("n" + (i + 1), Loopback.HOST, ports[i]));
        }
        String peerList = peers.stream().map(Peer::toString).collect(Collectors.joining(","));
        List<Process> children = new ArrayList<>();
        ReplicatedDatabase driver = null;
        ReplicationOptions leading = ReplicationOptions.defaults();
        ReplicationOptions following = leading.electionTimeout(FOLLOWER_ELECTION_TIMEOUT);
        try {
            if (driverLeads) {
                driver = ReplicatedDatabase.start(DRIVER, peers, dir.resolve(DRIVER), leading);
            }
            for (Peer peer : peers.subList(1, peers.size())) {
                Duration timeout = (driverLeads ? following : leading).electionTimeout();
                children.add(new ProcessBuilder(memberCommand(memberHeap, peer.id(), peerList, dir.resolve(peer.id()),
                        timeout)).redirectError(ProcessBuilder.Redirect.INHERIT).start());
            }
            for (int i = 0; i < children.size(); i++) {
                awaitReady(children.get(i), peers.get(i + 1).id());
            }
            if (!driverLeads) {
                driver = ReplicatedDatabase.start(DRIVER, peers, dir.resolve(DRIVER), following);
            }
            return new CairnGroup(driver, driver.tree(TREE), children, driverLeads);
        } catch (Exception | Error e) {
            try {
                if (driver != null) {
                    driver.close();
                }
            } finally {
                Loopback.stop(children);
            }
            throw e;
        }
    }

    private static List<String> memberCommand(String heap, String id, String peers, Path dir, Duration electionTimeout) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap,
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
                GroupMember.class.getName(), id, peers, dir.toString(), Long.toString(electionTimeout.toMillis()));
    }

    /**
     * Reads the child's output up to its ready line (echoing it to stderr), then echoes the rest on a daemon thread.
     */
    private static void awaitReady(Process child, String id) throws IOException, InterruptedException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        for (String line = lines.readLine(); ; line = lines.readLine()) {
            if (line == null) {
                throw new IllegalStateException("group member " + id + " exited with status " + child.waitFor()
                        + " before it was ready (its stderr is above)");
            }
            System.err.println("  [" + id + "] " + line);
            if (line.equals(GroupMember.READY)) {
                break;
            }
        }
        Thread echo = new Thread(() -> {
            try {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    System.err.println("  [" + id + "] " + line);
                }
            } catch (IOException e) {
                System.err.println("  [" + id + "] output lost: " + e);
            }
        }, "echo-" + id);
        echo.setDaemon(true);
        echo.start();
    }

    @Override
    public void load(byte[][] keys, byte[][] values) throws Exception {
        Contender.inSlices(keys.length, LOAD_BATCH, (from, to) -> driver.atomic((ReplicatedBatch batch) -> {
            ReplicatedBatch.TreeBatch bench = batch.tree(TREE);
            for (int i = from; i < to; i++) {
                bench.put(keys[i], values[i]);
            }
        }));
    }

    @Override
    public void put(byte[] key, byte[] value) {
        tree.put(key, value);
    }

    @Override
    public byte[] get(byte[] key) {
        return tree.get(key);
    }

    @Override
    public Map<String, String> facts() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("members", "3 JVMs on loopback (n1 in the driving JVM, n2 and n3 children)");
        facts.put("driver", DRIVER + (driverLeads ? ", meant to lead" : ", meant to follow"));
        facts.put("leader after the run", String.valueOf(driver.leaderId()));
        return facts;
    }

    @Override
    public void close() throws Exception {
        try {
            driver.close();
        } finally {
            Loopback.stop(children);
        }
    }
}
