package io.cairn.dict;

/**
 * The infinite language a* as a dictionary (one final node with an edge 'a' to itself): any walk of it that is not
 * lazy never ends, so it proves laziness without counting.
 */
final class InfiniteDictionary implements Dictionary {
    private final Alphabet alphabet;

    InfiniteDictionary(Alphabet alphabet) {
        this.alphabet = alphabet;
    }

    private final Node loop = new Node() {
        @Override
        public boolean isFinal() {
            return true;
        }

        @Override
        public Node transition(int unit) {
            return unit == 'a' ? this : null;
        }

        @Override
        public int edgeCount() {
            return 1;
        }

        @Override
        public void forEachEdge(EdgeVisitor visitor) {
            visitor.edge('a', this);
        }
    };

    @Override
    public Node root() {
        return loop;
    }

    @Override
    public Alphabet alphabet() {
        return alphabet;
    }

    @Override
    public boolean contains(String term) {
        return term.chars().allMatch(c -> c == 'a');
    }

    @Override
    public long size() {
        return Long.MAX_VALUE;
    }
}
