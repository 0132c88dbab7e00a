package io.cairn.dict;

import java.nio.file.Path;

/**
 * What a dictionary image holds, from {@link Dictionaries#inspect}.
 *
 * @param path the image file
 * @param kind which dictionary it holds
 * @param alphabet its alphabet, or null for a {@link Kind#TOKEN_DAWG} (64-bit tokens)
 * @param hasValues whether it stores values
 * @param terms how many terms (token sequences for a token DAWG)
 * @param nodes how many nodes: a trie's states, a DAWG's nodes
 * @param bytes the size of the file
 */
public record DictionaryImageInfo(Path path, Kind kind, Alphabet alphabet, boolean hasValues, long terms, long nodes,
        long bytes) {

    /** The kinds of dictionary an image can hold. */
    public enum Kind {
        /** A {@link DoubleArrayTrie}. */
        DOUBLE_ARRAY_TRIE,
        /** A {@link Dawg}. */
        DAWG,
        /** A {@link TokenDawg}. */
        TOKEN_DAWG
    }
}
