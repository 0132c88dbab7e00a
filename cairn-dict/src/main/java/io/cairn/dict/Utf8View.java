package io.cairn.dict;

import java.util.Objects;

/**
 * A dictionary over code points seen as one over UTF-8 bytes, lazily: each code point edge becomes its one to four
 * byte edges, so set algebra can combine dictionaries of either alphabet (a suffix automaton over code points with
 * a double-array trie over bytes, say). UTF-8 byte order is code point order, so edges stay ascending. A term
 * holding an unpaired surrogate has no UTF-8 form and is not in the view.
 *
 * @param <V> the value type of the viewed dictionary (none: values are null)
 */
final class Utf8View<V> implements MappedDictionary<V> {
    private final Dictionary codePoints;

    Utf8View(Dictionary codePoints) {
        if (codePoints.alphabet() != Alphabet.CODE_POINTS) {
            throw new IllegalArgumentException("a UTF-8 view is of a code point dictionary, not " + codePoints);
        }
        this.codePoints = codePoints;
    }

    @Override
    public Node root() {
        return new ByteNode(this, codePoints.root(), 0, 0);
    }

    @Override
    public Alphabet alphabet() {
        return Alphabet.UTF8_BYTES;
    }

    @Override
    public boolean contains(String term) {
        return Units.utf8(term) != null && codePoints.contains(term); // null: an unpaired surrogate
    }

    /** Counts by walking, as terms with unpaired surrogates are left out. */
    @Override
    public long size() {
        return terms().count();
    }

    @Override
    @SuppressWarnings("unchecked")
    public V getValue(String term) {
        return contains(term) && codePoints instanceof MappedDictionary<?> mapped ? (V) mapped.getValue(term) : null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V valueAt(Node node) {
        if (!(node instanceof ByteNode view) || view.owner != this) {
            throw new IllegalArgumentException("node " + node + " does not belong to this UTF-8 view");
        }
        return view.length == 0 && codePoints instanceof MappedDictionary<?> mapped
                ? (V) mapped.valueAt(view.node) : null;
    }

    private static int utf8Length(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }

    /** Byte {@code i} of the UTF-8 encoding of {@code codePoint}, whose length is {@code length}. */
    private static int utf8Byte(int codePoint, int length, int i) {
        if (i > 0) {
            return 0x80 | (codePoint >> (6 * (length - 1 - i))) & 0x3F;
        }
        return switch (length) {
            case 1 -> codePoint;
            case 2 -> 0xC0 | codePoint >> 6;
            case 3 -> 0xE0 | codePoint >> 12;
            default -> 0xF0 | codePoint >> 18;
        };
    }

    private static boolean isSurrogate(int codePoint) {
        return codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE;
    }

    /**
     * A node of the view: the code point node {@code node}, plus the first {@code length} bytes ({@code prefix},
     * big-endian) of a code point leaving it, when the path stops inside a character. Equal to every view of the
     * same state.
     */
    private record ByteNode(Utf8View<?> owner, Node node, int prefix, int length) implements Node {

        @Override
        public boolean isFinal() {
            return length == 0 && node.isFinal();
        }

        /** Whether this node's bytes begin the encoding of {@code codePoint} (and do not end it). */
        private boolean begins(int codePoint, int codeLength) {
            if (isSurrogate(codePoint) || codeLength <= length) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (utf8Byte(codePoint, codeLength, i) != (prefix >>> (8 * (length - 1 - i)) & 0xFF)) {
                    return false;
                }
            }
            return true;
        }

        /** ASCII directly; a byte of a longer character by scanning the node's edges for it. */
        @Override
        public Node transition(int unit) {
            if (length == 0 && unit >= 0 && unit < 0x80) {
                Node next = node.transition(unit);
                return next == null ? null : new ByteNode(owner, next, 0, 0);
            }
            Node[] found = {null};
            forEachEdge((label, target) -> {
                if (label == unit) {
                    found[0] = target;
                }
            });
            return found[0];
        }

        /**
         * The next byte of every code point leaving {@link #node} whose encoding extends this node's bytes, once per
         * byte: to the code point's target where the byte ends it, else to the longer partial state.
         */
        @Override
        public void forEachEdge(EdgeVisitor visitor) {
            int[] last = {-1};
            node.forEachEdge((codePoint, target) -> {
                int codeLength = utf8Length(codePoint);
                if (!begins(codePoint, codeLength)) {
                    return;
                }
                int next = utf8Byte(codePoint, codeLength, length);
                if (codeLength == length + 1) {
                    visitor.edge(next, new ByteNode(owner, target, 0, 0));
                } else if (next != last[0]) {
                    visitor.edge(next, new ByteNode(owner, node, prefix << 8 | next, length + 1));
                }
                last[0] = next;
            });
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ByteNode that && owner == that.owner && prefix == that.prefix
                    && length == that.length && node.equals(that.node);
        }

        @Override
        public int hashCode() {
            return Objects.hash(System.identityHashCode(owner), node, prefix, length);
        }

        @Override
        public String toString() {
            return length == 0 ? "utf8[" + node + "]" : "utf8[" + node + " + " + length + " bytes]";
        }
    }
}
