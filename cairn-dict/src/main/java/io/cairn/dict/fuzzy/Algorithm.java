package io.cairn.dict.fuzzy;

/**
 * Which elementary edits cost 1 (Schulz &amp; Mihov 2002). Every algorithm also allows insertion, deletion and
 * substitution of one character.
 */
public enum Algorithm {
    /** Levenshtein distance: insert, delete or substitute one character. */
    STANDARD,
    /**
     * Also swapping two adjacent characters ("recieve" → "receive"). This is the restricted (optimal string
     * alignment) Damerau distance: a swapped pair is not edited again.
     */
    TRANSPOSITION,
    /**
     * Also merging two adjacent characters into one and splitting one into two, whatever the characters
     * ("rn" ↔ "m", as OCR confuses them): the unrestricted operations of liblevenshtein.
     */
    MERGE_AND_SPLIT
}
