package io.cairn.dict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The streaming image builder against the in-memory builds and a {@code TreeMap} model: every kind and alphabet,
 * sorted and unsorted input (with many small sort runs), repeated terms, values, and the files it leaves.
 */
class ImageBuilderTest {
    @TempDir
    Path dir;

    /** Words with duplicates, Unicode (non-BMP too), the empty term, and values; seeded. */
    private static List<Map.Entry<String, String>> entries(long seed, int count) {
        Random random = new Random(seed);
        List<String> words = SystemWords.all();
        String[] extras = {"", "café", "日本語", "😀x", "a😀", "ｚ"};
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String term = random.nextInt(50) == 0 ? extras[random.nextInt(extras.length)]
                    : words.get(random.nextInt(words.size()));
            entries.add(Map.entry(term, "v" + random.nextInt(7)));
        }
        return entries;
    }

    private static ImageBuilder builder(boolean trie, Alphabet alphabet) {
        return (trie ? ImageBuilder.doubleArrayTrie(alphabet) : ImageBuilder.dawg(alphabet)).runBytes(4096);
    }

    @ParameterizedTest
    @EnumSource(Alphabet.class)
    void imagesHoldTheTermsAndLastValuesWhateverTheInputOrder(Alphabet alphabet) throws IOException {
        List<Map.Entry<String, String>> entries = entries(7, 20_000);
        Map<String, String> model = new TreeMap<>();
        entries.forEach(e -> model.put(e.getKey(), e.getValue()));
        List<Map.Entry<String, String>> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> UnitOrder.ORDER.compare(a.getKey(), b.getKey())); // stable: duplicates keep their order
        for (boolean trie : new boolean[] {true, false}) {
            for (List<Map.Entry<String, String>> input : List.of(entries, sorted)) {
                Path image = dir.resolve("image");
                ImageBuilder.Report report = builder(trie, alphabet).buildEntries(image,
                        () -> input.stream().map(e -> new MappedDictionary.Entry<>(e.getKey(), e.getValue())),
                        ValueCodec.strings());
                assertEquals(input == sorted, report.sortedInput());
                assertEquals(model.size(), report.terms());
                assertEquals(Files.size(image), report.bytes());
                MappedDictionary<String> loaded = Dictionaries.load(image, ValueCodec.strings());
                assertEquals(model.size(), loaded.size());
                Map<String, String> found = new LinkedHashMap<>();
                loaded.entries().forEach(e -> found.put(e.term(), e.value()));
                assertEquals(model, found, (trie ? "trie" : "dawg") + " from " + (input == sorted ? "sorted" : "unsorted"));
                try (Stream<Path> files = Files.list(dir)) {
                    assertEquals(List.of(image), files.toList(), "scratch files left behind");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Alphabet.class)
    void theDawgIsMinimalAndTheTrieEqualsTheInMemoryOne(Alphabet alphabet) throws IOException {
        List<String> words = new ArrayList<>(SystemWords.all());
        Collections.shuffle(words, new Random(3));
        Path dawgImage = dir.resolve("dawg");
        ImageBuilder.Report report = builder(false, alphabet).build(dawgImage, words::stream);
        Dawg<Object> inMemory = Dawg.of(words, alphabet);
        assertEquals(inMemory.nodeCount(), report.nodes(), "node count of the minimal DAWG");
        assertEquals(inMemory.nodeCount(), Dawg.load(dawgImage).nodeCount());
        Path trieImage = dir.resolve("dat");
        ImageBuilder.Report trie = builder(true, alphabet).build(trieImage, words::stream);
        DoubleArrayTrie<Object> built = DoubleArrayTrie.of(words, alphabet);
        assertEquals(built.slotCount(), trie.nodes());
        assertEquals(DoubleArrayTrieTest.termsOf(built), DoubleArrayTrieTest.termsOf(DoubleArrayTrie.load(trieImage)));
    }

    @Test
    void anEmptyListGivesAnEmptyImage() throws IOException {
        for (boolean trie : new boolean[] {true, false}) {
            Path image = dir.resolve(trie ? "dat" : "dawg");
            assertEquals(0, builder(trie, Alphabet.UTF8_BYTES).build(image, Stream::of).terms());
            assertTrue(Dictionaries.load(image, ValueCodec.strings()).isEmpty());
        }
    }

    @Test
    void aTrieNeedsAValueForEveryTermOrNone() throws IOException {
        Path image = dir.resolve("dat");
        List<MappedDictionary.Entry<String>> mixed = List.of(new MappedDictionary.Entry<>("a", "1"),
                new MappedDictionary.Entry<>("b", null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder(true, Alphabet.UTF8_BYTES).buildEntries(image, mixed::stream, ValueCodec.strings()));
        assertTrue(e.getMessage().contains("every term or for none"), e.getMessage());
        assertFalse(Files.exists(image));
        builder(false, Alphabet.UTF8_BYTES).buildEntries(image, mixed::stream, ValueCodec.strings());
        Dawg<String> dawg = Dawg.load(image, ValueCodec.strings());
        assertEquals("1", dawg.getValue("a"));
        assertTrue(dawg.contains("b"));
    }

    @Test
    void aSpecialFileIsRefusedBeforeTheListIsRead() throws IOException {
        Path directory = Files.createDirectory(dir.resolve("images"));
        ImageBuilder.TermSource<String> unreadable = () -> {
            throw new AssertionError("the list was read");
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> builder(true, Alphabet.UTF8_BYTES).build(directory, unreadable));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }

    @Test
    void aFailingListOrWriteLeavesTheOldImageAndNoScratchFiles() throws IOException {
        Path image = dir.resolve("image");
        builder(true, Alphabet.UTF8_BYTES).build(image, () -> Stream.of("old"));
        byte[] old = Files.readAllBytes(image);
        List<String> unsorted = new ArrayList<>(SystemWords.all().subList(0, 5000));
        Collections.reverse(unsorted);
        ImageBuilder.TermSource<String> failing = () -> unsorted.stream().map(term -> {
            if (term.equals(unsorted.get(4000))) {
                throw new UncheckedIOException(new IOException("disk gone"));
            }
            return term;
        });
        for (boolean trie : new boolean[] {true, false}) {
            assertThrows(UncheckedIOException.class, () -> builder(trie, Alphabet.UTF8_BYTES).build(image, failing));
            for (int fault = 0; fault < 3; fault++) {
                FaultyStorageIo io = new FaultyStorageIo();
                switch (fault) {
                    case 0 -> io.failWrite(1);
                    case 1 -> io.tearWrite(2);
                    default -> io.failForce(1);
                }
                assertThrows(IOException.class, () -> builder(trie, Alphabet.UTF8_BYTES).io(io).build(image,
                        unsorted::stream));
            }
            assertEquals(List.of("old"), DoubleArrayTrieTest.termsOf(Dictionaries.load(image, ValueCodec.strings()))
                    .stream().toList());
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(image), files.toList(), "scratch or temporary files left behind");
            }
        }
        assertTrue(java.util.Arrays.equals(old, Files.readAllBytes(image)));
    }
}
