package io.cairn.dict;

import java.io.IOException;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Places the double-array trie of a {@link CompactDawg}'s terms (the DAWG walked as the trie it encodes, shared
 * suffixes expanded per path), depth first, and writes its arrays as an image payload
 * ({@link DictionaryImageFormat}, kind 1).
 *
 * <p>For a state with edge codes c1 &lt; ... &lt; ck we need a base b with every slot b + ci free. Free slots are
 * kept, as darts-clone does, only in a window of the last {@value #WINDOW_BLOCKS} blocks of the arrays (a block
 * holds more slots than there are codes, so any state fits in a fresh one): older blocks are closed and their few
 * free slots given up. The free list thus stays small and hot however large the trie, and the slot arrays are
 * touched only near their end and once per state when it is expanded, which is what lets them live in a mapped
 * file ({@link SlotStore}). Dense codes (the units that occur, numbered 1..K in unit order) keep the arrays small
 * for code points and make ascending codes ascending units.
 */
final class DoubleArrayPlacer {
    static final int BASE = 0;
    /** The parent's index plus one: 0 for the root and free slots, whose image check is -1. */
    static final int CHECK = 1;
    static final int FIRST = 2;
    static final int NEXT = 3;
    /** The DAWG node whose value a final state carries (only with values). */
    static final int VALUE_NODE = 4;

    private static final int WINDOW_BLOCKS = 16;
    private static final int PAYLOAD_HEADER_BYTES = 16;

    private final CompactDawg dawg;
    private final SlotStore slots;
    private final boolean valued;
    private final int[] units;
    private final int[] smallCodes = new int[256];
    private final int block;
    private final int window;
    /**
     * Free list over the window, circular, indexed by slot modulo {@link #window} (the window spans fewer slots,
     * so the index names one slot: {@link #slotOf}); {@link #freeHead} is an index, -1 when no slot is free.
     */
    private final int[] nextFree;
    private final int[] prevFree;
    private final boolean[] free;
    private int freeHead = -1;
    private long windowStart;
    private long capacity;
    private long used;
    private long[] finals = new long[1024];

    DoubleArrayPlacer(CompactDawg dawg, SlotStore slots, boolean valued) {
        this.dawg = dawg;
        this.slots = slots;
        this.valued = valued;
        this.units = dawg.alphabetUnits();
        for (int i = 0; i < units.length && units[i] < smallCodes.length; i++) {
            smallCodes[units[i]] = i + 1;
        }
        this.block = Math.max(256, Integer.highestOneBit(units.length + 1) << 1);
        this.window = block * (WINDOW_BLOCKS + 1);
        this.nextFree = new int[window];
        this.prevFree = new int[window];
        this.free = new boolean[window];
    }

    /** Slot fields needed: with values, each state also names its DAWG node. */
    static int width(boolean valued) {
        return valued ? 5 : 4;
    }

    /** Places every state; {@code progress} hears the count of terms placed now and then. */
    void place(LongConsumer progress) throws IOException {
        dawg.finish();
        addBlock();
        occupy(0, -1);
        if (dawg.isEmpty()) {
            return;
        }
        CompactDawg.Node node = new CompactDawg.Node();
        int[] codes = new int[16];
        long[] stack = new long[64];
        int top = 0;
        stack[top++] = 0;
        stack[top++] = dawg.root();
        long placed = 0;
        while (top > 0) {
            int id = (int) stack[--top];
            long state = stack[--top];
            dawg.read(id, node);
            if (node.isFinal) {
                markFinal(state);
                if (valued) {
                    slots.set(state, VALUE_NODE, id);
                }
                if ((++placed & 0xFFFF) == 0) {
                    progress.accept(placed);
                }
            }
            int k = node.edges;
            if (k == 0) {
                continue;
            }
            if (codes.length < k) {
                codes = new int[Math.max(k, codes.length * 2)];
            }
            for (int i = 0; i < k; i++) {
                codes[i] = code(node.labels[i]);
            }
            long base = findBase(codes, k);
            if (base > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("double-array trie of more than 2^31 slots: over the image limit");
            }
            slots.set(state, BASE, (int) base);
            slots.set(state, FIRST, codes[0]);
            if (top + 2 * k > stack.length) {
                stack = Arrays.copyOf(stack, Math.max(stack.length * 2, top + 2 * k));
            }
            for (int i = k - 1; i >= 0; i--) {
                long child = base + codes[i];
                occupy(child, state);
                slots.set(child, NEXT, i + 1 < k ? codes[i + 1] : 0);
                stack[top++] = child;
                stack[top++] = node.children[i];
            }
        }
        progress.accept(placed);
    }

    private int code(int unit) {
        return unit < smallCodes.length ? smallCodes[unit] : Arrays.binarySearch(units, unit) + 1;
    }

    /** The first base, scanning the window's free slots in order, that places every code on a free slot. */
    private long findBase(int[] codes, int k) throws IOException {
        int lastCode = codes[k - 1];
        for (int i = freeHead; i != -1; ) {
            long b = slotOf(i) - codes[0];
            if (b >= 0 && b + lastCode < capacity && fits(b, codes, k)) {
                return b;
            }
            i = nextFree[i];
            if (i == freeHead) {
                break;
            }
        }
        long b = capacity - codes[0]; // a fresh block holds any state: codes span less than a block
        addBlock();
        return b;
    }

    private boolean fits(long b, int[] codes, int k) {
        for (int i = 1; i < k; i++) {
            if (!free[index(b + codes[i])]) {
                return false;
            }
        }
        return true;
    }

    private int index(long slot) {
        return (int) (slot % window);
    }

    /** The slot of the window with index {@code i}. */
    private long slotOf(int i) {
        return windowStart + Math.floorMod(i - index(windowStart), window);
    }

    private void occupy(long slot, long parent) {
        slots.set(slot, CHECK, (int) (parent + 1));
        used = Math.max(used, slot + 1);
        unlink(index(slot));
    }

    private void unlink(int i) {
        free[i] = false;
        int next = nextFree[i];
        if (next == i) {
            freeHead = -1;
            return;
        }
        int previous = prevFree[i];
        nextFree[previous] = next;
        prevFree[next] = previous;
        if (freeHead == i) {
            freeHead = next;
        }
    }

    /** Appends a block of free slots; past the window's size, closes the oldest block first. */
    private void addBlock() throws IOException {
        long from = capacity;
        capacity += block;
        slots.ensure(capacity);
        if (capacity - windowStart > (long) block * WINDOW_BLOCKS) {
            for (long slot = windowStart; slot < windowStart + block; slot++) {
                if (free[index(slot)]) {
                    unlink(index(slot));
                }
            }
            windowStart += block;
        }
        for (long slot = from; slot < capacity; slot++) {
            int i = index(slot);
            free[i] = true;
            if (freeHead == -1) {
                freeHead = i;
                nextFree[i] = i;
                prevFree[i] = i;
            } else {
                int tail = prevFree[freeHead];
                nextFree[tail] = i;
                prevFree[i] = tail;
                nextFree[i] = freeHead;
                prevFree[freeHead] = i;
            }
        }
    }

    private void markFinal(long state) {
        int word = (int) (state >>> 6);
        if (word >= finals.length) {
            finals = Arrays.copyOf(finals, Math.max(word + 1, finals.length * 2));
        }
        finals[word] |= 1L << state;
    }

    private boolean isFinal(long state) {
        int word = (int) (state >>> 6);
        return word < finals.length && (finals[word] & 1L << state) != 0;
    }

    /** The number of slots the image holds (states and the free slots between them). */
    long stateCount() {
        return used;
    }

    /** Bytes of the payload's arrays (everything before the values). */
    long arraysBytes() {
        return PAYLOAD_HEADER_BYTES + 4L * units.length + 16L * used + 8L * ((used + 63) >>> 6);
    }

    /** Writes the payload's arrays: header, units, slots, links, finals. */
    void writeArrays(PayloadOut out) throws IOException {
        if (arraysBytes() > DictionaryImageFormat.MAX_IMAGE_SIZE - DictionaryImageFormat.HEADER_SIZE) {
            throw new IllegalArgumentException("double-array trie of " + used + " slots exceeds the image limit");
        }
        out.writeInt((int) used);
        out.writeInt(units.length);
        out.writeLong(dawg.termCount());
        for (int unit : units) {
            out.writeInt(unit);
        }
        for (long s = 0; s < used; s++) {
            out.writeInt(slots.get(s, BASE));
            out.writeInt(slots.get(s, CHECK) - 1);
        }
        for (long s = 0; s < used; s++) {
            out.writeInt(slots.get(s, FIRST));
            out.writeInt(slots.get(s, NEXT));
        }
        long words = (used + 63) >>> 6;
        for (int w = 0; w < words; w++) {
            long word = w < finals.length ? finals[w] : 0;
            if (w == words - 1 && (used & 63) != 0) {
                word &= (1L << used) - 1;
            }
            out.writeLong(word);
        }
    }

    /** Receives values; see {@link #forEachValue}. */
    interface ValueVisitor {
        void value(byte[] bytes) throws IOException;
    }

    /**
     * Calls {@code visitor} with the value of every final state in ascending state order (the order of the image's
     * values).
     *
     * @throws IllegalArgumentException if a term has no value
     */
    void forEachValue(ValueVisitor visitor) throws IOException {
        CompactDawg.Node node = new CompactDawg.Node();
        for (long s = 0; s < used; s++) {
            if (isFinal(s)) {
                byte[] value = dawg.value(dawg.read(slots.get(s, VALUE_NODE), node));
                if (value == null) {
                    throw new IllegalArgumentException("a double-array trie with values needs a value for every "
                            + "term");
                }
                visitor.value(value);
            }
        }
    }
}
