package io.cairn.replication;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.replication.command.Command;
import io.cairn.replication.command.Op;
import io.cairn.replication.command.Query;
import io.cairn.replication.command.QueryResult;
import io.cairn.tree.Record;
import io.cairn.tree.ScanEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.ratis.protocol.RaftPeerId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three members in this JVM on loopback: the embedded API, conditions at apply time, restarts, snapshot install. */
class ReplicatedDatabaseTest {
    @TempDir
    Path dir;

    private final List<ReplicatedDatabase> members = new ArrayList<>();
    private List<Peer> peers;

    static ReplicationOptions fastOptions() {
        return ReplicationOptions.defaults().electionTimeout(Duration.ofMillis(300))
                .writeTimeout(Duration.ofSeconds(20));
    }

    private void startGroup(ReplicationOptions options) throws IOException {
        peers = Ports.loopbackPeers(3);
        for (Peer p : peers) {
            members.add(ReplicatedDatabase.start(p.id(), peers, dir.resolve(p.id()), options));
        }
    }

    @AfterEach
    void stop() throws IOException {
        for (ReplicatedDatabase m : members) {
            if (m != null) {
                m.close();
            }
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    /** Every member's contents of {@code tree} after a linearizable barrier: key -> value@version. */
    private static List<String> contents(ReplicatedDatabase m, String tree) {
        m.linearize();
        return m.tree(tree).scan(new byte[0], Long.MAX_VALUE).stream()
                .map(e -> e.keyString() + "=" + new String(e.value(), UTF_8) + "@" + e.version()).toList();
    }

    @Test
    void writesFromEveryMemberReachEveryMemberWithTheSameVersions() throws IOException {
        startGroup(fastOptions());
        for (ReplicatedDatabase m : members) {
            ReplicatedTree t = m.tree("t");
            long v = t.put(b("from/" + m.self().id()), b("v-" + m.self().id()));
            // the writer reads its own write locally at once
            assertEquals(v, t.getRecord(b("from/" + m.self().id())).version());
        }
        List<String> first = contents(members.get(0), "t");
        assertEquals(3, first.size(), first.toString());
        for (ReplicatedDatabase m : members) {
            assertEquals(first, contents(m, "t"), "member " + m.self().id());
            assertEquals(List.of("t"), m.treeNames());
        }
    }

    @Test
    void conditionsAndGuardsAreEvaluatedWhenApplied() throws IOException {
        startGroup(fastOptions());
        ReplicatedDatabase a = members.get(0);
        ReplicatedDatabase c = members.get(2);
        ReplicatedTree ta = a.tree("accounts");
        ReplicatedTree tc = c.tree("accounts");
        long v1 = ta.put(b("alice"), b("10"));
        assertFalse(tc.putIfAbsent(b("alice"), b("99")));
        assertFalse(tc.compareAndPut(b("alice"), v1 + 1000, b("99")));
        assertTrue(tc.compareAndPut(b("alice"), v1, b("11")));
        long v2 = tc.getRecord(b("alice")).version();
        assertTrue(v2 > v1);
        assertFalse(ta.deleteIfVersion(b("alice"), v1));
        long v3 = ta.rename(b("alice"), b("alicia"), false);
        assertNull(ta.get(b("alice")));
        Record moved = ta.getRecord(b("alicia"));
        assertArrayEquals(b("11"), moved.value());
        assertEquals(v3, moved.version());
        assertThrows(NoSuchElementException.class, () -> tc.rename(b("alice"), b("x"), false));
        ta.put(b("bob"), b("5"));
        assertThrows(IllegalStateException.class, () -> tc.rename(b("alicia"), b("bob"), false));

        // a batch across trees: a failed guard changes nothing anywhere, a holding one changes both trees
        c.tree("audit");
        assertFalse(a.atomic(batch -> {
            batch.tree("accounts").put(b("carol"), b("1")).assertAbsent(b("bob"));
            batch.tree("audit").put(b("1"), b("carol opened"));
        }));
        assertTrue(a.atomic(batch -> {
            batch.tree("accounts").assertAbsent(b("carol")).put(b("carol"), b("1"));
            batch.tree("audit").put(b("1"), b("carol opened"));
        }));
        assertThrows(NoSuchElementException.class, () -> a.atomic(batch -> batch.tree("nope").put(b("k"), b("v"))));
        assertTrue(tc.delete(b("bob")));
        assertFalse(tc.delete(b("bob")));
        for (ReplicatedDatabase m : members) {
            assertEquals(contents(a, "accounts"), contents(m, "accounts"));
            assertEquals(contents(a, "audit"), contents(m, "audit"));
        }
        assertEquals(List.of("alicia=11@" + v3, "carol=1@" + a.tree("accounts").getRecord(b("carol")).version()),
                contents(c, "accounts"));

        ReplicatedTree audit = a.tree("audit");
        assertArrayEquals(b("carol opened"), audit.get(b("1")), "a read through a handle that has read before");
        assertTrue(c.dropTree("audit"));
        assertFalse(a.dropTree("audit"));
        a.linearize();
        assertEquals(List.of("accounts"), a.treeNames());
        assertNull(audit.get(b("1")), "the handle of a dropped tree reads it empty");
        assertTrue(c.createTree("audit"));
        c.tree("audit").put(b("1"), b("again"));
        a.linearize();
        assertArrayEquals(b("again"), audit.get(b("1")), "the handle reads the tree created again under its name");
        assertFalse(c.createTree("accounts"));
    }

    /**
     * Reads through the group on a chosen member and writes share one client; a read on the leader used to stall for
     * the client's request timeout (3 s: the ordered read's sequence window collided with the writes' on the one
     * stream to that member), which a write timeout below it turns into a failure.
     */
    @Test
    void readsOnTheLeaderDoNotStallWritesOfTheSameClient() throws IOException {
        startGroup(fastOptions());
        ReplicatedDatabase leader = leader();
        leader.tree("t");
        RaftPeerId leaderId = RaftPeerId.valueOf(leader.self().id());
        try (GroupConnection c = new GroupConnection(GroupConnection.group(fastOptions().groupName(), peers),
                fastOptions().writeTimeout(Duration.ofMillis(2500)))) {
            for (int i = 0; i < 4; i++) {
                c.write(new Command.Point("t", Op.put(b("k" + i), b("v" + i))));
                assertEquals(i + 1, ((QueryResult.Entries) c.read(new Query.Scan("t", new byte[0], null, -1,
                        Long.MAX_VALUE, false), leaderId)).entries().size());
            }
        }
    }

    /**
     * A client that is no member writes through the leader and reads through its read index; a scan keeps its
     * start, delimiter and limit (the state machine once dropped all but the prefix and limit: Scan is immutable).
     */
    @Test
    void aClientOutsideTheGroupWritesAndScansWithTheScansBounds() throws IOException {
        startGroup(fastOptions());
        try (GroupClient client = GroupClient.connect(peers, fastOptions())) {
            assertTrue(client.createTree("t"));
            assertFalse(client.createTree("t"));
            for (String key : List.of("a/1", "a/2", "b/1", "c")) {
                client.put("t", b(key), b("v" + key));
            }
            assertEquals(List.of("a/", "b/", "c"), keys(client.scan("t", b(""), null, '/', Long.MAX_VALUE)));
            assertTrue(client.scan("t", b(""), null, '/', 9).getFirst().commonPrefix());
            assertEquals(List.of("a/2", "b/1"), keys(client.scan("t", b(""), b("a/1"), -1, 2)));
            assertArrayEquals(b("va/2"), client.get("t", b("a/2")).value());
            assertEquals(5, client.rename("t", b("a/2"), b("d"), false));
            assertThrows(IllegalStateException.class, () -> client.rename("t", b("a/1"), b("d"), false));
            assertThrows(NoSuchElementException.class, () -> client.rename("t", b("a/2"), b("e"), false));
            assertTrue(client.delete("t", b("a/1")));
            assertFalse(client.delete("t", b("a/1")));
            assertNull(client.get("t", b("a/1")));
            assertThrows(NoSuchElementException.class, () -> client.put("nope", b("k"), b("v")));
            assertEquals(List.of("t"), client.treeNames());
        }
    }

    private static List<String> keys(List<GroupClient.Entry> entries) {
        return entries.stream().map(e -> new String(e.key(), UTF_8)).toList();
    }

    @Test
    void aCleanlyRestartedMemberKeepsItsDatabaseAndCatchesUpFromTheLog() throws IOException {
        startGroup(fastOptions());
        ReplicatedDatabase leader = leader();
        int stopped = members.indexOf(members.stream().filter(m -> m != leader).findFirst().orElseThrow());
        String stoppedId = members.get(stopped).self().id();
        ReplicatedTree t = leader.tree("t");
        for (int i = 0; i < 20; i++) {
            t.put(b("k" + i), b("v" + i));
        }
        members.get(stopped).close();
        Path home = dir.resolve(stoppedId);
        // a clean stop leaves the marker that lets the next start reuse the local database
        assertTrue(Files.exists(home.resolve("db.clean")));
        for (int i = 20; i < 40; i++) {
            t.put(b("k" + i), b("v" + i));
        }
        members.set(stopped, ReplicatedDatabase.start(stoppedId, peers, home, fastOptions()));
        assertFalse(Files.exists(home.resolve("db.clean")), "a running member has no marker");
        assertEquals(contents(leader, "t"), contents(members.get(stopped), "t"));
        assertEquals(40, contents(members.get(stopped), "t").size());
    }

    /** The member that leads (writes from it need not wait for a follower to learn of the commit). */
    private ReplicatedDatabase leader() {
        members.get(0).linearize();
        String id = members.get(0).leaderId();
        return members.stream().filter(m -> m.self().id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aMemberStartedFromAnEmptyDirectoryCatchesUpBySnapshotInstall() throws IOException {
        ReplicationOptions options = fastOptions().snapshotInterval(64).logSegmentSize(128 << 10);
        startGroup(options);
        int stopped = members.indexOf(members.stream().filter(m -> m != leader()).findFirst().orElseThrow());
        String stoppedId = members.get(stopped).self().id();
        ReplicatedTree t = leader().tree("t");
        byte[] value = new byte[1000];
        for (int i = 0; i < 200; i++) {
            t.put(b(String.format("k%04d", i)), value);
        }
        members.get(stopped).close();
        Path home = dir.resolve(stoppedId);
        deleteRecursively(home);
        for (int i = 200; i < 400; i++) {
            t.put(b(String.format("k%04d", i)), value);
        }
        Set<String> othersSnapshots = new java.util.HashSet<>();
        for (Peer p : peers) {
            if (!p.id().equals(stoppedId)) {
                othersSnapshots.addAll(snapshotFiles(dir.resolve(p.id())));
            }
        }
        members.set(stopped, ReplicatedDatabase.start(stoppedId, peers, home, options));
        List<String> expected = contents(leader(), "t");
        assertEquals(400, expected.size());
        assertEquals(expected, contents(members.get(stopped), "t"));
        // the new member holds a snapshot it did not take itself: one of the others' images, installed
        Set<String> installed = snapshotFiles(home);
        installed.retainAll(othersSnapshots);
        assertFalse(installed.isEmpty(), stoppedId + " holds " + snapshotFiles(home) + ", the others "
                + othersSnapshots);
        assertEquals(1, members.get(stopped).snapshotsInstalled());
        // and it applies new writes after it
        long v = t.put(b("after"), b("x"));
        members.get(stopped).linearize();
        assertEquals(v, members.get(stopped).tree("t").getRecord(b("after")).version());
    }

    /**
     * A follower stops as a crash leaves it (no clean-stop marker: its local database is rebuilt from its own last
     * snapshot and log), the leader then snapshots and purges its log past everything that follower holds, and the
     * restarted follower can only catch up by installing the leader's image: it does, once, and then holds exactly
     * what the group holds.
     */
    @Test
    void aFollowerBehindThePurgedLogCatchesUpByInstallingASnapshot() throws IOException {
        ReplicationOptions options = fastOptions().snapshotInterval(32).logSegmentSize(16 << 10);
        startGroup(options);
        ReplicatedDatabase leader = leader();
        int stopped = members.indexOf(members.stream().filter(m -> m != leader).findFirst().orElseThrow());
        ReplicatedDatabase follower = members.get(stopped);
        String id = follower.self().id();
        ReplicatedTree t = leader.tree("t");
        byte[] value = new byte[1000];
        int written = 0;
        for (; written < 50; written++) {
            t.put(b(String.format("k%05d", written)), value);
        }
        follower.linearize();
        long held = follower.appliedIndex();
        follower.close();
        Files.delete(dir.resolve(id).resolve("db.clean"));
        // each 16 KiB segment holds about 15 entries; a snapshot every 32 purges the closed segments below it
        while (leader.logStartIndex() <= held + 1) {
            assertTrue(written < 5_000, "the leader's log still starts at " + leader.logStartIndex());
            t.put(b(String.format("k%05d", written++)), value);
        }
        ReplicatedDatabase restarted = ReplicatedDatabase.start(id, peers, dir.resolve(id), options);
        members.set(stopped, restarted);
        List<String> expected = contents(leader, "t");
        assertEquals(written, expected.size());
        assertEquals(expected, contents(restarted, "t"));
        assertEquals(1, restarted.snapshotsInstalled(), "snapshot installs on " + id);
        for (ReplicatedDatabase m : members) {
            assertEquals(expected, contents(m, "t"), "member " + m.self().id());
        }
    }

    static Set<String> snapshotFiles(Path member) throws IOException {
        if (!Files.exists(member)) {
            return new java.util.HashSet<>();
        }
        try (Stream<Path> s = Files.walk(member)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("snapshot\\.\\d+_\\d+"))
                    .collect(Collectors.toCollection(java.util.HashSet::new));
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingIsSent() throws IOException {
        List<Peer> ps = Ports.loopbackPeers(3);
        assertThrows(IllegalArgumentException.class,
                () -> ReplicatedDatabase.start("n9", ps, dir.resolve("x"), fastOptions()));
        startGroup(fastOptions());
        ReplicatedDatabase m = members.get(0);
        assertThrows(IllegalArgumentException.class, () -> m.tree(""));
        ReplicatedTree t = m.tree("t");
        assertThrows(IllegalArgumentException.class, () -> t.put(new byte[70_000], b("v")));
        assertThrows(NullPointerException.class, () -> t.put(b("k"), null));
        m.close();
        assertThrows(IllegalStateException.class, () -> m.tree("t"));
        assertThrows(IllegalStateException.class, () -> t.get(b("k")));
    }

    @Test
    void scansSeeTheMembersState() throws IOException {
        startGroup(fastOptions());
        ReplicatedTree t = members.get(1).tree("t");
        t.put(b("a/1"), b("1"));
        t.put(b("a/2"), b("2"));
        t.put(b("b/1"), b("3"));
        List<ScanEntry> a = t.scan(b("a/"), 10);
        assertEquals(List.of("a/1", "a/2"), a.stream().map(ScanEntry::keyString).toList());
        assertArrayEquals(b("2"), a.get(1).value());
        assertEquals(1, t.scan(b(""), 1).size());
    }

    @Test
    void aMemberIsAddedAndRemovedThroughTheGroup() throws IOException {
        List<Peer> four = Ports.loopbackPeers(4);
        peers = four.subList(0, 3);
        for (Peer p : peers) {
            members.add(ReplicatedDatabase.start(p.id(), peers, dir.resolve(p.id()), fastOptions()));
        }
        ReplicatedDatabase leader = leader();
        ReplicatedTree t = leader.tree("t");
        for (int i = 0; i < 10; i++) {
            t.put(b("k" + i), b("v" + i));
        }
        Peer n4 = four.get(3);
        ReplicatedDatabase added = ReplicatedDatabase.start(n4.id(), four, dir.resolve(n4.id()), fastOptions());
        members.add(added);
        assertTrue(leader.addMember(n4));
        assertFalse(leader.addMember(n4));
        assertThrows(IllegalArgumentException.class, () -> leader.addMember(new Peer("n4", "127.0.0.1", 1)));
        t.put(b("k10"), b("v10"));
        assertEquals(contents(leader, "t"), contents(added, "t"));
        assertEquals(11, contents(added, "t").size());
        leader.linearize();
        assertEquals(4, leader.peers().size());

        assertTrue(leader.removeMember(n4.id()));
        assertFalse(leader.removeMember(n4.id()));
        added.close();
        t.put(b("k11"), b("v11"));
        assertEquals(3, leader.peers().size());
        for (ReplicatedDatabase m : members.subList(0, 3)) {
            assertEquals(12, contents(m, "t").size());
        }
    }
}
