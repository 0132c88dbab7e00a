package io.cairn.dict;

import java.util.Arrays;

/**
 * A byte sequence that grows by appending fixed-size pages, so growing never copies what is there (a doubling
 * array would need its old and new copy at once: 1.5 times the data at the worst moment). Reads are random;
 * offsets are ints, as images are at most 2 GiB.
 */
final class PagedBytes {
    private static final int PAGE_BITS = 20;
    private static final int PAGE = 1 << PAGE_BITS;

    private byte[][] pages = new byte[4][];
    private int size;

    int size() {
        return size;
    }

    void add(int b) {
        int page = size >>> PAGE_BITS;
        if (page == pages.length) {
            pages = Arrays.copyOf(pages, pages.length * 2);
        }
        if (pages[page] == null) {
            pages[page] = new byte[PAGE];
        }
        pages[page][size & (PAGE - 1)] = (byte) b;
        if (++size < 0) {
            throw new IllegalArgumentException("more than 2 GiB of dictionary data: over the image limit");
        }
    }

    void addVarint(long value) {
        while ((value & ~0x7FL) != 0) {
            add((int) (value & 0x7F | 0x80));
            value >>>= 7;
        }
        add((int) value);
    }

    void add(byte[] bytes) {
        for (byte b : bytes) {
            add(b);
        }
    }

    int get(int offset) {
        return pages[offset >>> PAGE_BITS][offset & (PAGE - 1)] & 0xFF;
    }

    /** Drops everything from {@code newSize} on (the pages stay allocated for reuse). */
    void truncate(int newSize) {
        size = newSize;
    }

    /** Writes bytes {@code [from, to)} to {@code out}, a page at a time. */
    void writeTo(PayloadOut out, int from, int to) throws java.io.IOException {
        for (int at = from; at < to; ) {
            int page = at >>> PAGE_BITS;
            int inPage = at & (PAGE - 1);
            int length = Math.min(PAGE - inPage, to - at);
            out.write(pages[page], inPage, length);
            at += length;
        }
    }
}
