package io.cairn.bench.dict;

import io.cairn.dict.DurableDictionary;
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
 * Opening a closed store of 1 k, 100 k and 1 M terms and answering a first lookup, in milliseconds (single shot; the
 * close happens outside the timing): Cairn's durable dictionary (manifest, frames, nothing to replay after a clean
 * close) against a committed Lucene index of the same terms. The files are in the page cache after the first
 * open, as for a store opened again on a running machine. The reference publishes 6 ms / 0.7 s / 8.4 s.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3)
@Measurement(iterations = 8)
@State(Scope.Benchmark)
public class DurableDictOpenBenchmark {

    @Param({"1000", "100000", "1000000"})
    public int terms;

    @Param({"cairn", "lucene"})
    public String engine;

    private Path dir;
    private String probe;
    private DurableDictionary dictionary;
    private LuceneTermIndex.Lookup lucene;

    @Setup(Level.Trial)
    public void build() throws IOException {
        List<String> all = DurableTerms.terms(terms);
        probe = all.get(all.size() / 2);
        dir = engine.equals("cairn") ? DurableTerms.durableDictionary(all) : LuceneTermIndex.build(all);
    }

    @TearDown(Level.Trial)
    public void delete() throws Exception {
        DurableTerms.closeAndDelete(dir);
    }

    @Benchmark
    public boolean openAndLookUp() throws IOException {
        if (engine.equals("cairn")) {
            dictionary = DurableDictionary.open(dir);
            return dictionary.contains(probe);
        }
        lucene = new LuceneTermIndex.Lookup(dir);
        return lucene.contains(probe);
    }

    @TearDown(Level.Invocation)
    public void close() throws IOException {
        if (dictionary != null) {
            dictionary.close();
            dictionary = null;
        }
        if (lucene != null) {
            lucene.close();
            lucene = null;
        }
    }
}
