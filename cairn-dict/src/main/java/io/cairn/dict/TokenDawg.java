package io.cairn.dict;

import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

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
