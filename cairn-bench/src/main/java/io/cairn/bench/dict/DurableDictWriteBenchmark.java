package io.cairn.bench.dict;

import io.cairn.dict.DurableDictionary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable inserts, each forced before it returns, from 1 and from 8 threads, in inserts per second: Cairn's
 * durable dictionary under {@code SYNC} (concurrent inserts share log forces: group commit) against a Lucene index
 * of the same terms with a commit after every insert (Lucene's way to make one document durable; its commits run
 * one at a time). Every insert adds a new term. Stores live under {@code -Dcairn.bench.dir} (a real disk).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 3)
@State(Scope.Benchmark)
public class DurableDictWriteBenchmark {

    @Param({"cairn", "lucene"})
    public String engine;

    private Path dir;
    private DurableDictionary dictionary;
    private LuceneTermIndex lucene;
    private final AtomicLong next = new AtomicLong();

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = DurableTerms.scratch("write-" + engine + "-");
        if (engine.equals("cairn")) {
            dictionary = DurableDictionary.open(dir);
        } else {
            lucene = LuceneTermIndex.open(dir);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        DurableTerms.closeAndDelete(dir, dictionary, lucene);
    }

    @Benchmark
    @Threads(1)
    public void insertOneThread() throws IOException {
        insert();
    }

    @Benchmark
    @Threads(8)
    public void insertEightThreads() throws IOException {
        insert();
    }

    private void insert() throws IOException {
        String term = "term-" + next.incrementAndGet();
        if (dictionary != null) {
            dictionary.insert(term);
        } else {
            lucene.add(term);
            lucene.commit();
        }
    }
}
