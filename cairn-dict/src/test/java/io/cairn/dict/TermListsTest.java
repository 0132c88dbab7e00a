package io.cairn.dict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Dictionaries#readTerms}, {@code readEntries}, {@code writeTerms} and {@code writeEntries}. */
class TermListsTest {
    @TempDir
    Path dir;

    private static List<String> read(Path path) throws IOException {
        try (Stream<String> terms = Dictionaries.readTerms(path)) {
            return terms.toList();
        }
    }

    private static List<MappedDictionary.Entry<String>> readEntries(Path path) throws IOException {
        try (Stream<MappedDictionary.Entry<String>> entries = Dictionaries.readEntries(path)) {
            return entries.toList();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"terms.txt", "terms.txt.gz", "TERMS.GZ"})
    void aDictionaryRoundTripsThroughAPlainTermList(String name) throws IOException {
        List<String> words = new ArrayList<>(SystemWords.all().subList(0, 20_000));
        words.addAll(List.of("", "back\\slash", "tab\tinside", "😀 emoji", "日本"));
        DoubleArrayTrie<Object> trie = DoubleArrayTrie.of(words);
        Path path = dir.resolve(name);
        assertEquals(trie.size(), Dictionaries.writeTerms(path, trie.terms()));
        assertEquals(trie.terms().toList(), read(path));
        assertEquals(name.toLowerCase().endsWith(".gz"), isGzip(path));
        assertFalse(Files.exists(dir.resolve(name + ".tmp")));
    }

    private static boolean isGzip(Path path) throws IOException {
        byte[] start = Arrays.copyOf(Files.readAllBytes(path), 2);
        return start[0] == (byte) 0x1F && start[1] == (byte) 0x8B;
    }

    @ParameterizedTest
    @ValueSource(strings = {"entries.tsv", "entries.tsv.gz"})
    void entriesRoundTripThroughTsvWithEveryAwkwardCharacterEscaped(String name) throws IOException {
        Dawg<String> dawg = Dawg.create(Alphabet.CODE_POINTS);
        dawg.insertWithValue("plain", "value");
        dawg.insertWithValue("tab\there", "line\nbreak");
        dawg.insertWithValue("back\\slash\r", "\\t is not a tab");
        dawg.insertWithValue("empty value", "");
        dawg.insert("no value");
        dawg.insertWithValue("", "the empty term");
        Path path = dir.resolve(name);
        assertEquals(6, Dictionaries.writeEntries(path, dawg.entries(), value -> value));
        assertEquals(dawg.entries().toList(), readEntries(path));
        if (!name.endsWith(".gz")) {
            assertEquals(List.of("\tthe empty term", "back\\\\slash\\r\t\\\\t is not a tab", "empty value\t",
                    "no value", "plain\tvalue", "tab\\there\tline\\nbreak"),
                    Files.readAllLines(path, StandardCharsets.UTF_8));
        }
        DoubleArrayTrie<Long> longs = DoubleArrayTrie.ofEntries(List.of(Map.entry("a", 7L)), Alphabet.UTF8_BYTES);
        Dictionaries.writeEntries(path, longs.entries(), String::valueOf);
        assertEquals(List.of(new MappedDictionary.Entry<>("a", "7")), readEntries(path));
    }

    @Test
    void linesEndInLineFeedsOrCarriageReturnLineFeedsAndTheLastNeedsNone() throws IOException {
        Path path = dir.resolve("crlf.txt");
        Files.writeString(path, "one\r\ntwo\n\nthree\rx\nlast", StandardCharsets.UTF_8);
        assertEquals(List.of("one", "two", "", "three\rx", "last"), read(path));
        Files.writeString(path, "", StandardCharsets.UTF_8);
        assertEquals(List.of(), read(path));
        Files.writeString(path, "\n", StandardCharsets.UTF_8);
        assertEquals(List.of(""), read(path));
        Path tsv = dir.resolve("foreign.tsv");
        Files.writeString(tsv, "C:\\dir\\x\tend\\\n", StandardCharsets.UTF_8);
        assertEquals(List.of(new MappedDictionary.Entry<>("C:\\dir\\x", "end\\")), readEntries(tsv),
                "an unknown escape is kept as written");
    }

    @Test
    void malformedUtf8IsReportedWithItsLine() throws IOException {
        Path path = dir.resolve("bad.txt");
        Files.write(path, new byte[] {'o', 'k', '\n', 'f', 'i', 'n', 'e', '\n', 'b', (byte) 0xC3, 'x', '\n'});
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> read(path));
        assertTrue(e.getMessage().contains("line 3 of " + path), e.getMessage());
        try (Stream<String> terms = Dictionaries.readTerms(path)) {
            assertEquals(List.of("ok", "fine"), terms.limit(2).toList(), "lines before the bad one read");
        }
    }

    @Test
    void aLineLongerThanTheLimitIsRefusedNotBuffered() throws IOException {
        Path path = dir.resolve("long.txt");
        byte[] line = new byte[TermLists.MAX_LINE_BYTES + 1];
        Arrays.fill(line, (byte) 'x');
        Files.write(path, line);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> read(path));
        assertTrue(e.getCause().getMessage().contains("line 1 of " + path), e.getCause().getMessage());
    }

    @Test
    void aTermAPlainListCannotHoldLeavesTheTargetAsItWas() throws IOException {
        Path path = dir.resolve("kept.txt");
        Dictionaries.writeTerms(path, Stream.of("old"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dictionaries.writeTerms(path, Stream.of("new", "two\nlines")));
        assertTrue(e.getMessage().contains("two\\nlines"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Dictionaries.writeTerms(path, Stream.of("\uD800")));
        assertEquals(List.of("old"), read(path));
        assertFalse(Files.exists(dir.resolve("kept.txt.tmp")));
        assertThrows(NullPointerException.class, () -> Dictionaries.writeTerms(path, Stream.of((String) null)));
    }

    @Test
    void aFileNamedGzThatIsNotGzipIsAnIoError() throws IOException {
        Path path = dir.resolve("fake.gz");
        Files.writeString(path, "plain text");
        IOException e = assertThrows(IOException.class, () -> Dictionaries.readTerms(path));
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
        Path gz = dir.resolve("real.txt.gz");
        Dictionaries.writeTerms(gz, Stream.of("a", "b"));
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            assertArrayEquals("a\nb\n".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        }
    }
}
