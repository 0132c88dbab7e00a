package io.cairn.tree.engine;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The tree-level gate between plain point writers and the operations that need the whole tree still: atomic
 * batches, renames, snapshot capture, frame merges, statistics and the scan fallback.
 *
 * <p>Point writers do not share a lock word: each announces itself on one of 64 padded stripes chosen by thread
 * id and then checks the gate (a Dekker handshake on volatile accesses). A closer sets the gate and waits until
 * every stripe is zero; from then on it is the only writer in the tree, while readers carry on (they are
 * validated by frame versions, not by the gate).
 */
final class WriterGate {
    private static final int STRIPES = 64;
    private static final int PAD = 16; // 16 longs = 128 bytes between stripes: no false sharing
    private final AtomicLongArray stripes = new AtomicLongArray(STRIPES * PAD);
    private final ReentrantLock closers = new ReentrantLock();
    private volatile boolean closed;

    /** Enters as a point writer; returns the stripe to pass to {@link #exitWriter}. */
    int enterWriter() {
        int stripe = (int) (Thread.currentThread().threadId() & (STRIPES - 1)) * PAD;
        for (;;) {
            stripes.getAndIncrement(stripe);
            if (!closed) {
                return stripe;
            }
            stripes.getAndDecrement(stripe);
            int spins = 0;
            while (closed) {
                Frame.backOff(++spins);
            }
        }
    }

    void exitWriter(int stripe) {
        stripes.getAndDecrement(stripe);
    }

    /** Closes the gate and waits for point writers in flight to leave; the caller is then the only writer. */
    void close() {
        closers.lock();
        closed = true;
        int spins = 0;
        while (writersInside()) {
            Frame.backOff(++spins);
        }
    }

    void open() {
        closed = false;
        closers.unlock();
    }

    boolean isHeldByCurrentThread() {
        return closers.isHeldByCurrentThread();
    }

    private boolean writersInside() {
        for (int i = 0; i < STRIPES; i++) {
            if (stripes.get(i * PAD) != 0) {
                return true;
            }
        }
        return false;
    }
}
