package io.cairn.bench.dict;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * One contender of the dictionary benchmarks, built from the sorted word list: Cairn's double-array trie or DAWG,
 * Lucene's FST, or liblevenshtein's DAWG. Fuzzy searches use transpositions (restricted Damerau distance), the one
 * algorithm all three implement.
 */
interface FuzzyEngine {

    /** Every term within {@code distance} of {@code query}, in the engine's own result form (what a caller gets). */
    Object fuzzy(String query, int distance) throws IOException;

    /** The same result as a set of terms, for checking that the engines agree. */
    Set<String> fuzzyTerms(String query, int distance) throws IOException;

    boolean contains(String term) throws IOException;

    /** The structure's size in bytes, and what the figure means. */
    long bytes() throws IOException;

    String bytesMeaning();

    /** The engines by benchmark parameter name. */
    static FuzzyEngine build(String name, List<String> sortedWords) throws IOException {
        return switch (name) {
            case "cairn-dat" -> CairnDictEngine.doubleArrayTrie(sortedWords);
            case "cairn-dawg" -> CairnDictEngine.dawg(sortedWords);
            case "lucene-fst" -> new LuceneFstEngine(sortedWords);
            case "liblevenshtein" -> new LibLevenshteinEngine(sortedWords);
            default -> throw new IllegalArgumentException("unknown engine " + name);
        };
    }

    List<String> NAMES = List.of("cairn-dat", "cairn-dawg", "lucene-fst", "liblevenshtein");
}
