/** The stack layer: a crash-safe binary stack in one file, and persistent allocators over it. */
module io.cairn.stack {
    exports io.cairn.stack;
    exports io.cairn.stack.alloc;
}
