package io.cairn.bench.dict;

import io.cairn.dict.Alphabet;
import io.cairn.dict.Dawg;
import io.cairn.dict.Dictionaries;
import io.cairn.dict.Dictionary;
import io.cairn.dict.DoubleArrayTrie;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Union and intersection of two {@value #TERMS}-term dictionaries (a double-array trie and a DAWG, drawn from the
 * system words and their plurals so that about half of each is shared), every term of the result iterated, in
 * milliseconds: {@code lazy} walks {@code Dictionaries.union|intersection} (nothing materialised); {@code treeset}
 * collects each dictionary's terms into a {@code TreeSet} and combines them with {@code addAll}/{@code retainAll};
 * {@code treeset-prebuilt} only combines two {@code TreeSet}s built beforehand (the cost of the operation alone).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Benchmark)
public class SetAlgebraBenchmark {
    static final int TERMS = 100_000;

    @Param({"union", "intersection"})
    public String operation;

    @Param({"lazy", "treeset", "treeset-prebuilt"})
    public String method;

    private Dictionary first;
    private Dictionary second;
    private TreeSet<String> firstSet;
    private TreeSet<String> secondSet;

    @Setup(Level.Trial)
    public void build() throws IOException {
        List<String> pool = new ArrayList<>();
        for (String word : Words.load()) {
            pool.add(word);
            pool.add(word + "s");
        }
        List<String> distinct = new ArrayList<>(new TreeSet<>(pool));
        Collections.shuffle(distinct, new Random(11));
        List<String> a = distinct.subList(0, TERMS);
        List<String> b = distinct.subList(distinct.size() - TERMS, distinct.size());
        first = DoubleArrayTrie.of(a);
        second = Dawg.of(b, Alphabet.UTF8_BYTES);
        firstSet = new TreeSet<>(a);
        secondSet = new TreeSet<>(b);
    }

    @Benchmark
    public void combine(Blackhole blackhole) {
        boolean union = operation.equals("union");
        switch (method) {
            case "lazy" -> {
                Dictionary result = union ? Dictionaries.union(first, second) : Dictionaries.intersection(first, second);
                result.terms().forEach(blackhole::consume);
            }
            case "treeset" -> combined(new TreeSet<>(first.terms().toList()), second.terms().toList(), union)
                    .forEach(blackhole::consume);
            default -> combined(new TreeSet<>(firstSet), secondSet, union).forEach(blackhole::consume);
        }
    }

    private static TreeSet<String> combined(TreeSet<String> into, java.util.Collection<String> other, boolean union) {
        if (union) {
            into.addAll(other);
        } else {
            into.retainAll(new TreeSet<>(other));
        }
        return into;
    }
}
