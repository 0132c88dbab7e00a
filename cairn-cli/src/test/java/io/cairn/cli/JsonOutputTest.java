package io.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        int command = 0;
        while (command < args.length && !args[command].startsWith("-") && !args[command].contains("/")) {
            command++;
        }
        String[] helpArgs = new String[command + 1];
        System.arraycopy(args, 0, helpArgs, 0, command);
        helpArgs[command] = "--help";
        String help = Cli.run(helpArgs).out();
        assertTrue(help.contains("JSON fields (--json):"), String.join(" ", helpArgs) + ": " + help);
        String section = help.substring(help.indexOf("JSON fields (--json):"));
        node.fieldNames().forEachRemaining(field -> assertTrue(section.matches("(?s).*\\n\\s+" + field + "\\s.*"),
                "field '" + field + "' is not documented in " + String.join(" ", helpArgs) + ": " + section));
    }

    @Test
    void stackInfoAndVerify() throws IOException {
        Path file = dir.resolve("s");
        assertEquals(0, Cli.run("stack", "push", file.toString(), "abc").code());
        JsonNode info = json(0, "stack", "info", "--json", file.toString());
        assertEquals(file.toString(), info.get("file").asText());
        assertEquals(3, info.get("length").asLong());
        assertEquals(19, info.get("fileSize").asLong());
        assertTrue(info.get("consistent").asBoolean());

        Files.write(file, "junk".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        JsonNode verify = json(StackCommand.NEEDS_REPAIR, "stack", "verify", "--json", file.toString());
        assertEquals(3, verify.get("committedLength").asLong());
        assertEquals(false, verify.get("consistent").asBoolean());
        assertTrue(verify.get("repair").asText().contains("4 bytes past the committed length"), verify.toString());
    }
}
