package io.cairn.dict.fuzzy;

/**
 * Brute-force dynamic-programming edit distances over code points: the oracle the automaton is tested against.
 * Cell {@code d[i][j]} is the distance between the first {@code i} query characters and the first {@code j} term
 * characters.
 */
final class EditDistances {
    private EditDistances() {}

    /** The distance between {@code query} and {@code term}. */
    static int distance(int[] query, int[] term, Algorithm algorithm) {
        return distance(query, term, algorithm, Integer.MAX_VALUE - 1);
    }

    /** The distance between {@code query} and {@code term}, or {@code cap + 1} if it exceeds {@code cap}. */
    static int distance(int[] query, int[] term, Algorithm algorithm, int cap) {
        int[] d = table(query, term, algorithm, cap);
        return d == null ? cap + 1 : Math.min(cap + 1, d[query.length * (term.length + 1) + term.length]);
    }

    /** The smallest distance between {@code query} and any prefix of {@code term} (the empty prefix included). */
    static int prefixDistance(int[] query, int[] term, Algorithm algorithm, int cap) {
        int[] d = table(query, term, algorithm, cap);
        int best = cap + 1;
        if (d != null) {
            for (int j = 0; j <= term.length; j++) {
                best = Math.min(best, d[query.length * (term.length + 1) + j]);
            }
        }
        return best;
    }

    /**
     * The full table, row {@code i} at {@code i * (b.length + 1)}; null once two consecutive rows exceed {@code cap}
     * (every cell derives from the two rows above or from its left neighbour, so no later cell can come back under).
     */
    private static int[] table(int[] a, int[] b, Algorithm algorithm, int cap) {
        int w = b.length + 1;
        int[] d = new int[(a.length + 1) * w];
        int previousRowMin = Integer.MAX_VALUE;
        for (int i = 0; i <= a.length; i++) {
            int rowMin = Integer.MAX_VALUE;
            for (int j = 0; j <= b.length; j++) {
                int best;
                if (i == 0 || j == 0) {
                    best = i + j;
                } else {
                    best = Math.min(d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1);
                    best = Math.min(best, d[(i - 1) * w + j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                    switch (algorithm) {
                        case STANDARD -> { }
                        case TRANSPOSITION -> {
                            if (i >= 2 && j >= 2 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                                best = Math.min(best, d[(i - 2) * w + j - 2] + 1);
                            }
                        }
                        case MERGE_AND_SPLIT -> {
                            if (i >= 2) {
                                best = Math.min(best, d[(i - 2) * w + j - 1] + 1); // two query characters merged
                            }
                            if (j >= 2) {
                                best = Math.min(best, d[(i - 1) * w + j - 2] + 1); // one query character split
                            }
                        }
                    }
                }
                d[i * w + j] = best;
                rowMin = Math.min(rowMin, best);
            }
            if (rowMin > cap && previousRowMin > cap) {
                return null;
            }
            previousRowMin = rowMin;
        }
        return d;
    }
}
