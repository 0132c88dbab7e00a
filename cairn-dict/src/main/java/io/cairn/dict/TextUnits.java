package io.cairn.dict;

import java.util.Arrays;

/**
 * The texts of a substring index laid end to end as units of one {@link Alphabet} (a byte each for UTF-8, an int
 * for code points), with where each text starts, so a global position maps back to (text, offset) and edge labels
 * of a compact automaton can point into the texts instead of copying them.
 */
final class TextUnits {
    private final Alphabet alphabet;
    private byte[] bytes;
    private int[] codePoints;
    private int length;
    /** Global start of each segment (one per text, in id order) and the id of its text. */
    private int[] segmentStart = new int[8];
    private int[] segmentText = new int[8];
    private int segments;

    TextUnits(Alphabet alphabet) {
        this.alphabet = alphabet;
        if (alphabet == Alphabet.UTF8_BYTES) {
            bytes = new byte[64];
        } else {
            codePoints = new int[64];
        }
    }

    Alphabet alphabet() {
        return alphabet;
    }

    /** Appends a text's units as a new segment; returns them. */
    int[] append(int textId, String text) {
        int[] units = Units.of(text, alphabet);
        if ((long) length + units.length > SuffixStates.MAX_UNITS) {
            throw new IllegalArgumentException("the texts would hold " + ((long) length + units.length)
                    + " units, more than the limit of " + SuffixStates.MAX_UNITS);
        }
        if (segments == segmentStart.length) {
            segmentStart = Arrays.copyOf(segmentStart, segments * 2);
            segmentText = Arrays.copyOf(segmentText, segments * 2);
        }
        segmentStart[segments] = length;
        segmentText[segments++] = textId;
        int needed = length + units.length;
        if (bytes != null) {
            if (needed > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length + (bytes.length >> 1)));
            }
            for (int unit : units) {
                bytes[length++] = (byte) unit;
            }
        } else {
            if (needed > codePoints.length) {
                codePoints = Arrays.copyOf(codePoints, Math.max(needed, codePoints.length + (codePoints.length >> 1)));
            }
            System.arraycopy(units, 0, codePoints, length, units.length);
            length = needed;
        }
        return units;
    }

    int length() {
        return length;
    }

    int unit(int position) {
        return bytes != null ? bytes[position] & 0xFF : codePoints[position];
    }

    /** Whether a substring ending at {@code position} (inclusive) ends on a character boundary. */
    boolean boundaryAfter(int position) {
        return bytes == null || position + 1 >= length || !isContinuation(bytes[position + 1] & 0xFF);
    }

    static boolean isContinuation(int unit) {
        return (unit & 0xC0) == 0x80;
    }

    int segmentCount() {
        return segments;
    }

    /** The segment holding global {@code position} (the last one starting at or before it). */
    int segmentOf(int position) {
        int index = Arrays.binarySearch(segmentStart, 0, segments, position);
        if (index < 0) {
            return -index - 2;
        }
        while (index + 1 < segments && segmentStart[index + 1] == position) {
            index++; // empty texts start where the next one does
        }
        return index;
    }

    int segmentStart(int segment) {
        return segmentStart[segment];
    }

    int segmentLength(int segment) {
        return (segment + 1 < segments ? segmentStart[segment + 1] : length) - segmentStart[segment];
    }

    int segmentText(int segment) {
        return segmentText[segment];
    }

    /** The occurrence starting at global {@code position}. */
    Occurrence occurrenceAt(int position) {
        int segment = segmentOf(position);
        return new Occurrence(segmentText[segment], position - segmentStart[segment]);
    }

    /** Bytes of the arrays, for footprint reports. */
    long footprint() {
        return (bytes != null ? bytes.length : 4L * codePoints.length) + 8L * segmentStart.length;
    }
}
