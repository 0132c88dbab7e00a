package io.cairn.bench.spell;

import io.cairn.dict.Alphabet;
import io.cairn.dict.DoubleArrayTrie;
import io.cairn.dict.fuzzy.Suggester;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Cairn's {@link Suggester} against GNU aspell on the pairs of {@link SpellingPairs}: for each misspelling, is the
 * word meant the first suggestion, and is it among the first five? Cairn suggests from /usr/share/dict/words with
 * SCOWL size classes as weights ({@link WordClasses}); aspell from its own en dictionary, through {@code aspell -a}.
 * Neither is installed by this program: without aspell (Debian packages aspell, aspell-en) it says so and reports
 * Cairn alone; without scowl, Cairn runs unweighted.
 *
 * <pre>
 * java -cp 'cairn-bench/target/cairn-bench.jar:cairn-bench/target/lib/*' io.cairn.bench.spell.SpellingComparison [-v]
 * </pre>
 * {@code -v} lists every pair either checker misses at top 1.
 */
public final class SpellingComparison {
    private static final int TOP = 5;

    private SpellingComparison() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        boolean verbose = Arrays.asList(args).contains("-v");
        List<SpellingPairs.Pair> pairs = SpellingPairs.load();
        Suggester cairn = cairnSuggester();
        List<List<String>> cairnSuggestions = new ArrayList<>();
        long cairnMicros = 0;
        for (int round = 0; round < 3; round++) { // the last of three rounds is timed: the first ones warm up
            cairnSuggestions.clear();
            long started = System.nanoTime();
            for (SpellingPairs.Pair pair : pairs) {
                cairnSuggestions.add(cairn.suggest(pair.misspelling(), TOP).stream()
                        .map(Suggester.Suggestion::term).toList());
            }
            cairnMicros = (System.nanoTime() - started) / 1000 / pairs.size();
        }
        List<List<String>> aspellSuggestions = aspell(pairs);

        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < pairs.size(); i++) {
            groups.computeIfAbsent("all", g -> new ArrayList<>()).add(i);
            String source = pairs.get(i).source();
            groups.computeIfAbsent(source.equals("common") ? "common misspellings" : "typos of frequent words",
                    g -> new ArrayList<>()).add(i);
        }
        System.out.printf("%d pairs (%s); top-%d = the word meant is among the first %d suggestions%n", pairs.size(),
                "misspellings.tsv", TOP, TOP);
        System.out.printf("%-26s %6s | %12s %12s | %12s %12s%n", "pairs", "count", "Cairn top-1", "top-" + TOP,
                "aspell top-1", "top-" + TOP);
        for (Map.Entry<String, List<Integer>> group : groups.entrySet()) {
            List<Integer> members = group.getValue();
            System.out.printf("%-26s %6d | %12s %12s | %12s %12s%n", group.getKey(), members.size(),
                    share(pairs, cairnSuggestions, members, 1), share(pairs, cairnSuggestions, members, TOP),
                    share(pairs, aspellSuggestions, members, 1), share(pairs, aspellSuggestions, members, TOP));
        }
        System.out.printf("Cairn: %,d µs per misspelling (one thread, third round)%n", cairnMicros);
        if (verbose) {
            for (int i = 0; i < pairs.size(); i++) {
                boolean cairnFirst = first(cairnSuggestions.get(i), pairs.get(i).intended());
                boolean aspellFirst = aspellSuggestions == null || first(aspellSuggestions.get(i), pairs.get(i).intended());
                if (!cairnFirst || !aspellFirst) {
                    System.out.printf("%-14s -> %-14s cairn %s%s%n", pairs.get(i).misspelling(),
                            pairs.get(i).intended(), cairnSuggestions.get(i),
                            aspellSuggestions == null ? "" : "  aspell " + aspellSuggestions.get(i).subList(0,
                                    Math.min(TOP, aspellSuggestions.get(i).size())));
                }
            }
        }
    }

    private static boolean first(List<String> suggestions, String intended) {
        return !suggestions.isEmpty() && suggestions.getFirst().equals(intended);
    }

    private static String share(List<SpellingPairs.Pair> pairs, List<List<String>> suggestions, List<Integer> members,
            int top) {
        if (suggestions == null) {
            return "-";
        }
        int hits = 0;
        for (int i : members) {
            List<String> list = suggestions.get(i);
            if (list.subList(0, Math.min(top, list.size())).contains(pairs.get(i).intended())) {
                hits++;
            }
        }
        return String.format("%5.1f%%", 100.0 * hits / members.size());
    }

    /** /usr/share/dict/words with SCOWL weights, in a double-array trie. */
    private static Suggester cairnSuggester() throws IOException {
        List<String> words = List.copyOf(new TreeSet<>(Files.readAllLines(Path.of("/usr/share/dict/words"),
                StandardCharsets.UTF_8)));
        WordClasses classes;
        try {
            classes = WordClasses.load();
        } catch (IOException e) {
            System.out.println("Cairn runs without weights: " + e.getMessage());
            return Suggester.of(DoubleArrayTrie.of(words, Alphabet.UTF8_BYTES));
        }
        List<Map.Entry<String, Long>> weighted = new ArrayList<>(words.size());
        for (String word : words) {
            weighted.add(Map.entry(word, classes.weight(word)));
        }
        System.out.println("Cairn: /usr/share/dict/words (" + words.size()
                + " words), weighted by SCOWL size class (100 - class)");
        return Suggester.of(DoubleArrayTrie.<Long>ofEntries(weighted, Alphabet.UTF8_BYTES), weight -> weight);
    }

    /** Each misspelling's suggestions from {@code aspell -a}, or null (said on stdout) if aspell is not installed. */
    private static List<List<String>> aspell(List<SpellingPairs.Pair> pairs) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("aspell", "-a", "--lang=en").redirectErrorStream(true).start();
        } catch (IOException e) {
            System.out.println("aspell is not installed (Debian: apt-get install aspell aspell-en); "
                    + "reporting Cairn alone");
            return null;
        }
        try (Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
            for (SpellingPairs.Pair pair : pairs) {
                in.write("^" + pair.misspelling() + "\n"); // '^': the line is text, never an aspell command
            }
        }
        List<List<String>> suggestions = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String banner = out.readLine();
            System.out.println("aspell: " + banner);
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("&")) {
                    suggestions.add(List.of(line.substring(line.indexOf(": ") + 2).split(", ")));
                } else if (line.startsWith("#") || line.startsWith("*")) {
                    suggestions.add(List.of());
                } else if (!line.isEmpty()) {
                    throw new IOException("unexpected aspell output: " + line);
                }
            }
        }
        if (process.waitFor() != 0 || suggestions.size() != pairs.size()) {
            throw new IOException("aspell exited with " + process.exitValue() + " after " + suggestions.size()
                    + " of " + pairs.size() + " answers");
        }
        return suggestions;
    }
}
