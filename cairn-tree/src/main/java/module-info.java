/** The tree layer: a persistent adaptive radix tree for path-shaped keys. */
module io.cairn.tree {
    requires transitive io.cairn.stack;

    exports io.cairn.tree;
}
