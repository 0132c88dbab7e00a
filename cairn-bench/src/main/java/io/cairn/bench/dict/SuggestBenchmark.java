package io.cairn.bench.dict;

import io.cairn.dict.Alphabet;
import io.cairn.dict.DoubleArrayTrie;
import io.cairn.dict.fuzzy.Suggester;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Spelling suggestions: the five best {@link Suggester} suggestions (case-insensitive, transpositions, distance 2)
 * for each of the {@value Words#QUERY_COUNT} seeded typo queries on the double-array trie of
 * /usr/share/dict/words. Microseconds per misspelling. The quality side, against aspell, is
 * {@code io.cairn.bench.spell.SpellingComparison}.
 *
 * <pre>
 * java -cp 'cairn-bench/target/cairn-bench.jar:cairn-bench/target/lib/*' org.openjdk.jmh.Main SuggestBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Benchmark)
public class SuggestBenchmark {
    private Suggester speller;
    private List<String> queries;

    @Setup(Level.Trial)
    public void build() throws IOException {
        List<String> words = Words.load();
        queries = Words.typoQueries(words);
        speller = Suggester.of(DoubleArrayTrie.of(words, Alphabet.UTF8_BYTES));
    }

    @Benchmark
    @OperationsPerInvocation(Words.QUERY_COUNT)
    public void suggest(Blackhole blackhole) {
        for (String query : queries) {
            blackhole.consume(speller.suggest(query, 5));
        }
    }
}
