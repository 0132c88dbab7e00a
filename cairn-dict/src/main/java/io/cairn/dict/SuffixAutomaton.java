package io.cairn.dict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A suffix automaton of many texts: the smallest automaton that recognises every substring of every text, built
 * online (each added text extends it in amortised O(1) states and edges per unit; at most 2n - 1 states for n
 * units). As a {@link Dictionary} its terms are the distinct substrings, so {@link #contains} is "is a substring
 * of some text" and the Levenshtein transducer walking it finds every substring within a distance of a query;
 * {@link #occurrences} and {@link #frequency} say where and how often a substring occurs.
 *
 * <p>Texts get ids 0, 1, 2, ... in the order they are added, and keep them: {@link #remove} drops a text by
 * rebuilding the automaton from the others (a suffix automaton cannot forget a text in place). Offsets count
 * alphabet units; the default alphabet is {@link Alphabet#CODE_POINTS}, so offsets are {@link String} indexes
 * for text within the Basic Multilingual Plane. Over {@link Alphabet#UTF8_BYTES} only substrings that start and
 * end on character boundaries are terms, and offsets count bytes.
 *
 * <p>Not thread-safe while texts are added or removed; once built, any number of threads may read it (the
 * occurrence index is built on first use under a lock).
 */
public final class SuffixAutomaton implements SubstringIndex {
    private final Alphabet alphabet;
    private final List<String> texts = new ArrayList<>();
    private Built built;

    /** One build over the live texts; {@link #remove} replaces it, so nodes of an old build stay consistent. */
    private static final class Built {
        final SuffixStates states = new SuffixStates();
        final TextUnits units;
        private OccurrenceIndex index;
        private long size = -1;

        Built(Alphabet alphabet) {
            units = new TextUnits(alphabet);
        }

        synchronized OccurrenceIndex index() {
            if (index == null) {
                index = new OccurrenceIndex(states);
            }
            return index;
        }

        void changed() {
            synchronized (this) {
                index = null;
            }
            size = -1;
        }
    }

    private SuffixAutomaton(Alphabet alphabet) {
        this.alphabet = Objects.requireNonNull(alphabet, "alphabet");
        this.built = new Built(alphabet);
    }

    /** An empty automaton over code points. */
    public static SuffixAutomaton create() {
        return create(Alphabet.CODE_POINTS);
    }

    /** An empty automaton over {@code alphabet}. */
    public static SuffixAutomaton create(Alphabet alphabet) {
        return new SuffixAutomaton(alphabet);
    }

    /** The automaton of {@code texts} over code points; text {@code i} of the list gets id {@code i}. */
    public static SuffixAutomaton of(List<String> texts) {
        return of(texts, Alphabet.CODE_POINTS);
    }

    /** The automaton of {@code texts} over {@code alphabet}; text {@code i} of the list gets id {@code i}. */
    public static SuffixAutomaton of(List<String> texts, Alphabet alphabet) {
        Objects.requireNonNull(texts, "texts");
        SuffixAutomaton automaton = create(alphabet);
        for (String text : texts) {
            automaton.add(text);
        }
        return automaton;
    }

    /**
     * Adds a text online and returns its id.
     *
     * @throws IllegalArgumentException if the text holds an unpaired surrogate on UTF-8 bytes, or the texts would
     *     exceed {@value SuffixStates#MAX_UNITS} units together
     */
    public int add(String text) {
        Objects.requireNonNull(text, "text");
        int id = texts.size();
        append(built, id, text);
        texts.add(text);
        return id;
    }

    private static void append(Built built, int id, String text) {
        int[] units = built.units.append(id, text);
        built.states.startText();
        for (int unit : units) {
            built.states.extend(unit);
        }
        built.changed();
    }

    /**
     * Removes text {@code id} by rebuilding the automaton from the other texts (they keep their ids); returns false
     * if it was removed already.
     *
     * @throws IllegalArgumentException if no text ever had that id
     */
    public boolean remove(int id) {
        checkId(id);
        if (texts.get(id) == null) {
            return false;
        }
        texts.set(id, null);
        Built rebuilt = new Built(alphabet);
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) != null) {
                append(rebuilt, i, texts.get(i));
            }
        }
        built = rebuilt;
        return true;
    }

    private void checkId(int id) {
        if (id < 0 || id >= texts.size()) {
            throw new IllegalArgumentException("no text has id " + id + "; ids run from 0 to " + (texts.size() - 1));
        }
    }

    /** The text with id {@code id}, or null if it was removed. */
    public String text(int id) {
        checkId(id);
        return texts.get(id);
    }

    /** How many ids were given out (removed texts included). */
    public int textCount() {
        return texts.size();
    }

    /** The current build's states, for {@link Scdawg} to compact. */
    SuffixStates states() {
        return built.states;
    }

    /** The current build's texts as units. */
    TextUnits units() {
        return built.units;
    }

    /** States of the automaton (the root included): at most 2n - 1 for n units of text, n >= 2. */
    public int stateCount() {
        return built.states.states;
    }

    /** Edges of the automaton. */
    public int edgeCount() {
        return built.states.edges;
    }

    /** Bytes the automaton's arrays hold (texts, states, edges, and the occurrence index once built). */
    public long footprint() {
        Built current = built;
        synchronized (current) {
            return current.units.footprint() + current.states.footprint()
                    + (current.index == null ? 0 : current.index.footprint());
        }
    }

    @Override
    public Alphabet alphabet() {
        return alphabet;
    }

    @Override
    public Node root() {
        return new StateNode(built, SuffixStates.ROOT);
    }

    /** The state {@code substring} leads to, or {@link SuffixStates#NONE}. */
    private static int walk(Built built, String substring) {
        Objects.requireNonNull(substring, "substring");
        int[] units;
        try {
            units = Units.of(substring, built.units.alphabet());
        } catch (IllegalArgumentException e) {
            return SuffixStates.NONE; // an unpaired surrogate has no UTF-8 form, so no text holds it
        }
        int state = SuffixStates.ROOT;
        for (int i = 0; i < units.length && state != SuffixStates.NONE; i++) {
            state = built.states.transition(state, units[i]);
        }
        return state;
    }

    @Override
    public boolean contains(String substring) {
        Built current = built;
        int state = walk(current, substring);
        return state != SuffixStates.NONE && (state != SuffixStates.ROOT || current.units.segmentCount() > 0);
    }

    @Override
    public long frequency(String substring) {
        Built current = built;
        int state = walk(current, substring);
        if (state == SuffixStates.NONE) {
            return 0;
        }
        if (state == SuffixStates.ROOT) { // the empty substring occurs before every unit and at every text's end
            return (long) current.units.length() + current.units.segmentCount();
        }
        return current.index().count(state);
    }

    @Override
    public List<Occurrence> occurrences(String substring) {
        Built current = built;
        int state = walk(current, substring);
        if (state == SuffixStates.NONE) {
            return List.of();
        }
        TextUnits units = current.units;
        List<Occurrence> result = new ArrayList<>();
        if (state == SuffixStates.ROOT) {
            for (int segment = 0; segment < units.segmentCount(); segment++) {
                for (int offset = 0; offset <= units.segmentLength(segment); offset++) {
                    result.add(new Occurrence(units.segmentText(segment), offset));
                }
            }
            return result;
        }
        int length = Units.of(substring, alphabet).length;
        int[] starts = current.index().endPositions(state);
        for (int i = 0; i < starts.length; i++) {
            starts[i] -= length - 1;
        }
        Arrays.sort(starts); // segments are laid out in id order, so global order is (text, offset) order
        for (int start : starts) {
            result.add(units.occurrenceAt(start));
        }
        return result;
    }

    /**
     * The number of distinct substrings (terms), counted once per build by summing, in topological order, the
     * paths from the root to every final state: O(states + edges).
     */
    @Override
    public long size() {
        Built current = built;
        if (current.size < 0) {
            current.size = countTerms(current);
        }
        return current.size;
    }

    private static long countTerms(Built built) {
        SuffixStates states = built.states;
        long[] paths = new long[states.states];
        paths[SuffixStates.ROOT] = 1;
        long total = 0;
        for (int v : states.byLength()) {
            if (isFinal(built, v)) {
                total += paths[v];
            }
            for (int e = states.edgeHead[v]; e != SuffixStates.NONE; e = states.edgeNext[e]) {
                if (isEdge(built, v, states.edgeLabel[e])) {
                    paths[states.edgeTarget[e]] += paths[v];
                }
            }
        }
        return total;
    }

    /** Whether a path may take {@code state}'s edge on {@code label}: a term never starts inside a character. */
    private static boolean isEdge(Built built, int state, int label) {
        return state != SuffixStates.ROOT || built.units.alphabet() == Alphabet.CODE_POINTS
                || !TextUnits.isContinuation(label);
    }

    /**
     * Whether the substrings of {@code state} are terms: the root's (the empty substring) once there is a text;
     * others unless, on UTF-8, they end inside a character (all of a state's substrings end at the same positions,
     * so its first end position decides).
     */
    private static boolean isFinal(Built built, int state) {
        if (state == SuffixStates.ROOT) {
            return built.units.segmentCount() > 0;
        }
        return built.units.boundaryAfter(built.states.firstEnd[state]);
    }

    /** A state as a dictionary node: a light view, equal to every view of the same state of the same build. */
    private record StateNode(Built built, int state) implements Node {

        @Override
        public boolean isFinal() {
            return SuffixAutomaton.isFinal(built, state);
        }

        @Override
        public Node transition(int unit) {
            if (!isEdge(built, state, unit)) {
                return null;
            }
            int target = built.states.transition(state, unit);
            return target == SuffixStates.NONE ? null : new StateNode(built, target);
        }

        @Override
        public int edgeCount() {
            int count = 0;
            SuffixStates states = built.states;
            for (int e = states.edgeHead[state]; e != SuffixStates.NONE; e = states.edgeNext[e]) {
                if (isEdge(built, state, states.edgeLabel[e])) {
                    count++;
                }
            }
            return count;
        }

        @Override
        public void forEachEdge(EdgeVisitor visitor) {
            SuffixStates states = built.states;
            for (int e = states.edgeHead[state]; e != SuffixStates.NONE; e = states.edgeNext[e]) {
                int label = states.edgeLabel[e];
                if (isEdge(built, state, label)) {
                    visitor.edge(label, new StateNode(built, states.edgeTarget[e]));
                }
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof StateNode node && node.built == built && node.state == state;
        }

        @Override
        public int hashCode() {
            return state;
        }

        @Override
        public String toString() {
            return "SuffixAutomaton.StateNode[state=" + state + "]";
        }
    }
}
