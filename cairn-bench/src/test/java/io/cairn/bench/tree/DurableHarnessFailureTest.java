package io.cairn.bench.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One failing engine or scenario costs its own cell, not the run: the harness records the cell as failed with the
 * child's reason, keeps what that child measured before it failed, runs every other cell, writes its reports and
 * says how many cells failed (a non-zero exit status).
 */
class DurableHarnessFailureTest {

    @TempDir
    Path dir;

    /**
     * 64 keys leave four rename slots, too few for 8 threads: a workload child dies there (its 1-thread rows are
     * measured by then), while the raw line, which has no keys, runs at both thread counts.
     */
    @Test
    void aFailingChildIsRecordedAsAFailedCellAndTheRunGoesOn() throws Exception {
        Path json = dir.resolve("out.json");
        List<String> args = List.of("--engines", "cairn,raw", "--scenarios", "workloads",
                "--dataset", "objstore-stress:64", "--threads", "1,8", "--sync-ops", "put", "--async-ops", "get",
                "--forks", "1", "--warmup", "0", "--rounds", "1", "--round-ms", "20", "--heap", "256m",
                "--work-dir", dir.resolve("work").toString(), "--out", dir.resolve("out.md").toString(),
                "--json", json.toString());
        Path noPeers = Files.createDirectories(dir.resolve("peers")); // a child gets this test's whole class path
        int failed = new DurableHarness(DurableOptions.parse(args), new ChildLauncher("256m", List.of(), noPeers))
                .run(String.join(" ", args));

        assertEquals(2, failed, "cairn sync and cairn async");
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        List<String> measured = new ArrayList<>();
        root.path("results").forEach(row -> measured.add(row.path("engine").asText() + " "
                + row.path("durability").asText() + " " + row.path("op").asText() + " " + row.path("threads").asInt()));
        assertEquals(List.of("cairn SYNC put 1", "cairn ASYNC get 1", "raw SYNC put 1", "raw SYNC put 8"), measured);
        assertEquals(2, root.path("failures").size(), root.toString());
        for (JsonNode failure : root.path("failures")) {
            assertEquals("workloads", failure.path("scenario").asText());
            assertEquals("cairn", failure.path("engine").asText());
            assertTrue(failure.path("reason").asText().contains("64 is too few for 8 threads"), failure.toString());
        }
        String markdown = Files.readString(dir.resolve("out.md"));
        assertTrue(markdown.contains("| workloads | cairn sync | "), markdown);
    }
}
