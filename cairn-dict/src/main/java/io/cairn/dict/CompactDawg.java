package io.cairn.dict;

import static io.cairn.dict.DictionaryImageFormat.NODE_EDGE_SHIFT;
import static io.cairn.dict.DictionaryImageFormat.NODE_FINAL;
import static io.cairn.dict.DictionaryImageFormat.NODE_HAS_VALUE;

import java.io.IOException;
import java.util.Arrays;
import java.util.BitSet;

/**
 * A minimal DAWG built in one pass over sorted terms (Daciuk, Mihov, Watson and Watson 2000, the sorted variant),
 * kept in the compact form it is saved in: each node, once no later term can change it, is looked up in a registry
 * of the nodes so far and, if new, appended as its image record ({@link DictionaryImageFormat}: header, edges with
 * labels delta-coded and children named by their distance back, value) to one paged byte store. Node ids are
 * creation order, so children precede parents and the root comes last, as the image requires; the DAWG image is
 * the store itself, and a double-array trie is placed from it ({@link DoubleArrayPlacer}).
 *
 * <p>Memory per node: its record (about one byte plus two or three per edge, plus its value), its offset and
 * hash (8 bytes) and a registry slot (about 6 bytes); nothing per term. The registry is an open-addressing table
 * of node ids: a probe compares hashes, then decodes the candidate's record to confirm, so a hash collision never
 * merges two nodes.
 */
final class CompactDawg {
    private static final int EMPTY_SLOT = 0;

    private final Alphabet alphabet;
    private final PagedBytes records = new PagedBytes();
    private final PagedInts offsets = new PagedInts();
    private final PagedInts hashes = new PagedInts();
    private int[] table = new int[1 << 16];
    private int nodeCount;
    private long termCount;
    private final BitSet units = new BitSet();

    /** The nodes of the last term added, still open to new edges: {@code open[d]} after d units. */
    private OpenNode[] open = {new OpenNode()};
    private int[] previous = new int[16];
    private int previousLength = -1;
    private int root = -1;

    /** Reused while decoding a record. */
    private final Node scratch = new Node();

    CompactDawg(Alphabet alphabet) {
        this.alphabet = alphabet;
    }

    /**
     * The DAWG of terms prepared for an in-memory build; each value is carried as its term's index in
     * {@code terms} ({@link SortedTerms#valueOf} maps it back), since values there are objects without a codec.
     */
    static CompactDawg of(SortedTerms terms, Alphabet alphabet) {
        CompactDawg dawg = new CompactDawg(alphabet);
        int[][] units = terms.units();
        for (int t = 0; t < units.length; t++) {
            dawg.add(units[t], units[t].length, terms.values() == null ? null : SortedTerms.index(t));
        }
        dawg.finish();
        return dawg;
    }

    Alphabet alphabet() {
        return alphabet;
    }

    /**
     * Adds the term spelt by {@code units[0..length)}, which must not sort before the previous one; an equal term
     * replaces the previous one's value (the last value wins). {@code value} is its encoded value or null.
     *
     * @throws IllegalArgumentException if the term sorts before the previous one
     */
    void add(int[] units, int length, byte[] value) {
        if (root >= 0) {
            throw new IllegalStateException("the DAWG is finished");
        }
        int common = 0;
        int limit = Math.min(length, previousLength);
        while (common < limit && previous[common] == units[common]) {
            common++;
        }
        if (previousLength >= 0) {
            if (common == length && common == previousLength) {
                open[length].value = value; // the same term again: the last value wins
                return;
            }
            if (common == length || common < previousLength && units[common] < previous[common]) {
                throw new IllegalArgumentException("terms out of order: a term sorts before the one added before it");
            }
        }
        close(common);
        if (open.length <= length) {
            int old = open.length;
            open = Arrays.copyOf(open, Math.max(length + 1, old * 2));
            for (int d = old; d < open.length; d++) {
                open[d] = new OpenNode();
            }
        }
        for (int d = common + 1; d <= length; d++) {
            open[d].reset();
        }
        open[length].isFinal = true;
        open[length].value = value;
        if (previous.length < length) {
            previous = Arrays.copyOf(previous, Math.max(length, previous.length * 2));
        }
        System.arraycopy(units, common, previous, common, length - common);
        for (int i = common; i < length; i++) {
            this.units.set(units[i]);
        }
        previousLength = length;
        termCount++;
    }

    /** Makes the open nodes of the previous term deeper than {@code depth} canonical, attaching each to its parent. */
    private void close(int depth) {
        for (int d = previousLength; d > depth; d--) {
            open[d - 1].add(previous[d - 1], canonical(open[d]));
        }
    }

    /** Closes every open node; the root is then the last node, or there is none if no term was added. */
    void finish() {
        if (root >= 0) {
            return;
        }
        if (previousLength < 0) {
            root = Integer.MAX_VALUE; // no term: the image gets an empty root
            return;
        }
        close(0);
        int before = nodeCount;
        int id = canonical(open[0]);
        if (id != before) {
            throw new IllegalStateException("the root of a finite language cannot equal another node");
        }
        root = id;
    }

    long termCount() {
        return termCount;
    }

    int nodeCount() {
        return nodeCount;
    }

    /** Whether no term was added. */
    boolean isEmpty() {
        return previousLength < 0;
    }

    /** The root's id (the last node); only after {@link #finish} on a non-empty DAWG. */
    int root() {
        return root;
    }

    /** The units that occur in some term, ascending. */
    int[] alphabetUnits() {
        return units.stream().toArray();
    }

    /** Bytes of the node records so far. */
    long recordBytes() {
        return records.size();
    }

    /** The id of the node equal to {@code node}, appending it if there is none yet. */
    private int canonical(OpenNode node) {
        int hash = node.hash();
        int mask = table.length - 1;
        for (int slot = mix(hash) & mask; ; slot = slot + 1 & mask) {
            int entry = table[slot];
            if (entry == EMPTY_SLOT) {
                int id = append(node, hash);
                table[slot] = id + 1;
                if (nodeCount > table.length / 10 * 6) {
                    grow();
                }
                return id;
            }
            int id = entry - 1;
            if (hashes.get(id) == hash && node.sameAs(read(id, scratch))) {
                return id;
            }
        }
    }

    private int append(OpenNode node, int hash) {
        int id = nodeCount++;
        if (id < 0) {
            throw new IllegalArgumentException("more than 2^31 DAWG nodes: over the image limit");
        }
        offsets.add(records.size());
        hashes.add(hash);
        records.addVarint((long) node.edges << NODE_EDGE_SHIFT | (node.isFinal ? NODE_FINAL : 0)
                | (node.value != null ? NODE_HAS_VALUE : 0));
        int previousLabel = 0;
        for (int e = 0; e < node.edges; e++) {
            records.addVarint(node.labels[e] - previousLabel);
            previousLabel = node.labels[e];
            records.addVarint(id - node.children[e]);
        }
        if (node.value != null) {
            records.addVarint(node.value.length);
            records.add(node.value);
        }
        return id;
    }

    private void grow() {
        int[] grown = new int[table.length * 2];
        int mask = grown.length - 1;
        for (int entry : table) {
            if (entry != EMPTY_SLOT) {
                int slot = mix(hashes.get(entry - 1)) & mask;
                while (grown[slot] != EMPTY_SLOT) {
                    slot = slot + 1 & mask;
                }
                grown[slot] = entry;
            }
        }
        table = grown;
    }

    private static int mix(int h) {
        h *= 0x9E3779B9;
        return h ^ h >>> 16;
    }

    /** Decodes node {@code id} into {@code into} (children as ids, the value as bytes) and returns it. */
    Node read(int id, Node into) {
        readAt = offsets.get(id);
        long header = readVarint();
        into.isFinal = (header & NODE_FINAL) != 0;
        into.edges = (int) (header >>> NODE_EDGE_SHIFT);
        into.ensure(into.edges);
        int label = 0;
        for (int e = 0; e < into.edges; e++) {
            label += (int) readVarint();
            into.labels[e] = label;
            into.children[e] = id - (int) readVarint();
        }
        into.valueOffset = -1;
        into.valueLength = 0;
        if ((header & NODE_HAS_VALUE) != 0) {
            into.valueLength = (int) readVarint();
            into.valueOffset = readAt;
        }
        return into;
    }

    /** Where {@link #readVarint} reads next in {@link #records}. */
    private int readAt;
    private final java.util.function.IntUnaryOperator recordByte = at -> records.get(at);

    private long readVarint() {
        long value = Varints.get(recordByte, readAt);
        readAt += Varints.size(value);
        return value;
    }

    /** The value bytes of a node {@link #read} decoded, or null. */
    byte[] value(Node node) {
        if (node.valueOffset < 0) {
            return null;
        }
        byte[] value = new byte[node.valueLength];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) records.get(node.valueOffset + i);
        }
        return value;
    }

    /**
     * Writes the DAWG payload (kinds 2 and 3): the counts, then the records as they are, and an empty root if
     * there is no term.
     */
    void writePayload(PayloadOut out) throws IOException {
        finish();
        if (isEmpty()) {
            out.writeVarint(1);
            out.writeVarint(0);
            out.writeVarint(0);
            return;
        }
        out.writeVarint(nodeCount);
        out.writeVarint(termCount);
        records.writeTo(out, 0, records.size());
    }

    /** A decoded node: what {@link #read} fills in. */
    static final class Node {
        boolean isFinal;
        int edges;
        int[] labels = new int[8];
        int[] children = new int[8];
        int valueOffset;
        int valueLength;

        void ensure(int count) {
            if (labels.length < count) {
                labels = new int[Math.max(count, labels.length * 2)];
                children = new int[labels.length];
            }
        }
    }

    /** A node of the last term, still open to new edges. */
    private final class OpenNode {
        boolean isFinal;
        byte[] value;
        int[] labels = new int[4];
        int[] children = new int[4];
        int edges;

        void reset() {
            isFinal = false;
            value = null;
            edges = 0;
        }

        void add(int label, int child) {
            if (edges == labels.length) {
                labels = Arrays.copyOf(labels, edges * 2);
                children = Arrays.copyOf(children, edges * 2);
            }
            labels[edges] = label;
            children[edges++] = child;
        }

        int hash() {
            int h = isFinal ? 0x5bd1e995 : 0x1b873593;
            h = 31 * h + (value == null ? 0 : Arrays.hashCode(value) | 1);
            for (int e = 0; e < edges; e++) {
                h = 31 * h + labels[e];
                h = 31 * h + children[e];
            }
            return h;
        }

        boolean sameAs(Node node) {
            if (node.isFinal != isFinal || node.edges != edges || (node.valueOffset >= 0) != (value != null)) {
                return false;
            }
            for (int e = 0; e < edges; e++) {
                if (node.labels[e] != labels[e] || node.children[e] != children[e]) {
                    return false;
                }
            }
            if (value != null) {
                if (node.valueLength != value.length) {
                    return false;
                }
                for (int i = 0; i < value.length; i++) {
                    if ((byte) records.get(node.valueOffset + i) != value[i]) {
                        return false;
                    }
                }
            }
            return true;
        }
    }
}
