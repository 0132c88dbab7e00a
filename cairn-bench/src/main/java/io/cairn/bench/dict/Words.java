package io.cairn.bench.dict;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/** The benchmark's data: the system word list and a fixed, seeded set of typo queries made from it. */
final class Words {
    private Words() {}

    /** The word list, overridable with {@code -Dcairn.bench.words=PATH}. */
    static final Path FILE = Path.of(System.getProperty("cairn.bench.words", "/usr/share/dict/words"));

    static final int QUERY_COUNT = 200;
    static final long QUERY_SEED = 2026_11_21L;

    /**
     * The words, deduplicated and sorted. They are all in the Basic Multilingual Plane, where {@code String} order,
     * code point order and UTF-8 byte order agree, so every peer receives them in the order it requires.
     */
    static List<String> load() throws IOException {
        if (!Files.isReadable(FILE)) {
            throw new IOException("word list " + FILE + " is missing: install the wamerican package or pass "
                    + "-Dcairn.bench.words=PATH");
        }
        List<String> words = new ArrayList<>(new TreeSet<>(Files.readAllLines(FILE, StandardCharsets.UTF_8)));
        words.removeIf(String::isEmpty);
        return words;
    }

    /**
     * {@link #QUERY_COUNT} typos of random words: one or two random insertions, deletions, substitutions or adjacent
     * swaps of lower-case letters, the same on every run.
     */
    static List<String> typoQueries(List<String> words) {
        Random random = new Random(QUERY_SEED);
        List<String> queries = new ArrayList<>(QUERY_COUNT);
        while (queries.size() < QUERY_COUNT) {
            StringBuilder query = new StringBuilder(words.get(random.nextInt(words.size())));
            int edits = 1 + random.nextInt(2);
            for (int e = 0; e < edits && query.length() > 1; e++) {
                int at = random.nextInt(query.length());
                char letter = (char) ('a' + random.nextInt(26));
                switch (random.nextInt(4)) {
                    case 0 -> query.insert(at, letter);
                    case 1 -> query.deleteCharAt(at);
                    case 2 -> query.setCharAt(at, letter);
                    default -> {
                        if (at + 1 < query.length()) {
                            char swapped = query.charAt(at);
                            query.setCharAt(at, query.charAt(at + 1));
                            query.setCharAt(at + 1, swapped);
                        }
                    }
                }
            }
            queries.add(query.toString());
        }
        return queries;
    }
}
