package io.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every error names the file, what was expected and what was found, in words. */
class MessagesTest {
    @TempDir
    Path dir;

    private static void fails(String expected, String... args) {
        Cli.Result r = Cli.run(args);
        assertEquals(1, r.code(), r.toString());
        assertEquals("cairn: " + expected + "\n", r.err());
    }

    private Path words(String... lines) throws IOException {
        return Files.write(dir.resolve("words.txt"), String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aDirectoryIsNamedAsOne() {
        fails(dir + " is a directory, not a BStack file", "stack", "info", dir.toString());
        fails(dir + " is a directory, not a dictionary image or a durable dictionary", "dict", "lookup", dir.toString(), "a");
        fails(dir + " is a directory, not a BStack file", "alloc", "stats", dir.toString());
        fails(dir + " is a directory, not a word list", "dict", "build", dir.toString(), "-o", "x");
    }

    @Test
    void aDeviceIsNamedAsOne() {
        assumeTrue(Files.exists(Path.of("/dev/null")));
        fails("/dev/null is a character device, not a BStack file", "stack", "push", "/dev/null", "x");
    }

    @Test
    void aFileThatCannotBeWrittenInPlaceIsNamed() {
        assumeTrue(Files.isRegularFile(Path.of("/proc/version")), "needs /proc/version");
        Cli.Result r = Cli.run("stack", "push", "/proc/version", "x");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().startsWith("cairn: ") && r.err().contains("/proc/version"), r.toString());
    }

    @Test
    void aMissingOutputDirectoryIsNamedNotATemporaryFile() throws IOException {
        Path words = words("a", "b");
        Path out = dir.resolve("nodir").resolve("x.img");
        fails("no such file: " + out.getParent() + " (the directory for " + out + " does not exist)",
                "dict", "build", words.toString(), "-o", out.toString());
    }

    @Test
    void aFileOfAnotherFormatIsNamedInWords() throws IOException {
        Path stack = dir.resolve("s.bstack");
        assertEquals(0, Cli.run("stack", "push", stack.toString(), "some bytes that make a stack").code());
        Path image = dir.resolve("w.img");
        assertEquals(0, Cli.run("dict", "build", words("a", "b").toString(), "-o", image.toString()).code());

        fails(stack + " is a BStack file, not a dictionary image", "dict", "lookup", stack.toString(), "a");
        fails(stack + " is a BStack file, not a dictionary image", "dict", "fuzzy", stack.toString(), "a");
        fails(image + " is a dictionary image, not a BStack file", "stack", "info", image.toString());
        fails(image + " is a dictionary image, not a BStack file", "stack", "push", image.toString(), "x");
        fails(image + " is a dictionary image, not a BStack file", "alloc", "verify", image.toString());
        Path text = words("a", "b");
        fails(text + " is a text file, not a BStack file", "stack", "verify", text.toString());
        fails(text + " is a text file, not a dictionary image", "dict", "lookup", text.toString(), "a");
    }

    @Test
    void invalidUtf8InAWordListNamesTheLine() throws IOException {
        Path words = Files.write(dir.resolve("latin1.txt"), new byte[] {'a', '\n', 'b', '\n', 'c', 'a', 'f',
                (byte) 0xE9, '\n', 'd'});
        Cli.Result r = Cli.run("dict", "build", words.toString(), "-o", dir.resolve("out").toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().startsWith("cairn: line 3 of " + words + " is not valid UTF-8"), r.toString());
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void aFileWhereADirectoryBelongsIsNamedInWordsAndNothingIsCreated() throws IOException {
        Path text = words("k\tv");
        fails(text + " is a text file, not a tree directory", "tree", text.toString(), "ls");
        fails(text + " is a text file, not a tree directory", "tree", text.toString(), "put", "k", "v");
        fails(text + " is a text file, not a database directory", "tree", text.toString(), "--tree", "t", "get", "k");
        fails(text + " is a text file, not a database directory", "db", text.toString(), "ls");
        fails(text + " is a text file, not a database directory", "db", text.toString(), "create", "t");
        Path tree = dir.resolve("t");
        fails(dir + " is a directory, not a KEY<TAB>VALUE file", "tree", tree.toString(), "import", dir.toString());
        Path missing = dir.resolve("none");
        fails("no such file: " + missing + " (no directory to import (--from-dir))", "tree", tree.toString(), "import",
                "--from-dir", missing.toString());
        fails(text + " is a text file, not a directory to import (--from-dir)", "tree", tree.toString(), "import",
                "--from-dir", text.toString());
        assertFalse(Files.exists(tree), "nothing created");
        assertEquals("k\tv", Files.readString(text));
    }

    @Test
    void aDatabaseImageIsNamedInWords() throws IOException {
        assertEquals(0, Cli.run("db", dir.resolve("db").toString(), "create", "t").code());
        Path image = dir.resolve("db.image");
        assertEquals(0, Cli.run("db", dir.resolve("db").toString(), "export", image.toString()).code());
        fails(image + " is a database image, not a dictionary image", "dict", "lookup", image.toString(), "a");
        fails(image + " is a database image, not a BStack file", "stack", "info", image.toString());
        fails(image + " is a database image, not a tree directory", "tree", image.toString(), "ls");
        Path stack = dir.resolve("s.bstack");
        assertEquals(0, Cli.run("stack", "push", stack.toString(), "some bytes that make a stack").code());
        fails(stack + " is a BStack file, not a database directory", "db", stack.toString(), "install",
                image.toString());
    }
}
