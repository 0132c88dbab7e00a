package io.cairn.dict;

import static org.junit.jupiter.api.Assertions.*;

import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DictionaryImageTest {
    @TempDir
    Path dir;

    /** How one kind of dictionary is saved and read back as term → value (null for a term without value). */
    private interface Kind {
        void save(Path path) throws IOException;

        TreeMap<String, String> load(Path path) throws IOException;

        /** Loads and walks every path: every term spelled must be found with the value at its node. */
        void traverse(Path path) throws IOException;
    }

    private static TreeMap<String, String> contents(MappedDictionary<String> dictionary) {
        TreeMap<String, String> contents = new TreeMap<>();
        dictionary.entries().forEach(entry -> {
            contents.put(entry.term(), entry.value());
            assertTrue(dictionary.contains(entry.term()), entry.term());
            assertEquals(entry.value(), dictionary.getValue(entry.term()), entry.term());
        });
        assertEquals(contents.size(), dictionary.size());
        return contents;
    }

    private static List<Map.Entry<String, String>> sample(int n, Random random) {
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        List<String> words = SystemWords.all();
        for (int i = 0; i < n; i++) {
            String word = words.get(random.nextInt(words.size()));
            entries.add(Map.entry(i % 7 == 0 ? word + "é日" : word, "v" + (i % 3)));
        }
        return entries;
    }

    private static List<Kind> kinds(List<Map.Entry<String, String>> entries) {
        DoubleArrayTrie<String> trie = DoubleArrayTrie.ofEntries(entries, Alphabet.CODE_POINTS);
        Dawg<String> dawg = Dawg.create(Alphabet.UTF8_BYTES);
        entries.forEach(e -> dawg.insertWithValue(e.getKey(), e.getValue()));
        dawg.insert("plain term without value");
        return List.of(
                new Kind() {
                    public void save(Path path) throws IOException {
                        trie.save(path, ValueCodec.strings());
                    }

                    public TreeMap<String, String> load(Path path) throws IOException {
                        return contents(DoubleArrayTrie.load(path, ValueCodec.strings()));
                    }

                    public void traverse(Path path) throws IOException {
                        contents(DoubleArrayTrie.load(path, ValueCodec.strings()));
                    }
                },
                new Kind() {
                    public void save(Path path) throws IOException {
                        dawg.save(path, ValueCodec.strings());
                    }

                    public TreeMap<String, String> load(Path path) throws IOException {
                        return contents(Dawg.load(path, ValueCodec.strings()));
                    }

                    public void traverse(Path path) throws IOException {
                        contents(Dawg.load(path, ValueCodec.strings()));
                    }
                });
    }

    @Test
    void systemWordsRoundTripThroughImagesOfEveryKind() throws IOException {
        List<String> words = SystemWords.all();
        DoubleArrayTrie<Object> trie = DoubleArrayTrie.of(words);
        Path datPath = dir.resolve("words.dat");
        assertEquals(trie.imageSize(), trie.save(datPath));
        assertEquals(trie.imageSize(), Files.size(datPath));
        DoubleArrayTrie<Object> mapped = DoubleArrayTrie.load(datPath);
        assertEquals(words.size(), mapped.size());
        for (String word : words) {
            assertTrue(mapped.contains(word), word);
        }
        assertFalse(mapped.contains("notawordatall"));

        Dawg<Object> dawg = Dawg.create();
        dawg.addAll(words);
        Path dawgPath = dir.resolve("words.dawg");
        assertEquals(dawg.imageSize(), dawg.save(dawgPath));
        Dawg<Object> loaded = Dawg.load(dawgPath);
        assertEquals(dawg.nodeCount(), loaded.nodeCount());
        assertEquals(new TreeSet<>(words), DoubleArrayTrieTest.termsOf(loaded));
        assertTrue(loaded.insert("loaded dawgs stay mutable"));
        assertTrue(loaded.remove(words.get(0)));
    }

    @Test
    void valuesAndAlphabetsRoundTrip() throws IOException {
        List<Map.Entry<String, String>> entries = sample(300, new Random(1));
        for (Kind kind : kinds(entries)) {
            Path path = dir.resolve("image");
            kind.save(path);
            TreeMap<String, String> expected = new TreeMap<>();
            entries.forEach(e -> expected.put(e.getKey(), e.getValue()));
            TreeMap<String, String> actual = kind.load(path);
            actual.remove("plain term without value");
            assertEquals(expected, actual);
        }
        DoubleArrayTrie<Long> longs = DoubleArrayTrie.ofEntries(List.of(Map.entry("a", -5L), Map.entry("b", Long.MAX_VALUE)),
                Alphabet.UTF8_BYTES);
        Path path = dir.resolve("longs");
        longs.save(path, ValueCodec.longs());
        DoubleArrayTrie<Long> back = DoubleArrayTrie.load(path, ValueCodec.longs());
        assertEquals(-5L, back.getValue("a"));
        assertEquals(Long.MAX_VALUE, back.getValue("b"));
        assertNull(DoubleArrayTrie.load(path).getValue("a"), "loading without a codec drops values");
    }

    @Test
    void aDawgWithValuesLoadedWithoutACodecKeepsEveryTerm() throws IOException {
        Dawg<String> dawg = Dawg.create(Alphabet.CODE_POINTS);
        dawg.insertWithValue("tab\tterm", "line\nvalue");
        dawg.insertWithValue("plain", "v");
        dawg.insert("bare");
        Path path = dir.resolve("valued.dawg");
        dawg.save(path, ValueCodec.strings());
        Dawg<Object> plain = Dawg.load(path);
        assertEquals(DoubleArrayTrieTest.termsOf(dawg), DoubleArrayTrieTest.termsOf(plain));
        assertNull(plain.getValue("plain"));
        TokenDawg<String> tokens = TokenDawg.create();
        tokens.insertWithValue(new long[] {1, 2}, "twelve");
        tokens.insert(new long[] {3});
        Path tokenPath = dir.resolve("valued.tokens");
        tokens.save(tokenPath, ValueCodec.strings());
        TokenDawg<Object> plainTokens = TokenDawg.load(tokenPath);
        assertTrue(plainTokens.contains(new long[] {1, 2}));
        assertEquals(2, plainTokens.size());
    }

    @Test
    void savingATrieWithValuesWithoutACodecIsRejected() {
        DoubleArrayTrie<String> trie = DoubleArrayTrie.ofEntries(List.of(Map.entry("a", "x")), Alphabet.UTF8_BYTES);
        Path path = dir.resolve("x");
        assertThrows(IllegalArgumentException.class, () -> trie.save(path));
        assertFalse(Files.exists(path));
    }

    @Test
    void loadingTheWrongKindIsACorruption() throws IOException {
        Path path = dir.resolve("dawg");
        Dawg<Object> dawg = Dawg.create();
        dawg.insert("x");
        dawg.save(path);
        CorruptedStoreException e = assertThrows(CorruptedStoreException.class, () -> DoubleArrayTrie.load(path));
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
        assertThrows(CorruptedStoreException.class, () -> TokenDawg.load(path));
    }

    /** Every header byte and about 400 payload bytes spread over each image, for each kind of damage. */
    private static int nextPosition(int position, int length) {
        return position < DictionaryImageFormat.HEADER_SIZE ? position + 1 : position + Math.max(1, length / 400);
    }

    @Test
    void flippedZeroedOrTruncatedBytesAreDetected() throws IOException {
        List<Map.Entry<String, String>> entries = sample(40, new Random(2));
        for (Kind kind : kinds(entries)) {
            Path original = dir.resolve("original");
            kind.save(original);
            byte[] bytes = Files.readAllBytes(original);
            Path damaged = dir.resolve("damaged");
            for (int position = 0; position < bytes.length; position = nextPosition(position, bytes.length)) {
                for (int damage = 0; damage < 3; damage++) {
                    byte[] copy = damage == 2 ? java.util.Arrays.copyOf(bytes, position) : bytes.clone();
                    if (damage == 0) {
                        copy[position] ^= (byte) (1 << (position % 8));
                    } else if (damage == 1) {
                        if (copy[position] == 0) {
                            continue;
                        }
                        copy[position] = 0;
                    }
                    Files.write(damaged, copy);
                    int at = position;
                    assertThrows(CorruptedStoreException.class, () -> kind.load(damaged),
                            "damage " + damage + " at byte " + at);
                }
            }
        }
    }

    /**
     * Damage that keeps the checksums valid (they are recomputed) tests the structural checks: loading must
     * fail with CorruptedStoreException or give a consistent dictionary (every term it spells is found, with the
     * value at its node, and the count agrees) — never another exception, a hang or an out-of-memory error. Such
     * an image is a different well-formed dictionary, so its contents are not compared with the original.
     */
    @Test
    void damageBehindValidChecksumsFailsCleanlyOrLoadsATraversableDictionary() throws IOException {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        List<Map.Entry<String, String>> entries = sample(40, new Random(3));
        for (Kind kind : kinds(entries)) {
            Path original = dir.resolve("original");
            kind.save(original);
            byte[] bytes = Files.readAllBytes(original);
            Path damaged = dir.resolve("damaged");
            for (int position = DictionaryImageFormat.HEADER_SIZE; position < bytes.length;
                    position = nextPosition(position, bytes.length)) {
                byte[] copy = bytes.clone();
                copy[position] = (byte) random.nextInt(256);
                rechecksum(copy);
                Files.write(damaged, copy);
                try {
                    kind.traverse(damaged);
                } catch (CorruptedStoreException expected) {
                    // detected
                } catch (Throwable e) {
                    throw new AssertionError("seed " + seed + " byte " + position + ": " + e, e);
                }
            }
        }
    }

    @Test
    void impossibleUnitSequencesBehindValidChecksumsAreRefused() throws IOException {
        // A UTF-8 trie whose only unit becomes 0xFF, never a UTF-8 byte.
        Path trie = dir.resolve("trie");
        DoubleArrayTrie.of(List.of("a")).save(trie);
        assertImpossibleAfter(trie, image -> image[DictionaryImageFormat.HEADER_SIZE + 16] = (byte) 0xFF);
        // A code-point trie whose second unit becomes a low surrogate right after a high one: as a String the two
        // would merge into one character, so the term could never be looked up.
        Path codePoints = dir.resolve("codepoints");
        DoubleArrayTrie.of(List.of("\uD800\uDBFF"), Alphabet.CODE_POINTS).save(codePoints);
        assertImpossibleAfter(codePoints, image -> image[DictionaryImageFormat.HEADER_SIZE + 20 + 1] = (byte) 0xDC);
        // A UTF-8 DAWG of "é" (C3 A9) whose continuation byte becomes C1.
        Path dawgPath = dir.resolve("dawg");
        Dawg<Object> dawg = Dawg.create();
        dawg.insert("é");
        dawg.save(dawgPath);
        assertImpossibleAfter(dawgPath, image -> {
            for (int i = DictionaryImageFormat.HEADER_SIZE; i + 1 < image.length; i++) {
                if (image[i] == (byte) 0xA9 && image[i + 1] == 1) {
                    image[i] = (byte) 0xC1;
                    return;
                }
            }
            throw new AssertionError("label A9 not found");
        });
    }

    private static void assertImpossibleAfter(Path path, java.util.function.Consumer<byte[]> damage) throws IOException {
        byte[] image = Files.readAllBytes(path);
        damage.accept(image);
        rechecksum(image);
        Files.write(path, image);
        CorruptedStoreException e = assertThrows(CorruptedStoreException.class,
                () -> Dictionaries.load(path, ValueCodec.strings()));
        assertTrue(e.getMessage().contains("cannot follow"), e.getMessage());
    }

    private static void rechecksum(byte[] image) {
        ByteBuffer buffer = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C payload = new CRC32C();
        payload.update(image, DictionaryImageFormat.HEADER_SIZE, image.length - DictionaryImageFormat.HEADER_SIZE);
        buffer.putInt(DictionaryImageFormat.PAYLOAD_CRC_OFFSET, (int) payload.getValue());
        CRC32C header = new CRC32C();
        header.update(image, 0, DictionaryImageFormat.HEADER_CRC_OFFSET);
        buffer.putInt(DictionaryImageFormat.HEADER_CRC_OFFSET, (int) header.getValue());
    }

    @Test
    void aFailedSaveLeavesThePreviousImageWhole() throws IOException {
        Path path = dir.resolve("dict");
        DoubleArrayTrie<Object> v1 = DoubleArrayTrie.of(List.of("one", "two"));
        v1.save(path);
        DoubleArrayTrie<Object> v2 = DoubleArrayTrie.of(List.of("three"));
        Dawg<Object> dawg = Dawg.create();
        dawg.insert("three");
        for (int fault = 0; fault < 6; fault++) {
            FaultyStorageIo io = new FaultyStorageIo();
            switch (fault % 3) {
                case 0 -> io.failWrite(1);
                case 1 -> io.tearWrite(2);
                default -> io.failForce(1);
            }
            int f = fault;
            assertThrows(IOException.class, () -> {
                if (f < 3) {
                    v2.write(io, path, null);
                } else {
                    dawg.write(io, path, null);
                }
            });
            assertEquals(new TreeSet<>(List.of("one", "two")), DoubleArrayTrieTest.termsOf(DoubleArrayTrie.load(path)));
            try (var entries = Files.list(dir)) {
                assertEquals(List.of(path), entries.toList(), "temporary file left behind");
            }
        }
    }

    @Test
    void aSavedImageSurvivesAPowerLoss() throws IOException {
        Path path = dir.resolve("dict");
        FaultyStorageIo io = new FaultyStorageIo();
        DoubleArrayTrie.of(List.of("kept")).write(io, path, null);
        Dawg<Object> dawg = Dawg.create();
        dawg.insert("also kept");
        dawg.write(io, dir.resolve("dawg"), null);
        io.crash();
        assertTrue(DoubleArrayTrie.load(path).contains("kept"));
        assertTrue(Dawg.load(dir.resolve("dawg")).contains("also kept"));
    }
}
