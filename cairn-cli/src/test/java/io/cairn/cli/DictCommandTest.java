package io.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn dict build|lookup} through {@link CairnCli#execute}, with standard streams captured. */
class DictCommandTest {
    @TempDir
    Path dir;

    private final PrintStream realOut = System.out;
    private final PrintStream realErr = System.err;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void capture() {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(realOut);
        System.setErr(realErr);
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return CairnCli.execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path words(String... lines) throws IOException {
        return Files.write(dir.resolve("words.txt"), List.of(lines), StandardCharsets.UTF_8);
    }

    @Test
    void builtImagesOfEveryTypeAndAlphabetFindTheirTerms() throws IOException {
        Path words = words("apple", "banana", "", "café", "日本");
        for (String type : List.of("dat", "dawg")) {
            for (String alphabet : List.of("bytes", "codepoints")) {
                Path image = dir.resolve(type + "-" + alphabet);
                assertEquals(0, run("dict", "build", "--type", type, "--alphabet", alphabet, words.toString(),
                        "-o", image.toString()), err());
                assertTrue(out().contains("of 4 terms"), out());
                assertEquals(0, run("dict", "lookup", image.toString(), "café"), err());
                assertEquals("found: café", out().strip());
                assertEquals(0, run("dict", "lookup", image.toString(), "日本"));
                assertEquals(DictCommand.NOT_FOUND, run("dict", "lookup", image.toString(), "appl"));
                assertEquals("not found: appl", out().strip());
            }
        }
    }

    @Test
    void lookupPrintsTheValueOfAValuedTerm() throws IOException {
        Path words = words("one\t1", "two\t2", "one\tuno");
        for (String type : List.of("dat", "dawg")) {
            Path image = dir.resolve(type);
            assertEquals(0, run("dict", "build", "--type", type, words.toString(), "-o", image.toString()), err());
            assertTrue(out().contains("of 2 terms with values"), out());
            assertEquals(0, run("dict", "lookup", image.toString(), "one"));
            assertEquals("found: one\tuno", out().strip());
        }
    }

    @Test
    void mixingValuedAndPlainLinesIsRejectedNamingTheLine() throws IOException {
        Path words = words("one\t1", "two");
        Path image = dir.resolve("image");
        assertEquals(1, run("dict", "build", words.toString(), "-o", image.toString()));
        assertTrue(err().contains("line 2 of " + words), err());
        assertTrue(!Files.exists(image));
    }

    @Test
    void missingAndCorruptFilesAreClearErrors() throws IOException {
        Path missing = dir.resolve("missing");
        assertEquals(1, run("dict", "lookup", missing.toString(), "x"));
        assertTrue(err().contains("no such file: " + missing), err());
        assertEquals(1, run("dict", "build", missing.toString(), "-o", dir.resolve("out").toString()));
        assertTrue(err().contains("no such file: " + missing), err());

        Path image = dir.resolve("image");
        assertEquals(0, run("dict", "build", words("a", "b").toString(), "-o", image.toString()));
        byte[] bytes = Files.readAllBytes(image);
        bytes[bytes.length - 1] ^= 1;
        Files.write(image, bytes);
        assertEquals(1, run("dict", "lookup", image.toString(), "a"));
        assertTrue(err().contains("corrupt store: ") && err().contains("checksum"), err());
    }

    @Test
    void aWordListThatIsNotUtf8IsRejectedByName() throws IOException {
        Path words = Files.write(dir.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'});
        assertEquals(1, run("dict", "build", words.toString(), "-o", dir.resolve("out").toString()));
        assertTrue(err().contains("line 1 of " + words + " is not valid UTF-8"), err());
    }

    @Test
    void buildRefusesToWriteTheImageOverItsOwnInput() throws IOException {
        Path words = words("apple", "banana");
        byte[] before = Files.readAllBytes(words);
        assertEquals(1, run("dict", "build", words.toString(), "-o", words.toString()));
        assertTrue(err().contains(words.toString()) && err().contains("input"), err());
        Path link = Files.createSymbolicLink(dir.resolve("link.txt"), words);
        assertEquals(1, run("dict", "build", words.toString(), "-o", link.toString()));
        assertTrue(err().contains("input"), err());
        assertArrayEquals(before, Files.readAllBytes(words));
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void buildRefusesToReplaceAnythingButARegularFile() throws IOException, InterruptedException {
        Path words = words("apple", "banana");
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertEquals(1, run("dict", "build", words.toString(), "-o", fifo.toString()));
        assertTrue(err().contains(fifo.toString()) && err().contains("not a regular file"), err());
        assertTrue(Files.readAttributes(fifo, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther(),
                "the FIFO was replaced");
        Path directory = Files.createDirectory(dir.resolve("images"));
        assertEquals(1, run("dict", "build", "--type", "dawg", words.toString(), "-o", directory.toString()));
        assertTrue(err().contains(directory.toString()) && err().contains("directory"), err());
        assertTrue(Files.isDirectory(directory));
        Path nowhere = dir.resolve("missing").resolve("image");
        assertEquals(1, run("dict", "build", words.toString(), "-o", nowhere.toString()));
        assertTrue(err().contains(nowhere.getParent().toString()) && !err().contains(".tmp"), err());
        try (var entries = Files.list(dir)) {
            assertEquals(List.of("fifo", "images", "words.txt"),
                    entries.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file left");
        }
    }

    @Test
    void badOptionsAreUsageErrors() throws IOException {
        assertEquals(2, run("dict", "build", "--type", "fst", words("a").toString(), "-o", "x"));
        assertTrue(err().contains("fst"), err());
        assertEquals(2, run("dict", "build", words("a").toString()));
        assertTrue(err().contains("--output"), err());
    }

    @Test
    void fuzzyWithLimitZeroPrintsNothingAndSucceeds() throws IOException {
        Path image = dir.resolve("image");
        assertEquals(0, run("dict", "build", words("apple", "apply").toString(), "-o", image.toString()));
        assertEquals(0, run("dict", "fuzzy", "--limit", "0", image.toString(), "appla"), err());
        assertEquals("", out());
        assertEquals("", err());
    }
}
