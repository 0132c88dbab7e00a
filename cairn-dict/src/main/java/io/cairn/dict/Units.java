package io.cairn.dict;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Conversions between terms ({@code String}) and the unit sequences of an {@link Alphabet}. */
final class Units {
    private Units() {}

    /**
     * The units of {@code term}: its UTF-8 bytes (0..255) or its code points.
     *
     * @throws IllegalArgumentException if the term holds an unpaired surrogate, which UTF-8 cannot encode
     */
    static int[] of(String term, Alphabet alphabet) {
        if (alphabet == Alphabet.CODE_POINTS) {
            return term.codePoints().toArray();
        }
        int[] units = new int[term.length() * 3];
        int n = 0;
        for (int i = 0; i < term.length(); ) {
            int cp = term.codePointAt(i);
            if (Character.isSurrogate(term.charAt(i)) && cp < Character.MIN_SUPPLEMENTARY_CODE_POINT) {
                throw new IllegalArgumentException(
                        "term holds an unpaired surrogate at index " + i + ", not encodable as UTF-8: " + term);
            }
            i += Character.charCount(cp);
            if (cp < 0x80) {
                units[n++] = cp;
            } else if (cp < 0x800) {
                units[n++] = 0xC0 | cp >>> 6;
                units[n++] = 0x80 | cp & 0x3F;
            } else if (cp < 0x10000) {
                units[n++] = 0xE0 | cp >>> 12;
                units[n++] = 0x80 | cp >>> 6 & 0x3F;
                units[n++] = 0x80 | cp & 0x3F;
            } else {
                if (n + 4 > units.length) {
                    units = Arrays.copyOf(units, units.length * 2 + 4);
                }
                units[n++] = 0xF0 | cp >>> 18;
                units[n++] = 0x80 | cp >>> 12 & 0x3F;
                units[n++] = 0x80 | cp >>> 6 & 0x3F;
                units[n++] = 0x80 | cp & 0x3F;
            }
        }
        return Arrays.copyOf(units, n);
    }

    /** The term spelled by the first {@code length} units. */
    static String term(int[] units, int length, Alphabet alphabet) {
        if (alphabet == Alphabet.CODE_POINTS) {
            return new String(units, 0, length);
        }
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) units[i];
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The largest unit the alphabet allows. */
    static int maxUnit(Alphabet alphabet) {
        return alphabet == Alphabet.CODE_POINTS ? Character.MAX_CODE_POINT : 0xFF;
    }
}
