package io.cairn.dict;

/** The units a dictionary's edges are labelled with; terms are {@code String}s either way. */
public enum Alphabet {
    /** UTF-8 bytes, labels 0..255. Compact; a non-ASCII character spans several edges. */
    UTF8_BYTES,
    /** Unicode code points: one edge per character, so edit distances count characters. */
    CODE_POINTS
}
