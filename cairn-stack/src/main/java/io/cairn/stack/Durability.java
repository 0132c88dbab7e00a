package io.cairn.stack;

/** Whether a mutation is made durable before it returns. */
public enum Durability {
    /** Every mutation is forced to stable storage (fdatasync) before it returns. The default. */
    SYNC,
    /**
     * Mutations return before they are forced; a background flusher forces them within a bounded window (for a
     * tree, {@code TreeOptions.asyncFlushInterval}), and {@code sync()} forces everything so far at once. A crash
     * loses at most that window and never a mutation older than the last {@code sync()}; a clean close forces.
     * A {@link BStack} has no flusher of its own: under ASYNC it forces only on {@link BStack#sync()} and close.
     */
    ASYNC,
    /**
     * Nothing is forced: mutations reach the OS page cache only and are lost by a power failure or kernel
     * crash (a process crash keeps them). For ephemeral data and tests.
     */
    NONE
}
