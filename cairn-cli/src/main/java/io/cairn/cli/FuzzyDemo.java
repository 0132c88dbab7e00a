package io.cairn.cli;

import io.cairn.dict.DoubleArrayTrie;
import io.cairn.dict.fuzzy.Algorithm;
import io.cairn.dict.fuzzy.Candidate;
import io.cairn.dict.fuzzy.Levenshtein;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Fuzzy search in the demo: spelling suggestions for common misspellings from the system word list, a prefix
 * completion, and a distance-3 search (beyond Lucene's limit of 2), each with its time.
 */
final class FuzzyDemo implements DemoSection {
    private static final long WARM_UP_NANOS = 1_500_000_000L;
    private static final int RUNS = 5;

    @Override
    public String title() {
        return "dict: fuzzy search (Levenshtein automata walked over a double-array trie)";
    }

    @Override
    public void run(Context context) throws IOException {
        PrintStream out = context.out();
        List<String> words = SystemWords.readOrExplain(out, "fuzzy search");
        if (words == null) {
            return;
        }
        long started = System.nanoTime();
        DoubleArrayTrie<Object> trie = DoubleArrayTrie.of(words);
        out.printf("  %,d words into a double-array trie in %,d ms (image %,d bytes)%n", trie.size(),
                (System.nanoTime() - started) / 1_000_000, trie.imageSize());

        Map<String, Supplier<List<Candidate>>> searches = new LinkedHashMap<>();
        for (String misspelt : List.of("recieve", "seperate", "acommodate", "definately", "untill")) {
            searches.put("suggest  " + misspelt + " (d<=2, transposition)",
                    () -> Levenshtein.query(trie, misspelt).maxDistance(2).algorithm(Algorithm.TRANSPOSITION)
                            .limit(5).list());
        }
        searches.put("complete \"algori\" (prefix, d<=1)",
                () -> Levenshtein.query(trie, "algori").maxDistance(1).prefix().limit(6).list());
        searches.put("distance 3: \"mispelingz\"", () -> Levenshtein.search(trie, "mispelingz", 3, Algorithm.STANDARD));
        searches.put("merge-split: \"rnodern\" ('rn' read as 'm', d<=2)",
                () -> Levenshtein.query(trie, "rnodern").maxDistance(2).algorithm(Algorithm.MERGE_AND_SPLIT)
                        .limit(3).list());

        // A fresh JVM interprets the walk at first: warm it up so the times shown are those of a running service.
        long warmUntil = System.nanoTime() + WARM_UP_NANOS;
        while (System.nanoTime() < warmUntil) {
            searches.values().forEach(Supplier::get);
        }
        out.println("  (times: median of " + RUNS + " runs after " + WARM_UP_NANOS / 1_000_000 + " ms of warm-up)");
        searches.forEach((label, search) -> show(out, label, search));
    }

    private static void show(PrintStream out, String label, Supplier<List<Candidate>> search) {
        long[] micros = new long[RUNS];
        List<Candidate> found = List.of();
        for (int run = 0; run < RUNS; run++) {
            long started = System.nanoTime();
            found = search.get();
            micros[run] = (System.nanoTime() - started) / 1_000;
        }
        Arrays.sort(micros);
        StringBuilder line = new StringBuilder();
        for (Candidate candidate : found) {
            line.append(line.isEmpty() ? "" : ", ").append(candidate.term()).append(' ').append(candidate.distance());
        }
        out.printf("  %-48s %6d µs: %s%n", label, micros[RUNS / 2], line);
    }
}
