package io.cairn.bench.dict;

import io.cairn.dict.Alphabet;
import io.cairn.dict.Dictionaries;
import io.cairn.dict.ImageBuilder;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Building dictionary images at scale in bounded memory: writes a list of {@code TERMS} (argument 1, default
 * 4,000,000) distinct two-word terms of the system words, once in UTF-8 byte order and once shuffled, then builds a
 * double-array trie and a DAWG from each list, each build in a child JVM whose heap is capped at a multiple of the
 * list's size (argument 2, default 8 for the trie, argument 3, default 4 for the DAWG: the targets), running what
 * {@code cairn dict build} runs ({@link ImageBuilder} over {@link Dictionaries#readTerms}). Per build: whether it fit,
 * its time, the largest heap occupancy and the largest live heap after a collection that the GC logged
 * ({@code -Xlog:gc}), and the image's size. Sizes and a pass/fail, not a timing benchmark, so a plain program:
 *
 * <pre>{@code java -cp "$BENCH" io.cairn.bench.dict.DictBuildScale 4000000}</pre>
 *
 * Lists, images and GC logs go to {@code -Dcairn.bench.dir} (default {@code target/bench-dict-build}), removed at
 * the end.
 */
public final class DictBuildScale {
    private DictBuildScale() {}

    private static final long SEED = 2026_12_07L;
    /** A G1 log line's heap figures: before->after(capacity), in K, M or G. */
    private static final Pattern HEAP = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("--child")) {
            child(args[1], Path.of(args[2]), Path.of(args[3]));
            return;
        }
        int terms = args.length > 0 ? Integer.parseInt(args[0]) : 4_000_000;
        int trieFactor = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int dawgFactor = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Path dir = Files.createDirectories(Path.of(System.getProperty("cairn.bench.dir", "target/bench-dict-build")));
        Path sorted = dir.resolve("sorted.txt");
        Path shuffled = dir.resolve("shuffled.txt");
        writeLists(Words.load(), terms, sorted, shuffled);
        long size = Files.size(sorted);
        System.out.printf("%,d terms, %,d bytes a list%n", terms, size);
        System.out.printf("%-6s %-9s %12s %5s %9s %14s %14s %12s%n", "kind", "input", "heap cap", "fits", "ms",
                "peak heap", "live after GC", "image bytes");
        try {
            for (String kind : List.of("dat", "dawg")) {
                long cap = size * (kind.equals("dat") ? trieFactor : dawgFactor);
                for (Path list : List.of(sorted, shuffled)) {
                    build(kind, list, cap, dir);
                }
            }
        } finally {
            for (String name : List.of("sorted.txt", "shuffled.txt", "image", "gc.log")) {
                Files.deleteIfExists(dir.resolve(name));
            }
        }
    }

    /**
     * Writes {@code count} distinct random pairs "w1 w2" of {@code words} (sorted, deduplicated; seeded): pair number
     * k of the n² is words[k / n] + " " + words[k % n]. A space sorts before every letter and no word holds one, so
     * the pair numbers sorted give the terms in byte order.
     */
    private static void writeLists(List<String> words, int count, Path sorted, Path shuffled) throws IOException {
        long n = words.size();
        if (count > n * n / 2) {
            throw new IllegalArgumentException("at most " + n * n / 2 + " pairs, asked for " + count);
        }
        long[] pairs = new Random(SEED).longs(0, n * n).distinct().limit(count).toArray();
        write(shuffled, words, pairs);
        Arrays.sort(pairs);
        write(sorted, words, pairs);
    }

    private static void write(Path path, List<String> words, long[] pairs) throws IOException {
        int n = words.size();
        try (BufferedWriter out = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
            for (long k : pairs) {
                out.write(words.get((int) (k / n)));
                out.write(' ');
                out.write(words.get((int) (k % n)));
                out.write('\n');
            }
        }
    }

    /** One build in a child JVM with {@code -Xmx cap}; prints its row. */
    private static void build(String kind, Path list, long cap, Path dir) throws IOException, InterruptedException {
        Path image = dir.resolve("image");
        Path gcLog = dir.resolve("gc.log");
        Files.deleteIfExists(image);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + (cap >> 10) + "k", "-Xlog:gc:file=" + gcLog, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), DictBuildScale.class.getName(), "--child", kind,
                list.toString(), image.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        boolean fits = child.waitFor() == 0;
        long[] heap = heapPeaks(Files.readAllLines(gcLog, StandardCharsets.UTF_8));
        String millis = fits ? output.substring(output.lastIndexOf(' ') + 1) : "-";
        System.out.printf("%-6s %-9s %,12d %5s %9s %,14d %,14d %,12d%n", kind,
                list.getFileName().toString().replace(".txt", ""), cap, fits ? "yes" : "NO", millis, heap[0], heap[1],
                fits ? Files.size(image) : 0);
        if (!fits) {
            System.out.println("  the build failed: " + output.lines().limit(3).toList());
        }
    }

    /** The largest heap occupancy before and the largest after any collection in a G1 log, in bytes. */
    private static long[] heapPeaks(List<String> log) {
        long[] peaks = new long[2];
        for (String line : log) {
            Matcher m = HEAP.matcher(line);
            if (m.find()) {
                peaks[0] = Math.max(peaks[0], bytes(m.group(1), m.group(2)));
                peaks[1] = Math.max(peaks[1], bytes(m.group(3), m.group(4)));
            }
        }
        return peaks;
    }

    private static long bytes(String number, String unit) {
        int shift = switch (unit) {
            case "K" -> 10;
            case "M" -> 20;
            default -> 30;
        };
        return Long.parseLong(number) << shift;
    }

    /** The child: builds one image as {@code cairn dict build --type KIND LIST -o IMAGE} does, prints its time. */
    private static void child(String kind, Path list, Path image) throws IOException {
        long start = System.nanoTime();
        ImageBuilder builder = kind.equals("dat") ? ImageBuilder.doubleArrayTrie(Alphabet.UTF8_BYTES)
                : ImageBuilder.dawg(Alphabet.UTF8_BYTES);
        ImageBuilder.Report report = builder.build(image, () -> Dictionaries.readTerms(list));
        System.out.println(report + " " + (System.nanoTime() - start) / 1_000_000);
    }
}
