package io.cairn.bench.substring;

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

/** Building each substring engine from at least {@code megabytes} MiB of /usr/share/doc lines, in milliseconds. */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xmx8g", "-XX:+UseParallelGC"})
@Warmup(iterations = 1)
@Measurement(iterations = 2)
@State(Scope.Benchmark)
public class SubstringBuildBenchmark {

    @Param({"suffix-automaton", "scdawg", "index-of", "suffix-tree"})
    public String engine;

    @Param("10")
    public int megabytes;

    private List<String> lines;

    @Setup(Level.Trial)
    public void load() throws IOException {
        lines = DocText.lines((long) megabytes << 20);
    }

    @Benchmark
    public SubstringEngine build() {
        return SubstringEngine.build(engine, lines);
    }
}
