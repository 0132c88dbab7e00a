package io.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.dict.DurableDictionary;
import io.cairn.tree.Tree;
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
    void lsListsAndInfoChecksADurableDictionary() throws IOException {
        String store = dir.resolve("ls").toString();
        assertEquals(0, Cli.run("dict", "build", list("v.tsv", "one\t1", "two\tdeux", "three\t3").toString(),
                "--durable", store).code());
        try (DurableDictionary d = DurableDictionary.open(Path.of(store))) {
            d.insert("tea");
        }
        Cli.Result ls = Cli.run("dict", "ls", store, "t");
        assertEquals(0, ls.code(), ls.toString());
        assertEquals("tea\nthree\t3\ntwo\tdeux\n", ls.out());
        assertEquals(DictCommand.NOT_FOUND, Cli.run("dict", "ls", store, "x").code());
        Path listed = dir.resolve("listed.tsv.gz");
        assertEquals(0, Cli.run("dict", "ls", store, "-o", listed.toString()).code());
        try (var lines = io.cairn.dict.Dictionaries.readTerms(listed)) {
            assertEquals(List.of("one\t1", "tea", "three\t3", "two\tdeux"), lines.toList());
        }
        Cli.Result inside = Cli.run("dict", "ls", store, "-o", Path.of(store, "list.txt").toString());
        assertEquals(1, inside.code(), inside.toString());
        assertTrue(inside.err().contains("refusing to write the list into the durable dictionary"), inside.err());
        assertTrue(Files.notExists(Path.of(store, "list.txt")));

        Cli.Result info = Cli.run("dict", "info", store, "--json");
        assertEquals(0, info.code(), info.toString());
        assertTrue(info.out().contains("\"kind\":\"durable\"") && info.out().contains("\"terms\":4")
                && info.out().contains("\"values\":true") && info.out().contains("\"replayed\":0"), info.out());
        Cli.Result text = Cli.run("dict", "info", store);
        assertTrue(text.out().contains("recovery:  opened in"), text.out());

        try (Tree tree = Tree.open(Path.of(store))) { // a count stripe that disagrees with the terms: damage
            tree.put(new byte[] {0x00, 'C', 0x0F}, new byte[] {0, 0, 0, 0, 0, 0, 0, 9});
        }
        Cli.Result damaged = Cli.run("dict", "info", store);
        assertEquals(1, damaged.code(), damaged.toString());
        assertTrue(damaged.err().contains("corrupt store") && damaged.err().contains("term count"), damaged.err());
    }

    @Test
    void refusals() throws IOException {
        Path words = list("w.txt", "a");
        Cli.Result both = Cli.run("dict", "build", words.toString(), "-o", dir.resolve("img").toString(),
                "--durable", dir.resolve("d").toString());
        assertEquals(2, both.code(), both.toString());
        assertTrue(both.err().contains("exactly one of -o FILE"), both.err());
        assertEquals(2, Cli.run("dict", "build", words.toString()).code());

        Cli.Result overList = Cli.run("dict", "build", words.toString(), "--durable", words.toString());
        assertEquals(1, overList.code(), overList.toString());
        assertTrue(overList.err().contains("which is not a directory"), overList.err());
        assertEquals(List.of("a"), Files.readAllLines(words));
        Path others = Files.createDirectory(dir.resolve("others"));
        Files.writeString(others.resolve("notes.txt"), "mine");
        Cli.Result among = Cli.run("dict", "build", words.toString(), "--durable", others.toString());
        assertEquals(1, among.code(), among.toString());
        assertTrue(among.err().contains("holds other files and no durable dictionary"), among.err());
        assertEquals(List.of(others.resolve("notes.txt")), Files.list(others).toList(), "nothing was written");

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
