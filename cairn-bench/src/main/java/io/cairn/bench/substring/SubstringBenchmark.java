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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Substring queries on at least {@code megabytes} MiB of /usr/share/doc lines: {@code contains} and every
 * occurrence (line, offset) of {@value DocText#PRESENT_QUERIES} present and {@value DocText#ABSENT_QUERIES} mostly
 * absent queries, in microseconds per query. Each engine runs in three JMH forks of its own; JMH pools their
 * iterations. {@link SubstringBuildBenchmark} times the builds, {@link SubstringFootprint} weighs them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xmx8g", "-XX:+UseParallelGC"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Benchmark)
public class SubstringBenchmark {
    static final int QUERIES = DocText.PRESENT_QUERIES + DocText.ABSENT_QUERIES;

    @Param({"suffix-automaton", "scdawg", "index-of", "suffix-tree"})
    public String engine;

    @Param("10")
    public int megabytes;

    private SubstringEngine built;
    private List<String> queries;

    @Setup(Level.Trial)
    public void build() throws IOException {
        List<String> lines = DocText.lines((long) megabytes << 20);
        queries = DocText.queries(lines);
        built = SubstringEngine.build(engine, lines);
    }

    @Benchmark
    @OperationsPerInvocation(QUERIES)
    public void contains(Blackhole blackhole) {
        for (String query : queries) {
            blackhole.consume(built.contains(query));
        }
    }

    @Benchmark
    @OperationsPerInvocation(QUERIES)
    public void occurrences(Blackhole blackhole) {
        for (String query : queries) {
            blackhole.consume(built.occurrences(query));
        }
    }
}
