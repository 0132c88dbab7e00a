package io.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.testkit.ChildJvm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn serve} and {@code cairn tree --cluster}: three members as real processes, a client through the
 * command, one member killed with SIGKILL and another stopped with SIGTERM and restarted from its kept database.
 */
class ClusterCommandTest {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void threeServedMembersTakeWritesAndReadsThroughTheGroupAndSurviveLosingOne() throws Exception {
        String peers = loopbackPeers(3);
        List<ChildJvm> members = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                members.add(serve(i, peers));
            }
            assertEquals("version 1\n", cluster(peers, "--tree", "t", "put", "photos/a", "1").out());
            assertEquals("version 2\n", cluster(peers, "put", "photos/b", "2").out(), "the group's only tree");
            assertEquals("version 3\n", cluster(peers, "put", "docs/c", "3").out());
            assertEquals("1\n", cluster(peers, "get", "photos/a").out());
            assertEquals("docs/\nphotos/\n", cluster(peers, "ls", "--delimiter", "/").out());
            assertEquals("photos/a\nphotos/b\n", cluster(peers, "--tree", "t", "ls", "photos/").out());
            assertEquals(0, cluster(peers, "mv", "photos/b", "photos/z").code());
            assertEquals(0, cluster(peers, "rm", "docs/c").code());
            Cli.Result absent = cluster(peers, "get", "docs/c");
            assertEquals(3, absent.code(), absent.toString());
            assertEquals("cairn: key docs/c not found in tree t of the group\n", absent.err());

            assertEquals(137, members.get(0).kill(), "n1 killed with SIGKILL");
            assertEquals("version 5\n", cluster(peers, "put", "after/kill", "4").out(), "two of three still write");
            assertEquals("4\n", cluster(peers, "get", "after/kill").out());

            ChildJvm n2 = members.get(1);
            assertEquals(143, n2.terminate(), "SIGTERM ends the JVM through its shutdown hook");
            assertEquals(List.of("stopped n2 cleanly"), n2.takeAvailableLines());
            assertTrue(Files.exists(dir.resolve("n2/db.clean")), "a clean stop keeps the member's database");
            members.set(1, serve(2, peers));
            assertEquals("photos/a\nphotos/z\nafter/kill\n".lines().sorted().toList(),
                    cluster(peers, "ls").out().lines().toList(), "the restarted member and n3 hold the group");
        } finally {
            for (ChildJvm member : members) {
                member.close();
            }
        }
    }

    @Test
    void anAddressInUseOrADirectoryThatIsAFileIsOneLineAndCreatesNothing() throws Exception {
        Path member = dir.resolve("m");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String peers = "n1=127.0.0.1:" + taken.getLocalPort();
            Cli.Result r = Cli.process(dir, "256m", "cairn serve m --id n1 --peers " + peers);
            assertEquals(1, r.code(), r.toString());
            assertEquals("cairn: member n1 cannot listen on 127.0.0.1:" + taken.getLocalPort() + " (its address in "
                    + "--peers): Address already in use\n", r.err(), "one line, no stack trace");
        }
        assertFalse(Files.exists(member), "nothing was created");
        Path file = Files.writeString(dir.resolve("notes.txt"), "keep me");
        Cli.Result r = Cli.run("serve", file.toString(), "--id", "n1", "--peers", "n1=127.0.0.1:7101");
        assertEquals(1, r.code(), r.toString());
        assertEquals("cairn: " + file + " is a text file, not a member directory\n", r.err());
        assertEquals("keep me", Files.readString(file));
    }

    @Test
    void badPeersAndIdsAreRefusedNamingTheValueBeforeAnythingIsWritten() throws IOException {
        Path member = dir.resolve("m");
        Cli.Result unknownId = Cli.run("serve", member.toString(), "--id", "n4", "--peers",
                "n1=127.0.0.1:7101,n2=127.0.0.1:7102");
        assertEquals(2, unknownId.code(), unknownId.toString());
        assertTrue(unknownId.err().startsWith("--id n4 is not one of --peers n1=127.0.0.1:7101,n2=127.0.0.1:7102\n"),
                unknownId.err());
        Cli.Result noPort = Cli.run("serve", member.toString(), "--id", "n1", "--peers", "n1=127.0.0.1");
        assertEquals(2, noPort.code(), noPort.toString());
        assertTrue(noPort.err().startsWith("--peers n1=127.0.0.1: peer \"n1=127.0.0.1\" is not id=host:port"),
                noPort.err());
        Cli.Result badId = Cli.run("serve", member.toString(), "--id", "n 1", "--peers", "n 1=127.0.0.1:7101");
        assertEquals(2, badId.code(), badId.toString());
        assertTrue(badId.err().contains("peer id \"n 1\" must be 1 to 64 letters"), badId.err());
        Cli.Result twice = Cli.run("serve", member.toString(), "--id", "n1", "--peers",
                "n1=127.0.0.1:7101,n1=127.0.0.1:7102");
        assertEquals(2, twice.code(), twice.toString());
        assertTrue(twice.err().contains("peer id n1 appears twice"), twice.err());
        Cli.Result badPort = Cli.run("tree", "--cluster", "n1=127.0.0.1:99999", "get", "k");
        assertEquals(2, badPort.code(), badPort.toString());
        assertTrue(badPort.err().startsWith("--cluster n1=127.0.0.1:99999: peer n1 has port 99999"), badPort.err());
        Cli.Result both = Cli.run("tree", member.toString(), "--cluster", "n1=127.0.0.1:7101", "get", "k");
        assertEquals(2, both.code(), both.toString());
        assertTrue(both.err().startsWith("give --cluster PEERS or a directory, not both"), both.err());
        Cli.Result stat = Cli.run("tree", "--cluster", "n1=127.0.0.1:7101", "stat");
        assertEquals(2, stat.code(), stat.toString());
        assertTrue(stat.err().startsWith("--cluster goes with put, get, rm, mv and ls"), stat.err());
        assertFalse(Files.exists(member), "nothing was created");
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    /** Starts member {@code i} in its own JVM and waits for its line. */
    private ChildJvm serve(int i, String peers) throws IOException, InterruptedException {
        ChildJvm member = ChildJvm.start(CairnCli.class, "serve", dir.resolve("n" + i).toString(), "--id", "n" + i,
                "--peers", peers);
        String line = member.nextLine(START);
        assertTrue(line != null && line.startsWith("serving n" + i + " at 127.0.0.1:"), line + member.stderr());
        return member;
    }

    private static Cli.Result cluster(String peers, String... args) {
        List<String> all = new ArrayList<>(List.of("tree", "--cluster", peers));
        all.addAll(List.of(args));
        Cli.Result result = Cli.run(all.toArray(String[]::new));
        assertTrue(result.code() == 0 || result.code() == TreeCommand.NOT_FOUND, result.toString());
        return result;
    }

    /** {@code n1=127.0.0.1:P1,...} on loopback ports that were free a moment ago. */
    private static String loopbackPeers(int count) throws IOException {
        List<String> peers = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                peers.add("n" + i + "=127.0.0.1:" + s.getLocalPort());
            }
        }
        return String.join(",", peers);
    }
}
