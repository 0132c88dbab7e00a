package io.cairn.dict.fuzzy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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
 * <p><b>Equivalent characters</b> (case folding, cost-0 pairs of a {@link SubstitutionSet}) cost nothing at run
 * time: the characteristic vector of a term character already holds every query position it is equivalent to.
 * <b>Multi-character rules</b> ({@code m} ↔ {@code rn}) are the merge and split above restricted to the listed
 * characters, at the rule's cost: a merge reads one term character for the query pair at {@code i} ({@code j + 1}
 * from level {@code e - cost}); a split first reads the pair's first character into pending positions {@code P[e]}
 * (remembering that character, {@code Y}), and the second completes it at level {@code e + cost}. Only characters
 * that occur in such a rule for this query ({@link #special}) pay for the extra masks. A free (cost-0) one-for-two
 * rule moves {@code i} and {@code k} apart at no cost, so the window is widened by the most it can do that for
 * this query (one position per query character or pair it applies to): {@code n} becomes {@link #half} in every
 * window computation, and the levels stay {@code 0..n}.
 *
 * <p><b>State layout</b> in a caller-owned {@code long[]} at some offset: {@code R[0..n]}, then (transposition and
 * merge-and-split only) {@code X[1..n]}, then (multi-character rules only) {@code P[0..n]} and {@code Y}. The
 * automaton itself is immutable and allocation-free per step.
 */
final class LevenshteinAutomaton {

    /** Largest supported distance: a window of {@code 2n + 2} bits must fit in a {@code long}. */
    static final int MAX_DISTANCE = 31;

    private static final int NO_MASK = -1;

    private final int queryLength;
    private final int maxDistance;
    /**
     * Half the window: bit {@code j} stands for query position {@code k - half + j}. It is {@code n}, plus the
     * drift free one-for-two rules allow (each lets {@code i} and {@code k} part by one more at no cost).
     */
    private final int half;
    private final Algorithm algorithm;
    private final boolean ignoreCase;
    private final int stateWidth;
    /** Keeps the {@code 2n + 2} window bits that transitions read (the extra bit is for transposition). */
    private final long windowBits;
    /**
     * For each term character that matches some query character (itself, a case variant, a cost-0 partner), a
     * bitset over {@code i + n}: bit set where it matches {@code query[i]}.
     */
    private final long[][] masks;
    /** Index into {@link #masks} for ASCII characters, {@link #NO_MASK} if they match no query character. */
    private final int[] asciiMask = new int[128];
    /** The other matching characters, sorted, and their mask indexes. */
    private final int[] otherChars;
    private final int[] otherMask;
    /** For each {@code k}, the window bits of real positions {@code 0 <= i <= m} (beyond the last k: none). */
    private final long[] validMasks;
    /** For each {@code k}, the window bits of positions that have a character to split ({@code i < m}). */
    private final long[] splitMasks;
    /**
     * For each window start {@code k}, the term characters that can lead anywhere but where every other character
     * leads: those matching a query character in the window, and the {@link #special} ones; ascending.
     */
    private final int[][] windowChars;
    private final int maxWindowChars;

    /** Multi-character rules, keyed by case-folded (if ignoring case) characters; see the class comment. */
    private final MaskTable merges0;
    private final MaskTable merges1;
    private final MaskTable splitStarts;
    private final MaskTable splitEnds0;
    private final MaskTable splitEnds1;
    /** Term characters (all case variants) that occur in a multi-character rule for this query, ascending. */
    private final int[] specialChars;
    /** Where {@code P[0..n]} and {@code Y} start in a state, if there are special characters. */
    private final int pendingOffset;

    LevenshteinAutomaton(int[] query, int maxDistance, Algorithm algorithm) {
        this(query, maxDistance, algorithm, SubstitutionSet.NONE, false);
    }

    /**
     * The automaton of {@code query}; with {@code ignoreCase} it compares case-folded characters ({@link
     * CaseFolding}) and folds the rules too.
     */
    LevenshteinAutomaton(int[] query, int maxDistance, Algorithm algorithm, SubstitutionSet substitutions,
            boolean ignoreCase) {
        if (maxDistance < 0 || maxDistance > MAX_DISTANCE) {
            throw new IllegalArgumentException(
                    "maxDistance must be in 0.." + MAX_DISTANCE + ", got " + maxDistance);
        }
        int[] q = ignoreCase ? CaseFolding.fold(query) : query.clone();
        SubstitutionSet rules = ignoreCase ? substitutions.folded() : substitutions;
        this.queryLength = q.length;
        this.maxDistance = maxDistance;
        this.algorithm = algorithm;
        this.ignoreCase = ignoreCase;
        this.half = maxDistance + freeDrift(q, rules);
        if (half > MAX_DISTANCE) {
            throw new IllegalArgumentException("distance " + maxDistance + " plus the " + (half - maxDistance)
                    + " query positions that free one-for-two substitutions apply to exceeds " + MAX_DISTANCE
                    + "; lower the distance, shorten the query or give those rules cost 1");
        }
        int windowLength = 2 * half + 2;
        this.windowBits = windowLength == 64 ? -1L : (1L << windowLength) - 1;
        int maskWords = (q.length + 3 * half + 2) / 64 + 2;

        // Which term characters match each distinct query character.
        Map<Integer, Set<Integer>> partners = new HashMap<>();
        for (SubstitutionSet.Rule rule : rules.rules()) {
            if (rule.isPair() && rule.cost() == 0) {
                partners.computeIfAbsent(rule.single(), x -> new TreeSet<>()).add(rule.other()[0]);
                partners.computeIfAbsent(rule.other()[0], x -> new TreeSet<>()).add(rule.single());
            }
        }
        Map<Integer, int[]> matching = new HashMap<>();
        for (int x : q) {
            matching.computeIfAbsent(x, c -> {
                Set<Integer> chars = new TreeSet<>();
                chars.add(c);
                chars.addAll(partners.getOrDefault(c, Set.of()));
                return termCharacters(chars, ignoreCase);
            });
        }
        TreeMap<Integer, long[]> byTermChar = new TreeMap<>();
        for (int i = 0; i < q.length; i++) {
            for (int c : matching.get(q[i])) {
                setBit(byTermChar.computeIfAbsent(c, x -> new long[maskWords]), i);
            }
        }
        masks = byTermChar.values().toArray(long[][]::new);
        Arrays.fill(asciiMask, NO_MASK);
        int others = byTermChar.tailMap(128).size();
        otherChars = new int[others];
        otherMask = new int[others];
        int index = 0;
        int o = 0;
        for (int c : byTermChar.keySet()) {
            if (c < 128) {
                asciiMask[c] = index++;
            } else {
                otherChars[o] = c;
                otherMask[o++] = index++;
            }
        }

        // Multi-character rules: x <-> yz, the query holding either side.
        TreeMap<Long, long[]> merge0 = new TreeMap<>();
        TreeMap<Long, long[]> merge1 = new TreeMap<>();
        TreeMap<Long, long[]> starts = new TreeMap<>();
        TreeMap<Long, long[]> ends0 = new TreeMap<>();
        TreeMap<Long, long[]> ends1 = new TreeMap<>();
        Set<Integer> special = new TreeSet<>();
        for (SubstitutionSet.Rule rule : rules.rules()) {
            if (rule.isPair()) {
                continue;
            }
            int x = rule.single();
            int y = rule.other()[0];
            int z = rule.other()[1];
            for (int i = 0; i < q.length; i++) {
                if (i + 1 < q.length && q[i] == y && q[i + 1] == z) {
                    setBit((rule.cost() == 0 ? merge0 : merge1).computeIfAbsent((long) x, c -> new long[maskWords]), i);
                    special.add(x);
                }
                if (q[i] == x) {
                    setBit(starts.computeIfAbsent((long) y, c -> new long[maskWords]), i);
                    setBit((rule.cost() == 0 ? ends0 : ends1).computeIfAbsent(pairKey(y, z), c -> new long[maskWords]),
                            i);
                    special.add(y);
                    special.add(z);
                }
            }
        }
        merges0 = new MaskTable(merge0);
        merges1 = new MaskTable(merge1);
        splitStarts = new MaskTable(starts);
        splitEnds0 = new MaskTable(ends0);
        splitEnds1 = new MaskTable(ends1);
        specialChars = termCharacters(special, ignoreCase);
        int baseWidth = algorithm == Algorithm.STANDARD ? maxDistance + 1 : 2 * maxDistance + 1;
        this.pendingOffset = baseWidth;
        this.stateWidth = specialChars.length == 0 ? baseWidth : baseWidth + maxDistance + 2;

        validMasks = new long[q.length + half + 2];
        splitMasks = new long[validMasks.length];
        for (int k = 0; k < validMasks.length - 1; k++) {
            validMasks[k] = windowRange(k, 0, q.length);
            splitMasks[k] = windowRange(k, 0, q.length - 1);
        }
        windowChars = new int[q.length + half + 1][];
        int widest = 0;
        for (int k = 0; k < windowChars.length; k++) {
            Set<Integer> chars = new TreeSet<>();
            for (int i = Math.max(0, k - half); i < Math.min(q.length, k + half + 2); i++) {
                for (int c : matching.get(q[i])) {
                    chars.add(c);
                }
            }
            for (int c : specialChars) {
                chars.add(c);
            }
            windowChars[k] = chars.stream().mapToInt(Integer::intValue).toArray();
            widest = Math.max(widest, windowChars[k].length);
        }
        this.maxWindowChars = widest;
    }

    /** The given characters, and with {@code ignoreCase} every character that folds to one of them, ascending. */
    private static int[] termCharacters(Set<Integer> characters, boolean ignoreCase) {
        Set<Integer> all = new TreeSet<>();
        for (int c : characters) {
            if (ignoreCase) {
                for (int variant : CaseFolding.variants(c)) {
                    all.add(variant);
                }
            } else {
                all.add(c);
            }
        }
        return all.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * How far free one-for-two rules can move {@code i} and {@code k} apart beyond the edits paid for: at most once
     * per query character a free split applies to, or per query pair a free merge applies to.
     */
    private static int freeDrift(int[] q, SubstitutionSet rules) {
        int splits = 0;
        int merges = 0;
        for (int i = 0; i < q.length; i++) {
            boolean split = false;
            boolean merge = false;
            for (SubstitutionSet.Rule rule : rules.rules()) {
                if (rule.isPair() || rule.cost() != 0) {
                    continue;
                }
                split |= q[i] == rule.single();
                merge |= i + 1 < q.length && q[i] == rule.other()[0] && q[i + 1] == rule.other()[1];
            }
            splits += split ? 1 : 0;
            merges += merge ? 1 : 0;
        }
        return Math.max(splits, merges);
    }

    private void setBit(long[] mask, int i) {
        int bit = i + half;
        mask[bit >>> 6] |= 1L << bit;
    }

    private static long pairKey(int y, int z) {
        return (long) y << 21 | z;
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
            int reach = Math.min(e, queryLength);
            states[at + e] = ((1L << (reach + 1)) - 1) << half;
        }
        for (int x = n + 1; x < stateWidth; x++) {
            states[at + x] = 0;
        }
        if (specialChars.length > 0) {
            states[at + pendingOffset + n + 1] = -1;
        }
    }

    /**
     * Reads character {@code c} with characteristic window {@code chi} (see {@link #characteristic}) in the state at
     * {@code from} (after {@code k} characters) and writes the successor at {@code to}. Returns whether the successor
     * is alive, i.e. can still lead to a match. {@code c} matters only if it is {@link #special}; -1 stands for
     * a character matching nothing.
     */
    boolean step(long[] states, int from, int to, int k, long chi, int c) {
        int next = Math.min(k + 1, validMasks.length - 1);
        long valid = validMasks[next];
        boolean alive = switch (algorithm) {
            case STANDARD -> stepStandard(states, from, to, chi, valid);
            case TRANSPOSITION -> stepTransposition(states, from, to, chi, valid);
            case MERGE_AND_SPLIT -> stepMergeAndSplit(states, from, to, chi, valid, splitMasks[next]);
        };
        return specialChars.length == 0 ? alive : stepRules(states, from, to, k, c, valid, alive);
    }

    /**
     * Whether {@code c} takes part in a multi-character rule for this query: such a character can lead somewhere
     * else than its {@link #characteristic} says, so it is always stepped explicitly.
     */
    boolean special(int c) {
        return specialChars.length > 0 && Arrays.binarySearch(specialChars, c) >= 0;
    }

    /**
     * Adds the multi-character rules to a successor the algorithm's step wrote: merges and split completions into
     * {@code R'} (re-closing the deletion chain over the levels), split starts into {@code P'}.
     */
    private boolean stepRules(long[] states, int from, int to, int k, int c, long valid, boolean alive) {
        int n = maxDistance;
        int p = pendingOffset;
        long merge0 = 0;
        long merge1 = 0;
        long start = 0;
        long end0 = 0;
        long end1 = 0;
        int folded = -1;
        if (c >= 0 && Arrays.binarySearch(specialChars, c) >= 0) {
            folded = ignoreCase ? CaseFolding.fold(c) : c;
            merge0 = merges0.window(folded, k);
            merge1 = merges1.window(folded, k);
            start = splitStarts.window(folded, k);
            long pending = states[from + p + n + 1];
            if (pending >= 0) {
                end0 = splitEnds0.window(pairKey((int) pending, folded), k);
                end1 = splitEnds1.window(pairKey((int) pending, folded), k);
            }
        }
        long below = 0;
        for (int e = 0; e <= n; e++) {
            long old = states[from + e];
            long added = (old & merge0) << 1 | states[from + p + e] & end0;
            if (e > 0) {
                added |= (states[from + e - 1] & merge1) << 1 | states[from + p + e - 1] & end1 | below << 1;
            }
            long r = states[to + e] | added & valid;
            states[to + e] = r;
            states[to + p + e] = (old & start) >>> 1;
            below = r;
        }
        states[to + p + n + 1] = start != 0 ? folded : -1;
        return alive || below != 0 || states[to + p + n] != 0;
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
        return step(states, from, to, k, 0L, -1);
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
        return maxWindowChars;
    }

    /** The characters that can lead anywhere but where any other character leads after {@code k} were read. */
    int[] windowChars(int k) {
        return k < windowChars.length ? windowChars[k] : windowChars[windowChars.length - 1];
    }

    /**
     * The smallest distance between the query and the {@code k} characters read, or {@link Integer#MAX_VALUE} if it
     * exceeds the maximum distance.
     */
    int distance(long[] states, int at, int k) {
        int j = queryLength - k + half;
        if (j < 0 || j > 2 * half) {
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
        int from = Math.max(0, low - k + half);
        int to = Math.min(2 * half, high - k + half);
        return to < from ? 0L : ((1L << (to - from + 1)) - 1) << from;
    }

    /**
     * The characteristic vector of {@code c} after {@code k} characters: bit {@code j} set where {@code c} matches
     * the query character at position {@code k - n + j} (is it, or equivalent to it).
     */
    long characteristic(int c, int k) {
        int index;
        if (c < 128) {
            index = c < 0 ? NO_MASK : asciiMask[c];
        } else {
            int found = Arrays.binarySearch(otherChars, c);
            index = found < 0 ? NO_MASK : otherMask[found];
        }
        return index == NO_MASK ? 0L : window(masks[index], k);
    }

    /** The window bits of {@code mask} (a bitset over {@code i + n}) after {@code k} characters. */
    private long window(long[] mask, int k) {
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

    /** Masks by key (a folded character or character pair), looked up by binary search: no allocation per step. */
    private final class MaskTable {
        private final long[] keys;
        private final long[][] masks;

        MaskTable(TreeMap<Long, long[]> byKey) {
            keys = byKey.keySet().stream().mapToLong(Long::longValue).toArray();
            masks = byKey.values().toArray(long[][]::new);
        }

        long window(long key, int k) {
            int i = keys.length == 0 ? -1 : Arrays.binarySearch(keys, key);
            return i < 0 ? 0L : LevenshteinAutomaton.this.window(masks[i], k);
        }
    }
}
