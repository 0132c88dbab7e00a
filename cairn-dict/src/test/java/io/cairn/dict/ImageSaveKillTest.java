package io.cairn.dict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real process (SIGKILL) while it saves dictionary images over one path again and again: whenever it
 * dies, the path holds one whole image, the old or the new one.
 */
class ImageSaveKillTest {
    @TempDir
    Path dir;

    private static final List<String> EVEN = List.of("alpha", "beta", "gamma");
    private static final List<String> ODD = List.of("delta", "epsilon");

    /** The child: saves a trie and a DAWG of alternating contents forever, printing a line after each save. */
    public static void main(String[] args) throws IOException {
        Path trie = Path.of(args[0]);
        Path dawg = Path.of(args[1]);
        for (long i = 0; ; i++) {
            List<String> terms = i % 2 == 0 ? EVEN : ODD;
            DoubleArrayTrie.of(terms).save(trie);
            Dawg.of(terms, Alphabet.UTF8_BYTES).save(dawg);
            System.out.println("saved " + i);
            System.out.flush();
        }
    }

    @Test
    void aKilledSaverLeavesAWholeImage() throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        Path trie = dir.resolve("words.dat");
        Path dawg = dir.resolve("words.dawg");
        Set<Set<String>> versions = Set.of(new TreeSet<>(EVEN), new TreeSet<>(ODD));
        for (int round = 0; round < 4; round++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), ImageSaveKillTest.class.getName(),
                    trie.toString(), dawg.toString())
                    .redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String first = out.readLine();
                assertTrue(first != null && first.startsWith("saved"), "child said " + first);
                Thread.sleep(random.nextInt(300));
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            }
            String context = "seed " + seed + " round " + round;
            assertTrue(versions.contains(DoubleArrayTrieTest.termsOf(DoubleArrayTrie.load(trie))), context);
            assertTrue(versions.contains(DoubleArrayTrieTest.termsOf(Dawg.load(dawg))), context);
            assertEquals(DoubleArrayTrieTest.termsOf(DoubleArrayTrie.load(trie)).size(),
                    DoubleArrayTrie.load(trie).size(), context);
        }
    }
}
