package io.cairn.dict;

import java.util.Arrays;

/** An int array that grows by pages, never copying its contents (see {@link PagedBytes}). */
final class PagedInts {
    private static final int PAGE_BITS = 18;
    private static final int PAGE = 1 << PAGE_BITS;

    private int[][] pages = new int[4][];
    private int size;

    int size() {
        return size;
    }

    void add(int value) {
        ensure(size + 1);
        set(size - 1, value);
    }

    /** Grows to at least {@code newSize} elements, new ones zero. */
    void ensure(int newSize) {
        while (size < newSize) {
            int page = size >>> PAGE_BITS;
            if (page == pages.length) {
                pages = Arrays.copyOf(pages, pages.length * 2);
            }
            if (pages[page] == null) {
                pages[page] = new int[PAGE];
            }
            size = Math.min(newSize, (page + 1) << PAGE_BITS);
        }
    }

    int get(int index) {
        return pages[index >>> PAGE_BITS][index & (PAGE - 1)];
    }

    void set(int index, int value) {
        pages[index >>> PAGE_BITS][index & (PAGE - 1)] = value;
    }
}
