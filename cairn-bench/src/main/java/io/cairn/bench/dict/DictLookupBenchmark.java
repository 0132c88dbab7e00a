package io.cairn.bench.dict;

import java.io.IOException;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Exact lookups: {@value #LOOKUPS} seeded terms, half of them words and half typos that are mostly absent, in
 * nanoseconds per lookup; each engine in a JMH fork of its own.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Benchmark)
public class DictLookupBenchmark {
    static final int LOOKUPS = 1000;

    @Param({"cairn-dat", "cairn-dawg", "lucene-fst", "liblevenshtein"})
    public String engine;

    private FuzzyEngine built;
    private final List<String> terms = new ArrayList<>();

    @Setup(Level.Trial)
    public void build() throws IOException {
        List<String> words = Words.load();
        built = FuzzyEngine.build(engine, words);
        Random random = new Random(7);
        List<String> typos = Words.typoQueries(words);
        for (int i = 0; i < LOOKUPS; i++) {
            terms.add(i % 2 == 0 ? words.get(random.nextInt(words.size())) : typos.get(i / 2 % typos.size()));
        }
    }

    @Benchmark
    @OperationsPerInvocation(LOOKUPS)
    public void contains(Blackhole blackhole) throws IOException {
        for (String term : terms) {
            blackhole.consume(built.contains(term));
        }
    }
}
