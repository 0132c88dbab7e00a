package io.cairn.bench.dict;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.IntsRefBuilder;
import org.apache.lucene.util.automaton.ByteRunAutomaton;
import org.apache.lucene.util.automaton.LevenshteinAutomata;
import org.apache.lucene.util.fst.FST;
import org.apache.lucene.util.fst.FSTCompiler;
import org.apache.lucene.util.fst.NoOutputs;
import org.apache.lucene.util.fst.Util;

/**
 * Lucene: an {@link FST} of the words (no outputs), fuzzy search as {@link LevenshteinAutomata} (with transpositions)
 * compiled to a UTF-8 {@link ByteRunAutomaton} and intersected with the FST by a depth-first walk of its arcs,
 * stepping the run automaton along and abandoning dead states.
 */
final class LuceneFstEngine implements FuzzyEngine {

    private final FST<Object> fst;

    LuceneFstEngine(List<String> sortedWords) throws IOException {
        NoOutputs outputs = NoOutputs.getSingleton();
        FSTCompiler<Object> compiler = new FSTCompiler.Builder<>(FST.INPUT_TYPE.BYTE1, outputs).build();
        IntsRefBuilder scratch = new IntsRefBuilder();
        for (String word : sortedWords) {
            compiler.add(Util.toIntsRef(new BytesRef(word), scratch), outputs.getNoOutput());
        }
        fst = FST.fromFSTReader(compiler.compile(), compiler.getFSTReader());
    }

    @Override
    public List<String> fuzzy(String query, int distance) throws IOException {
        ByteRunAutomaton automaton = new ByteRunAutomaton(new LevenshteinAutomata(query, true).toAutomaton(distance));
        List<String> hits = new ArrayList<>();
        FST.BytesReader reader = fst.getBytesReader();
        FST.Arc<Object> root = fst.getFirstArc(new FST.Arc<>());
        byte[] path = new byte[64];
        List<FST.Arc<Object>> arcs = new ArrayList<>();
        walk(root, 0, 0, path, arcs, automaton, reader, hits);
        return hits;
    }

    /** Visits the arcs leaving the target of {@code from}, reached with {@code depth} bytes in {@code path}. */
    private void walk(FST.Arc<Object> from, int state, int depth, byte[] path, List<FST.Arc<Object>> arcs,
            ByteRunAutomaton automaton, FST.BytesReader reader, List<String> hits) throws IOException {
        if (!FST.targetHasArcs(from)) {
            return;
        }
        if (arcs.size() == depth) {
            arcs.add(new FST.Arc<>());
        }
        FST.Arc<Object> arc = fst.readFirstTargetArc(from, arcs.get(depth), reader);
        while (true) {
            if (arc.label() != FST.END_LABEL) {
                int next = automaton.step(state, arc.label());
                if (next != -1) {
                    if (depth == path.length) {
                        path = java.util.Arrays.copyOf(path, depth * 2);
                    }
                    path[depth] = (byte) arc.label();
                    if (arc.isFinal() && automaton.isAccept(next)) {
                        hits.add(new BytesRef(path, 0, depth + 1).utf8ToString());
                    }
                    walk(arc, next, depth + 1, path, arcs, automaton, reader, hits);
                }
            }
            if (arc.isLast()) {
                return;
            }
            fst.readNextArc(arc, reader);
        }
    }

    @Override
    public Set<String> fuzzyTerms(String query, int distance) throws IOException {
        return new HashSet<>(fuzzy(query, distance));
    }

    @Override
    public boolean contains(String term) throws IOException {
        return Util.get(fst, new BytesRef(term)) != null;
    }

    @Override
    public long bytes() {
        return fst.numBytes();
    }

    @Override
    public String bytesMeaning() {
        return "FST numBytes (its saved body)";
    }
}
