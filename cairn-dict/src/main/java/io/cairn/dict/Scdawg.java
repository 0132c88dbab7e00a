package io.cairn.dict;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A symmetric compact DAWG of a set of texts, built once: a bidirectional substring index. Its nodes are the
 * maximal repeats of the texts (see {@link ScdawgGraph}), far fewer than a suffix automaton's states, with edges
 * labelled by whole slices of the texts in both directions, so a {@link Match} can grow to the right and to the
 * left, unit by unit, and say at every step how often and where it occurs.
 *
 * <pre>{@code
 * Scdawg index = Scdawg.of(List.of("abracadabra"));
 * Scdawg.Match bra = index.find("bra");            // frequency 2
 * Scdawg.Match abra = bra.extendLeft("a");         // still 2: every "bra" follows an "a"
 * List<Occurrence> where = abra.locations();       // (0, 0), (0, 7)
 * }</pre>
 *
 * <p>As a {@link Dictionary} its terms are the distinct substrings, walked left to right (a node of the walk is a
 * point on an edge), so the Levenshtein transducer searches it for approximate substrings like any dictionary.
 * Offsets count units of the alphabet (code points by default; on UTF-8 only substrings on character boundaries
 * are terms). Immutable and safe to share between threads.
 */
public final class Scdawg implements SubstringIndex {
    private static final int ROOT = 0;

    private final Alphabet alphabet;
    private final ScdawgGraph graph;

    private Scdawg(Alphabet alphabet, ScdawgGraph graph) {
        this.alphabet = alphabet;
        this.graph = graph;
    }

    /** The index of {@code texts} over code points; text {@code i} of the list is text {@code i} of occurrences. */
    public static Scdawg of(List<String> texts) {
        return of(texts, Alphabet.CODE_POINTS);
    }

    /**
     * The index of {@code texts} over {@code alphabet}, compacted from their suffix automaton.
     *
     * @throws IllegalArgumentException if a text holds an unpaired surrogate on UTF-8 bytes
     */
    public static Scdawg of(List<String> texts, Alphabet alphabet) {
        return new Scdawg(alphabet, new ScdawgGraph(SuffixAutomaton.of(texts, alphabet)));
    }

    /** Nodes (maximal repeats and the source). */
    public int nodeCount() {
        return graph.nodes;
    }

    /** Right edges (extending a match to the right). */
    public int rightEdgeCount() {
        return graph.rightLabel.length;
    }

    /** Left edges (extending a match to the left). */
    public int leftEdgeCount() {
        return graph.leftLabel.length;
    }

    /** Bytes the index's arrays hold, the texts included. */
    public long footprint() {
        return graph.footprint();
    }

    @Override
    public Alphabet alphabet() {
        return alphabet;
    }

    @Override
    public long size() {
        return graph.terms;
    }

    @Override
    public Node root() {
        return new Point(this, ROOT, -1, 0);
    }

    @Override
    public boolean contains(String substring) {
        return find(substring) != null;
    }

    @Override
    public long frequency(String substring) {
        Match match = find(substring);
        return match == null ? 0 : match.frequency();
    }

    @Override
    public List<Occurrence> occurrences(String substring) {
        Match match = find(substring);
        return match == null ? List.of() : match.locations();
    }

    /** The match of {@code substring}, or null if it occurs in no text (the empty one matches once there is a text). */
    public Match find(String substring) {
        Objects.requireNonNull(substring, "substring");
        if (graph.units.segmentCount() == 0) {
            return null;
        }
        Match match = new Match(ROOT, 0, 0);
        return match.extendRight(substring);
    }

    private int[] unitsOf(String text) {
        try {
            return Units.of(text, alphabet);
        } catch (IllegalArgumentException e) {
            return null; // an unpaired surrogate has no UTF-8 form, so no text holds it
        }
    }

    /**
     * A substring that occurs in the texts, placed in its node: it is the slice {@code [start, start + length)} of
     * the node's maximal repeat, and occurs exactly where that repeat does, shifted by {@code start}. Immutable.
     */
    public final class Match {
        private final int node;
        private final int start;
        private final int length;

        private Match(int node, int start, int length) {
            this.node = node;
            this.start = start;
            this.length = length;
        }

        /** Length in alphabet units. */
        public int length() {
            return length;
        }

        /** The matched substring. */
        public String substring() {
            int[] units = new int[length];
            for (int k = 0; k < length; k++) {
                units[k] = graph.reprUnit(node, start + k);
            }
            if (alphabet == Alphabet.CODE_POINTS) {
                return new String(units, 0, length);
            }
            byte[] bytes = new byte[length];
            for (int k = 0; k < length; k++) {
                bytes[k] = (byte) units[k];
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /** How many times the substring occurs in all the texts together. */
        public long frequency() {
            return graph.count[node];
        }

        /**
         * Every occurrence, ordered by text then offset: each path of right edges from the node to a text's end
         * spells the rest of that text after one occurrence of the node's repeat, so a walk of those paths lists
         * them all (in time proportional to their number).
         */
        public List<Occurrence> locations() {
            List<Occurrence> found = new ArrayList<>();
            int[] stack = new int[32];
            int[] spelled = new int[32];
            int top = 0;
            stack[0] = node;
            spelled[0] = 0;
            while (top >= 0) {
                int v = stack[top];
                int after = spelled[top--];
                for (int t = graph.terminalStart[v]; t < graph.terminalStart[v + 1]; t++) {
                    int segment = graph.terminalSegment[t];
                    int repeatStart = graph.units.segmentLength(segment) - graph.len[node] - after;
                    found.add(new Occurrence(graph.units.segmentText(segment), repeatStart + start));
                }
                for (int e = graph.rightStart[v]; e < graph.rightStart[v + 1]; e++) {
                    if (++top == stack.length) {
                        stack = Arrays.copyOf(stack, top * 2);
                        spelled = Arrays.copyOf(spelled, top * 2);
                    }
                    stack[top] = graph.rightTarget[e];
                    spelled[top] = after + graph.rightLength[e];
                }
            }
            found.sort(null);
            return found;
        }

        /** This match followed by {@code text}, or null if that occurs nowhere. */
        public Match extendRight(String text) {
            int[] units = unitsOf(Objects.requireNonNull(text, "text"));
            Match match = units == null ? null : this;
            for (int i = 0; match != null && i < (units == null ? 0 : units.length); i++) {
                match = match.right(units[i]);
            }
            return match;
        }

        /** {@code text} followed by this match, or null if that occurs nowhere. */
        public Match extendLeft(String text) {
            int[] units = unitsOf(Objects.requireNonNull(text, "text"));
            Match match = units == null ? null : this;
            for (int i = units == null ? -1 : units.length - 1; match != null && i >= 0; i--) {
                match = match.left(units[i]);
            }
            return match;
        }

        /** One unit to the right: inside the repeat if it goes on, else along the node's right edge. */
        private Match right(int unit) {
            if (start + length < graph.len[node]) {
                return graph.reprUnit(node, start + length) == unit ? new Match(node, start, length + 1) : null;
            }
            int e = ScdawgGraph.find(graph.rightLabel, graph.rightStart[node], graph.rightStart[node + 1], unit);
            if (e < 0) {
                return null;
            }
            int target = graph.rightTarget[e];
            // repr(node) + label is a suffix of repr(target): the match keeps its place in that suffix.
            int shift = graph.len[target] - graph.rightLength[e] - graph.len[node];
            return new Match(target, start + shift, length + 1);
        }

        /** One unit to the left: inside the repeat if it goes on, else along the node's left edge. */
        private Match left(int unit) {
            if (start > 0) {
                return graph.reprUnit(node, start - 1) == unit ? new Match(node, start - 1, length + 1) : null;
            }
            int e = ScdawgGraph.find(graph.leftLabel, graph.leftStart[node], graph.leftStart[node + 1], unit);
            if (e < 0) {
                return null;
            }
            // repr(target) = beta + repr(node) + rho, and unit is the last of beta.
            return new Match(graph.leftTarget[e], graph.leftLength[e] - 1, length + 1);
        }

        @Override
        public String toString() {
            return "Scdawg.Match[" + substring() + ", frequency " + frequency() + "]";
        }
    }

    /**
     * A point of the left-to-right walk, as a dictionary node: at a node ({@code edge} -1) or {@code depth} units
     * (1 to length - 1) into one of its right edges. Equal to every view of the same point of the same index.
     */
    private record Point(Scdawg owner, int node, int edge, int depth) implements Node {

        private ScdawgGraph graph() {
            return owner.graph;
        }

        @Override
        public boolean isFinal() {
            ScdawgGraph graph = graph();
            if (edge >= 0) { // ends inside the label, at its unit depth - 1
                int target = graph.rightTarget[edge];
                return graph.units.boundaryAfter(graph.firstEnd[target] - graph.rightLength[edge] + depth);
            }
            return node == ROOT ? graph.units.segmentCount() > 0 : graph.units.boundaryAfter(graph.firstEnd[node]);
        }

        /** Whether a walk may take the edge on {@code label} from here: no term starts inside a character. */
        private boolean mayStart(int label) {
            return node != ROOT || edge >= 0 || owner.alphabet == Alphabet.CODE_POINTS
                    || !TextUnits.isContinuation(label);
        }

        /** The point one unit along right edge {@code e} from its start. */
        private Point along(int e) {
            ScdawgGraph graph = graph();
            return graph.rightLength[e] == 1 ? new Point(owner, graph.rightTarget[e], -1, 0)
                    : new Point(owner, node, e, 1);
        }

        @Override
        public Node transition(int unit) {
            ScdawgGraph graph = graph();
            if (edge >= 0) {
                if (graph.rightUnit(edge, depth) != unit) {
                    return null;
                }
                return depth + 1 == graph.rightLength[edge] ? new Point(owner, graph.rightTarget[edge], -1, 0)
                        : new Point(owner, node, edge, depth + 1);
            }
            if (!mayStart(unit)) {
                return null;
            }
            int e = ScdawgGraph.find(graph.rightLabel, graph.rightStart[node], graph.rightStart[node + 1], unit);
            return e < 0 ? null : along(e);
        }

        @Override
        public void forEachEdge(EdgeVisitor visitor) {
            ScdawgGraph graph = graph();
            if (edge >= 0) {
                visitor.edge(graph.rightUnit(edge, depth), transition(graph.rightUnit(edge, depth)));
                return;
            }
            for (int e = graph.rightStart[node]; e < graph.rightStart[node + 1]; e++) {
                if (mayStart(graph.rightLabel[e])) {
                    visitor.edge(graph.rightLabel[e], along(e));
                }
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Point point && point.owner == owner && point.node == node
                    && point.edge == edge && point.depth == depth;
        }

        @Override
        public int hashCode() {
            return (node * 31 + edge) * 31 + depth;
        }

        @Override
        public String toString() {
            return "Scdawg.Point[node=" + node + ", edge=" + edge + ", depth=" + depth + "]";
        }
    }
}
