package io.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn tree DIR ...} through the real command, with exit codes and output checked. */
class TreeCommandTest {
    @TempDir
    Path dir;

    private Cli.Result tree(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "tree";
        all[1] = dir.resolve("t").toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return Cli.run(all);
    }

    @Test
    void putGetListMoveRemoveAndCount() {
        assertEquals(0, tree("put", "photos/2026/a.jpg", "v1").code());
        assertEquals(0, tree("put", "photos/2026/b.jpg", "v2").code());
        assertEquals(0, tree("put", "photos/2025/c.jpg", "v3").code());
        Cli.Result get = tree("get", "photos/2026/a.jpg");
        assertEquals("v1\n", get.out(), get.toString());
        assertEquals(3, tree("get", "missing").code(), "absent key: exit 3");
        assertEquals("photos/2025/\nphotos/2026/\n", tree("ls", "photos/", "--delimiter", "/").out());
        assertEquals("3\n", tree("count", "photos/").out());
        assertEquals(0, tree("mv", "photos/2026/a.jpg", "photos/2026/z.jpg").code());
        assertEquals(1, tree("mv", "photos/2026/b.jpg", "photos/2026/z.jpg").code(), "target exists");
        assertEquals(0, tree("mv", "photos/2026/b.jpg", "photos/2026/z.jpg", "--overwrite").code());
        assertEquals("v2\n", tree("get", "photos/2026/z.jpg").out());
        assertEquals(0, tree("rm", "photos/2025/c.jpg").code());
        assertEquals(3, tree("rm", "photos/2025/c.jpg").code(), "already gone: exit 3");
        assertEquals("1\n", tree("count", "").out());
        Cli.Result json = tree("get", "photos/2026/z.jpg", "--json");
        assertTrue(json.out().contains("\"value\":\"v2\""), json.toString());
        assertEquals(0, tree("check").code());
        assertTrue(tree("stat").out().contains("keys:"), "stat prints figures");
    }

    @Test
    void importThenExportRoundTripsAndHexWorks() throws IOException {
        Cli.Result imported = Cli.run(new ByteArrayInputStream("a\t1\nb/c\t2\n".getBytes(StandardCharsets.UTF_8)),
                "tree", dir.resolve("t").toString(), "import", "-");
        assertEquals(0, imported.code(), imported.toString());
        assertEquals("a\t1\nb/c\t2\n", tree("export").out());
        assertEquals(0, tree("put", "--hex", "00ff", "0102").code());
        assertEquals("0102\n", tree("get", "--hex", "00ff").out());
        assertEquals(0, tree("checkpoint").code());
    }

    @Test
    void anExportThatImportCouldNotReadBackStopsAndAsksForHex() {
        assertEquals(0, tree("put", "plain", "text").code());
        assertEquals(0, tree("put", "tabbed", "a\tb").code());
        Cli.Result r = tree("export");
        assertEquals(1, r.code(), r.toString());
        assertEquals("plain\ttext\n", r.out(), "the lines before it");
        assertEquals("cairn: the value of key 746162626564 (hex) in " + dir.resolve("t") + " is not one line of UTF-8 "
                + "text without TAB; the export stopped before it: export with --hex (and import with --hex)\n",
                r.err());
        assertEquals(0, tree("rm", "tabbed").code());
        assertEquals(0, tree("put", "--hex", "ff00", "0a0d").code());
        r = tree("export");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().startsWith("cairn: the key ff00 (hex)"), r.toString());

        Cli.Result exported = tree("export", "--hex");
        assertEquals(0, exported.code(), exported.toString());
        Path copy = dir.resolve("copy");
        Cli.Result imported = Cli.run(new ByteArrayInputStream(exported.out().getBytes(StandardCharsets.UTF_8)),
                "tree", copy.toString(), "import", "--hex", "-");
        assertEquals(0, imported.code(), imported.toString());
        assertEquals(exported.out(), Cli.run("tree", copy.toString(), "export", "--hex").out());
    }

    @Test
    void anImportStoppedByABadLineSaysWhatItImported() throws IOException {
        Path lines = Files.writeString(dir.resolve("in.tsv"), "a\t1\nb\t2\nno tab here\nc\t3\n");
        Cli.Result r = tree("import", lines.toString());
        assertEquals(1, r.code(), r.toString());
        assertEquals("cairn: " + lines + " line 3 has no TAB; the 2 records before it are imported, nothing after "
                + "it\n", r.err());
        assertEquals("a\t1\nb\t2\n", tree("export").out());
    }

    @Test
    void readOnlyCommandsOnAMissingDirectoryFailWithoutCreatingIt() {
        Cli.Result r = tree("get", "k");
        assertEquals(1, r.code(), r.toString());
        assertTrue(Files.notExists(dir.resolve("t")), "a read-only command created the directory");
        assertTrue(!r.err().contains("Exception\n\tat "), "no stack trace: " + r.err());
    }

    @Test
    void importFromADirectoryStoresEveryFileUnderItsRelativePath() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src/photos/2026"));
        Files.writeString(src.resolve("a.jpg"), "AAAA");
        Files.writeString(dir.resolve("src/readme.txt"), "hello");
        Files.createSymbolicLink(dir.resolve("src/link"), dir.resolve("src/readme.txt"));
        Cli.Result r = tree("import", "--from-dir", dir.resolve("src").toString(), "--prefix", "b/");
        assertEquals(0, r.code(), r.toString());
        assertEquals("imported 3 records\n", r.out());
        assertEquals("b/link\nb/photos/2026/a.jpg\nb/readme.txt\n", tree("ls").out());
        assertTrue(tree("get", "b/photos/2026/a.jpg").out().startsWith("file 4 "), "metadata: kind, size, mtime");
        assertTrue(tree("get", "b/link").out().startsWith("link "), "a symbolic link is not followed");
        Files.delete(dir.resolve("src/link"));
        Cli.Result withContents = tree("import", "--from-dir", dir.resolve("src").toString(), "--contents");
        assertEquals(0, withContents.code(), withContents.toString());
        assertEquals("hello\n", tree("get", "readme.txt").out());
        assertEquals("AAAA\n", tree("get", "photos/2026/a.jpg").out());
    }

    @Test
    void aDirectoryImportThatCannotFitChangesNothing() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.writeString(src.resolve("small"), "s");
        Files.write(src.resolve("big"), new byte[70_000]);
        assertEquals(0, tree("put", "k", "v").code());
        Cli.Result r = tree("import", "--from-dir", src.toString(), "--contents");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("big") && r.err().contains("70000"), r.err());
        assertEquals("1\n", tree("count", "").out(), "nothing imported");
        Cli.Result self = Cli.run("tree", dir.resolve("t").toString(), "import", "--from-dir", dir.toString());
        assertEquals(1, self.code(), self.toString());
        assertTrue(self.err().contains("own directory"), self.err());
        Cli.Result both = tree("import", "x.tsv", "--from-dir", src.toString());
        assertEquals(2, both.code(), both.toString());
    }
}
