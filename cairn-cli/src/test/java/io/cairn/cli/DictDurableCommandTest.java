package io.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.dict.DurableDictionary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cairn dict build --durable DIR} and the commands that read a dictionary given a durable dictionary's
 * directory: lookup, fuzzy, suggest search it in place; refusals name what is wrong.
 */
class DictDurableCommandTest {
    @TempDir
    Path dir;

    private Path list(String name, String... lines) throws IOException {
        return Files.write(dir.resolve(name), List.of(lines), StandardCharsets.UTF_8);
    }

    @Test
    void buildAddsToADurableDictionaryThatTheReadingCommandsSearchInPlace() throws IOException {
        Path words = list("words.txt", "pear", "apple", "", "fig", "apple");
        String store = dir.resolve("store").toString();
        Cli.Result built = Cli.run("dict", "build", words.toString(), "--durable", store);
        assertEquals(0, built.code(), built.toString());
        assertTrue(built.out().contains("3 terms (3 added)"), built.toString());

        Cli.Result more = Cli.run("dict", "build", list("more.txt", "fig", "grape").toString(), "--durable", store,
                "--json");
        assertEquals(0, more.code(), more.toString());
        assertTrue(more.out().contains("\"type\":\"durable\"") && more.out().contains("\"terms\":4")
                && more.out().contains("\"added\":1"), more.out());

        Cli.Result found = Cli.run("dict", "lookup", store, "grape");
        assertEquals(0, found.code(), found.toString());
        assertEquals("found: grape\n", found.out());
        assertEquals(DictCommand.NOT_FOUND, Cli.run("dict", "lookup", store, "plum").code());

        Cli.Result fuzzy = Cli.run("dict", "fuzzy", store, "aple", "-d", "1");
        assertEquals(0, fuzzy.code(), fuzzy.toString());
        assertEquals("1\tapple\n", fuzzy.out());

        Cli.Result suggest = Cli.run("dict", "suggest", store, "graep");
        assertEquals(DictCommand.NOT_FOUND, suggest.code(), suggest.toString());
        assertTrue(suggest.out().startsWith("graep: grape"), suggest.out());

        try (DurableDictionary d = DurableDictionary.open(Path.of(store))) {
            assertEquals(List.of("apple", "fig", "grape", "pear"), d.terms().toList(), "closed by every command");
        }
    }

    @Test
    void valuesFromATsvListAreReadBackAsText() throws IOException {
        String store = dir.resolve("valued").toString();
        Cli.Result built = Cli.run("dict", "build", list("v.tsv", "one\t1", "two\tdeux").toString(), "--durable",
                store);
        assertEquals(0, built.code(), built.toString());
        assertEquals("found: two\tdeux\n", Cli.run("dict", "lookup", store, "two").out());
    }

    @Test
    void refusals() throws IOException {
        Path words = list("w.txt", "a");
        Cli.Result both = Cli.run("dict", "build", words.toString(), "-o", dir.resolve("img").toString(),
                "--durable", dir.resolve("d").toString());
        assertEquals(2, both.code(), both.toString());
        assertTrue(both.err().contains("exactly one of -o FILE"), both.err());
        assertEquals(2, Cli.run("dict", "build", words.toString()).code());

        Path empty = Files.createDirectory(dir.resolve("empty"));
        Cli.Result nothing = Cli.run("dict", "lookup", empty.toString(), "a");
        assertEquals(1, nothing.code(), nothing.toString());
        assertTrue(nothing.err().contains("is a directory, not a dictionary image or a durable dictionary"), nothing.err());
        assertTrue(Files.list(empty).findAny().isEmpty(), "nothing was written into it");

        String tree = dir.resolve("tree").toString();
        assertEquals(0, Cli.run("tree", tree, "put", "k", "v").code());
        Cli.Result foreign = Cli.run("dict", "fuzzy", tree, "k");
        assertEquals(1, foreign.code(), foreign.toString());
        assertTrue(foreign.err().contains("not a durable dictionary"), foreign.err());
    }
}
