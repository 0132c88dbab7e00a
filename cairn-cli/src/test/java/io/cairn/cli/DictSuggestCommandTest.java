package io.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn dict suggest} and {@code cairn dict fuzzy --substitutions} through the real command, in-process. */
class DictSuggestCommandTest {
    @TempDir
    Path dir;

    private Path image;

    @BeforeEach
    void buildImage() throws IOException {
        Path words = Files.write(dir.resolve("words.tsv"), List.of("the\t90", "then\t80", "ten\t80", "receive\t80",
                "relieve\t70", "Paris\t60", "don't\t90", "modern\t50"), StandardCharsets.UTF_8);
        image = dir.resolve("words.dict");
        Cli.Result built = Cli.run("dict", "build", words.toString(), "-o", image.toString());
        assertEquals(0, built.code(), built.toString());
    }

    @Test
    void wordsGetTheirSuggestionsBestFirst() {
        Cli.Result result = Cli.run("dict", "suggest", image.toString(), "teh", "the", "paris", "xqzwv");
        assertEquals(DictCommand.NOT_FOUND, result.code(), result.toString());
        assertEquals("""
                teh: the, ten, then
                the: correct
                paris: Paris
                xqzwv: no suggestions
                """, result.out());
        assertEquals(0, Cli.run("dict", "suggest", image.toString(), "The", "PARIS").code());
    }

    @Test
    void jsonListsEveryWordWithItsSuggestions() throws IOException {
        Cli.Result result = Cli.run("dict", "suggest", "--json", "--limit", "2", image.toString(), "recieve", "the");
        JsonNode words = new ObjectMapper().readTree(result.out()).get("words");
        assertEquals(2, words.size(), result.toString());
        assertEquals("recieve", words.get(0).get("word").asText());
        assertEquals(false, words.get(0).get("correct").asBoolean());
        JsonNode first = words.get(0).get("suggestions").get(0);
        assertEquals("receive", first.get("term").asText());
        assertEquals(1, first.get("distance").asInt());
        assertEquals(80.0, first.get("weight").asDouble());
        assertEquals(2, words.get(0).get("suggestions").size());
        assertEquals(true, words.get(1).get("correct").asBoolean());
    }

    @Test
    void standardInputIsAnsweredAsAspellDoes() {
        String text = "Teh modrn  don't\n\n^recieve 42 xqzwv\n";
        Cli.Result result = Cli.run(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "dict",
                "suggest", image.toString(), "-");
        assertEquals(DictCommand.NOT_FOUND, result.code(), result.toString());
        assertEquals(DictSuggestCommand.BANNER + "\n"
                + "& Teh 3 0: the, ten, then\n& modrn 1 4: modern\n*\n\n"
                + "\n"
                + "& recieve 2 1: receive, relieve\n# xqzwv 12\n\n", result.out());
    }

    @Test
    void streamModeAndJsonDoNotMix() {
        Cli.Result result = Cli.run("dict", "suggest", "--json", image.toString(), "-");
        assertEquals(2, result.code(), result.toString());
        assertTrue(result.err().contains("--json"), result.err());
    }

    @Test
    void fuzzySearchTakesASubstitutionSetByNameOrFile() throws IOException {
        Cli.Result ocr = Cli.run("dict", "fuzzy", "-d", "0", "--substitutions", "ocr", image.toString(), "rnodern");
        assertEquals(0, ocr.code(), ocr.toString());
        assertEquals("0\tmodern\n", ocr.out());
        Path rules = Files.writeString(dir.resolve("rules.txt"), "# mine\ns c\n", StandardCharsets.UTF_8);
        Cli.Result fromFile = Cli.run("dict", "fuzzy", "-d", "0", "--substitutions", rules.toString(),
                image.toString(), "reseive");
        assertEquals("0\treceive\n", fromFile.out(), fromFile.toString());
        Cli.Result bad = Cli.run("dict", "fuzzy", "--substitutions", "nosuch", image.toString(), "x");
        assertEquals(2, bad.code(), bad.toString());
        assertTrue(bad.err().contains("nosuch"), bad.err());
        Path twoForTwo = Files.writeString(dir.resolve("bad.txt"), "ie ei\n", StandardCharsets.UTF_8);
        Cli.Result refused = Cli.run("dict", "fuzzy", "--substitutions", twoForTwo.toString(), image.toString(), "x");
        assertEquals(2, refused.code(), refused.toString());
        assertTrue(refused.err().contains(twoForTwo + " line 1"), refused.err());
        Cli.Result caseless = Cli.run("dict", "fuzzy", "-d", "0", "--ignore-case", image.toString(), "PARIS");
        assertEquals("0\tParis\n", caseless.out(), caseless.toString());
    }
}
