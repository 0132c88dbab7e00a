package io.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cairn.stack.BStack;
import io.cairn.stack.alloc.FirstFitAllocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every {@code --json} output is one JSON document whose fields are the ones the command's help lists. */
class JsonOutputTest {
    @TempDir
    Path dir;

    /** Runs the command, checks exit {@code code}, parses standard output as one document. */
    static JsonNode json(int code, String... args) throws IOException {
        Cli.Result r = Cli.run(args);
        assertEquals(code, r.code(), r.toString());
        JsonNode node = new ObjectMapper().readTree(r.out());
        assertDocumentedInHelp(node, args);
        return node;
    }

    /** Each top-level field of {@code node} appears in the JSON section of the command's --help. */
    private static void assertDocumentedInHelp(JsonNode node, String... args) {
        CommandLine command = new CommandLine(new CairnCli());
        for (String arg : args) {
            CommandLine sub = command.getSubcommands().get(arg);
            if (sub != null) {
                command = sub;
            }
        }
        String name = command.getCommandSpec().qualifiedName();
        String help = command.getUsageMessage();
        assertTrue(help.contains("JSON fields (--json):"), name + ": " + help);
        String section = help.substring(help.indexOf("JSON fields (--json):"));
        node.fieldNames().forEachRemaining(field -> assertTrue(section.matches("(?s).*\\n\\s+" + field + "\\s.*"),
                "field '" + field + "' is not documented in " + name + " --help: " + section));
    }

    @Test
    void stackInfoAndVerify() throws IOException {
        Path file = dir.resolve("s");
        assertEquals(0, Cli.run("stack", "push", file.toString(), "abc").code());
        JsonNode info = json(0, "stack", "info", "--json", file.toString());
        assertEquals(file.toString(), info.get("file").asText());
        assertEquals(3, info.get("length").asLong());
        assertEquals(35, info.get("fileSize").asLong());
        assertTrue(info.get("journaled").asBoolean());
        assertTrue(info.get("consistent").asBoolean());

        Files.write(file, "junk".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        JsonNode verify = json(StackCommand.NEEDS_REPAIR, "stack", "verify", "--json", file.toString());
        assertEquals(3, verify.get("committedLength").asLong());
        assertEquals(false, verify.get("consistent").asBoolean());
        assertTrue(verify.get("repair").asText().contains("4 bytes past the committed length"), verify.toString());
        assertEquals(false, verify.get("journalArmed").asBoolean());
    }

    @Test
    void stackEdits() throws IOException {
        Path file = dir.resolve("s");
        JsonNode push = json(0, "stack", "push", "--json", file.toString(), "hello");
        assertEquals(0, push.get("offset").asLong());
        assertEquals(5, push.get("pushed").asLong());
        JsonNode peek = json(0, "stack", "peek", "--json", file.toString(), "1");
        assertEquals("ello", peek.get("text").asText());
        assertEquals("656c6c6f", peek.get("hex").asText());
        assertEquals(1, peek.get("offset").asLong());
        assertEquals(0, Cli.run("stack", "push", "--hex", file.toString(), "00ff").code());
        JsonNode get = json(0, "stack", "get", "--json", file.toString(), "4", "7");
        assertTrue(get.get("text").isNull(), get.toString());
        assertEquals("6f00ff", get.get("hex").asText());
        JsonNode pop = json(0, "stack", "pop", "--json", file.toString(), "2");
        assertEquals("00ff", pop.get("hex").asText());
        assertEquals(5, pop.get("offset").asLong());
    }

    @Test
    void allocVerifyAndStats() throws IOException {
        Path file = dir.resolve("s");
        try (FirstFitAllocator allocator = FirstFitAllocator.open(BStack.open(file))) {
            allocator.alloc(100);
        }
        JsonNode verify = json(0, "alloc", "verify", "--json", file.toString());
        assertEquals("first-fit", verify.get("allocator").asText());
        assertTrue(verify.get("structureValid").asBoolean());
        assertEquals(0, verify.get("problems").size());
        JsonNode stats = json(0, "alloc", "stats", "--json", file.toString());
        assertTrue(stats.get("stackBytes").asLong() > 100, stats.toString());
        assertTrue(stats.get("blockSize").isNull());
    }

    @Test
    void dictBuildLookupAndFuzzy() throws IOException {
        Path words = Files.write(dir.resolve("words.txt"), "apple\napply\nbanana\n".getBytes(StandardCharsets.UTF_8));
        Path image = dir.resolve("w.img");
        JsonNode build = json(0, "dict", "build", "--json", words.toString(), "-o", image.toString());
        assertEquals(3, build.get("terms").asLong());
        assertEquals("dat", build.get("type").asText());
        JsonNode lookup = json(0, "dict", "lookup", "--json", image.toString(), "apple");
        assertTrue(lookup.get("found").asBoolean());
        assertTrue(lookup.get("value").isNull());
        JsonNode missing = json(DictCommand.NOT_FOUND, "dict", "lookup", "--json", image.toString(), "pear");
        assertEquals(false, missing.get("found").asBoolean());
        JsonNode fuzzy = json(0, "dict", "fuzzy", "--json", "-d", "1", image.toString(), "appla");
        assertEquals(2, fuzzy.get("matches").size(), fuzzy.toString());
        assertEquals(1, fuzzy.get("matches").get(0).get("distance").asInt());
    }

    @Test
    void everyCommandThatPrintsDataHasJson() {
        List<String> missing = new ArrayList<>();
        collectWithoutJson(new CommandLine(new CairnCli()), missing);
        assertEquals(List.of(), missing, "commands that print data or stats without --json");
    }

    /**
     * The commands that print no data: they act and print nothing or only confirm what they were told (rm, mv, db
     * create and drop, serve's line when its member runs), or print help, a script, a manual page, or the tree's
     * KEY<TAB>VALUE export, which is the import format itself. A command that reports a figure it found (put's
     * version, import's count, checkpoint's sequence) prints data.
     */
    private static final Set<String> NO_DATA = Set.of("cairn help", "cairn demo", "cairn completion", "cairn man",
            "cairn tree rm", "cairn tree mv", "cairn tree export", "cairn db create", "cairn db drop", "cairn serve");

    private static void collectWithoutJson(CommandLine command, List<String> missing) {
        String name = command.getCommandSpec().qualifiedName();
        if (command.getSubcommands().isEmpty() && !NO_DATA.contains(name)
                && command.getCommandSpec().findOption("--json") == null) {
            missing.add(name);
        }
        for (CommandLine sub : command.getSubcommands().values()) {
            collectWithoutJson(sub, missing);
        }
    }

    @Test
    void treePutImportAndCheckpoint() throws IOException {
        Path tree = dir.resolve("t");
        JsonNode put = json(0, "tree", tree.toString(), "put", "--json", "photos/a.jpg", "v1");
        assertEquals("photos/a.jpg", put.get("key").asText());
        assertEquals(1, put.get("version").asLong());
        Path lines = Files.writeString(dir.resolve("in.tsv"), "a\t1\nb\t2\n");
        assertEquals(2, json(0, "tree", tree.toString(), "import", "--json", lines.toString()).get("records").asLong());
        assertTrue(json(0, "tree", tree.toString(), "checkpoint", "--json").get("checkpointSequence").asLong() > 0);
    }

    @Test
    void treeCountAndCheck() throws IOException {
        Path tree = dir.resolve("t");
        assertEquals(0, Cli.run("tree", tree.toString(), "put", "photos/a.jpg", "v1").code());
        assertEquals(0, Cli.run("tree", tree.toString(), "put", "photos/b.jpg", "v2").code());
        JsonNode count = json(0, "tree", tree.toString(), "count", "--json", "photos/");
        assertEquals(2, count.get("keys").asLong());
        JsonNode check = json(0, "tree", tree.toString(), "check", "--json");
        assertTrue(check.get("clean").asBoolean(), check.toString());
        assertEquals(2, check.get("keys").asLong());
    }
}
