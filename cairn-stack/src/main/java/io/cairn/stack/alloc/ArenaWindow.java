package io.cairn.stack.alloc;

import io.cairn.stack.BStack;
import java.io.IOException;

/**
 * Reads an arena front to back through a 64 KiB window, so a linear walk over small blocks costs one stack read per
 * window rather than one per block (recovery and verification walks read every block's word).
 */
final class ArenaWindow {
    private static final int SIZE = 1 << 16;

    private final BStack stack;
    private final long end;
    private byte[] bytes = new byte[0];
    private long start;

    /** A window over the payload up to {@code end} (the stack's length when the walk starts). */
    ArenaWindow(BStack stack, long end) {
        this.stack = stack;
        this.end = end;
    }

    /** The little-endian u64 at payload offset {@code offset}, where {@code offset + 8 <= end}. */
    long longAt(long offset) throws IOException {
        if (offset < start || offset + Long.BYTES > start + bytes.length) {
            start = offset;
            bytes = stack.get(offset, Math.min(end, offset + SIZE));
        }
        return AbstractAllocator.getLong(bytes, (int) (offset - start));
    }
}
