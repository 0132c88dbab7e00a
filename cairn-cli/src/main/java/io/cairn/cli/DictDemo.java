package io.cairn.cli;

import io.cairn.dict.Alphabet;
import io.cairn.dict.Dawg;
import io.cairn.dict.DoubleArrayTrie;
import io.cairn.stack.CorruptedStoreException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The dictionary layer in the demo: the system word list as a double-array trie and as a minimal DAWG, their
 * images, exact lookups, a DAWG changing at run time, and a damaged image refused.
 */
final class DictDemo implements DemoSection {

    @Override
    public String title() {
        return "dict: dictionaries (double-array trie, dynamic DAWG)";
    }

    @Override
    public void run(Context context) throws IOException {
        PrintStream out = context.out();
        List<String> words = SystemWords.readOrExplain(out, "the dictionary demo");
        if (words == null) {
            return;
        }
        out.printf("  %,d words from %s%n", words.size(), SystemWords.PATH);

        long started = System.nanoTime();
        DoubleArrayTrie<Object> trie = DoubleArrayTrie.of(words);
        long trieMillis = (System.nanoTime() - started) / 1_000_000;
        Path trieFile = context.dataDir().resolve("words.dat");
        long trieBytes = trie.save(trieFile);
        out.printf("  double-array trie: built in %,d ms, %,d slots, image %,d bytes (%.1f bytes/word)%n",
                trieMillis, trie.slotCount(), trieBytes, (double) trieBytes / words.size());

        started = System.nanoTime();
        Dawg<Object> dawg = Dawg.of(words, Alphabet.UTF8_BYTES);
        long dawgMillis = (System.nanoTime() - started) / 1_000_000;
        Path dawgFile = context.dataDir().resolve("words.dawg");
        long dawgBytes = dawg.save(dawgFile);
        out.printf("  minimal DAWG:      built in %,d ms, %,d nodes, %,d edges, image %,d bytes (%.1f bytes/word)%n",
                dawgMillis, dawg.nodeCount(), dawg.edgeCount(), dawgBytes, (double) dawgBytes / words.size());

        DoubleArrayTrie<Object> mapped = DoubleArrayTrie.load(trieFile);
        for (String term : List.of("zebra", "zebras", "zebr", "cairn")) {
            out.printf("  lookup %-8s in the mapped trie: %s%n", term, mapped.contains(term) ? "found" : "not found");
        }

        Dawg<Integer> scores = Dawg.create();
        scores.insertWithValue("search", 1);
        scores.updateOrInsert("search", 1, n -> n + 1);
        scores.insertWithValue("research", 7);
        scores.insert("searching");
        out.printf("  a DAWG at run time: %d terms in %d nodes, search -> %d, research -> %d%n", scores.size(),
                scores.nodeCount(), scores.getValue("search"), scores.getValue("research"));
        scores.remove("research");
        out.printf("  after remove(\"research\"): %d terms in %d nodes (still minimal)%n", scores.size(),
                scores.nodeCount());

        byte[] image = Files.readAllBytes(dawgFile);
        image[image.length / 2] ^= 0x10;
        Path damaged = context.dataDir().resolve("damaged.dawg");
        Files.write(damaged, image);
        try {
            Dawg.load(damaged);
            out.println("  a damaged image loaded: this must not happen");
        } catch (CorruptedStoreException e) {
            out.println("  one flipped bit in the DAWG image is refused: " + e.getMessage());
        }
    }
}
