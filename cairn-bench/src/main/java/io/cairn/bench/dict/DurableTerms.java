package io.cairn.bench.dict;

import io.cairn.bench.Directories;
import io.cairn.dict.Alphabet;
import io.cairn.dict.Dawg;
import io.cairn.dict.DurableDictionary;
import io.cairn.stack.Durability;
import io.cairn.tree.TreeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Data and scratch stores for the durable dictionary benchmarks: term lists of a given size (the system words, then
 * the words with numeric suffixes), and directories under {@code -Dcairn.bench.dir} (default
 * {@code target/bench-dict}; keep it on a real disk, never tmpfs), deleted when a trial ends.
 */
final class DurableTerms {
    private DurableTerms() {}

    static Path scratch(String name) throws IOException {
        Path base = Files.createDirectories(Path.of(System.getProperty("cairn.bench.dir", "target/bench-dict")));
        return Files.createTempDirectory(base, name);
    }

    /**
     * Ends a trial or an invocation: closes each store the engine opened (those it did not open are null), then
     * deletes the scratch directory, if there is one.
     */
    static void closeAndDelete(Path dir, AutoCloseable... stores) throws Exception {
        for (AutoCloseable store : stores) {
            if (store != null) {
                store.close();
            }
        }
        if (dir != null) {
            Directories.deleteRecursively(dir);
        }
    }

    /** {@code count} distinct terms: the system words first, then "word-1", "word-2", ... as needed. */
    static List<String> terms(int count) throws IOException {
        List<String> words = Words.load();
        List<String> out = new ArrayList<>(count);
        for (int round = 0; out.size() < count; round++) {
            for (String w : words) {
                if (out.size() == count) {
                    break;
                }
                out.add(round == 0 ? w : w + "-" + round);
            }
        }
        return out;
    }

    /** A durable dictionary in a new scratch directory holding {@code terms}, closed (so fully checkpointed). */
    static Path durableDictionary(List<String> terms) throws IOException {
        Path dir = scratch("durable-");
        try (DurableDictionary d = DurableDictionary.open(dir, TreeOptions.defaults().durability(Durability.NONE))) {
            d.merge(Dawg.of(terms.stream().sorted().toList(), Alphabet.UTF8_BYTES));
        }
        return dir;
    }
}
