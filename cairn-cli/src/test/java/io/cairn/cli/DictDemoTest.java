package io.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DictDemoTest {
    @TempDir
    Path dir;

    @Test
    void theSectionBuildsLooksUpAndRefusesTheDamagedImage() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DictDemo().run(new DemoSection.Context(new PrintStream(bytes, true, StandardCharsets.UTF_8), dir));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("lookup zebra    in the mapped trie: found"), out);
        assertTrue(out.contains("lookup zebr     in the mapped trie: not found"), out);
        assertTrue(out.contains("search -> 2, research -> 7"), out);
        assertTrue(out.contains("is refused: "), out);
    }
}
