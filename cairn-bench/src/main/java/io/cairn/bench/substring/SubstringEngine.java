package io.cairn.bench.substring;

import java.util.List;

/**
 * One contender of the substring benchmarks, built from the lines of {@link DocText}: Cairn's suffix automaton or
 * symmetric compact DAWG, {@code String.indexOf} scanning, or concurrent-trees' suffix tree. Every engine reports
 * an occurrence as (line, offset in code points), Cairn's unit, so their answers compare exactly.
 */
interface SubstringEngine {

    boolean contains(String query);

    /** Every occurrence as {@code line << 32 | offset}, ascending: what a caller gets, in one comparable form. */
    long[] occurrences(String query);

    /** The engines by benchmark parameter name. */
    static SubstringEngine build(String name, List<String> lines) {
        return switch (name) {
            case "suffix-automaton" -> CairnSubstringEngine.suffixAutomaton(lines);
            case "scdawg" -> CairnSubstringEngine.scdawg(lines);
            case "index-of" -> new IndexOfEngine(lines);
            case "suffix-tree" -> new SuffixTreeEngine(lines);
            default -> throw new IllegalArgumentException("unknown engine " + name);
        };
    }

    List<String> NAMES = List.of("suffix-automaton", "scdawg", "index-of", "suffix-tree");
}
