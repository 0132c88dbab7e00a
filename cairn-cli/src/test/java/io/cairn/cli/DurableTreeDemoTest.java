package io.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableTreeDemoTest {
    @TempDir
    Path dir;

    @Test
    void theKilledWritersAcknowledgedPathsAreAllRecovered() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/usr/share")), "needs /usr/share");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DurableTreeDemo().run(new DemoSection.Context(new PrintStream(bytes, true, StandardCharsets.UTF_8), dir));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("killed with SIGKILL"), out);
        assertTrue(out.matches("(?s).*reopened in \\d+ ms.*log records replayed.*"), out);
        assertTrue(out.contains("last acknowledged path: usr/"), "the child acknowledged batches: " + out);
        assertFalse(out.contains("MISSING"), out);
    }
}
