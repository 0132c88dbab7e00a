package io.cairn.bench.dict;

import io.cairn.dict.Alphabet;
import io.cairn.dict.Dictionary;
import io.cairn.dict.DoubleArrayTrie;
import io.cairn.dict.DurableDictionary;
import io.cairn.dict.fuzzy.Algorithm;
import io.cairn.dict.fuzzy.Levenshtein;
import java.io.IOException;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Fuzzy search straight on a durable dictionary (the tree's frames, walked through its key trie) against the same
 * search on the double-array trie: /usr/share/dict/words, the {@value Words#QUERY_COUNT} seeded typo queries of
 * {@link FuzzySearchBenchmark}, transpositions, distances 1 and 2. The durable dictionary is built, closed and
 * reopened, so its frames are the ones loaded from disk. Each fork first checks that both return the same results.
 * Scores are microseconds per query; the target is durable within 3x of the trie.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Benchmark)
public class DurableFuzzyBenchmark {

    @Param({"cairn-dat", "cairn-durable"})
    public String engine;

    @Param({"1", "2"})
    public int distance;

    private Path dir;
    private DurableDictionary durable;
    private Dictionary dictionary;
    private List<String> queries;

    @Setup(Level.Trial)
    public void build() throws IOException {
        List<String> words = Words.load();
        queries = Words.typoQueries(words);
        dir = DurableTerms.durableDictionary(words);
        durable = DurableDictionary.open(dir);
        DoubleArrayTrie<Object> dat = DoubleArrayTrie.of(words, Alphabet.UTF8_BYTES);
        long hits = 0;
        for (String query : queries) {
            var expected = Levenshtein.search(dat, query, distance, Algorithm.TRANSPOSITION);
            if (!expected.equals(Levenshtein.search(durable, query, distance, Algorithm.TRANSPOSITION))) {
                throw new IllegalStateException("durable and trie disagree on \"" + query + "\" at " + distance);
            }
            hits += expected.size();
        }
        System.out.printf("agreement: %d queries at distance %d, %d hits, identical%n", queries.size(), distance,
                hits);
        dictionary = engine.equals("cairn-dat") ? dat : durable;
        System.gc();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        DurableTerms.closeAndDelete(dir, durable);
    }

    @Benchmark
    @OperationsPerInvocation(Words.QUERY_COUNT)
    public void fuzzy(Blackhole blackhole) {
        for (String query : queries) {
            blackhole.consume(Levenshtein.search(dictionary, query, distance, Algorithm.TRANSPOSITION));
        }
    }
}
