package io.cairn.bench.dict;

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
 * Fuzzy search on /usr/share/dict/words: the same {@value Words#QUERY_COUNT} seeded typo queries against Cairn
 * (double-array trie and DAWG), Lucene (FST ∩ Levenshtein automaton) and liblevenshtein, with transpositions, at
 * distance 1 and 2; each engine and distance in a JMH fork of its own. Every fork first checks that all engines
 * return the same terms ({@link FuzzyAgreement}). Scores are microseconds per query, automaton construction included.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Benchmark)
public class FuzzySearchBenchmark {

    @Param({"cairn-dat", "cairn-dawg", "lucene-fst", "liblevenshtein"})
    public String engine;

    @Param({"1", "2"})
    public int distance;

    private FuzzyEngine built;
    private List<String> queries;

    @Setup(Level.Trial)
    public void build() throws IOException {
        List<String> words = Words.load();
        queries = Words.typoQueries(words);
        FuzzyAgreement.check(words, queries, distance);
        built = FuzzyEngine.build(engine, words);
        System.gc();
    }

    @Benchmark
    @OperationsPerInvocation(Words.QUERY_COUNT)
    public void fuzzy(Blackhole blackhole) throws IOException {
        for (String query : queries) {
            blackhole.consume(built.fuzzy(query, distance));
        }
    }
}
