package io.cairn.dict;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images whose checksums are valid but whose structure is impossible (the defects of issue 16, each found by an
 * adversarial test): loading must fail with {@link CorruptedStoreException}, never hang, load a wrong dictionary
 * or throw another type.
 */
class ImpossibleImageTest {
    @TempDir
    Path dir;

    private static void assertCorrupt(Executable load) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(CorruptedStoreException.class, load));
    }

    @Test
    void aTrieLeafLeadingBackToTheRootIsRefusedNotWalkedForever() throws IOException {
        Path path = dir.resolve("loop.dat");
        DoubleArrayTrie.of(List.of("a")).save(path);
        DatPayload trie = DatPayload.read(path);
        int leaf = trie.base[0] + 1;
        trie.check[0] = leaf;
        trie.base[leaf] = -1;
        trie.first[leaf] = 1;
        trie.write(path, 0);
        assertCorrupt(() -> DoubleArrayTrie.load(path));
    }

    @Test
    void anUnreachableCycleOfFinalStatesIsRefusedThoughTheTermCountMatches() throws IOException {
        Path path = dir.resolve("cycle.dat");
        DoubleArrayTrie.of(List.of("a", "b", "c", "d")).save(path);
        DatPayload trie = DatPayload.read(path);
        int a = trie.grow(2);
        int b = a + 1;
        trie.check[a] = b;
        trie.check[b] = a;
        trie.base[a] = b - 1;
        trie.base[b] = a - 1;
        trie.first[a] = 1;
        trie.first[b] = 1;
        trie.setFinal(a);
        trie.setFinal(b);
        trie.termCount += 2;
        trie.write(path, 0);
        assertCorrupt(() -> DoubleArrayTrie.load(path));
    }

    @Test
    void aTrieValueShorterThanItsLengthIsACorruption() throws IOException {
        Path dat = dir.resolve("short.dat");
        DoubleArrayTrie.ofEntries(List.of(Map.entry("a", "xy")), Alphabet.UTF8_BYTES).save(dat, ValueCodec.strings());
        dropLastPayloadByte(dat);
        assertCorrupt(() -> DoubleArrayTrie.load(dat, ValueCodec.strings()));
    }

    @Test
    void aDawgValueShorterThanItsLengthIsACorruption() throws IOException {
        Path dawgPath = dir.resolve("short.dawg");
        Dawg<String> dawg = Dawg.create();
        dawg.insertWithValue("a", "v");
        dawg.insertWithValue("", "xy"); // the root is the last node, so its value ends the payload
        dawg.save(dawgPath, ValueCodec.strings());
        dropLastPayloadByte(dawgPath);
        assertCorrupt(() -> Dawg.load(dawgPath, ValueCodec.strings()));
    }

    @Test
    void aTokenDawgValueShorterThanItsLengthIsACorruption() throws IOException {
        Path tokensPath = dir.resolve("short.tokens");
        TokenDawg<String> tokens = TokenDawg.create();
        tokens.insertWithValue(new long[] {7}, "v");
        tokens.insertWithValue(new long[0], "xy");
        tokens.save(tokensPath, ValueCodec.strings());
        dropLastPayloadByte(tokensPath);
        assertCorrupt(() -> TokenDawg.load(tokensPath, ValueCodec.strings()));
    }

    /** Rewrites the image at {@code path} without the last byte of its payload, with valid checksums. */
    private static void dropLastPayloadByte(Path path) throws IOException {
        DictionaryImage image = DictionaryImage.read(StorageIo.fileSystem(), path, DictionaryImage.ANY_KIND);
        byte[] payload = image.payload().toArray(ValueLayout.JAVA_BYTE);
        DictionaryImage.write(StorageIo.fileSystem(), path, image.kind(), image.alphabet(), image.flags(),
                Arrays.copyOf(payload, payload.length - 1));
    }

    @Test
    void aTriePayloadShorterThanItsHeaderWithValuesIsACorruption() throws IOException {
        Path path = dir.resolve("tiny.dat");
        DictionaryImage.write(StorageIo.fileSystem(), path, DictionaryImageFormat.KIND_DOUBLE_ARRAY_TRIE,
                DictionaryImageFormat.ALPHABET_UTF8_BYTES, DictionaryImageFormat.FLAG_HAS_VALUES, new byte[] {1});
        assertCorrupt(() -> DoubleArrayTrie.load(path, ValueCodec.strings()));
        assertCorrupt(() -> DoubleArrayTrie.load(path));
        assertCorrupt(() -> Dictionaries.load(path, ValueCodec.strings()));
    }

    @Test
    void aDawgSpellingMoreTermsThanALongCountsIsACorruption() throws IOException {
        // 65 levels: a final leaf, then 64 nodes each with edges 'a' and 'b' to the level below (2^64 terms).
        ImageWriter payload = new ImageWriter(1024);
        int levels = 65;
        payload.varint(levels);
        payload.varint(0);
        payload.varint(DictionaryImageFormat.NODE_FINAL);
        for (int level = 1; level < levels; level++) {
            payload.varint(2 << DictionaryImageFormat.NODE_EDGE_SHIFT);
            payload.varint('a');
            payload.varint(1);
            payload.varint(1);
            payload.varint(1);
        }
        Path path = dir.resolve("huge.dawg");
        DictionaryImage.write(StorageIo.fileSystem(), path, DictionaryImageFormat.KIND_DAWG,
                DictionaryImageFormat.ALPHABET_UTF8_BYTES, 0, payload.toByteArray());
        assertCorrupt(() -> Dawg.load(path));
        CorruptedStoreException e = assertThrows(CorruptedStoreException.class, () -> Dawg.load(path));
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
    }
}
