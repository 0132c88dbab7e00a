package io.cairn.bench.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replication harness end to end on its Cairn contenders (etcd may be missing here), and its refusals. */
class ReplicationHarnessTest {
    @TempDir
    Path dir;

    private record Outcome(int status, String err) {}

    private static Outcome run(String... args) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ReplicationHarness.run(List.of(args), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMissingEtcdIsSaidInOneLineWithTheInstallCommand() throws Exception {
        Outcome outcome = run("--contenders", "cairn-single,etcd", "--etcd", dir.resolve("no-such-etcd").toString(),
                "--work-dir", dir.resolve("work").toString());
        assertEquals(2, outcome.status());
        assertEquals(1, outcome.err().lines().count(), outcome.err());
        assertTrue(outcome.err().contains("apt-get install -y etcd-server"), outcome.err());
        assertTrue(Files.notExists(dir.resolve("work")), "nothing was started");
    }

    @Test
    void anEtcdNameNotOnThePathIsMissingToo() {
        assertEquals(null, EtcdCluster.locate("no-such-etcd-binary-" + ProcessHandle.current().pid()));
    }

    @Test
    void badOptionsAreRefusedNamingTheOption() throws Exception {
        Outcome unknown = run("--contenders", "cairn-group,zookeeper");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("--contenders: unknown contender 'zookeeper'"), unknown.err());
        Outcome threads = run("--threads", "0");
        assertEquals(2, threads.status());
        assertTrue(threads.err().contains("--threads"), threads.err());
    }

    /** A three-JVM group and the single node, briefly: every cell measured, ratios and targets in the JSON. */
    @Test
    void theCairnContendersRunAndReport() throws Exception {
        Path json = dir.resolve("replication.json");
        Outcome outcome = run("--contenders", "cairn-group,cairn-single", "--dataset", "objstore:200",
                "--threads", "1,2", "--warmup", "0", "--rounds", "1", "--round-ms", "200", "--heap", "256m",
                "--work-dir", dir.resolve("work").toString(), "--out", dir.resolve("replication.md").toString(),
                "--json", json.toString());
        assertEquals(0, outcome.status(), outcome.err());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        Set<String> cells = new HashSet<>();
        for (JsonNode row : root.get("results")) {
            assertTrue(row.get("opsPerS").asDouble() > 0, row.toString());
            assertTrue(row.get("p99Ns").asDouble() >= row.get("p50Ns").asDouble(), row.toString());
            cells.add(row.get("contender").asText() + " " + row.get("op").asText() + " " + row.get("threads").asInt());
        }
        assertEquals(Set.of("cairn-group put 1", "cairn-group put 2", "cairn-group get 1", "cairn-group get 2",
                "cairn-single put 1", "cairn-single put 2", "cairn-single get 1", "cairn-single get 2"), cells);
        assertEquals(4, root.get("ratios").size(), root.get("ratios").toString());
        assertTrue(root.get("facts").get("cairn-group").get("leader after the run").isTextual());
        assertTrue(Files.readString(dir.resolve("replication.md")).contains("| cairn-group | put | 2 |"));
        try (var left = Files.list(dir.resolve("work"))) {
            assertEquals(0, left.count(), "every contender's directory is removed after its run");
        }
    }
}
