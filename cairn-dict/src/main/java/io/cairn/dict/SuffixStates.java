package io.cairn.dict;

import java.util.Arrays;

/**
 * The states of a generalised suffix automaton (Blumer et al. 1985; the many-texts variant that restarts at the
 * root for each text and splits an existing transition when a text's prefix is already known), built online one
 * unit at a time: amortised O(1) new states and edges per unit, at most 2n - 1 states and 3n - 4 edges for n
 * units. State 0 is the root; a state stands for a class of substrings with the same end positions: the longest
 * is {@link #len} units long, the shortest one longer than the class its suffix link ({@link #link}) leads to.
 *
 * <p>Arrays, not objects, so a state costs 17 bytes and an edge 12: per state its length, suffix link, the first
 * position where its substrings end ({@link #firstEnd}), the head of its edge list and its out-degree; edges live
 * in one pool as singly linked lists kept in ascending label order (what node traversal needs). A transition is a
 * walk of the list, except at the root, whose targets also sit in a table indexed by unit, and at wide states,
 * whose transitions also sit in a hash table (see {@link #degree}). Each position of the texts records the state its prefix reached ({@link #positionState}),
 * which is where occurrences are counted from.
 */
final class SuffixStates {
    static final int ROOT = 0;
    static final int NONE = -1;
    /** Positions are ints and states may reach twice the units: keep both well inside an array's reach. */
    static final int MAX_UNITS = (Integer.MAX_VALUE - 16) / 3;

    int[] len = new int[64];
    int[] link = new int[64];
    int[] firstEnd = new int[64];
    int[] edgeHead = new int[64];
    int states;

    int[] edgeLabel = new int[64];
    int[] edgeTarget = new int[64];
    int[] edgeNext = new int[64];
    int edges;

    /** Targets of the root by unit (0: none, as the root is no state's target). */
    private int[] rootTargets = new int[256];

    /**
     * Out-degree of each state, saturating at {@value #WIDE}: a state with that many edges or more is "wide", and
     * its transitions are also kept in {@link #wideKeys}/{@link #wideTargets}, an open-addressing table keyed by
     * (state, unit). Short contexts have many continuations and the construction's suffix-link walks keep landing
     * on them, so scanning their lists would cost O(alphabet) per step; other states have few edges.
     */
    private byte[] degree = new byte[64];
    static final int WIDE = 8;
    private long[] wideKeys = emptyKeys(1 << 10);
    private int[] wideTargets = new int[1 << 10];
    private int wideEntries;

    int[] positionState = new int[64];
    int positions;

    private int last = ROOT;

    SuffixStates() {
        newState(0, NONE, NONE);
    }

    /** The next units belong to a new text: its prefixes start again at the root. */
    void startText() {
        last = ROOT;
    }

    /** The state {@code state} leads to on {@code unit}, or {@link #NONE}. */
    int transition(int state, int unit) {
        if (state == ROOT) {
            return unit >= 0 && unit < rootTargets.length && rootTargets[unit] != 0 ? rootTargets[unit] : NONE;
        }
        if (degree[state] >= WIDE) {
            return wideGet(state, unit);
        }
        for (int e = edgeHead[state]; e != NONE; e = edgeNext[e]) {
            int label = edgeLabel[e];
            if (label >= unit) {
                return label == unit ? edgeTarget[e] : NONE;
            }
        }
        return NONE;
    }

    /** Adds the next unit of the current text. */
    void extend(int unit) {
        int position = positions;
        int q = transition(last, unit);
        if (q != NONE) {
            // The text so far is already a substring: reuse its class, or split off the part of q it ends.
            if (len[q] == len[last] + 1) {
                last = q;
            } else {
                int clone = cloneOf(q, len[last] + 1);
                for (int p = last; p != NONE && transition(p, unit) == q; p = link[p]) {
                    setTarget(p, unit, clone);
                }
                last = clone;
            }
        } else {
            int current = newState(len[last] + 1, NONE, position);
            int p = last;
            while (p != NONE && transition(p, unit) == NONE) {
                addEdge(p, unit, current);
                p = link[p];
            }
            if (p == NONE) {
                link[current] = ROOT;
            } else {
                q = transition(p, unit);
                if (len[p] + 1 == len[q]) {
                    link[current] = q;
                } else {
                    int clone = cloneOf(q, len[p] + 1);
                    for (; p != NONE && transition(p, unit) == q; p = link[p]) {
                        setTarget(p, unit, clone);
                    }
                    link[current] = clone;
                }
            }
            last = current;
        }
        if (position == positionState.length) {
            positionState = Arrays.copyOf(positionState, position + (position >> 1));
        }
        positionState[position] = last;
        positions++;
    }

    private int newState(int length, int suffixLink, int end) {
        if (states == len.length) {
            int size = states + (states >> 1);
            len = Arrays.copyOf(len, size);
            link = Arrays.copyOf(link, size);
            firstEnd = Arrays.copyOf(firstEnd, size);
            edgeHead = Arrays.copyOf(edgeHead, size);
            degree = Arrays.copyOf(degree, size);
        }
        len[states] = length;
        link[states] = suffixLink;
        firstEnd[states] = end;
        edgeHead[states] = NONE;
        return states++;
    }

    /** A copy of {@code q} (edges, suffix link, an end position) of length {@code length}; q's link becomes it. */
    private int cloneOf(int q, int length) {
        int clone = newState(length, link[q], firstEnd[q]);
        int tail = NONE;
        for (int e = edgeHead[q]; e != NONE; e = edgeNext[e]) {
            int copy = newEdge(edgeLabel[e], edgeTarget[e], NONE);
            if (tail == NONE) {
                edgeHead[clone] = copy;
            } else {
                edgeNext[tail] = copy;
            }
            tail = copy;
        }
        degree[clone] = degree[q];
        if (degree[clone] >= WIDE) {
            for (int e = edgeHead[clone]; e != NONE; e = edgeNext[e]) {
                widePut(clone, edgeLabel[e], edgeTarget[e]);
            }
        }
        link[q] = clone;
        return clone;
    }

    private int newEdge(int label, int target, int next) {
        if (edges == edgeLabel.length) {
            int size = edges + (edges >> 1);
            edgeLabel = Arrays.copyOf(edgeLabel, size);
            edgeTarget = Arrays.copyOf(edgeTarget, size);
            edgeNext = Arrays.copyOf(edgeNext, size);
        }
        edgeLabel[edges] = label;
        edgeTarget[edges] = target;
        edgeNext[edges] = next;
        return edges++;
    }

    /** Adds the edge {@code state --unit--> target} in label order (there is none on that unit yet). */
    private void addEdge(int state, int unit, int target) {
        int previous = NONE;
        int e = edgeHead[state];
        while (e != NONE && edgeLabel[e] < unit) {
            previous = e;
            e = edgeNext[e];
        }
        int edge = newEdge(unit, target, e);
        if (previous == NONE) {
            edgeHead[state] = edge;
        } else {
            edgeNext[previous] = edge;
        }
        if (state == ROOT) {
            if (unit >= rootTargets.length) {
                rootTargets = Arrays.copyOf(rootTargets, Math.max(unit + 1, rootTargets.length * 2));
            }
            rootTargets[unit] = target;
        } else if (degree[state] < WIDE && ++degree[state] == WIDE) {
            for (int w = edgeHead[state]; w != NONE; w = edgeNext[w]) {
                widePut(state, edgeLabel[w], edgeTarget[w]);
            }
        } else if (degree[state] >= WIDE) {
            widePut(state, unit, target);
        }
    }

    /** Redirects the existing edge of {@code state} on {@code unit}. */
    private void setTarget(int state, int unit, int target) {
        int e = edgeHead[state];
        while (edgeLabel[e] != unit) {
            e = edgeNext[e];
        }
        edgeTarget[e] = target;
        if (state == ROOT) {
            rootTargets[unit] = target;
        } else if (degree[state] >= WIDE) {
            widePut(state, unit, target);
        }
    }

    private static long[] emptyKeys(int capacity) {
        long[] keys = new long[capacity];
        Arrays.fill(keys, NONE);
        return keys;
    }

    /** A unit fits 21 bits (code points reach 0x10FFFF), a state the rest of a non-negative long. */
    private static long wideKey(int state, int unit) {
        return (long) state << 21 | unit;
    }

    private static int slotOf(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & mask;
    }

    private int wideGet(int state, int unit) {
        if (unit < 0) {
            return NONE;
        }
        long key = wideKey(state, unit);
        int mask = wideKeys.length - 1;
        for (int i = slotOf(key, mask); ; i = (i + 1) & mask) {
            long k = wideKeys[i];
            if (k == key) {
                return wideTargets[i];
            }
            if (k == NONE) {
                return NONE;
            }
        }
    }

    /** Sets the transition of a wide state in the table (adding or replacing it). */
    private void widePut(int state, int unit, int target) {
        if (2 * (wideEntries + 1) > wideKeys.length) {
            long[] oldKeys = wideKeys;
            int[] oldTargets = wideTargets;
            wideKeys = emptyKeys(oldKeys.length * 2);
            wideTargets = new int[oldKeys.length * 2];
            int mask = wideKeys.length - 1;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != NONE) {
                    int j = slotOf(oldKeys[i], mask);
                    while (wideKeys[j] != NONE) {
                        j = (j + 1) & mask;
                    }
                    wideKeys[j] = oldKeys[i];
                    wideTargets[j] = oldTargets[i];
                }
            }
        }
        long key = wideKey(state, unit);
        int mask = wideKeys.length - 1;
        int i = slotOf(key, mask);
        while (wideKeys[i] != NONE && wideKeys[i] != key) {
            i = (i + 1) & mask;
        }
        if (wideKeys[i] == NONE) {
            wideKeys[i] = key;
            wideEntries++;
        }
        wideTargets[i] = target;
    }

    /** The states in ascending {@link #len} order (a topological order of the transitions), by counting sort. */
    int[] byLength() {
        int maxLength = 0;
        for (int s = 0; s < states; s++) {
            maxLength = Math.max(maxLength, len[s]);
        }
        int[] start = new int[maxLength + 2];
        for (int s = 0; s < states; s++) {
            start[len[s] + 1]++;
        }
        for (int l = 0; l <= maxLength; l++) {
            start[l + 1] += start[l];
        }
        int[] order = new int[states];
        for (int s = 0; s < states; s++) {
            order[start[len[s]]++] = s;
        }
        return order;
    }

    /** Bytes of the arrays, for footprint reports. */
    long footprint() {
        return 17L * len.length + 12L * edgeLabel.length + 4L * rootTargets.length + 4L * positionState.length
                + 12L * wideKeys.length;
    }
}
