package io.cairn.dict.fuzzy;

/**
 * How plausible a misspelling is as a slip of the fingers on a QWERTY keyboard: a dynamic program over the
 * case-folded word and candidate that finds, among the alignments with the fewest edits, the one whose edits are
 * cheapest by key distance. Lower is more plausible; {@link Suggester} ranks equally distant, equally frequent
 * candidates with it.
 *
 * <p>Per edit: a substitution costs the distance between the two keys (neighbours about 1); an extra character
 * in the word costs its distance to the key before or after it (a double press costs 0); a missing character and
 * a swap of two neighbours cost {@value #MISSING} and {@value #SWAP}; characters that are not letter keys cost
 * {@value #FAR}.
 */
final class KeyProximity {
    private KeyProximity() {}

    static final double MISSING = 1.5;
    static final double SWAP = 0.5;
    static final double FAR = 4.0;
    /** Weight of one edit against the key costs: larger than any sum of key costs of a realistic word. */
    private static final double EDIT = 1000.0;

    /** The key cost of the cheapest fewest-edit alignment of {@code word} to {@code candidate} (both folded). */
    static double score(int[] word, int[] candidate) {
        int[] a = CaseFolding.fold(word);
        int[] b = CaseFolding.fold(candidate);
        int w = b.length + 1;
        double[] d = new double[(a.length + 1) * w];
        for (int i = 0; i <= a.length; i++) {
            for (int j = 0; j <= b.length; j++) {
                if (i == 0 && j == 0) {
                    continue;
                }
                double best = Double.MAX_VALUE;
                if (i > 0) { // a[i-1] is extra in the word
                    best = d[(i - 1) * w + j] + EDIT + extra(a, i - 1);
                }
                if (j > 0) { // b[j-1] is missing from the word
                    best = Math.min(best, d[i * w + j - 1] + EDIT + MISSING);
                }
                if (i > 0 && j > 0) {
                    double substitution = a[i - 1] == b[j - 1] ? 0 : EDIT + keys(a[i - 1], b[j - 1]);
                    best = Math.min(best, d[(i - 1) * w + j - 1] + substitution);
                    if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && a[i - 1] != a[i - 2]) {
                        best = Math.min(best, d[(i - 2) * w + j - 2] + EDIT + SWAP);
                    }
                }
                d[i * w + j] = best;
            }
        }
        return d[a.length * w + b.length] % EDIT;
    }

    /** The cost of the word's character at {@code i} being an extra key press. */
    private static double extra(int[] a, int i) {
        double best = FAR;
        if (i > 0) {
            best = Math.min(best, keys(a[i], a[i - 1]));
        }
        if (i + 1 < a.length) {
            best = Math.min(best, keys(a[i], a[i + 1]));
        }
        return best;
    }

    private static double keys(int x, int y) {
        if (x == y) {
            return 0;
        }
        double distance = Qwerty.distance(x, y);
        return Double.isNaN(distance) ? FAR : Math.min(distance, FAR);
    }
}
