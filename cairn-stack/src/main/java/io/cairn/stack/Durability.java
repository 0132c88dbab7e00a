package io.cairn.stack;

/** Whether a mutation is made durable before it returns. */
public enum Durability {
    /** Every mutation is forced to stable storage (fdatasync) before it returns. The default. */
    SYNC,
    /**
     * Nothing is forced: mutations reach the OS page cache only and are lost by a power failure or kernel
     * crash (a process crash keeps them). For ephemeral data and tests.
     */
    NONE
}
