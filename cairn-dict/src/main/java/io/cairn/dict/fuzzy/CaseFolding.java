package io.cairn.dict.fuzzy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Simple case folding of single code points, for case-insensitive fuzzy search: {@code c} folds to
 * {@code toLowerCase(toUpperCase(c))}, an equivalence under which 'K', 'k' and the Kelvin sign are one character.
 * Multi-character foldings ("ß" → "ss") are out of scope: a fold never changes a term's length.
 */
final class CaseFolding {
    private CaseFolding() {}

    static int fold(int c) {
        return Character.toLowerCase(Character.toUpperCase(c));
    }

    static int[] fold(int[] characters) {
        int[] folded = new int[characters.length];
        for (int i = 0; i < characters.length; i++) {
            folded[i] = fold(characters[i]);
        }
        return folded;
    }

    /** Every code point that folds to {@code folded} (which must be a fold), ascending; {@code folded} included. */
    static int[] variants(int folded) {
        int[] others = Variants.TABLE.get(folded);
        return others == null ? new int[] {folded} : others;
    }

    /** The inverse of {@link #fold}, built once over all of Unicode when first needed. */
    private static final class Variants {
        static final Map<Integer, int[]> TABLE = build();

        private static Map<Integer, int[]> build() {
            Map<Integer, int[]> table = new HashMap<>();
            for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
                int f = fold(c);
                if (f != c) {
                    int[] known = table.get(f);
                    int[] grown = known == null ? new int[] {f, c} : Arrays.copyOf(known, known.length + 1);
                    grown[grown.length - 1] = c;
                    Arrays.sort(grown);
                    table.put(f, grown);
                }
            }
            return Map.copyOf(table);
        }
    }
}
