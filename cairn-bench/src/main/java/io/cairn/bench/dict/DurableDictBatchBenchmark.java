package io.cairn.bench.dict;

import io.cairn.dict.DurableDictionary;
import io.cairn.stack.Durability;
import io.cairn.tree.TreeOptions;
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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * 10,000 inserts made durable by one force at the end, in milliseconds (single shot into a fresh store each time):
 * Cairn's durable dictionary under {@code ASYNC} with one {@code sync()} after the inserts ({@code cairn}), the same
 * terms as one {@code insertBatch} (one log record, {@code cairn-batch}), and a Lucene index with one commit after
 * 10,000 {@code addDocument}s ({@code lucene}). The reference publishes about 19 ms for this on its own hardware.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@State(Scope.Benchmark)
public class DurableDictBatchBenchmark {
    static final int INSERTS = 10_000;

    @Param({"cairn", "cairn-batch", "lucene"})
    public String engine;

    private List<String> terms;
    private Path dir;
    private DurableDictionary dictionary;
    private LuceneTermIndex lucene;

    @Setup(Level.Trial)
    public void load() throws IOException {
        terms = DurableTerms.terms(INSERTS);
    }

    @Setup(Level.Invocation)
    public void open() throws IOException {
        dir = DurableTerms.scratch("batch-" + engine + "-");
        if (engine.equals("lucene")) {
            lucene = LuceneTermIndex.open(dir);
        } else {
            dictionary = DurableDictionary.open(dir, TreeOptions.defaults().durability(Durability.ASYNC));
        }
    }

    @TearDown(Level.Invocation)
    public void close() throws Exception {
        DurableTerms.closeAndDelete(dir, dictionary, lucene);
        dictionary = null;
        lucene = null;
    }

    @Benchmark
    public void tenThousandInsertsThenOneSync() throws IOException {
        switch (engine) {
            case "cairn" -> {
                for (String term : terms) {
                    dictionary.insert(term);
                }
                dictionary.sync();
            }
            case "cairn-batch" -> {
                dictionary.insertBatch(terms);
                dictionary.sync();
            }
            default -> {
                for (String term : terms) {
                    lucene.add(term);
                }
                lucene.commit();
            }
        }
    }
}
