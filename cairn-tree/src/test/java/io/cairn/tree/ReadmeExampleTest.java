package io.cairn.tree;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tree example of README.md ("Using the library"), with its comments turned into assertions. */
class ReadmeExampleTest {

    @TempDir
    Path dir;

    @Test
    void theReadmeExampleDoesWhatItSays() throws IOException {
        Path index = dir.resolve("photos-index");
        try (Tree tree = Tree.open(index)) {
            tree.put("photos/2026/a.jpg", "v1".getBytes(UTF_8));
            tree.put("photos/2026/b.jpg", "v2".getBytes(UTF_8));
            List<String> listed = new ArrayList<>();
            for (ScanEntry e : tree.scan("photos/").delimiter((byte) '/').limit(100)) {
                listed.add(e.keyString());
            }
            assertEquals(List.of("photos/2026/"), listed);
            try (Snapshot before = tree.snapshot("photos/".getBytes(UTF_8))) {
                tree.rename("photos/2026/a.jpg", "photos/2026/c.jpg", false);
                assertArrayEquals("v1".getBytes(UTF_8), before.get("photos/2026/a.jpg".getBytes(UTF_8)));
                assertNull(before.get("photos/2026/c.jpg".getBytes(UTF_8)));
            }
            assertNull(tree.get("photos/2026/a.jpg"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            tree.scan("photos/2026/").visit(v -> {
                out.write(v.array(), v.valueOffset(), v.valueLength());
                return true;
            });
            assertEquals("v2v1", out.toString(UTF_8));
        }
        try (Tree again = Tree.openReadOnly(index)) {
            assertArrayEquals("v1".getBytes(UTF_8), again.get("photos/2026/c.jpg"));
            assertEquals(0, again.stats().durable().replayedRecords(), "close checkpointed");
        }
    }
}
