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
 *
 * <p>A dropped tree's gate is {@linkplain #fence fenced}: closed for good, so every writer and closer that comes
 * later (or was waiting) fails with {@link IllegalStateException} carrying the fence's message.
 */
final class WriterGate {
    private static final int STRIPES = 64;
    private static final int PAD = 16; // 16 longs = 128 bytes between stripes: no false sharing
    private final AtomicLongArray stripes = new AtomicLongArray(STRIPES * PAD);
    private final ReentrantLock closers = new ReentrantLock();
    private volatile boolean closed;
    /** Why the gate is closed for good (the tree was dropped); null while it works. */
    private volatile String fence;

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
                checkFence();
                Frame.backOff(++spins);
            }
        }
    }

    void exitWriter(int stripe) {
        stripes.getAndDecrement(stripe);
    }

    /**
     * Closes the gate and waits for point writers in flight to leave; the caller is then the only writer.
     *
     * @throws IllegalStateException if the gate is fenced
     */
    void close() {
        if (!closeUnlessFenced()) {
            throw new IllegalStateException(fence);
        }
    }

    /** {@link #close}, or false (nothing held) if the gate is fenced. */
    boolean closeUnlessFenced() {
        closers.lock();
        if (fence != null) {
            closers.unlock();
            return false;
        }
        closed = true;
        int spins = 0;
        while (writersInside()) {
            Frame.backOff(++spins);
        }
        return true;
    }

    /**
     * Closes the gate for good, by its holder (who closed it): every writer and closer from now on fails with
     * {@code message}.
     */
    void fence(String message) {
        fence = message;
        closers.unlock();
    }

    /** Throws the fence's exception if the gate is fenced. */
    void checkFence() {
        String f = fence;
        if (f != null) {
            throw new IllegalStateException(f);
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
