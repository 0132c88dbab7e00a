package io.cairn.dict;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the BASE/CHECK arrays of a {@link DoubleArrayTrie} from sorted, distinct unit sequences, and lays them
 * out as an image payload ({@link DictionaryImageFormat}, kind 1).
 *
 * <p>The trie is placed depth first. For a state with edge codes c1 &lt; ... &lt; ck we need a base b with every
 * slot b + ci free; candidates come from a doubly linked list of free slots (so filled regions are skipped), the
 * first free slot p giving b = p - c1. Dense codes (the units that occur, numbered 1..K in unit order) keep
 * the arrays small for code points and leave edge order equal to unit order.
 */
final class DoubleArrayBuilder {
    private static final int FREE = -1;

    private final int[][] terms;
    private final int[] units;
    private int[] base = new int[1024];
    private int[] check = new int[1024];
    private int[] first = new int[1024];
    private int[] next = new int[1024];
    private long[] finals = new long[16];
    private Object[] stateValues;
    private final Object[] termValues;
    /** Free-slot list: circular, linked through these arrays; {@code freeHead} is -1 when no slot is free. */
    private int[] nextFree = new int[1024];
    private int[] prevFree = new int[1024];
    private int freeHead = -1;
    private int capacity;
    private int used;

    /**
     * @param terms sorted, distinct unit sequences
     * @param termValues the value of each term, or null for a trie without values
     * @param units the strictly ascending units that occur in the terms
     */
    DoubleArrayBuilder(int[][] terms, Object[] termValues, int[] units) {
        this.terms = terms;
        this.termValues = termValues;
        this.units = units;
        this.stateValues = termValues == null ? null : new Object[1024];
        Arrays.fill(check, FREE);
        linkFree(0, 1024);
        capacity = 1024;
    }

    /** The result: the payload bytes and the values in ascending final-state order (null if none). */
    record Result(byte[] payload, Object[] values) {}

    Result build() {
        // Codes per term, so grouping compares small ints.
        int[] smallCodes = new int[256];
        for (int i = 0; i < units.length && units[i] < smallCodes.length; i++) {
            smallCodes[units[i]] = i + 1;
        }
        int[][] codes = new int[terms.length][];
        for (int i = 0; i < terms.length; i++) {
            int[] term = terms[i];
            int[] c = new int[term.length];
            for (int j = 0; j < term.length; j++) {
                int unit = term[j];
                c[j] = unit < smallCodes.length ? smallCodes[unit] : Arrays.binarySearch(units, unit) + 1;
            }
            codes[i] = c;
        }
        occupy(0, -1);
        // Explicit stack of (state, lo, hi, depth): terms[lo, hi) share the state's prefix of length depth.
        int[] stack = new int[64];
        int top = 0;
        stack[top++] = 0;
        stack[top++] = 0;
        stack[top++] = codes.length;
        stack[top++] = 0;
        int[] childCodes = new int[units.length];
        int[] childLo = new int[units.length + 1];
        while (top > 0) {
            int depth = stack[--top];
            int hi = stack[--top];
            int lo = stack[--top];
            int state = stack[--top];
            if (lo < hi && codes[lo].length == depth) {
                finals[state >>> 6] |= 1L << state;
                if (stateValues != null) {
                    stateValues[state] = termValues[lo];
                }
                lo++;
            }
            int k = 0;
            for (int i = lo; i < hi; i++) {
                int c = codes[i][depth];
                if (k == 0 || childCodes[k - 1] != c) {
                    childCodes[k] = c;
                    childLo[k++] = i;
                }
            }
            if (k == 0) {
                continue;
            }
            childLo[k] = hi;
            int b = findBase(childCodes, k);
            base[state] = b;
            first[state] = childCodes[0];
            for (int i = 0; i < k; i++) {
                int t = b + childCodes[i];
                occupy(t, state);
                next[t] = i + 1 < k ? childCodes[i + 1] : 0;
            }
            if (top + 4 * k > stack.length) {
                stack = Arrays.copyOf(stack, Math.max(stack.length * 2, top + 4 * k));
            }
            for (int i = k - 1; i >= 0; i--) {
                stack[top++] = b + childCodes[i];
                stack[top++] = childLo[i];
                stack[top++] = childLo[i + 1];
                stack[top++] = depth + 1;
            }
        }
        return layOut();
    }

    /** The first base, scanning free slots in order, that places every code on a free slot. */
    private int findBase(int[] codes, int k) {
        int lastCode = codes[k - 1];
        int p = freeHead;
        while (p != -1) {
            int b = p - codes[0];
            if (b >= 0) {
                ensureCapacity(b + lastCode + 1);
                if (fits(b, codes, k)) {
                    return b;
                }
            }
            p = nextFree[p];
            if (p == freeHead) {
                break;
            }
        }
        // No free slot fits: past the arrays' end every slot is free, so b = capacity always fits.
        int b = capacity;
        ensureCapacity(b + lastCode + 1);
        return b;
    }

    private boolean fits(int b, int[] codes, int k) {
        for (int i = 1; i < k; i++) {
            if (check[b + codes[i]] != FREE) {
                return false;
            }
        }
        return true;
    }

    private void occupy(int slot, int parent) {
        ensureCapacity(slot + 1);
        check[slot] = parent;
        used = Math.max(used, slot + 1);
        if (nextFree[slot] == slot) {
            freeHead = -1;
        } else {
            nextFree[prevFree[slot]] = nextFree[slot];
            prevFree[nextFree[slot]] = prevFree[slot];
            if (freeHead == slot) {
                freeHead = nextFree[slot];
            }
        }
    }

    private void ensureCapacity(int size) {
        if (size <= capacity) {
            return;
        }
        int grown = Math.max(size, capacity + (capacity >>> 1));
        base = Arrays.copyOf(base, grown);
        check = Arrays.copyOf(check, grown);
        Arrays.fill(check, capacity, grown, FREE);
        first = Arrays.copyOf(first, grown);
        next = Arrays.copyOf(next, grown);
        finals = Arrays.copyOf(finals, (grown + 63) >>> 6);
        if (stateValues != null) {
            stateValues = Arrays.copyOf(stateValues, grown);
        }
        nextFree = Arrays.copyOf(nextFree, grown);
        prevFree = Arrays.copyOf(prevFree, grown);
        linkFree(capacity, grown);
        capacity = grown;
    }

    /** Appends slots [from, to) to the end of the circular free list. */
    private void linkFree(int from, int to) {
        for (int slot = from; slot < to; slot++) {
            if (freeHead == -1) {
                freeHead = slot;
                nextFree[slot] = slot;
                prevFree[slot] = slot;
            } else {
                int tail = prevFree[freeHead];
                nextFree[tail] = slot;
                prevFree[slot] = tail;
                nextFree[slot] = freeHead;
                prevFree[freeHead] = slot;
            }
        }
    }

    private Result layOut() {
        int states = used;
        int words = (states + 63) >>> 6;
        long size = 16L + 4L * units.length + 16L * states + 8L * words;
        if (size > DictionaryImageFormat.MAX_IMAGE_SIZE - DictionaryImageFormat.HEADER_SIZE) {
            throw new IllegalArgumentException("double-array trie of " + states + " states exceeds the image limit");
        }
        ByteBuffer out = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(states).putInt(units.length).putLong(terms.length);
        for (int unit : units) {
            out.putInt(unit);
        }
        for (int s = 0; s < states; s++) {
            out.putInt(base[s]).putInt(check[s]);
        }
        for (int s = 0; s < states; s++) {
            out.putInt(first[s]).putInt(next[s]);
        }
        long[] finalWords = Arrays.copyOf(finals, words);
        if ((states & 63) != 0) {
            finalWords[words - 1] &= (1L << states) - 1;
        }
        for (long word : finalWords) {
            out.putLong(word);
        }
        Object[] values = null;
        if (stateValues != null) {
            List<Object> ordered = new ArrayList<>(terms.length);
            for (int s = 0; s < states; s++) {
                if ((finals[s >>> 6] & 1L << s) != 0) {
                    ordered.add(stateValues[s]);
                }
            }
            values = ordered.toArray();
        }
        return new Result(out.array(), values);
    }
}
