package io.cairn.dict;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Two dictionaries combined lazily by a {@link SetOperation}: the product automaton, walked pairwise, never
 * materialised. A node is the pair of the operands' nodes reached by the same units (either may be absent); its
 * edges merge the operands' ascending edges; it is final when the operation holds the term. Any traversal works on
 * it: term iteration, {@code contains} and the Levenshtein transducer. Operands of different alphabets are walked
 * over UTF-8 bytes, the code point one through a {@link Utf8View}.
 *
 * <p>Values: the value of a term is {@code values(first value, second value)}, each null where its operand is not
 * a {@link MappedDictionary}, lacks the term or gives it no value.
 *
 * @param <V> the value type of the result
 */
final class ProductDictionary<V> implements MappedDictionary<V> {
    private final Dictionary first;
    private final Dictionary second;
    private final SetOperation operation;
    private final BiFunction<Object, Object, V> values;

    ProductDictionary(Dictionary first, Dictionary second, SetOperation operation,
            BiFunction<Object, Object, V> values) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        boolean mixed = first.alphabet() != second.alphabet();
        this.first = mixed && first.alphabet() == Alphabet.CODE_POINTS ? new Utf8View<>(first) : first;
        this.second = mixed && second.alphabet() == Alphabet.CODE_POINTS ? new Utf8View<>(second) : second;
        this.operation = operation;
        this.values = values;
    }

    @Override
    public Node root() {
        return new Pair(this, first.root(), second.root());
    }

    @Override
    public Alphabet alphabet() {
        return first.alphabet();
    }

    @Override
    public boolean contains(String term) {
        if (!operation.holds(first.contains(term), second.contains(term))) {
            return false;
        }
        // deepEquals: array values (a durable dictionary's byte[]) compare by content
        return operation != SetOperation.VALUE_DIFF || !Objects.deepEquals(valueOf(first, term), valueOf(second, term));
    }

    /** Counts the terms by walking them: O(terms), as nothing is materialised. */
    @Override
    public long size() {
        return terms().count();
    }

    @Override
    public V getValue(String term) {
        return contains(term) ? values.apply(valueOf(first, term), valueOf(second, term)) : null;
    }

    @Override
    public V valueAt(Node node) {
        if (!(node instanceof Pair pair) || pair.owner != this) {
            throw new IllegalArgumentException("node " + node + " does not belong to this combined dictionary");
        }
        return pair.isFinal() ? values.apply(valueAt(first, pair.first), valueAt(second, pair.second)) : null;
    }

    private static Object valueOf(Dictionary dictionary, String term) {
        return dictionary instanceof MappedDictionary<?> mapped ? mapped.getValue(term) : null;
    }

    /** The value at an operand's node, or null if the node is absent, not final or its operand has no values. */
    private static Object valueAt(Dictionary dictionary, Node node) {
        return node != null && node.isFinal() && dictionary instanceof MappedDictionary<?> mapped
                ? mapped.valueAt(node) : null;
    }

    /** Whether the term whose operand nodes are {@code first} and {@code second} (either may be null) is held. */
    private boolean holds(Node first, Node second) {
        boolean inFirst = first != null && first.isFinal();
        boolean inSecond = second != null && second.isFinal();
        if (!operation.holds(inFirst, inSecond)) {
            return false;
        }
        return operation != SetOperation.VALUE_DIFF
                || !Objects.deepEquals(valueAt(this.first, first), valueAt(this.second, second));
    }

    /**
     * A node of the product: the operands' nodes for the same path, either of them null where it has none. Equal
     * to every view of the same pair of the same combination.
     */
    private record Pair(ProductDictionary<?> owner, Node first, Node second) implements Node {

        @Override
        public boolean isFinal() {
            return owner.holds(first, second);
        }

        @Override
        public Node transition(int unit) {
            Node toFirst = first == null ? null : first.transition(unit);
            Node toSecond = second == null ? null : second.transition(unit);
            return owner.operation.continues(toFirst != null, toSecond != null)
                    ? new Pair(owner, toFirst, toSecond) : null;
        }

        @Override
        public void forEachEdge(EdgeVisitor visitor) {
            if (first == null || second == null) { // one side only (deep in a union, say): no merge, no buffers
                Node only = first != null ? first : second;
                boolean inFirst = first != null;
                if (only != null && owner.operation.continues(inFirst, !inFirst)) {
                    only.forEachEdge((label, target) -> visitor.edge(label,
                            inFirst ? new Pair(owner, target, null) : new Pair(owner, null, target)));
                }
                return;
            }
            Edges left = Edges.of(first);
            Edges right = Edges.of(second);
            int i = 0;
            int j = 0;
            while (i < left.count || j < right.count) {
                int l = i < left.count ? left.labels[i] : Integer.MAX_VALUE;
                int r = j < right.count ? right.labels[j] : Integer.MAX_VALUE;
                int label = Math.min(l, r);
                Node toFirst = l == label ? left.targets[i++] : null;
                Node toSecond = r == label ? right.targets[j++] : null;
                if (owner.operation.continues(toFirst != null, toSecond != null)) {
                    visitor.edge(label, new Pair(owner, toFirst, toSecond));
                }
            }
        }

        @Override
        public String toString() {
            return owner.operation + "[" + first + ", " + second + "]";
        }
    }

    /** The edges of one operand's node, gathered in ascending label order. */
    private static final class Edges implements Node.EdgeVisitor {
        int[] labels = new int[8];
        Node[] targets = new Node[8];
        int count;

        static Edges of(Node node) {
            Edges edges = new Edges();
            node.forEachEdge(edges);
            return edges;
        }

        @Override
        public void edge(int label, Node target) {
            if (count == labels.length) {
                labels = Arrays.copyOf(labels, count * 2);
                targets = Arrays.copyOf(targets, count * 2);
            }
            labels[count] = label;
            targets[count++] = target;
        }
    }
}
