/** The dictionary layer: dictionary automata behind one traversal API, and Levenshtein transducers. */
module io.cairn.dict {
    requires transitive io.cairn.tree;
    exports io.cairn.dict;
    exports io.cairn.dict.fuzzy;
}
