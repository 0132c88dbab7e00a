package io.cairn.dict.fuzzy;

import io.cairn.dict.Alphabet;
import io.cairn.dict.Dictionary;
import io.cairn.dict.Node;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * Walks a dictionary in lockstep with a {@link LevenshteinAutomaton}: a depth-first search over (dictionary node,
 * automaton state) pairs that abandons a branch as soon as its state is dead. Each call to {@link #next()} resumes
 * the walk and returns the next match, so results can be consumed lazily; matches come in ascending code point
 * order of their terms (which is also UTF-8 byte order).
 *
 * <p>The automaton reads code points on either alphabet: on a UTF-8 dictionary the bytes of a multi-byte character
 * are gathered on the way down (the automaton state is shared, not stepped, until the character is complete), so
 * distances always count characters.
 *
 * <p>Two ways to expand a node: when any character outside the query window would kill the state, only the window's
 * few characters are looked up with {@link Node#transition}; otherwise every edge is visited. Per-depth buffers are
 * reused, so the hot path allocates only what the dictionary's nodes themselves cost.
 */
final class FuzzyCursor implements Node.EdgeVisitor {

    private static final int NONE = Integer.MAX_VALUE;

    private final LevenshteinAutomaton automaton;
    private final boolean utf8;
    private final boolean prefix;
    /** Emit only matches at exactly this distance (iterative deepening), or -1 for every distance. */
    private final int onlyDistance;
    private final Predicate<Node> accept;
    private final int width;
    /** State slots per depth: the node's own state, then the successors of its window characters. */
    private final int slotsPerDepth;

    private long[] states;
    private Node[] nodes = new Node[0];
    /** Characters read to reach the node at each depth. */
    private int[] read = new int[0];
    /** Index into {@link #states} of the state at each depth (shared with the parent mid-character). */
    private int[] stateAt = new int[0];
    /** UTF-8 only: bits gathered so far of an incomplete character, and how many bytes it still needs. */
    private int[] partial = new int[0];
    private int[] missing = new int[0];
    /** Prefix mode: the smallest distance of any prefix so far, or NONE. */
    private int[] accepted = new int[0];
    /** Whether the state at each depth is still worth stepping (false once a prefix match settled the subtree). */
    private boolean[] stepping = new boolean[0];
    /** Whether the successor on a non-matching character (slot 1 of the depth) is alive, and which window bits a
     * matching character must hit to lead anywhere else. */
    private boolean[] noMatchAlive = new boolean[0];
    private long[] matchBits = new long[0];
    /** Edges gathered at each depth; labels are code points when {@link #labelIsCharacter} says so. */
    private int[][] labels = new int[0][];
    private Node[][] targets = new Node[0][];
    private boolean[] labelIsCharacter = new boolean[0];
    private int[] edgeCount = new int[0];
    private int[] nextEdge = new int[0];
    private int[] term = new int[16];

    private int depth;
    private boolean rootPending = true;
    /** The depth whose edges {@link #edge} is gathering. */
    private int gathering;

    FuzzyCursor(Dictionary dictionary, LevenshteinAutomaton automaton, boolean prefix, int onlyDistance,
            Predicate<Node> accept) {
        this.automaton = automaton;
        this.utf8 = dictionary.alphabet() == Alphabet.UTF8_BYTES;
        this.prefix = prefix;
        this.onlyDistance = onlyDistance;
        this.accept = accept;
        this.width = automaton.stateWidth();
        this.slotsPerDepth = 1 + automaton.maxWindowChars();
        ensureDepth(16);
        nodes[0] = dictionary.root();
        stateAt[0] = slot(0, 0);
        automaton.start(states, stateAt[0]);
        stepping[0] = true;
        accepted[0] = prefix ? automaton.distance(states, stateAt[0], 0) : NONE;
        settleIfDone(0);
    }

    /** The next match, or null when the walk is over. */
    Candidate next() {
        if (rootPending) {
            rootPending = false;
            Candidate match = matchAt(0);
            expand(0);
            if (match != null) {
                return match;
            }
        }
        while (depth >= 0) {
            int d = depth;
            if (nextEdge[d] == edgeCount[d]) {
                nodes[d] = null;
                depth--;
                continue;
            }
            int edge = nextEdge[d]++;
            Node target = targets[d][edge];
            targets[d][edge] = null;
            if (enter(d, edge, target)) {
                depth = d + 1;
                Candidate match = matchAt(d + 1);
                expand(d + 1);
                if (match != null) {
                    return match;
                }
            }
        }
        return null;
    }

    /** Sets up depth {@code d + 1} for the edge; returns false if nothing below it can match. */
    private boolean enter(int d, int edge, Node target) {
        int label = labels[d][edge];
        int child = d + 1;
        ensureDepth(child + 1);
        nodes[child] = target;
        accepted[child] = accepted[d];
        stepping[child] = stepping[d];
        stateAt[child] = stateAt[d];
        read[child] = read[d];
        int character;
        boolean atBoundary = missing[d] == 0; // d's own state and shortcuts apply to this character
        if (labelIsCharacter[d] || !utf8) {
            character = label;
        } else if (!atBoundary) {
            int bits = partial[d] << 6 | label & 0x3F;
            if (missing[d] > 1) {
                partial[child] = bits;
                missing[child] = missing[d] - 1;
                return true;
            }
            character = bits;
        } else if (label < 0x80) {
            character = label;
        } else if (label >= 0xC0) {
            int length = label >= 0xF0 ? 4 : label >= 0xE0 ? 3 : 2;
            partial[child] = label & (0x7F >>> length);
            missing[child] = length - 1;
            return true;
        } else {
            character = 0xFFFD; // a stray continuation byte: decoded as String does
        }
        missing[child] = 0;
        int k = read[d];
        appendCharacter(k, character);
        read[child] = k + 1;
        if (stepping[d]) {
            boolean alive;
            int slot;
            if (labelIsCharacter[d]) { // stepped already when the edge was gathered
                slot = slot(d, 1 + edge);
                alive = true;
            } else {
                long chi = automaton.characteristic(character, k);
                if (atBoundary && (chi & matchBits[d]) == 0 && !automaton.special(character)) {
                    slot = slot(d, 1); // leads where any non-matching character leads
                    alive = noMatchAlive[d];
                } else {
                    slot = slot(child, 0);
                    alive = automaton.step(states, stateAt[d], slot, k, chi, character);
                }
            }
            stateAt[child] = slot;
            if (prefix && alive) {
                accepted[child] = Math.min(accepted[d], automaton.distance(states, slot, k + 1));
            }
            if (!alive) {
                if (accepted[child] == NONE) {
                    return false;
                }
                stepping[child] = false;
            }
            settleIfDone(child);
        }
        return true;
    }

    /** In prefix mode a prefix at distance 0 cannot be improved on: stop stepping the automaton below it. */
    private void settleIfDone(int d) {
        if (prefix && accepted[d] == 0) {
            stepping[d] = false;
        }
    }

    private Candidate matchAt(int d) {
        if (missing[d] > 0 || !nodes[d].isFinal()) {
            return null;
        }
        int distance = prefix ? accepted[d] : automaton.distance(states, stateAt[d], read[d]);
        if (distance == NONE || onlyDistance >= 0 && distance != onlyDistance) {
            return null;
        }
        if (accept != null && !accept.test(nodes[d])) {
            return null;
        }
        return new Candidate(new String(term, 0, read[d]), distance);
    }

    /**
     * Gathers the edges worth following from the node at depth {@code d}. Every character absent from the query
     * window leads to one and the same state, computed once here (slot 1). If that state is dead, only window
     * characters can continue: they are stepped first (cheap) and looked up only if alive, each successor kept in
     * its own slot; otherwise every edge is visited.
     */
    private void expand(int d) {
        Node node = nodes[d];
        nextEdge[d] = 0;
        edgeCount[d] = 0;
        labelIsCharacter[d] = false;
        if (stepping[d] && missing[d] == 0) {
            int k = read[d];
            int at = stateAt[d];
            noMatchAlive[d] = automaton.stepWithoutMatch(states, at, slot(d, 1), k);
            long useful = automaton.matchBits(states, at);
            matchBits[d] = useful;
            if (!noMatchAlive[d] && accepted[d] == NONE) {
                labelIsCharacter[d] = true;
                int[] window = automaton.windowChars(k);
                ensureEdges(d, window.length);
                int count = 0;
                for (int character : window) {
                    long chi = automaton.characteristic(character, k);
                    if ((chi & useful) == 0 && !automaton.special(character)
                            || !automaton.step(states, at, slot(d, 1 + count), k, chi, character)) {
                        continue;
                    }
                    Node target = utf8 ? followUtf8(node, character) : node.transition(character);
                    if (target != null) {
                        labels[d][count] = character;
                        targets[d][count++] = target;
                    }
                }
                edgeCount[d] = count;
                return;
            }
        }
        ensureEdges(d, 0);
        gathering = d;
        node.forEachEdge(this);
    }

    /** Receives the edges of the node being expanded (the cursor is its own visitor: no allocation per node). */
    @Override
    public void edge(int label, Node target) {
        int count = edgeCount[gathering]++;
        if (count == labels[gathering].length) { // grown here: asking for edgeCount() first may cost a walk
            labels[gathering] = Arrays.copyOf(labels[gathering], count * 2);
            targets[gathering] = Arrays.copyOf(targets[gathering], count * 2);
        }
        labels[gathering][count] = label;
        targets[gathering][count] = target;
    }

    /** Index in {@link #states} of slot {@code s} of depth {@code d}. */
    private int slot(int d, int s) {
        return (d * slotsPerDepth + s) * width;
    }

    private static Node followUtf8(Node node, int c) {
        if (c < 0x80) {
            return node.transition(c);
        }
        Node at;
        if (c < 0x800) {
            at = node.transition(0xC0 | c >>> 6);
        } else if (c < 0x10000) {
            at = node.transition(0xE0 | c >>> 12);
            at = at == null ? null : at.transition(0x80 | c >>> 6 & 0x3F);
        } else {
            at = node.transition(0xF0 | c >>> 18);
            at = at == null ? null : at.transition(0x80 | c >>> 12 & 0x3F);
            at = at == null ? null : at.transition(0x80 | c >>> 6 & 0x3F);
        }
        return at == null ? null : at.transition(0x80 | c & 0x3F);
    }

    private void appendCharacter(int k, int character) {
        if (k == term.length) {
            term = Arrays.copyOf(term, term.length * 2);
        }
        term[k] = character;
    }

    private void ensureEdges(int d, int count) {
        if (labels[d] == null || labels[d].length < count) {
            int size = Math.max(count, 8);
            labels[d] = new int[size];
            targets[d] = new Node[size];
        }
    }

    private void ensureDepth(int needed) {
        if (needed < nodes.length) {
            return;
        }
        int size = Math.max(needed + 1, nodes.length * 2);
        nodes = Arrays.copyOf(nodes, size);
        read = Arrays.copyOf(read, size);
        stateAt = Arrays.copyOf(stateAt, size);
        partial = Arrays.copyOf(partial, size);
        missing = Arrays.copyOf(missing, size);
        accepted = Arrays.copyOf(accepted, size);
        stepping = Arrays.copyOf(stepping, size);
        noMatchAlive = Arrays.copyOf(noMatchAlive, size);
        matchBits = Arrays.copyOf(matchBits, size);
        labels = Arrays.copyOf(labels, size);
        targets = Arrays.copyOf(targets, size);
        labelIsCharacter = Arrays.copyOf(labelIsCharacter, size);
        edgeCount = Arrays.copyOf(edgeCount, size);
        nextEdge = Arrays.copyOf(nextEdge, size);
        int stateLongs = size * slotsPerDepth * width;
        states = states == null ? new long[stateLongs] : Arrays.copyOf(states, stateLongs);
    }
}
