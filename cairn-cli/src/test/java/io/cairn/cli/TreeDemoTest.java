package io.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeDemoTest {
    @TempDir
    Path dir;

    @Test
    void theSectionListsRenamesAndShowsTheSnapshotUnchanged() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/usr/share")), "needs /usr/share");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new TreeDemo().run(new DemoSection.Context(new PrintStream(bytes, true, StandardCharsets.UTF_8), dir));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("share/"), "the listing of usr/ rolls usr/share/ up: " + out);
        assertTrue(out.matches("(?s).*rename \\} -> true.*"), "the guarded rename applies: " + out);
        assertTrue(out.matches("(?s).*stale guard\\) -> false.*"), "the replay is refused: " + out);
        assertTrue(out.matches("(?s).*taken before: \\S+ is present, \\S+\\.renamed is absent.*"),
                "the snapshot still sees the old name: " + out);
        assertTrue(out.contains("stats: "), out);
    }
}
