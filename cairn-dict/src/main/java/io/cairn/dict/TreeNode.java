package io.cairn.dict;

import io.cairn.tree.TrieNode;

/**
 * A dictionary node that is a node of a tree's key trie ({@link TrieNode}): the durable dictionary's and
 * vocabulary's nodes, so the Levenshtein transducer walks the tree itself. Edges are UTF-8 bytes.
 *
 * @param owner the dictionary it belongs to ({@link MappedDictionary#valueAt} checks it)
 * @param trie  the tree's node
 */
record TreeNode(Dictionary owner, TrieNode trie) implements Node {

    @Override
    public boolean isFinal() {
        return trie.isFinal();
    }

    @Override
    public Node transition(int unit) {
        if (unit < 0 || unit > 0xFF) {
            return null;
        }
        TrieNode child = trie.child(unit);
        return child == null ? null : new TreeNode(owner, child);
    }

    @Override
    public int edgeCount() {
        return trie.childCount();
    }

    @Override
    public void forEachEdge(EdgeVisitor visitor) {
        trie.forEachChild((b, child) -> visitor.edge(b, new TreeNode(owner, child)));
    }
}
