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
        return table(query, term, algorithm)[query.length][term.length];
    }

    /** The smallest distance between {@code query} and any prefix of {@code term} (the empty prefix included). */
    static int prefixDistance(int[] query, int[] term, Algorithm algorithm) {
        int[] last = table(query, term, algorithm)[query.length];
        int best = Integer.MAX_VALUE;
        for (int d : last) {
            best = Math.min(best, d);
        }
        return best;
    }

    private static int[][] table(int[] a, int[] b, Algorithm algorithm) {
        int[][] d = new int[a.length + 1][b.length + 1];
        for (int i = 0; i <= a.length; i++) {
            for (int j = 0; j <= b.length; j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int best = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1);
                best = Math.min(best, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                switch (algorithm) {
                    case STANDARD -> { }
                    case TRANSPOSITION -> {
                        if (i >= 2 && j >= 2 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                            best = Math.min(best, d[i - 2][j - 2] + 1);
                        }
                    }
                    case MERGE_AND_SPLIT -> {
                        if (i >= 2) {
                            best = Math.min(best, d[i - 2][j - 1] + 1); // two query characters merged into one
                        }
                        if (j >= 2) {
                            best = Math.min(best, d[i - 1][j - 2] + 1); // one query character split into two
                        }
                    }
                }
                d[i][j] = best;
            }
        }
        return d;
    }
}
