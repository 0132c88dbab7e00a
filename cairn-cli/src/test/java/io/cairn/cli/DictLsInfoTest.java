package io.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.dict.Alphabet;
import io.cairn.dict.Dawg;
import io.cairn.dict.Dictionaries;
import io.cairn.dict.DoubleArrayTrie;
import io.cairn.dict.TokenDawg;
import io.cairn.dict.ValueCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn dict ls} and {@code cairn dict info}. */
class DictLsInfoTest {
    @TempDir
    Path dir;

    private Path trie(String name, List<String> terms) throws IOException {
        Path path = dir.resolve(name);
        DoubleArrayTrie.of(terms).save(path);
        return path;
    }

    @Test
    void lsListsEveryTermOrThoseWithAPrefixInUnitOrder() throws IOException {
        Path image = trie("words.dat", List.of("banana", "apple", "apricot", "😀", "é", "back\\slash"));
        Cli.Result all = Cli.run("dict", "ls", image.toString());
        assertEquals(0, all.code(), all.toString());
        assertEquals("apple\napricot\nback\\slash\nbanana\né\n😀\n", all.out());
        Cli.Result ap = Cli.run("dict", "ls", image.toString(), "ap");
        assertEquals("apple\napricot\n", ap.out());
        Cli.Result none = Cli.run("dict", "ls", image.toString(), "zz");
        assertEquals(DictCommand.NOT_FOUND, none.code(), none.toString());
        assertEquals("", none.out());
    }

    @Test
    void lsPrintsValuesAsTsv() throws IOException {
        Path image = dir.resolve("valued.dawg");
        Dawg<String> dawg = Dawg.create(Alphabet.CODE_POINTS);
        dawg.insertWithValue("tab\tterm", "line\nvalue");
        dawg.insertWithValue("plain", "v");
        dawg.insert("bare");
        dawg.save(image, ValueCodec.strings());
        Cli.Result result = Cli.run("dict", "ls", image.toString());
        assertEquals(0, result.code(), result.toString());
        assertEquals("bare\nplain\tv\ntab\\tterm\tline\\nvalue\n", result.out());
        Path longs = dir.resolve("longs.dat");
        DoubleArrayTrie.ofEntries(List.of(Map.entry("n", -1L)), Alphabet.UTF8_BYTES).save(longs, ValueCodec.longs());
        assertEquals("n\t0xffffffffffffffff\n", Cli.run("dict", "ls", longs.toString()).out(),
                "a value that is not UTF-8 prints as hex");
    }

    @Test
    void lsWritesAPlainOrGzipListAndRefusesToOverwriteItsImage() throws IOException {
        Path image = trie("words.dat", List.of("b", "a", "c"));
        Path list = dir.resolve("out.txt.gz");
        Cli.Result written = Cli.run("dict", "ls", image.toString(), "--output", list.toString());
        assertEquals(0, written.code(), written.toString());
        assertTrue(written.err().contains("wrote 3 terms to " + list), written.err());
        try (Stream<String> terms = Dictionaries.readTerms(list)) {
            assertEquals(List.of("a", "b", "c"), terms.toList());
        }
        byte[] before = Files.readAllBytes(image);
        Cli.Result refused = Cli.run("dict", "ls", image.toString(), "-o", image.toString());
        assertEquals(1, refused.code(), refused.toString());
        assertTrue(refused.err().contains("refusing to write the list over the image"), refused.err());
        assertEquals(List.of(), List.of(refused.err().split("\n")).stream().filter(l -> l.startsWith("\tat ")).toList());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(image)), "the image is untouched");
        Cli.Result directory = Cli.run("dict", "ls", image.toString(), "-o", dir.toString());
        assertEquals(1, directory.code(), directory.toString());
        assertTrue(directory.err().contains("not a regular file"), directory.err());
    }

    @Test
    void lsAndInfoSpeakJson() throws IOException {
        Path image = dir.resolve("valued.dat");
        DoubleArrayTrie.ofEntries(List.of(Map.entry("a", "x"), Map.entry("ab", "y")), Alphabet.UTF8_BYTES)
                .save(image, ValueCodec.strings());
        JsonNode ls = JsonOutputTest.json(0, "dict", "ls", "--json", image.toString(), "a");
        assertEquals(2, ls.get("count").asLong());
        assertEquals("ab", ls.get("terms").get(1).get("term").asText());
        assertEquals("y", ls.get("terms").get(1).get("value").asText());
        JsonNode written = JsonOutputTest.json(0, "dict", "ls", "--json", image.toString(), "-o",
                dir.resolve("list.tsv").toString());
        assertEquals(2, written.get("count").asLong());
        assertFalse(written.has("terms"));
        assertEquals(List.of("a\tx", "ab\ty"), Files.readAllLines(dir.resolve("list.tsv"), StandardCharsets.UTF_8));

        JsonNode info = JsonOutputTest.json(0, "dict", "info", "--json", image.toString());
        assertEquals("dat", info.get("kind").asText());
        assertEquals("bytes", info.get("alphabet").asText());
        assertTrue(info.get("values").asBoolean());
        assertEquals(2, info.get("terms").asLong());
        assertEquals(3, info.get("nodes").asLong());
        assertEquals(Files.size(image), info.get("bytes").asLong());
    }

    @Test
    void infoDescribesEveryKind() throws IOException {
        Path dawg = dir.resolve("d.dawg");
        Dawg.of(List.of("cat", "bat"), Alphabet.CODE_POINTS).save(dawg);
        Cli.Result result = Cli.run("dict", "info", dawg.toString());
        assertEquals(0, result.code(), result.toString());
        assertTrue(result.out().contains("kind:      DAWG (dawg)"), result.out());
        assertTrue(result.out().contains("alphabet:  codepoints"), result.out());
        assertTrue(result.out().contains("terms:     2"), result.out());
        Path tokens = dir.resolve("t.tokens");
        TokenDawg<Object> sequences = TokenDawg.create();
        sequences.insert(new long[] {5, 6});
        sequences.save(tokens);
        JsonNode info = JsonOutputTest.json(0, "dict", "info", "--json", tokens.toString());
        assertEquals("tokens", info.get("kind").asText());
        assertEquals("tokens", info.get("alphabet").asText());
        assertEquals("5 6\n", Cli.run("dict", "ls", tokens.toString()).out());
    }

    @Test
    void lsListsATokenDawgsSequencesAsUnsignedTokens() throws IOException {
        Path tokens = dir.resolve("t.tokens");
        TokenDawg<String> sequences = TokenDawg.create();
        sequences.insert(new long[] {5, 6});
        sequences.insert(new long[] {-1});
        sequences.insertWithValue(new long[] {5}, "five");
        sequences.insert(new long[] {5, 6, 7});
        sequences.save(tokens, ValueCodec.strings());
        Cli.Result all = Cli.run("dict", "ls", tokens.toString());
        assertEquals(0, all.code(), all.toString());
        assertEquals("5\tfive\n5 6\n5 6 7\n18446744073709551615\n", all.out());
        assertEquals("5 6\n5 6 7\n", Cli.run("dict", "ls", tokens.toString(), "5 6").out());
        Cli.Result none = Cli.run("dict", "ls", tokens.toString(), "6");
        assertEquals(DictCommand.NOT_FOUND, none.code(), none.toString());
        Cli.Result bad = Cli.run("dict", "ls", tokens.toString(), "five");
        assertEquals(1, bad.code(), bad.toString());
        assertTrue(bad.err().contains("'five'"), bad.err());
    }

    @Test
    void aDamagedOrMissingImageIsOneLineAndExitOne() throws IOException {
        Path image = trie("words.dat", List.of("a", "b"));
        byte[] bytes = Files.readAllBytes(image);
        bytes[bytes.length - 1] ^= 1;
        Files.write(image, bytes);
        for (String command : List.of("ls", "info")) {
            Cli.Result damaged = Cli.run("dict", command, image.toString());
            assertEquals(1, damaged.code(), damaged.toString());
            assertTrue(damaged.err().startsWith("cairn: corrupt store:"), damaged.err());
            assertEquals(1, damaged.err().lines().count(), damaged.err());
            Cli.Result missing = Cli.run("dict", command, dir.resolve("none").toString());
            assertEquals(1, missing.code(), missing.toString());
            assertTrue(missing.err().contains("no such file"), missing.err());
        }
    }
}
