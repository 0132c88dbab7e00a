package io.cairn.dict;

/**
 * Where a substring occurs: in text number {@code text} (the index of the text in the list the index was built
 * from, or the id {@link SuffixAutomaton#add} returned), starting at {@code offset}, counted in units of the
 * index's {@link Alphabet} (code points, or UTF-8 bytes).
 *
 * @param text the text's index
 * @param offset the start of the occurrence in that text, in alphabet units
 */
public record Occurrence(int text, int offset) implements Comparable<Occurrence> {

    /** By text, then by offset: the order every index returns occurrences in. */
    @Override
    public int compareTo(Occurrence other) {
        int byText = Integer.compare(text, other.text);
        return byText != 0 ? byText : Integer.compare(offset, other.offset);
    }
}
