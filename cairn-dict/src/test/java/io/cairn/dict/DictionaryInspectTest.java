package io.cairn.dict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.stack.CorruptedStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Dictionaries#inspect}: kind, alphabet, values and counts of every image kind, whatever its values. */
class DictionaryInspectTest {
    @TempDir
    Path dir;

    @Test
    void everyKindIsDescribed() throws IOException {
        Path trie = dir.resolve("t.dat");
        DoubleArrayTrie<Long> longs = DoubleArrayTrie.ofEntries(List.of(Map.entry("ab", 1L), Map.entry("ac", 2L)),
                Alphabet.CODE_POINTS);
        longs.save(trie, ValueCodec.longs());
        assertEquals(new DictionaryImageInfo(trie, DictionaryImageInfo.Kind.DOUBLE_ARRAY_TRIE, Alphabet.CODE_POINTS,
                true, 2, 4, Files.size(trie)), Dictionaries.inspect(trie));

        Path dawg = dir.resolve("d.dawg");
        Dawg<Object> words = Dawg.of(List.of("cat", "bat", "rat"), Alphabet.UTF8_BYTES);
        words.save(dawg);
        assertEquals(new DictionaryImageInfo(dawg, DictionaryImageInfo.Kind.DAWG, Alphabet.UTF8_BYTES, false, 3,
                words.nodeCount(), Files.size(dawg)), Dictionaries.inspect(dawg));

        Path tokens = dir.resolve("t.tokens");
        TokenDawg<Object> sequences = TokenDawg.create();
        sequences.insert(new long[] {1, 2});
        sequences.save(tokens);
        assertEquals(new DictionaryImageInfo(tokens, DictionaryImageInfo.Kind.TOKEN_DAWG, null, false, 1, 3,
                Files.size(tokens)), Dictionaries.inspect(tokens));

        Files.write(dir.resolve("junk"), new byte[40]);
        assertThrows(CorruptedStoreException.class, () -> Dictionaries.inspect(dir.resolve("junk")));
    }
}
