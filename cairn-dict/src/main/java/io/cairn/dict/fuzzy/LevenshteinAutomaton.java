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

        int[] distinct = Arrays.stream(query).distinct().sorted().toArray();
        int maskWords = (query.length + 3 * maxDistance + 2) / 64 + 2;
        masks = new long[distinct.length][maskWords];
        Arrays.fill(asciiMask, NO_MASK);
        int others = (int) Arrays.stream(distinct).filter(c -> c >= 128).count();
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
        windowChars = new int[query.length + maxDistance + 1][];
        for (int k = 0; k < windowChars.length; k++) {
            int from = Math.max(0, k - maxDistance);
            int to = Math.min(query.length, k + maxDistance + 2);
            windowChars[k] = from >= to ? new int[0]
                    : Arrays.stream(query, from, to).distinct().sorted().toArray();
        }
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
     * Reads {@code c} in the state at {@code from} (after {@code k} characters) and writes the successor at
     * {@code to}. Returns whether the successor is alive, i.e. can still lead to a match.
     */
    boolean step(long[] states, int from, int to, int k, int c) {
        return step(states, from, to, k, window(c, k));
    }

    /**
     * Whether some character absent from the query window could lead on from this state; if not, only the
     * characters of {@link #windowChars(int)} are worth trying. {@code scratch} is overwritten.
     */
    boolean anyCharacterCanContinue(long[] states, int at, int k, int scratch) {
        return step(states, at, scratch, k, 0L);
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

    private boolean step(long[] states, int from, int to, int k, long chi) {
        int n = maxDistance;
        int m = query.length;
        int next = k + 1;
        // Window bit j of the new state is position i = next - n + j; keep 0 <= i <= m.
        int low = Math.max(0, n - next);
        int high = Math.min(2 * n, m - next + n);
        long valid = high < low ? 0L : ((1L << (high - low + 1)) - 1) << low;
        int splitHigh = Math.min(2 * n, m - 1 - next + n);
        long splitValid = splitHigh < low ? 0L : ((1L << (splitHigh - low + 1)) - 1) << low;

        long previousOld = 0;
        long previousNew = 0;
        long live = 0;
        for (int e = 0; e <= n; e++) {
            long old = states[from + e];
            long r = old & chi;
            if (e > 0) {
                r |= previousOld | previousOld >>> 1 | previousNew << 1;
                int x = from + n + e;
                switch (algorithm) {
                    case STANDARD -> { }
                    case TRANSPOSITION -> {
                        r |= (states[x] & chi) << 1;
                        long pending = (previousOld & chi >>> 1) >>> 1;
                        states[to + n + e] = pending;
                        live |= pending;
                    }
                    case MERGE_AND_SPLIT -> {
                        r |= previousOld << 1 | states[x];
                        long pending = previousOld >>> 1 & splitValid;
                        states[to + n + e] = pending;
                        live |= pending;
                    }
                }
            }
            r &= valid;
            states[to + e] = r;
            live |= r;
            previousOld = old;
            previousNew = r;
        }
        return live != 0;
    }

    /** The window of query positions holding {@code c} after {@code k} characters: bit j for position k - n + j. */
    private long window(int c, int k) {
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
