/**
 * The tree layer: a persistent adaptive radix tree for path-shaped keys. Only the API package is exported;
 * {@code io.cairn.tree.engine} (frames, nodes, walker, space management; entry type {@code Engine}) is internal.
 */
module io.cairn.tree {
    requires transitive io.cairn.stack;
    requires jdk.jfr;

    exports io.cairn.tree;
}
