package io.cairn.dict;

import java.util.Arrays;

/**
 * Where the substrings of each state of a {@link SuffixStates} end, as one array: every text position is listed
 * once, grouped by the state its prefix reached, in preorder of the suffix-link tree. A substring ends at exactly
 * the positions whose prefix state lies below its own state in that tree, and a preorder puts a subtree's
 * positions side by side, so a state's end positions are the range {@code [start, end)}: its frequency is a
 * subtraction and its occurrences a copy. Built in O(states + positions) after the texts change, on first use.
 */
final class OccurrenceIndex {
    private final int[] start;
    private final int[] end;
    private final int[] ends;

    OccurrenceIndex(SuffixStates automaton) {
        int states = automaton.states;
        int positions = automaton.positions;
        int[] childStart = new int[states + 1];
        for (int v = 1; v < states; v++) {
            childStart[automaton.link[v] + 1]++;
        }
        prefixSums(childStart);
        int[] children = new int[Math.max(0, states - 1)];
        int[] fill = Arrays.copyOf(childStart, states);
        for (int v = 1; v < states; v++) {
            children[fill[automaton.link[v]]++] = v;
        }
        int[] positionStart = new int[states + 1];
        for (int p = 0; p < positions; p++) {
            positionStart[automaton.positionState[p] + 1]++;
        }
        prefixSums(positionStart);
        int[] byState = new int[positions];
        fill = Arrays.copyOf(positionStart, states);
        for (int p = 0; p < positions; p++) {
            byState[fill[automaton.positionState[p]]++] = p;
        }
        start = new int[states];
        end = new int[states];
        ends = new int[positions];
        int cursor = 0;
        int[] stack = new int[64];
        int[] nextChild = new int[64];
        int top = 0;
        stack[0] = SuffixStates.ROOT;
        nextChild[0] = childStart[SuffixStates.ROOT];
        cursor = enter(SuffixStates.ROOT, cursor, positionStart, byState);
        while (top >= 0) {
            int v = stack[top];
            if (nextChild[top] < childStart[v + 1]) {
                int child = children[nextChild[top]++];
                if (++top == stack.length) {
                    stack = Arrays.copyOf(stack, top * 2);
                    nextChild = Arrays.copyOf(nextChild, top * 2);
                }
                stack[top] = child;
                nextChild[top] = childStart[child];
                cursor = enter(child, cursor, positionStart, byState);
            } else {
                end[v] = cursor;
                top--;
            }
        }
    }

    private static void prefixSums(int[] counts) {
        for (int i = 1; i < counts.length; i++) {
            counts[i] += counts[i - 1];
        }
    }

    /** Starts the range of {@code state} at {@code cursor} with the positions its own prefixes reached. */
    private int enter(int state, int cursor, int[] positionStart, int[] byState) {
        start[state] = cursor;
        int from = positionStart[state];
        int count = positionStart[state + 1] - from;
        System.arraycopy(byState, from, ends, cursor, count);
        return cursor + count;
    }

    /** How many positions the substrings of {@code state} end at. */
    int count(int state) {
        return end[state] - start[state];
    }

    /** The positions the substrings of {@code state} end at, in no particular order. */
    int[] endPositions(int state) {
        return Arrays.copyOfRange(ends, start[state], end[state]);
    }

    long footprint() {
        return 8L * start.length + 4L * ends.length;
    }
}
