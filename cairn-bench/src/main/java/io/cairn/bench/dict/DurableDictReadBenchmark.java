package io.cairn.bench.dict;

import io.cairn.dict.DurableDictionary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
 * Lookups in a durable dictionary of /usr/share/dict/words reopened from disk, against a committed Lucene index of
 * the same terms (a term seek in each segment): {@value #LOOKUPS} seeded terms, half words and half typos that are
 * mostly absent, in nanoseconds per lookup.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Benchmark)
public class DurableDictReadBenchmark {
    static final int LOOKUPS = 1000;

    @Param({"cairn", "lucene"})
    public String engine;

    private Path dir;
    private DurableDictionary dictionary;
    private LuceneTermIndex.Lookup lucene;
    private final List<String> terms = new ArrayList<>();

    @Setup(Level.Trial)
    public void build() throws IOException {
        List<String> words = Words.load();
        if (engine.equals("cairn")) {
            dir = DurableTerms.durableDictionary(words);
            dictionary = DurableDictionary.open(dir);
        } else {
            dir = LuceneTermIndex.build(words);
            lucene = new LuceneTermIndex.Lookup(dir);
        }
        Random random = new Random(7);
        List<String> typos = Words.typoQueries(words);
        for (int i = 0; i < LOOKUPS; i++) {
            terms.add(i % 2 == 0 ? words.get(random.nextInt(words.size())) : typos.get(i / 2 % typos.size()));
        }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        DurableTerms.closeAndDelete(dir, dictionary, lucene);
    }

    @Benchmark
    @OperationsPerInvocation(LOOKUPS)
    public void contains(Blackhole blackhole) throws IOException {
        if (dictionary != null) {
            for (String term : terms) {
                blackhole.consume(dictionary.contains(term));
            }
        } else {
            for (String term : terms) {
                blackhole.consume(lucene.contains(term));
            }
        }
    }
}
