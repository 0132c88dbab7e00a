package io.cairn.dict;

import java.util.Arrays;

/**
 * The nodes and edges of a symmetric compact DAWG (Blumer, Ehrenfeucht and Haussler 1987; Inenaga et al. 2005),
 * compacted from a suffix automaton of the same texts.
 *
 * <p><b>Nodes</b> are the maximal repeats: substrings that can be extended neither left nor right without losing
 * an occurrence (a text boundary counts as a distinct neighbour), plus the empty string (node 0, the source).
 * In the suffix automaton they are the states whose longest substring is right-maximal: the root, states with
 * other than one edge, and states holding a suffix of some text ("terminal"). A node stands for every substring
 * that occurs exactly where its maximal repeat {@code repr} does, at a fixed offset inside it, so occurrences of
 * any substring are occurrences of one node shifted; {@link #count} is the node's occurrence count.
 *
 * <p><b>Right edges</b> compact the automaton's chains of other states: from node v on unit c the edge spells
 * the units the automaton reads from v through single-edge states until it reaches a node w; {@code repr(v)}
 * followed by the label is a suffix of {@code repr(w)}. <b>Left edges</b> come from the suffix-link tree: a child
 * u of v holds c + repr(v) for one unit c, extended left as far as u's class goes and then right along its
 * chain to a node w; {@code repr(w)} = beta + repr(v) + rho, and the edge keeps c (the last unit of beta) as its
 * label and |beta| as its length. Labels are not stored: they are slices of the texts ending where
 * {@code repr(target)} first ends ({@link #firstEnd}).
 *
 * <p><b>Terminals</b> list, per node, the texts its repr is a suffix of: following right edges from a node to a
 * terminal spells one suffix of that text, so the paths from a node to terminals are exactly its occurrences.
 */
final class ScdawgGraph {
    final TextUnits units;
    final int nodes;
    /** Length of each node's repr, the global position where it first ends, and how often it occurs. */
    final int[] len;
    final int[] firstEnd;
    final int[] count;
    final int[] rightStart;
    final int[] rightLabel;
    final int[] rightTarget;
    final int[] rightLength;
    final int[] leftStart;
    final int[] leftLabel;
    final int[] leftTarget;
    final int[] leftLength;
    /** Per node, the segments (texts) its repr is a suffix of. */
    final int[] terminalStart;
    final int[] terminalSegment;
    /** Distinct substrings: the terms of the dictionary view, as the suffix automaton counted them. */
    final long terms;

    ScdawgGraph(SuffixAutomaton automaton) {
        SuffixStates sa = automaton.states();
        units = automaton.units();
        terms = automaton.size();
        int states = sa.states;

        // Terminal states: every suffix of every text, found along the suffix links of its whole-text state.
        int[] terminalCount = new int[states];
        int entries = 0;
        for (int segment = 0; segment < units.segmentCount(); segment++) {
            for (int s = wholeText(sa, segment); s != SuffixStates.NONE; s = sa.link[s]) {
                terminalCount[s]++;
                entries++;
            }
        }
        int[] outDegree = new int[states];
        int[] onlyTarget = new int[states];
        for (int s = 0; s < states; s++) {
            for (int e = sa.edgeHead[s]; e != SuffixStates.NONE; e = sa.edgeNext[e]) {
                outDegree[s]++;
                onlyTarget[s] = sa.edgeTarget[e];
            }
        }
        int[] nodeOf = new int[states];
        int nodeCount = 0;
        for (int s = 0; s < states; s++) {
            boolean node = s == SuffixStates.ROOT || outDegree[s] != 1 || terminalCount[s] > 0;
            nodeOf[s] = node ? nodeCount++ : -1;
        }
        nodes = nodeCount;

        // Where each chain of single-edge states ends, and how long it is: deepest first (transitions lengthen).
        int[] order = sa.byLength();
        int[] chainEnd = new int[states];
        int[] chainLength = new int[states];
        int[] occurrences = new int[states];
        for (int p = 0; p < sa.positions; p++) {
            occurrences[sa.positionState[p]]++;
        }
        for (int i = order.length - 1; i >= 0; i--) {
            int s = order[i];
            if (nodeOf[s] < 0) {
                int next = onlyTarget[s];
                chainEnd[s] = nodeOf[next] >= 0 ? next : chainEnd[next];
                chainLength[s] = nodeOf[next] >= 0 ? 1 : chainLength[next] + 1;
            }
            if (s != SuffixStates.ROOT) {
                occurrences[sa.link[s]] += occurrences[s];
            }
        }

        len = new int[nodes];
        firstEnd = new int[nodes];
        count = new int[nodes];
        terminalStart = new int[nodes + 1];
        terminalSegment = new int[entries];
        rightStart = new int[nodes + 1];
        leftStart = new int[nodes + 1];
        int rightEdges = 0;
        int[] linkChildren = new int[states];
        for (int s = 0; s < states; s++) {
            if (nodeOf[s] >= 0) {
                int v = nodeOf[s];
                len[v] = sa.len[s];
                firstEnd[v] = sa.firstEnd[s];
                count[v] = occurrences[s];
                terminalStart[v + 1] = terminalCount[s];
                rightEdges += outDegree[s];
                rightStart[v + 1] = outDegree[s];
            }
            if (s != SuffixStates.ROOT) {
                linkChildren[sa.link[s]]++;
            }
        }
        // The empty substring also occurs after the last unit of every text.
        count[0] = sa.positions + units.segmentCount();
        int leftEdges = 0;
        for (int s = 0; s < states; s++) {
            if (nodeOf[s] >= 0) {
                leftStart[nodeOf[s] + 1] = linkChildren[s];
                leftEdges += linkChildren[s];
            }
        }
        prefixSums(terminalStart);
        prefixSums(rightStart);
        prefixSums(leftStart);

        int[] fill = Arrays.copyOf(terminalStart, nodes);
        for (int segment = 0; segment < units.segmentCount(); segment++) {
            for (int s = wholeText(sa, segment); s != SuffixStates.NONE; s = sa.link[s]) {
                terminalSegment[fill[nodeOf[s]]++] = segment;
            }
        }

        rightLabel = new int[rightEdges];
        rightTarget = new int[rightEdges];
        rightLength = new int[rightEdges];
        for (int s = 0; s < states; s++) {
            if (nodeOf[s] < 0) {
                continue;
            }
            int edge = rightStart[nodeOf[s]];
            for (int e = sa.edgeHead[s]; e != SuffixStates.NONE; e = sa.edgeNext[e]) {
                int u = sa.edgeTarget[e];
                rightLabel[edge] = sa.edgeLabel[e];
                rightTarget[edge] = nodeOf[nodeOf[u] >= 0 ? u : chainEnd[u]];
                rightLength[edge++] = nodeOf[u] >= 0 ? 1 : 1 + chainLength[u];
            }
        }

        leftLabel = new int[leftEdges];
        leftTarget = new int[leftEdges];
        leftLength = new int[leftEdges];
        fill = Arrays.copyOf(leftStart, nodes);
        for (int u = 1; u < states; u++) {
            int parent = sa.link[u];
            if (nodeOf[parent] < 0) {
                continue;
            }
            int w = nodeOf[u] >= 0 ? u : chainEnd[u];
            int rho = nodeOf[u] >= 0 ? 0 : chainLength[u];
            int beta = sa.len[w] - rho - sa.len[parent];
            int edge = fill[nodeOf[parent]]++;
            leftLabel[edge] = units.unit(sa.firstEnd[w] - sa.len[w] + beta);
            leftTarget[edge] = nodeOf[w];
            leftLength[edge] = beta;
        }
        for (int v = 0; v < nodes; v++) {
            sortByLabel(leftStart[v], leftStart[v + 1]);
        }
    }

    /** The state a whole text (segment) reaches: where its last unit's prefix ended, or the root if it is empty. */
    private int wholeText(SuffixStates sa, int segment) {
        int length = units.segmentLength(segment);
        return length == 0 ? SuffixStates.ROOT
                : sa.positionState[units.segmentStart(segment) + length - 1];
    }

    private static void prefixSums(int[] counts) {
        for (int i = 1; i < counts.length; i++) {
            counts[i] += counts[i - 1];
        }
    }

    /** Insertion sort of the left edges [from, to) by label: a node has few, and their labels are distinct. */
    private void sortByLabel(int from, int to) {
        for (int i = from + 1; i < to; i++) {
            int label = leftLabel[i];
            int target = leftTarget[i];
            int length = leftLength[i];
            int j = i - 1;
            while (j >= from && leftLabel[j] > label) {
                leftLabel[j + 1] = leftLabel[j];
                leftTarget[j + 1] = leftTarget[j];
                leftLength[j + 1] = leftLength[j];
                j--;
            }
            leftLabel[j + 1] = label;
            leftTarget[j + 1] = target;
            leftLength[j + 1] = length;
        }
    }

    /** The edge among [from, to) whose label is {@code unit}, or -1 (labels ascending: binary search). */
    static int find(int[] labels, int from, int to, int unit) {
        int index = Arrays.binarySearch(labels, from, to, unit);
        return index < 0 ? -1 : index;
    }

    /** Unit {@code k} of right edge {@code e}'s label (the label ends where its target's repr first ends). */
    int rightUnit(int e, int k) {
        return units.unit(firstEnd[rightTarget[e]] - rightLength[e] + 1 + k);
    }

    /** Unit {@code k} of node {@code v}'s repr. */
    int reprUnit(int v, int k) {
        return units.unit(firstEnd[v] - len[v] + 1 + k);
    }

    long footprint() {
        return units.footprint() + 12L * nodes + 16L * (nodes + 1) + 12L * rightLabel.length
                + 12L * leftLabel.length + 4L * terminalSegment.length;
    }
}
