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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Building each engine's structure from the sorted words of /usr/share/dict/words (milliseconds per build), each in
 * a JMH fork of its own.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@State(Scope.Benchmark)
public class DictBuildBenchmark {

    @Param({"cairn-dat", "cairn-dawg", "lucene-fst", "liblevenshtein"})
    public String engine;

    private List<String> words;

    @Setup(Level.Trial)
    public void load() throws IOException {
        words = Words.load();
    }

    @Benchmark
    public FuzzyEngine build() throws IOException {
        return FuzzyEngine.build(engine, words);
    }
}
