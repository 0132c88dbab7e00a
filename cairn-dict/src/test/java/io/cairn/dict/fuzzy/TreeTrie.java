package io.cairn.dict.fuzzy;

import io.cairn.dict.Alphabet;
import io.cairn.dict.MappedDictionary;
import io.cairn.dict.Node;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deliberately simple trie over {@code TreeMap}s: an independent dictionary for testing the transducer against,
 * sharing no code with the production dictionaries. Values are {@code Integer}s.
 */
final class TreeTrie implements MappedDictionary<Integer> {

    private final Alphabet alphabet;
    private final TrieNode root = new TrieNode();
    private long size;

    TreeTrie(Alphabet alphabet) {
        this.alphabet = alphabet;
    }

    static TreeTrie of(Alphabet alphabet, Iterable<String> terms) {
        TreeTrie trie = new TreeTrie(alphabet);
        for (String term : terms) {
            trie.put(term, null);
        }
        return trie;
    }

    void put(String term, Integer value) {
        TrieNode node = root;
        for (int unit : units(term)) {
            node = node.children.computeIfAbsent(unit, u -> new TrieNode());
        }
        if (!node.isFinal) {
            size++;
        }
        node.isFinal = true;
        node.value = value;
    }

    private int[] units(String term) {
        if (alphabet == Alphabet.CODE_POINTS) {
            return term.codePoints().toArray();
        }
        byte[] bytes = term.getBytes(StandardCharsets.UTF_8);
        int[] units = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            units[i] = bytes[i] & 0xFF;
        }
        return units;
    }

    private TrieNode find(String term) {
        TrieNode node = root;
        for (int unit : units(term)) {
            node = node.children.get(unit);
            if (node == null) {
                return null;
            }
        }
        return node;
    }

    @Override
    public Node root() {
        return root;
    }

    @Override
    public Alphabet alphabet() {
        return alphabet;
    }

    @Override
    public boolean contains(String term) {
        TrieNode node = find(term);
        return node != null && node.isFinal;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public Integer getValue(String term) {
        TrieNode node = find(term);
        return node == null ? null : node.value;
    }

    @Override
    public Integer valueAt(Node node) {
        if (!(node instanceof TrieNode trieNode)) {
            throw new IllegalArgumentException("not a node of this trie: " + node);
        }
        return trieNode.value;
    }

    private static final class TrieNode implements Node {
        final TreeMap<Integer, TrieNode> children = new TreeMap<>();
        boolean isFinal;
        Integer value;

        @Override
        public boolean isFinal() {
            return isFinal;
        }

        @Override
        public Node transition(int unit) {
            return children.get(unit);
        }

        @Override
        public int edgeCount() {
            return children.size();
        }

        @Override
        public void forEachEdge(EdgeVisitor visitor) {
            for (Map.Entry<Integer, TrieNode> edge : children.entrySet()) {
                visitor.edge(edge.getKey(), edge.getValue());
            }
        }
    }
}
