package io.cairn.dict.fuzzy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Brute-force dynamic-programming edit distances over code points: the oracle the automaton is tested against.
 * Cell {@code d[i][j]} is the distance between the first {@code i} query characters and the first {@code j} term
 * characters.
 *
 * <p>With a {@link SubstitutionSet} the program is weighted as the set's documentation says, read straight from its
 * rule list: a substitution costs 0 where a cost-0 rule pairs the two characters (so does the "equal" test of a
 * transposition), and a rule x ↔ yz lets one query character stand for two term characters, or two query characters
 * for one term character, at the rule's cost. With {@code ignoreCase} both strings and the rules are case-folded
 * first.
 */
final class EditDistances {
    private EditDistances() {}

    /** The distance between {@code query} and {@code term}. */
    static int distance(int[] query, int[] term, Algorithm algorithm) {
        return distance(query, term, algorithm, Integer.MAX_VALUE - 1);
    }

    /** The distance between {@code query} and {@code term}, or {@code cap + 1} if it exceeds {@code cap}. */
    static int distance(int[] query, int[] term, Algorithm algorithm, int cap) {
        return distance(query, term, algorithm, new Weights(SubstitutionSet.NONE, false), cap);
    }

    /** The weighted distance with the rules read once ({@link Weights}), or {@code cap + 1} if it exceeds {@code cap}. */
    static int distance(int[] query, int[] term, Algorithm algorithm, Weights weights, int cap) {
        int[] a = weights.ignoreCase ? fold(query) : query;
        int[] b = weights.ignoreCase ? fold(term) : term;
        int[] d = table(a, b, algorithm, weights, cap);
        return d == null ? cap + 1 : Math.min(cap + 1, d[a.length * (b.length + 1) + b.length]);
    }

    /** The smallest distance between {@code query} and any prefix of {@code term} (the empty prefix included). */
    static int prefixDistance(int[] query, int[] term, Algorithm algorithm, int cap) {
        return prefixDistance(query, term, algorithm, new Weights(SubstitutionSet.NONE, false), cap);
    }

    static int prefixDistance(int[] query, int[] term, Algorithm algorithm, Weights weights, int cap) {
        int[] a = weights.ignoreCase ? fold(query) : query;
        int[] b = weights.ignoreCase ? fold(term) : term;
        int[] d = table(a, b, algorithm, weights, cap);
        int best = cap + 1;
        if (d != null) {
            for (int j = 0; j <= b.length; j++) {
                best = Math.min(best, d[a.length * (b.length + 1) + j]);
            }
        }
        return best;
    }

    private static int fold(int c) {
        return Character.toLowerCase(Character.toUpperCase(c));
    }

    private static int[] fold(int[] s) {
        int[] folded = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            folded[i] = fold(s[i]);
        }
        return folded;
    }

    /** A set's rules as the program reads them: folded if ignoring case, free pairs in a hash set. */
    static final class Weights {
        final boolean ignoreCase;
        /** Both orders of every cost-0 one-for-one pair, as {@code x << 32 | y}. */
        final Set<Long> free = new HashSet<>();
        final List<SubstitutionSet.Rule> multi;

        Weights(SubstitutionSet set, boolean ignoreCase) {
            this.ignoreCase = ignoreCase;
            List<SubstitutionSet.Rule> rules = set.rules().stream()
                    .map(r -> ignoreCase ? new SubstitutionSet.Rule(fold(r.single()), fold(r.other()), r.cost()) : r)
                    .toList();
            for (SubstitutionSet.Rule r : rules) {
                if (r.cost() == 0 && r.other().length == 1) {
                    free.add((long) r.single() << 32 | r.other()[0]);
                    free.add((long) r.other()[0] << 32 | r.single());
                }
            }
            multi = rules.stream().filter(r -> r.other().length == 2).toList();
        }

        /** Whether {@code x} and {@code y} are equal or a cost-0 rule pairs them. */
        boolean same(int x, int y) {
            return x == y || !free.isEmpty() && free.contains((long) x << 32 | y);
        }
    }

    /**
     * The full table, row {@code i} at {@code i * (b.length + 1)}; null once two consecutive rows exceed {@code cap}
     * (every cell derives from the two rows above or from its left neighbour, so no later cell can come back under).
     */
    private static int[] table(int[] a, int[] b, Algorithm algorithm, Weights weights, int cap) {
        int w = b.length + 1;
        int[] d = new int[(a.length + 1) * w];
        int previousRowMin = Integer.MAX_VALUE;
        for (int i = 0; i <= a.length; i++) {
            int rowMin = Integer.MAX_VALUE;
            for (int j = 0; j <= b.length; j++) {
                int best;
                if (i == 0 && j == 0) {
                    best = 0;
                } else {
                    best = Integer.MAX_VALUE;
                    if (i > 0) {
                        best = Math.min(best, d[(i - 1) * w + j] + 1);
                    }
                    if (j > 0) {
                        best = Math.min(best, d[i * w + j - 1] + 1);
                    }
                }
                if (i > 0 && j > 0) {
                    best = Math.min(best, d[(i - 1) * w + j - 1] + (weights.same(a[i - 1], b[j - 1]) ? 0 : 1));
                    switch (algorithm) {
                        case STANDARD -> { }
                        case TRANSPOSITION -> {
                            if (i >= 2 && j >= 2 && weights.same(a[i - 1], b[j - 2])
                                    && weights.same(a[i - 2], b[j - 1])) {
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
                    for (SubstitutionSet.Rule r : weights.multi) {
                        int x = r.single();
                        int y = r.other()[0];
                        int z = r.other()[1];
                        if (j >= 2 && a[i - 1] == x && b[j - 2] == y && b[j - 1] == z) {
                            best = Math.min(best, d[(i - 1) * w + j - 2] + r.cost()); // query x, term yz
                        }
                        if (i >= 2 && a[i - 2] == y && a[i - 1] == z && b[j - 1] == x) {
                            best = Math.min(best, d[(i - 2) * w + j - 1] + r.cost()); // query yz, term x
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
