package io.cairn.dict;

import java.util.Arrays;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A lazy depth-first walk over the terms of any {@link Dictionary} below a prefix, in ascending unit order (each
 * node's term before those that extend it, edges in ascending label order), optionally skipping the subtrees of
 * excluded prefixes. Each {@link #advance()} resumes the walk, so a stream over it reads only as much of the
 * dictionary as its consumer takes. An explicit stack (no recursion) keeps very long terms off the thread's stack,
 * and per-depth edge buffers are reused.
 */
final class TermWalk implements Node.EdgeVisitor {
    private final Alphabet alphabet;
    private Node[] nodes = new Node[16];
    /** The excluded-prefix automaton's node at each depth, or null once no exclusion can apply below. */
    private Node[] exclusions = new Node[16];
    private boolean[] reported = new boolean[16];
    private int[][] labels = new int[16][];
    private Node[][] children = new Node[16][];
    /** Edges gathered at each depth, or -1 before the node is expanded. */
    private int[] edgeCount = new int[16];
    private int[] nextEdge = new int[16];
    /** The units from the root to the node at each depth: {@code path[d]} is the label entering depth d + 1. */
    private int[] path = new int[16];
    private final int start;
    private int depth;
    /** The depth whose edges {@link #edge} is gathering. */
    private int gathering;

    /**
     * A walk over the terms of {@code dictionary} whose units start with those of {@code prefix}, skipping every
     * term that starts with a term of {@code excluded} (a dictionary over the same alphabet, or null).
     */
    private TermWalk(Dictionary dictionary, String prefix, Dictionary excluded) {
        this.alphabet = dictionary.alphabet();
        Node node = dictionary.root();
        Node exclusion = excluded == null ? null : excluded.root();
        int[] units = unitsOrNull(prefix, alphabet);
        int length = units == null ? 0 : units.length;
        ensureDepth(length + 1);
        for (int i = 0; i < length && node != null; i++) {
            if (exclusion != null && exclusion.isFinal()) {
                break;
            }
            path[i] = units[i];
            node = node.transition(units[i]);
            exclusion = exclusion == null ? null : exclusion.transition(units[i]);
        }
        this.start = length;
        boolean empty = units == null || node == null || (exclusion != null && exclusion.isFinal());
        this.depth = empty ? start - 1 : start;
        nodes[start] = node;
        exclusions[start] = exclusion;
        edgeCount[start] = -1;
    }

    /** The units of {@code prefix}, or null if no term can start with them (an unpaired surrogate in UTF-8). */
    private static int[] unitsOrNull(String prefix, Alphabet alphabet) {
        try {
            return Units.of(prefix, alphabet);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The terms of {@code dictionary} below {@code prefix} outside the subtrees of {@code excluded} (or null), as
     * {@code mapper(term, final node)}, lazily.
     */
    static <T> Stream<T> stream(Dictionary dictionary, String prefix, Dictionary excluded,
            BiFunction<String, Node, T> mapper) {
        Objects.requireNonNull(dictionary, "dictionary");
        Objects.requireNonNull(prefix, "prefix");
        TermWalk walk = new TermWalk(dictionary, prefix, excluded);
        Spliterator<T> terms = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE,
                Spliterator.ORDERED | Spliterator.DISTINCT | Spliterator.NONNULL) {
            @Override
            public boolean tryAdvance(Consumer<? super T> action) {
                if (!walk.advance()) {
                    return false;
                }
                action.accept(mapper.apply(walk.term(), walk.node()));
                return true;
            }
        };
        return StreamSupport.stream(terms, false);
    }

    /** Moves to the next term; false when there is none. */
    boolean advance() {
        while (depth >= start) {
            int d = depth;
            if (!reported[d]) {
                reported[d] = true;
                if (nodes[d].isFinal()) {
                    return true;
                }
            }
            if (edgeCount[d] < 0) {
                edgeCount[d] = 0;
                nextEdge[d] = 0;
                gathering = d;
                nodes[d].forEachEdge(this);
            }
            if (nextEdge[d] == edgeCount[d]) {
                nodes[d] = null;
                depth--;
                continue;
            }
            int edge = nextEdge[d]++;
            int label = labels[d][edge];
            Node child = children[d][edge];
            children[d][edge] = null;
            Node exclusion = exclusions[d] == null ? null : exclusions[d].transition(label);
            if (exclusion != null && exclusion.isFinal()) {
                continue;
            }
            ensureDepth(d + 2);
            path[d] = label;
            depth = d + 1;
            nodes[depth] = child;
            exclusions[depth] = exclusion;
            reported[depth] = false;
            edgeCount[depth] = -1;
        }
        return false;
    }

    /** The term {@link #advance()} moved to. */
    String term() {
        return Units.term(path, depth, alphabet);
    }

    /** The final node of the term {@link #advance()} moved to. */
    Node node() {
        return nodes[depth];
    }

    /** Receives the edges of the node being expanded (the walk is its own visitor: no allocation per node). */
    @Override
    public void edge(int label, Node target) {
        int d = gathering;
        int count = edgeCount[d]++;
        if (labels[d] == null || count == labels[d].length) {
            int size = labels[d] == null ? 8 : count * 2;
            labels[d] = labels[d] == null ? new int[size] : Arrays.copyOf(labels[d], size);
            children[d] = children[d] == null ? new Node[size] : Arrays.copyOf(children[d], size);
        }
        labels[d][count] = label;
        children[d][count] = target;
    }

    private void ensureDepth(int needed) {
        if (needed <= nodes.length) {
            return;
        }
        int size = Math.max(needed, nodes.length * 2);
        nodes = Arrays.copyOf(nodes, size);
        exclusions = Arrays.copyOf(exclusions, size);
        reported = Arrays.copyOf(reported, size);
        labels = Arrays.copyOf(labels, size);
        children = Arrays.copyOf(children, size);
        edgeCount = Arrays.copyOf(edgeCount, size);
        nextEdge = Arrays.copyOf(nextEdge, size);
        path = Arrays.copyOf(path, size);
    }
}
