package io.cairn.dict.fuzzy;

/**
 * Where the letter keys sit on a US QWERTY keyboard, for {@link SubstitutionSet#KEYBOARD_QWERTY} and for ranking
 * suggestions by how close the mistyped keys are. Rows are staggered as on a real keyboard: the home row starts a
 * quarter key right of the top row, the bottom row three quarters.
 */
final class Qwerty {
    private Qwerty() {}

    private static final String[] ROWS = {"qwertyuiop", "asdfghjkl", "zxcvbnm"};
    private static final double[] ROW_OFFSETS = {0.0, 0.25, 0.75};

    /** Whether {@code c} is a letter key (lower case; fold first). */
    static boolean isKey(int c) {
        return row(c) >= 0;
    }

    /**
     * The distance between the centres of two letter keys in key widths (0 for the same key), or
     * {@link Double#NaN} if either is not a letter key.
     */
    static double distance(int a, int b) {
        int rowA = row(a);
        int rowB = row(b);
        if (rowA < 0 || rowB < 0) {
            return Double.NaN;
        }
        double dx = x(a, rowA) - x(b, rowB);
        double dy = rowA - rowB;
        return Math.sqrt(dx * dx + dy * dy);
    }

    /** Whether two different letter keys touch: neighbours in a row, or less than a key apart in adjacent rows. */
    static boolean adjacent(int a, int b) {
        double d = distance(a, b);
        return a != b && !Double.isNaN(d) && d < Math.sqrt(2.0);
    }

    /** Every pair of adjacent letter keys, each once, as two-letter strings ("qw", "qa", ...). */
    static String[] adjacentPairs() {
        StringBuilder pairs = new StringBuilder();
        int count = 0;
        for (char a = 'a'; a <= 'z'; a++) {
            for (char b = (char) (a + 1); b <= 'z'; b++) {
                if (adjacent(a, b)) {
                    pairs.append(a).append(b);
                    count++;
                }
            }
        }
        String[] result = new String[count];
        for (int i = 0; i < count; i++) {
            result[i] = pairs.substring(2 * i, 2 * i + 2);
        }
        return result;
    }

    private static int row(int c) {
        for (int r = 0; r < ROWS.length; r++) {
            if (c < 0x10000 && ROWS[r].indexOf(c) >= 0) {
                return r;
            }
        }
        return -1;
    }

    private static double x(int c, int row) {
        return ROWS[row].indexOf(c) + ROW_OFFSETS[row];
    }
}
