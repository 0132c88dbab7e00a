package io.cairn.dict;

import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * A dynamic DAWG: a minimal acyclic automaton of terms (optionally with values) that supports insert, remove and
 * value updates at run time, over UTF-8 bytes or code points.
 *
 * <p><b>Minimal after every mutation.</b> Suffixes are shared by hash-consing: nodes are immutable and unique by
 * structure (a 64-bit signature of final flag, value and sorted (label, child) edges, confirmed structurally
 * against collisions), and reference counts remove dead nodes from the registry at once. Terms carrying different
 * values cannot share their final nodes, so values cost sharing near the ends of terms; values are compared with
 * {@code equals}.
 *
 * <p><b>Thread-safe.</b> Writers serialise on one lock; readers ({@link #contains}, {@link #getValue},
 * {@link #root()} and the traversal) take no lock and see one consistent version per call: a traversal started
 * from {@link #root()} keeps walking the version it started on, however the DAWG changes meanwhile.
 *
 * <p><b>Registry memory.</b> The registry holds one entry per live node and nothing else. {@link #create(Alphabet,
 * int)} caps how many nodes mutations register: past the cap, new nodes stay unshared (correct, not minimal,
 * {@link #isMinimal()} false) until {@link #minimize()} merges them. {@link #compact()} rebuilds every node into a
 * fresh registry (hash tables never shrink by themselves, so this returns memory after mass removals).
 *
 * @param <V> the value type (values are optional per term, never null)
 */
public final class Dawg<V> implements MutableMappedDictionary<V> {
    private final Alphabet alphabet;
    private final DawgGraph graph;

    private Dawg(Alphabet alphabet, DawgGraph graph) {
        this.alphabet = alphabet;
        this.graph = graph;
    }

    /** An empty DAWG over UTF-8 bytes. */
    public static <V> Dawg<V> create() {
        return create(Alphabet.UTF8_BYTES);
    }

    /** An empty DAWG over {@code alphabet}, always minimal. */
    public static <V> Dawg<V> create(Alphabet alphabet) {
        return create(alphabet, Integer.MAX_VALUE);
    }

    /**
     * An empty DAWG over {@code alphabet} whose mutations register at most {@code registryLimit} nodes for
     * sharing (see the class comment).
     */
    public static <V> Dawg<V> create(Alphabet alphabet, int registryLimit) {
        return new Dawg<>(Objects.requireNonNull(alphabet, "alphabet"), new DawgGraph(registryLimit));
    }

    /**
     * A DAWG of {@code terms} over {@code alphabet}, built in one pass over the sorted terms: much faster than
     * inserting them one by one, with the same minimal graph. The result is mutable like any other DAWG.
     */
    public static <V> Dawg<V> of(Collection<String> terms, Alphabet alphabet) {
        return build(SortedTerms.of(terms, alphabet), alphabet);
    }

    /** A DAWG of the keys of {@code entries} with their values, built in one pass; a repeated key's last value wins. */
    public static <V> Dawg<V> ofEntries(Collection<? extends Map.Entry<String, ? extends V>> entries,
            Alphabet alphabet) {
        return build(SortedTerms.ofEntries(entries, alphabet), alphabet);
    }

    /**
     * Builds through the same path as an image too large for memory ({@link ImageBuilder}): the DAWG in its compact
     * saved form, then loaded as if from its image (values carried as term indexes and mapped back).
     */
    private static <V> Dawg<V> build(SortedTerms terms, Alphabet alphabet) {
        CompactDawg compact = CompactDawg.of(terms, alphabet);
        ImageWriter payload = new ImageWriter((int) Math.min(Integer.MAX_VALUE, compact.recordBytes() + 16));
        boolean valued = terms.values() != null;
        try {
            compact.writePayload(payload);
            DictionaryImage image = new DictionaryImage(DictionaryImageFormat.KIND_DAWG,
                    DictionaryImageFormat.alphabetCode(alphabet), valued ? DictionaryImageFormat.FLAG_HAS_VALUES : 0,
                    MemorySegment.ofArray(payload.toByteArray()), null);
            ValueCodec<Object> indexes = valued ? new ValueCodec<>() {
                @Override
                public byte[] encode(Object value) {
                    throw new UnsupportedOperationException("indexes are only decoded");
                }

                @Override
                public Object decode(byte[] bytes) {
                    return terms.valueOf(bytes);
                }
            } : null;
            return new Dawg<>(alphabet, DawgGraph.load(image, indexes, alphabet, Integer.MAX_VALUE));
        } catch (IOException e) {
            throw new IllegalStateException("the builder laid out an impossible DAWG", e);
        }
    }

    private long[] units(String term) {
        int[] units = Units.of(Objects.requireNonNull(term, "term"), alphabet);
        long[] labels = new long[units.length];
        for (int i = 0; i < units.length; i++) {
            labels[i] = units[i];
        }
        return labels;
    }

    /** The units of a term to remove, or null if the term cannot be in the dictionary (unpaired surrogate). */
    private long[] unitsToFind(String term) {
        try {
            return units(term);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The node {@code term} leads to in the current version, or null; allocation-light, for lookups. */
    private DawgNode find(String term) {
        Objects.requireNonNull(term, "term");
        DawgNode node = graph.snapshot().root();
        if (alphabet == Alphabet.CODE_POINTS) {
            for (int i = 0; i < term.length() && node != null; ) {
                int cp = term.codePointAt(i);
                i += Character.charCount(cp);
                node = node.child(cp);
            }
            return node;
        }
        byte[] bytes = Units.utf8(term);
        for (int i = 0; bytes != null && i < bytes.length && node != null; i++) {
            node = node.child(bytes[i] & 0xFF);
        }
        return bytes == null ? null : node;
    }

    @Override
    public Node root() {
        return graph.snapshot().root();
    }

    @Override
    public Alphabet alphabet() {
        return alphabet;
    }

    @Override
    public boolean contains(String term) {
        DawgNode end = find(term);
        return end != null && end.isFinal;
    }

    @Override
    public long size() {
        return graph.snapshot().size();
    }

    @Override
    @SuppressWarnings("unchecked")
    public V getValue(String term) {
        DawgNode end = find(term);
        return end != null && end.isFinal ? (V) end.value : null;
    }

    @Override
    @SuppressWarnings("unchecked")
    public V valueAt(Node node) {
        if (!(node instanceof DawgNode dawgNode)) {
            throw new IllegalArgumentException("node " + node + " does not belong to a DAWG");
        }
        return dawgNode.isFinal ? (V) dawgNode.value : null;
    }

    @Override
    public boolean insert(String term) {
        return graph.insert(units(term));
    }

    @Override
    public boolean remove(String term) {
        long[] units = unitsToFind(term);
        return units != null && graph.remove(units);
    }

    @Override
    public boolean insertWithValue(String term, V value) {
        long[] units = units(term);
        return graph.insertWithValue(units, Objects.requireNonNull(value, "value"));
    }

    @Override
    @SuppressWarnings("unchecked")
    public V updateOrInsert(String term, V defaultValue, UnaryOperator<V> updater) {
        long[] units = units(term);
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(updater, "updater");
        return (V) graph.updateOrInsert(units, defaultValue, value -> updater.apply((V) value));
    }

    @Override
    public long unionWith(MappedDictionary<? extends V> other, BinaryOperator<V> merge) {
        Objects.requireNonNull(other, "other");
        Objects.requireNonNull(merge, "merge");
        return graph.exclusively(() -> {
            // Every merge runs before anything changes, so a failing or null-returning merge leaves us as we were.
            List<String> absent = new ArrayList<>();
            List<Map.Entry<String, V>> values = new ArrayList<>();
            other.entries().forEachOrdered(entry -> {
                String term = entry.term();
                V theirs = entry.value();
                boolean present = contains(term);
                if (!present) {
                    absent.add(term);
                }
                if (theirs != null) {
                    V mine = present ? getValue(term) : null;
                    values.add(Map.entry(term, mine == null ? theirs
                            : Objects.requireNonNull(merge.apply(mine, theirs), "merge result")));
                }
            });
            absent.forEach(this::insert);
            values.forEach(entry -> insertWithValue(entry.getKey(), entry.getValue()));
            return (long) absent.size();
        });
    }

    /** Live nodes of the automaton (an empty DAWG has its one root): equal to the minimal automaton's when minimal. */
    public long nodeCount() {
        return graph.nodeCount();
    }

    /** Edges of the automaton. */
    public long edgeCount() {
        return graph.edgeCount();
    }

    /** Whether every node is shared (always true without a registry limit). */
    public boolean isMinimal() {
        return graph.isMinimal();
    }

    /** Merges nodes that a registry limit left unshared; returns how many nodes that removed. */
    public long minimize() {
        return graph.minimize();
    }

    /** Rebuilds every node into a fresh, right-sized registry; returns how many nodes that removed. */
    public long compact() {
        return graph.compact();
    }

    /** Bytes of the image {@link #save(Path)} would write now (without values). */
    public long imageSize() {
        return DictionaryImageFormat.HEADER_SIZE + graph.payload(null).length;
    }

    /** Saves the current version without values (durably, replacing {@code path} atomically); returns the bytes written. */
    public long save(Path path) throws IOException {
        return write(StorageIo.fileSystem(), path, null);
    }

    /** Saves the current version with values encoded by {@code codec}; returns the bytes written. */
    public long save(Path path, ValueCodec<? super V> codec) throws IOException {
        return write(StorageIo.fileSystem(), path, Objects.requireNonNull(codec, "codec"));
    }

    /** Saves through {@code io} (tests inject faults here); a null codec saves no values. */
    @SuppressWarnings("unchecked")
    long write(StorageIo io, Path path, ValueCodec<? super V> codec) throws IOException {
        Objects.requireNonNull(path, "path");
        byte[] payload = graph.payload((ValueCodec<Object>) codec);
        return DictionaryImage.write(io, path, DictionaryImageFormat.KIND_DAWG,
                DictionaryImageFormat.alphabetCode(alphabet), codec == null ? 0 : DictionaryImageFormat.FLAG_HAS_VALUES,
                payload);
    }

    /** Loads an image without values (values in it are dropped). */
    public static <V> Dawg<V> load(Path path) throws IOException {
        return read(path, null);
    }

    /** Loads an image, decoding its values with {@code codec}. */
    public static <V> Dawg<V> load(Path path, ValueCodec<V> codec) throws IOException {
        return read(path, Objects.requireNonNull(codec, "codec"));
    }

    private static <V> Dawg<V> read(Path path, ValueCodec<V> codec) throws IOException {
        return open(DictionaryImage.read(StorageIo.fileSystem(), Objects.requireNonNull(path, "path"),
                DictionaryImageFormat.KIND_DAWG), codec);
    }

    /** The DAWG in {@code image} (kind 2), with values decoded by {@code codec} if it is not null. */
    static <V> Dawg<V> open(DictionaryImage image, ValueCodec<V> codec) throws CorruptedStoreException {
        Alphabet alphabet = image.alphabet() == DictionaryImageFormat.ALPHABET_CODE_POINTS
                ? Alphabet.CODE_POINTS : Alphabet.UTF8_BYTES;
        return new Dawg<>(alphabet, DawgGraph.load(image, codec, alphabet, Integer.MAX_VALUE));
    }
}
