package io.cairn.dict.fuzzy;

import java.util.Arrays;

/**
 * The Levenshtein automaton of one query (Schulz &amp; Mihov 2002), simulated bit-parallel so that a state is a
 * handful of {@code long}s and a transition is a few shifts per error level.
 *
 * <p><b>Positions.</b> After reading {@code k} characters of a candidate term, the automaton is in a set of
 * positions {@code (i, e)}: the first {@code i} query characters can be edited into those {@code k} characters with
 * at most {@code e} edits. Only positions with {@code |i - k| <= e <= n} can ever lead to a match, so each level
 * {@code e} is a window of {@code 2n + 1} bits, bit {@code j} standing for {@code i = k - n + j}; the window slides
 * by one as each character is read (this relative indexing is the paper's "characteristic vector" trick, which makes
 * the state independent of the query length). Levels are cumulative ({@code R[e]} ⊇ {@code R[e-1]}), which is
 * subsumption in bit form: a position reachable with fewer edits is also present at every higher level.
 *
 * <p><b>Transitions</b> on character {@code c}, with {@code χ} the window of query positions holding {@code c}:
 * match keeps {@code j} ({@code R[e] & χ}); substitution keeps {@code j} one level up; insertion of {@code c} keeps
 * {@code i}, so {@code j - 1}; deletion of a query character moves to {@code i + 1} without reading ({@code j + 1}
 * within the new window, chained level to level). Transposition adds pending positions {@code T[e]} (read
 * {@code q[i+1]}, now expecting {@code q[i]}); merge-and-split adds merge ({@code i + 2} for one character) and
 * pending split positions {@code S[e]} (one query character, first of two term characters read). Both kinds of
 * pending position live in the extra words of a state.
 *
 * <p><b>State layout</b> in a caller-owned {@code long[]} at some offset: {@code R[0..n]}, then (transposition and
 * merge-and-split only) {@code X[1..n]}. The automaton itself is immutable and allocation-free per step.
 */
final class LevenshteinAutomaton {

    /** Largest supported distance: a window of {@code 2n + 2} bits must fit in a {@code long}. */
    static final int MAX_DISTANCE = 31;

    private static final int NO_MASK = -1;

    private final int[] query;
    private final int maxDistance;
    private final Algorithm algorithm;
    private final int stateWidth;
    /** Keeps the {@code 2n + 2} window bits that transitions read (the extra bit is for transposition). */
    private final long windowBits;
    /** For each distinct query character, a bitset over {@code i + n}: bit set where {@code query[i]} is it. */
    private final long[][] masks;
    /** Index into {@link #masks} for ASCII characters, {@link #NO_MASK} if absent from the query. */
    private final int[] asciiMask = new int[128];
    /** Distinct non-ASCII query characters, sorted, and their mask indexes. */
    private final int[] otherChars;
    private final int[] otherMask;
    /** For each {@code k}, the window bits of real positions {@code 0 <= i <= m} (beyond the last k: none). */
    private final long[] validMasks;
    /** For each {@code k}, the window bits of positions that have a character to split ({@code i < m}). */
    private final long[] splitMasks;
    /** For each window start {@code k}, the distinct query characters in the window, ascending. */
    private final int[][] windowChars;

    LevenshteinAutomaton(int[] query, int maxDistance, Algorithm algorithm) {
        if (maxDistance < 0 || maxDistance > MAX_DISTANCE) {
            throw new IllegalArgumentException(
                    "maxDistance must be in 0.." + MAX_DISTANCE + ", got " + maxDistance);
        }
        this.query = query.clone();
        this.maxDistance = maxDistance;
        this.algorithm = algorithm;
        this.stateWidth = algorithm == Algorithm.STANDARD ? maxDistance + 1 : 2 * maxDistance + 1;
        int windowLength = 2 * maxDistance + 2;
        this.windowBits = windowLength == 64 ? -1L : (1L << windowLength) - 1;

        int[] distinct = distinctSorted(query, 0, query.length);
        int maskWords = (query.length + 3 * maxDistance + 2) / 64 + 2;
        masks = new long[distinct.length][maskWords];
        Arrays.fill(asciiMask, NO_MASK);
        int ascii = 0;
        while (ascii < distinct.length && distinct[ascii] < 128) {
            ascii++;
        }
        int others = distinct.length - ascii;
        otherChars = new int[others];
        otherMask = new int[others];
        int o = 0;
        for (int d = 0; d < distinct.length; d++) {
            if (distinct[d] < 128) {
                asciiMask[distinct[d]] = d;
            } else {
                otherChars[o] = distinct[d];
                otherMask[o++] = d;
            }
        }
        for (int i = 0; i < query.length; i++) {
            int bit = i + maxDistance;
            masks[Arrays.binarySearch(distinct, query[i])][bit >>> 6] |= 1L << bit;
        }
        validMasks = new long[query.length + maxDistance + 2];
        splitMasks = new long[validMasks.length];
        for (int k = 0; k < validMasks.length - 1; k++) {
            validMasks[k] = windowRange(k, 0, query.length);
            splitMasks[k] = windowRange(k, 0, query.length - 1);
        }
        windowChars = new int[query.length + maxDistance + 1][];
        for (int k = 0; k < windowChars.length; k++) {
            int from = Math.max(0, k - maxDistance);
            int to = Math.min(query.length, k + maxDistance + 2);
            windowChars[k] = distinctSorted(query, from, to);
        }
    }

    /** The distinct values of {@code values[from..to)}, ascending (query-sized arrays: built once per query). */
    private static int[] distinctSorted(int[] values, int from, int to) {
        if (from >= to) {
            return new int[0];
        }
        int[] sorted = Arrays.copyOfRange(values, from, to);
        Arrays.sort(sorted);
        int count = 1;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] != sorted[count - 1]) {
                sorted[count++] = sorted[i];
            }
        }
        return Arrays.copyOf(sorted, count);
    }

    int maxDistance() {
        return maxDistance;
    }

    /** How many {@code long}s one state occupies. */
    int stateWidth() {
        return stateWidth;
    }

    /** Writes the start state (nothing read yet: up to {@code e} query characters deleted at level e). */
    void start(long[] states, int at) {
        int n = maxDistance;
        for (int e = 0; e <= n; e++) {
            int reach = Math.min(e, query.length);
            states[at + e] = ((1L << (reach + 1)) - 1) << n;
        }
        for (int x = n + 1; x < stateWidth; x++) {
            states[at + x] = 0;
        }
    }

    /**
     * Reads a character with characteristic window {@code chi} (see {@link #characteristic}) in the state at
     * {@code from} (after {@code k} characters) and writes the successor at {@code to}. Returns whether the successor
     * is alive, i.e. can still lead to a match.
     */
    boolean step(long[] states, int from, int to, int k, long chi) {
        int next = Math.min(k + 1, validMasks.length - 1);
        long valid = validMasks[next];
        return switch (algorithm) {
            case STANDARD -> stepStandard(states, from, to, chi, valid);
            case TRANSPOSITION -> stepTransposition(states, from, to, chi, valid);
            case MERGE_AND_SPLIT -> stepMergeAndSplit(states, from, to, chi, valid, splitMasks[next]);
        };
    }

    /**
     * Steps on a character absent from the query window (all such characters lead to the same state) and returns
     * whether that successor is alive; if not, only window characters can continue and {@code to} may be left
     * unwritten.
     */
    boolean stepWithoutMatch(long[] states, int from, int to, int k) {
        int n = maxDistance;
        // Without a match only edits continue, and they need a spare level (or a split waiting for any character).
        boolean splitWaiting = algorithm == Algorithm.MERGE_AND_SPLIT && n > 0 && states[from + 2 * n] != 0;
        if (n == 0 || states[from + n - 1] == 0 && !splitWaiting) {
            return false;
        }
        return step(states, from, to, k, 0L);
    }

    /**
     * The window bits through which a matching character can keep the state at {@code at} alive: a character whose
     * {@link #characteristic} misses them all leads where {@link #stepWithoutMatch} does.
     */
    long matchBits(long[] states, int at) {
        int n = maxDistance;
        long bits = states[at + n];
        if (algorithm == Algorithm.TRANSPOSITION && n > 0) {
            bits |= states[at + 2 * n] | states[at + n - 1] << 1;
        }
        return bits;
    }

    /** The most characters {@link #windowChars(int)} can return. */
    int maxWindowChars() {
        return 2 * maxDistance + 2;
    }

    /** The distinct query characters that can match after {@code k} characters were read, ascending. */
    int[] windowChars(int k) {
        return k < windowChars.length ? windowChars[k] : windowChars[windowChars.length - 1];
    }

    /**
     * The smallest distance between the query and the {@code k} characters read, or {@link Integer#MAX_VALUE} if it
     * exceeds the maximum distance.
     */
    int distance(long[] states, int at, int k) {
        int j = query.length - k + maxDistance;
        if (j < 0 || j > 2 * maxDistance) {
            return Integer.MAX_VALUE;
        }
        for (int e = 0; e <= maxDistance; e++) {
            if ((states[at + e] >>> j & 1L) != 0) {
                return e;
            }
        }
        return Integer.MAX_VALUE;
    }

    // One loop per algorithm keeps the hot loop free of per-level dispatch. Shared by all three: match keeps the
    // window bit (old & chi); substitution keeps it one level up (below); insertion shifts right (below >>> 1);
    // deletion shifts left within the new window (newBelow << 1).

    private boolean stepStandard(long[] states, int from, int to, long chi, long valid) {
        long below = states[from];
        long newBelow = below & chi & valid;
        states[to] = newBelow;
        for (int e = 1; e <= maxDistance; e++) {
            long old = states[from + e];
            long r = (old & chi | below | below >>> 1 | newBelow << 1) & valid;
            states[to + e] = r;
            below = old;
            newBelow = r;
        }
        return newBelow != 0;
    }

    private boolean stepTransposition(long[] states, int from, int to, long chi, long valid) {
        int n = maxDistance;
        long below = states[from];
        long newBelow = below & chi & valid;
        states[to] = newBelow;
        long pendingTop = 0;
        for (int e = 1; e <= n; e++) {
            long old = states[from + e];
            // Complete a swap (pending T read q[i+1], now q[i] arrives: i + 2), start one (q[i+1] read first).
            long r = (old & chi | below | below >>> 1 | newBelow << 1 | (states[from + n + e] & chi) << 1) & valid;
            long pending = (below & chi >>> 1) >>> 1;
            states[to + e] = r;
            states[to + n + e] = pending;
            below = old;
            newBelow = r;
            pendingTop = pending;
        }
        return (newBelow | pendingTop) != 0;
    }

    private boolean stepMergeAndSplit(long[] states, int from, int to, long chi, long valid, long splitValid) {
        int n = maxDistance;
        long below = states[from];
        long newBelow = below & chi & valid;
        states[to] = newBelow;
        long pendingTop = 0;
        for (int e = 1; e <= n; e++) {
            long old = states[from + e];
            // Merge: two query characters for this one (i + 2); complete a split (S: one query character, the
            // second of its two term characters arrives); start a split.
            long r = (old & chi | below | below >>> 1 | newBelow << 1 | below << 1 | states[from + n + e]) & valid;
            long pending = below >>> 1 & splitValid;
            states[to + e] = r;
            states[to + n + e] = pending;
            below = old;
            newBelow = r;
            pendingTop = pending;
        }
        return (newBelow | pendingTop) != 0;
    }

    /** The window bits {@code j} whose position {@code i = k - n + j} satisfies {@code low <= i <= high}. */
    private long windowRange(int k, int low, int high) {
        int from = Math.max(0, low - k + maxDistance);
        int to = Math.min(2 * maxDistance, high - k + maxDistance);
        return to < from ? 0L : ((1L << (to - from + 1)) - 1) << from;
    }

    /**
     * The characteristic vector of {@code c} after {@code k} characters: bit {@code j} set where the query holds
     * {@code c} at position {@code k - n + j}.
     */
    long characteristic(int c, int k) {
        int index;
        if (c < 128) {
            index = c < 0 ? NO_MASK : asciiMask[c];
        } else {
            int found = Arrays.binarySearch(otherChars, c);
            index = found < 0 ? NO_MASK : otherMask[found];
        }
        if (index == NO_MASK) {
            return 0L;
        }
        long[] mask = masks[index];
        int word = k >>> 6;
        if (word >= mask.length - 1) {
            return 0L;
        }
        int shift = k & 63;
        long bits = mask[word] >>> shift;
        if (shift != 0) {
            bits |= mask[word + 1] << (64 - shift);
        }
        return bits & windowBits;
    }
}
