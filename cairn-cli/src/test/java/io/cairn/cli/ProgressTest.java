package io.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Progress bars: drawn on standard error when it is a terminal, never into a pipe or a file. */
class ProgressTest {
    @TempDir
    Path dir;

    private Path words() throws IOException {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            words.add("word" + Integer.toString(i * 7919, 36));
        }
        return Files.write(dir.resolve("words.txt"), words, StandardCharsets.UTF_8);
    }

    @Test
    void aBuildIntoAPipeDrawsNoBar() throws Exception {
        Path words = words();
        Cli.Result r = Cli.process(dir, "256m", "cairn dict build " + words.getFileName() + " -o w.img 2>&1 | cat");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("built double-array trie"), r.toString());
        assertFalse(r.out().contains("reading") || r.out().contains("\r"), r.toString());
    }

    @Test
    void aBuildOnATerminalDrawsABarOnStandardError() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "needs script(1) for a pseudo-terminal");
        Path words = words();
        // script(1) runs the command on a pseudo-terminal; standard output goes to a file, so only stderr is the tty.
        String build = Cli.javaCommand("256m") + " dict build " + words.getFileName() + " -o w.img > out.txt";
        Cli.Result r = Cli.process(dir, "256m", "script -qec \"" + build.replace("\"", "\\\"") + "\" /dev/null");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("reading"), "the bar names its task: " + r.out());
        assertTrue(Files.readString(dir.resolve("out.txt")).startsWith("built double-array trie"));
    }

    /** Runs {@code cairn ARGS} with standard error on a pseudo-terminal (script(1)); returns what the terminal got. */
    private Cli.Result onTerminal(String args) throws Exception {
        String command = Cli.javaCommand("256m") + " " + args;
        return Cli.process(dir, "256m", "script -qec \"" + command.replace("\"", "\\\"") + "\" /dev/null");
    }

    /** Writes {@code in.tsv}, 10,000 lines of a key and a value; returns its text. */
    private String tenThousandLines() throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            lines.append("key-").append(i).append('\t').append(i).append('\n');
        }
        Files.writeString(dir.resolve("in.tsv"), lines);
        return lines.toString();
    }

    @Test
    void databaseImagesAndTreeExportsDrawABarOnATerminalOnly() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "needs script(1) for a pseudo-terminal");
        String lines = tenThousandLines();
        assertEquals(0, Cli.run("db", dir.resolve("db").toString(), "create", "t").code());
        assertEquals(0, Cli.run("tree", dir.resolve("db").toString(), "--tree", "t", "import",
                dir.resolve("in.tsv").toString()).code());

        Cli.Result r = onTerminal("db db export db.image > out.txt");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("exporting"), "the bar names its stage: " + r.out());
        r = onTerminal("db copy install db.image > out.txt");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("checking") && r.out().contains("installing"), r.out());
        r = onTerminal("tree --db db --tree t export > out.tsv");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("export"), r.out());
        assertEquals(lines.length(), Files.size(dir.resolve("out.tsv")), "the export itself is on standard output");

        r = Cli.process(dir, "256m", "cairn db db export again.image 2>&1 | cat; cairn db copy2 install db.image 2>&1 "
                + "| cat; cairn tree --db db --tree t export 2>&1 >/dev/null | cat");
        assertEquals(0, r.code(), r.toString());
        assertFalse(r.out().contains("exporting") || r.out().contains("checking") || r.out().contains("\r"), r.out());
    }

    @Test
    void treeAndDatabaseChecksDrawABarOfFramesOnATerminalOnly() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "needs script(1) for a pseudo-terminal");
        tenThousandLines();
        assertEquals(0, Cli.run("tree", dir.resolve("tree").toString(), "import", dir.resolve("in.tsv").toString())
                .code());
        assertEquals(0, Cli.run("db", dir.resolve("db").toString(), "create", "t").code());
        assertEquals(0, Cli.run("tree", dir.resolve("db").toString(), "--tree", "t", "import",
                dir.resolve("in.tsv").toString()).code());

        Cli.Result r = onTerminal("tree tree check > out.txt");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("checking") && r.out().contains("frames"), "the bar counts frames: " + r.out());
        assertTrue(Files.readString(dir.resolve("out.txt")).startsWith("clean: 10,000 keys"));
        r = onTerminal("db db check > out.txt");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("checking") && r.out().contains("frames"), "the bar counts frames: " + r.out());
        assertTrue(Files.readString(dir.resolve("out.txt")).startsWith("clean: 1 trees, 10,000 keys"));

        r = Cli.process(dir, "256m", "cairn tree tree check 2>&1 | cat; cairn db db check 2>&1 | cat");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("clean: 10,000 keys in ") && r.out().endsWith("clean: 1 trees, 10,000 keys\n"),
                r.out());
        assertFalse(r.out().contains("checking") || r.out().contains("\r"), "no bar into a pipe: " + r.out());
    }
}
