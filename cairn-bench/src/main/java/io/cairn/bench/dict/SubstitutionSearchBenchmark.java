package io.cairn.bench.dict;

import io.cairn.dict.Alphabet;
import io.cairn.dict.DoubleArrayTrie;
import io.cairn.dict.fuzzy.Algorithm;
import io.cairn.dict.fuzzy.Levenshtein;
import io.cairn.dict.fuzzy.SubstitutionSet;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a substitution set costs a fuzzy search: the {@value Words#QUERY_COUNT} seeded typo queries of
 * {@link FuzzySearchBenchmark} on the double-array trie of /usr/share/dict/words, with transpositions, without a set
 * and with each preset (OCR's one-for-two rules widen the automaton's window), and case-insensitively. Scores are
 * microseconds per query, automaton construction included.
 *
 * <pre>
 * java -cp 'cairn-bench/target/cairn-bench.jar:cairn-bench/target/lib/*' org.openjdk.jmh.Main SubstitutionSearchBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Benchmark)
public class SubstitutionSearchBenchmark {

    @Param({"none", "keyboard", "ocr", "phonetic", "leet", "ignore-case"})
    public String set;

    @Param({"1", "2"})
    public int distance;

    private DoubleArrayTrie<Object> words;
    private List<String> queries;
    private SubstitutionSet substitutions;

    @Setup(Level.Trial)
    public void build() throws IOException {
        List<String> list = Words.load();
        queries = Words.typoQueries(list);
        words = DoubleArrayTrie.of(list, Alphabet.UTF8_BYTES);
        substitutions = switch (set) {
            case "keyboard" -> SubstitutionSet.KEYBOARD_QWERTY;
            case "ocr" -> SubstitutionSet.OCR;
            case "phonetic" -> SubstitutionSet.PHONETIC;
            case "leet" -> SubstitutionSet.LEET;
            default -> SubstitutionSet.NONE;
        };
    }

    @Benchmark
    @OperationsPerInvocation(Words.QUERY_COUNT)
    public void search(Blackhole blackhole) {
        for (String query : queries) {
            var search = Levenshtein.query(words, query).maxDistance(distance).algorithm(Algorithm.TRANSPOSITION)
                    .substitutions(substitutions);
            if (set.equals("ignore-case")) {
                search.ignoreCase();
            }
            blackhole.consume(search.list());
        }
    }
}
