package io.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn completion bash|zsh} and {@code cairn man}, generated from the command model. */
class CompletionAndManTest {
    @TempDir
    Path dir;

    private static String shell(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(1, TimeUnit.MINUTES));
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
        return output;
    }

    @Test
    void theBashScriptRegistersCompletionOfEveryCommand() throws Exception {
        Cli.Result r = Cli.run("completion", "bash");
        assertEquals(0, r.code(), r.toString());
        Files.writeString(dir.resolve("cairn.bash"), r.out());
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
        String registered = shell(dir, "/bin/bash", "-c", "source ./cairn.bash && complete -p cairn");
        assertTrue(registered.contains("cairn"), registered);
        for (String command : new String[] {"stack", "alloc", "dict", "demo", "completion", "man"}) {
            assertTrue(r.out().contains(command), command + " is completed");
        }
    }

    @Test
    void theZshScriptLoadsBashCompletionFirst() {
        Cli.Result r = Cli.run("completion", "zsh");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit"), r.out());
        assertEquals(2, Cli.run("completion", "fish").code());
    }

    @Test
    void theManualPageRendersAndDocumentsEveryCommand() throws Exception {
        Cli.Result r = Cli.run("man");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith(".TH CAIRN 1 "), r.out());
        for (String command : new String[] {"cairn stack push", "cairn dict fuzzy", "cairn alloc verify"}) {
            assertTrue(r.out().contains(".SS " + command), command + " is in the page");
        }
        assertTrue(r.out().contains("JSON fields"), "the JSON fields are documented");
        Files.writeString(dir.resolve("cairn.1"), r.out());
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/groff")), "needs groff");
        String rendered = shell(dir, "/usr/bin/groff", "-man", "-Tutf8", "-ww", "cairn.1");
        assertTrue(rendered.contains("Append"), rendered);
        assertTrue(!rendered.contains("warning"), rendered);
    }
}
