package io.cairn.dict;

import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A dynamic DAWG of 64-bit token sequences ({@code long[]} terms such as token ids or time series), with optional
 * values: the same engine, guarantees and image rules as {@link Dawg} (minimal after every mutation, lock-free
 * readers, one writer at a time), with edges labelled by tokens in ascending unsigned order.
 *
 * @param <V> the value type (values are optional per sequence, never null)
 */
public final class TokenDawg<V> {
    private final DawgGraph graph;

    private TokenDawg(DawgGraph graph) {
        this.graph = graph;
    }

    /** An empty token DAWG, always minimal. */
    public static <V> TokenDawg<V> create() {
        return new TokenDawg<>(new DawgGraph(Integer.MAX_VALUE));
    }

    private static long[] copy(long[] tokens) {
        return Objects.requireNonNull(tokens, "tokens").clone();
    }

    /** The start node. */
    public TokenNode root() {
        return graph.snapshot().root();
    }

    public boolean contains(long[] tokens) {
        return graph.contains(Objects.requireNonNull(tokens, "tokens"));
    }

    /** The value of {@code tokens}, or null if the sequence is absent or carries no value. */
    @SuppressWarnings("unchecked")
    public V getValue(long[] tokens) {
        return (V) graph.value(Objects.requireNonNull(tokens, "tokens"));
    }

    /** Number of sequences. */
    public long size() {
        return graph.snapshot().size();
    }

    /** Adds the sequence without a value; returns whether it was absent. */
    public boolean insert(long[] tokens) {
        return graph.insert(copy(tokens));
    }

    /** Sets the value of the sequence, adding it if needed; returns whether it was absent. */
    public boolean insertWithValue(long[] tokens, V value) {
        long[] copy = copy(tokens);
        return graph.insertWithValue(copy, Objects.requireNonNull(value, "value"));
    }

    /** Removes the sequence; returns whether it was present. */
    public boolean remove(long[] tokens) {
        return graph.remove(copy(tokens));
    }

    /**
     * A sequence and its value.
     *
     * @param tokens the sequence (an array of the caller's own)
     * @param value its value, or null if it carries none
     */
    public record Entry<V>(long[] tokens, V value) {
        public Entry {
            Objects.requireNonNull(tokens, "tokens");
        }
    }

    /** Every sequence, lazily, in ascending order (token by token, unsigned; a prefix before its extensions). */
    public Stream<long[]> sequences() {
        return sequences(new long[0]);
    }

    /** The sequences that start with {@code prefix}, lazily, in the order of {@link #sequences()}. */
    public Stream<long[]> sequences(long[] prefix) {
        return entries(prefix).map(Entry::tokens);
    }

    /** Every sequence with its value, lazily, in the order of {@link #sequences()}. */
    public Stream<Entry<V>> entries() {
        return entries(new long[0]);
    }

    /**
     * The sequences that start with {@code prefix} with their values, lazily, in the order of {@link #sequences()}.
     * The walk reads only as far as the stream is consumed and keeps the version it started on.
     */
    public Stream<Entry<V>> entries(long[] prefix) {
        long[] start = copy(prefix);
        DawgNode node = graph.snapshot().root();
        for (int i = 0; i < start.length && node != null; i++) {
            node = node.transition(start[i]);
        }
        return node == null ? Stream.empty() : StreamSupport.stream(new SequenceWalk<>(start, node), false);
    }

    /**
     * A depth-first walk below one node with an explicit stack (no recursion: sequences may be long): each node's
     * sequence before those that extend it, edges in their (unsigned) order.
     */
    private static final class SequenceWalk<V> extends Spliterators.AbstractSpliterator<Entry<V>> {
        private final int base;
        private long[] path;
        private DawgNode[] nodes = new DawgNode[16];
        /** The next edge to follow at each depth; -1 before the node's own sequence is reported. */
        private int[] next = new int[16];
        private int depth;

        SequenceWalk(long[] prefix, DawgNode start) {
            super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.DISTINCT | Spliterator.NONNULL);
            this.base = prefix.length;
            this.path = Arrays.copyOf(prefix, base + 16);
            nodes[0] = start;
            next[0] = -1;
        }

        @Override
        @SuppressWarnings("unchecked")
        public boolean tryAdvance(Consumer<? super Entry<V>> action) {
            while (depth >= 0) {
                DawgNode node = nodes[depth];
                if (next[depth] < 0) {
                    next[depth] = 0;
                    if (node.isFinal) {
                        action.accept(new Entry<>(Arrays.copyOf(path, base + depth), (V) node.value));
                        return true;
                    }
                }
                if (next[depth] == node.labels.length) {
                    nodes[depth--] = null;
                    continue;
                }
                int edge = next[depth]++;
                if (depth + 1 == nodes.length) {
                    nodes = Arrays.copyOf(nodes, nodes.length * 2);
                    next = Arrays.copyOf(next, next.length * 2);
                }
                if (base + depth == path.length) {
                    path = Arrays.copyOf(path, path.length * 2);
                }
                path[base + depth] = node.labels[edge];
                nodes[++depth] = node.children[edge];
                next[depth] = -1;
            }
            return false;
        }
    }

    /** Live nodes (an empty DAWG has its one root). */
    public long nodeCount() {
        return graph.nodeCount();
    }

    /** Rebuilds every node into a fresh, right-sized registry; returns how many nodes that removed. */
    public long compact() {
        return graph.compact();
    }

    /** Saves the current version without values; returns the bytes written. */
    public long save(Path path) throws IOException {
        return write(path, null);
    }

    /** Saves the current version with values encoded by {@code codec}; returns the bytes written. */
    public long save(Path path, ValueCodec<? super V> codec) throws IOException {
        return write(path, Objects.requireNonNull(codec, "codec"));
    }

    @SuppressWarnings("unchecked")
    private long write(Path path, ValueCodec<? super V> codec) throws IOException {
        Objects.requireNonNull(path, "path");
        return DictionaryImage.write(StorageIo.fileSystem(), path, DictionaryImageFormat.KIND_TOKEN_DAWG,
                DictionaryImageFormat.ALPHABET_TOKENS, codec == null ? 0 : DictionaryImageFormat.FLAG_HAS_VALUES,
                graph.payload((ValueCodec<Object>) codec));
    }

    /** Loads an image without values (values in it are dropped). */
    public static <V> TokenDawg<V> load(Path path) throws IOException {
        return read(path, null);
    }

    /** Loads an image, decoding its values with {@code codec}. */
    public static <V> TokenDawg<V> load(Path path, ValueCodec<V> codec) throws IOException {
        return read(path, Objects.requireNonNull(codec, "codec"));
    }

    private static <V> TokenDawg<V> read(Path path, ValueCodec<V> codec) throws IOException {
        return open(DictionaryImage.read(StorageIo.fileSystem(), Objects.requireNonNull(path, "path"),
                DictionaryImageFormat.KIND_TOKEN_DAWG), codec);
    }

    /** The token DAWG in {@code image} (kind 3), with values decoded by {@code codec} if it is not null. */
    static <V> TokenDawg<V> open(DictionaryImage image, ValueCodec<V> codec) throws CorruptedStoreException {
        return new TokenDawg<>(DawgGraph.load(image, codec, null, Integer.MAX_VALUE));
    }
}
