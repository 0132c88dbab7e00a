package io.cairn.bench.dict;

import java.io.IOException;
import java.util.List;

/**
 * Prints each engine's structure size for /usr/share/dict/words, in bytes and bytes per term (sizes are not timings,
 * so this is a plain program): {@code java -cp 'cairn-bench/target/cairn-bench.jar:cairn-bench/target/lib/*'
 * io.cairn.bench.dict.DictFootprint}.
 */
public final class DictFootprint {
    private DictFootprint() {}

    public static void main(String[] args) throws IOException {
        List<String> words = Words.load();
        System.out.printf("%d terms from %s%n", words.size(), Words.FILE);
        for (String name : FuzzyEngine.NAMES) {
            FuzzyEngine engine = FuzzyEngine.build(name, words);
            long bytes = engine.bytes();
            System.out.printf("%-15s %,12d bytes  %6.2f bytes/term  (%s)%n", name, bytes,
                    (double) bytes / words.size(), engine.bytesMeaning());
        }
    }
}
