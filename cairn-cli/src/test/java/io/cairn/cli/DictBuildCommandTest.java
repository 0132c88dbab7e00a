package io.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn dict build} at scale: bounded memory in a real child JVM, and the progress bar on a terminal. */
class DictBuildCommandTest {
    @TempDir
    Path dir;

    /** 200,000 distinct two-word terms of the system words in random order: a 3.8 MB list. */
    private Path bigrams() throws IOException {
        return bigrams(200_000);
    }

    /** {@code count} distinct two-word terms of the system words in random order (19 bytes a term). */
    private Path bigrams(int count) throws IOException {
        List<String> words = Files.readAllLines(SystemWords.PATH, StandardCharsets.UTF_8);
        Random random = new Random(11);
        Set<String> terms = new LinkedHashSet<>();
        while (terms.size() < count) {
            terms.add(words.get(random.nextInt(words.size())) + " " + words.get(random.nextInt(words.size())));
        }
        return Files.write(dir.resolve("bigrams.txt"), terms, StandardCharsets.UTF_8);
    }

    @Test
    void theBuildFitsInAHeapOfEightTimesTheListsSize() throws IOException, InterruptedException {
        Path list = bigrams();
        assertTrue(Files.size(list) > 3_500_000);
        for (String type : List.of("dat", "dawg")) {
            // 32 MiB, 8.5 times the list: the list as Java strings and their units alone took more before.
            Cli.Result built = Cli.process(dir, "32m", "cairn dict build --type " + type + " bigrams.txt -o " + type);
            assertEquals(0, built.code(), built.toString());
            assertTrue(built.out().contains("of 200,000 terms"), built.toString());
            Cli.Result found = Cli.run("dict", "lookup", dir.resolve(type).toString(),
                    Files.readAllLines(list).get(123_456));
            assertEquals(0, found.code(), found.toString());
        }
    }

    @Test
    void aDawgOfAShuffledListFitsInFourTimesTheListsSize() throws IOException, InterruptedException {
        Path list = bigrams(500_000);
        long size = Files.size(list);
        assertTrue(size > 9_000_000, "a list of " + size + " bytes");
        // Sorted in one run in memory, which stayed on the heap while the DAWG was built: out of memory under G1
        // even at 4.7 times the list's size, with its 9.5 MB array humongous.
        String heap = (4 * size >> 20) + "m";
        Cli.Result built = Cli.processWithTheDefaultCollector(dir, heap,
                "cairn dict build --type dawg bigrams.txt -o dawg");
        assertEquals(0, built.code(), heap + ": " + built);
        assertTrue(built.out().contains("of 500,000 terms"), built.toString());
        Cli.Result found = Cli.run("dict", "lookup", dir.resolve("dawg").toString(), Files.readAllLines(list).get(4321));
        assertEquals(0, found.code(), found.toString());
    }

    @Test
    void theProgressBarIsDrawnOnATerminalOnly() throws IOException, InterruptedException {
        Path list = Files.write(dir.resolve("words.txt"), List.of("pear", "apple", "fig"), StandardCharsets.UTF_8);
        Cli.Result piped = Cli.run("dict", "build", list.toString(), "-o", dir.resolve("piped").toString());
        assertEquals(0, piped.code(), piped.toString());
        assertEquals("", piped.err(), "no bar when standard error is not a terminal");

        // script(1) runs the command with a pseudo-terminal as its standard streams.
        Path transcript = dir.resolve("transcript");
        Process script = new ProcessBuilder("script", "-qec", Cli.javaCommand("64m") + " dict build words.txt -o tty",
                transcript.toString()).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(script.waitFor(2, TimeUnit.MINUTES), "script(1) did not finish");
        String screen = Files.readString(transcript, StandardCharsets.UTF_8);
        assertTrue(screen.contains("placing") && screen.contains("100%"), screen);
        assertTrue(screen.contains("built double-array trie"), screen);
        assertFalse(screen.contains("Exception"), screen);
    }
}
