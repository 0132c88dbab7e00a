package io.cairn.dict;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Operations on any dictionaries: opening an image of unknown kind, term lists in and out, prefix iteration that
 * skips subtrees, and lazy set algebra.
 *
 * <p><b>Set algebra.</b> {@link #union}, {@link #intersection}, {@link #difference}, {@link #symmetricDifference}
 * and {@link #valueDiff} combine two dictionaries, whatever their backends and alphabets, without materialising
 * anything: the result walks both operands node by node (the product automaton), so it is a {@link Dictionary} like
 * any other (terms, {@code contains}, fuzzy search) that reflects the operands' current contents. Its alphabet is
 * the operands'; where they differ it is UTF-8 bytes, the code point operand seen through its UTF-8 encoding (a
 * term with an unpaired surrogate, which UTF-8 cannot spell, then drops out of it). {@code size()} of a
 * combination counts by walking, O(terms). Results are {@link MappedDictionary}s: a term's value comes from the
 * operands that are mapped, as each operation says.
 */
public final class Dictionaries {
    private Dictionaries() {}

    /**
     * The dictionary saved at {@code path}: a {@link DoubleArrayTrie} (mapped, no copy) or a {@link Dawg}, with
     * values decoded by {@code codec} (an image without values gives a dictionary without values).
     *
     * @throws io.cairn.stack.CorruptedStoreException if the file is not an intact dictionary image
     * @throws IllegalArgumentException if the image holds a {@link TokenDawg}, which has no String terms
     */
    public static <V> MappedDictionary<V> load(Path path, ValueCodec<V> codec) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(codec, "codec");
        DictionaryImage image = DictionaryImage.map(path, DictionaryImage.ANY_KIND);
        return switch (image.kind()) {
            case DictionaryImageFormat.KIND_DOUBLE_ARRAY_TRIE -> DoubleArrayTrie.open(image, codec);
            case DictionaryImageFormat.KIND_DAWG -> Dawg.open(image, codec);
            default -> throw new IllegalArgumentException(
                    path + " holds a token DAWG, whose terms are token sequences, not strings");
        };
    }

    /**
     * What the image at {@code path} holds: its kind, alphabet, whether it has values, and its counts of terms and
     * nodes (loaded and checked in full, values skipped, so any image can be inspected whatever its value type).
     *
     * @throws io.cairn.stack.CorruptedStoreException if the file is not an intact dictionary image
     */
    public static DictionaryImageInfo inspect(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        DictionaryImage image = DictionaryImage.map(path, DictionaryImage.ANY_KIND);
        long bytes = DictionaryImageFormat.HEADER_SIZE + image.payload().byteSize();
        Alphabet alphabet = image.alphabet() == DictionaryImageFormat.ALPHABET_CODE_POINTS ? Alphabet.CODE_POINTS
                : image.alphabet() == DictionaryImageFormat.ALPHABET_UTF8_BYTES ? Alphabet.UTF8_BYTES : null;
        return switch (image.kind()) {
            case DictionaryImageFormat.KIND_DOUBLE_ARRAY_TRIE -> {
                DoubleArrayTrie<Object> trie = DoubleArrayTrie.open(image, null);
                yield new DictionaryImageInfo(path, DictionaryImageInfo.Kind.DOUBLE_ARRAY_TRIE, alphabet,
                        image.hasValues(), trie.size(), trie.stateCount(), bytes);
            }
            case DictionaryImageFormat.KIND_DAWG -> {
                Dawg<Object> dawg = Dawg.open(image, null);
                yield new DictionaryImageInfo(path, DictionaryImageInfo.Kind.DAWG, alphabet, image.hasValues(),
                        dawg.size(), dawg.nodeCount(), bytes);
            }
            default -> {
                TokenDawg<Object> tokens = TokenDawg.open(image, null);
                yield new DictionaryImageInfo(path, DictionaryImageInfo.Kind.TOKEN_DAWG, null, image.hasValues(),
                        tokens.size(), tokens.nodeCount(), bytes);
            }
        };
    }

    /**
     * The terms of a plain term list, one a line (LF or CRLF; an empty line is the empty term), lazily; strict
     * UTF-8, gzip-compressed if the name ends with {@code .gz}. Close the stream to close the file. A line that is
     * not UTF-8, longer than 2^24 bytes, or unreadable ends the stream with an
     * {@link java.io.UncheckedIOException} naming the file and line.
     *
     * @throws IOException if the file cannot be opened (or is not gzip when named so)
     */
    public static Stream<String> readTerms(Path path) throws IOException {
        return TermLists.lines(path);
    }

    /**
     * The entries of a TSV term list, {@code term TAB value} a line (a line without a tab is a term without a
     * value; {@code \\}, {@code \t}, {@code \n} and {@code \r} stand for a backslash, tab, line feed and
     * carriage return in either column), lazily, as {@link #readTerms} reads lines.
     *
     * @throws IOException if the file cannot be opened (or is not gzip when named so)
     */
    public static Stream<MappedDictionary.Entry<String>> readEntries(Path path) throws IOException {
        return TermLists.lines(path).map(TermLists::entry);
    }

    /**
     * Writes {@code terms} as a plain term list, one a line, gzip-compressed if the name ends with {@code .gz}:
     * to a temporary sibling, forced, then renamed over {@code path}, so a failure leaves {@code path} as it was.
     * Returns how many terms were written.
     *
     * @throws IllegalArgumentException if a term holds a line break or an unpaired surrogate
     */
    public static long writeTerms(Path path, Stream<String> terms) throws IOException {
        return TermLists.write(path, Objects.requireNonNull(terms, "terms").map(TermLists::plainLine));
    }

    /**
     * Writes {@code terms} to {@code out} as a plain term list (UTF-8, one a line), flushing but not closing it;
     * returns how many were written.
     *
     * @throws IllegalArgumentException if a term holds a line break or an unpaired surrogate
     */
    public static long writeTerms(OutputStream out, Stream<String> terms) throws IOException {
        return TermLists.write(out, Objects.requireNonNull(terms, "terms").map(TermLists::plainLine));
    }

    /**
     * Writes {@code entries} as a TSV term list (see {@link #readEntries}), each value as {@code format} gives
     * it (a term without a value gets no tab), as {@link #writeTerms} writes. Returns how many were written.
     */
    public static <V> long writeEntries(Path path, Stream<MappedDictionary.Entry<V>> entries,
            Function<? super V, String> format) throws IOException {
        return TermLists.write(path, tsvLines(entries, format));
    }

    /** Writes {@code entries} to {@code out} as a TSV term list, flushing but not closing it. */
    public static <V> long writeEntries(OutputStream out, Stream<MappedDictionary.Entry<V>> entries,
            Function<? super V, String> format) throws IOException {
        return TermLists.write(out, tsvLines(entries, format));
    }

    private static <V> Stream<String> tsvLines(Stream<MappedDictionary.Entry<V>> entries,
            Function<? super V, String> format) {
        Objects.requireNonNull(format, "format");
        return Objects.requireNonNull(entries, "entries").map(entry -> TermLists.tsvLine(entry, format));
    }

    /**
     * The terms of {@code dictionary} that start with {@code prefix} but with none of {@code excludedPrefixes},
     * lazily, in ascending unit order. Excluded subtrees are skipped, not walked and filtered.
     */
    public static Stream<String> terms(Dictionary dictionary, String prefix, Collection<String> excludedPrefixes) {
        Objects.requireNonNull(dictionary, "dictionary");
        Dictionary excluded = Dawg.of(Objects.requireNonNull(excludedPrefixes, "excludedPrefixes"),
                dictionary.alphabet());
        return TermWalk.stream(dictionary, prefix, excluded, (term, node) -> term);
    }

    /** Keeps the first dictionary's value of a term both carry values for. */
    public static <V> BinaryOperator<V> firstWins() {
        return (first, second) -> first;
    }

    /** Keeps the second dictionary's value of a term both carry values for. */
    public static <V> BinaryOperator<V> lastWins() {
        return (first, second) -> second;
    }

    /**
     * The terms of either dictionary, lazily; a term's value is the first dictionary's if it has one there
     * (first wins), else the second's.
     */
    public static Dictionary union(Dictionary a, Dictionary b) {
        return new ProductDictionary<>(a, b, SetOperation.UNION, merging(firstWins()));
    }

    /**
     * The terms of either dictionary with their values, lazily; a term with a value on both sides gets
     * {@code merge(first value, second value)} ({@link #firstWins()}, {@link #lastWins()} or any function; it must
     * not return null), one with a value on one side keeps it.
     */
    public static <V> MappedDictionary<V> union(MappedDictionary<? extends V> a, MappedDictionary<? extends V> b,
            BinaryOperator<V> merge) {
        return new ProductDictionary<>(a, b, SetOperation.UNION, merging(merge));
    }

    /**
     * The terms of both dictionaries, lazily, with the first one's values (first wins).
     */
    public static Dictionary intersection(Dictionary a, Dictionary b) {
        return new ProductDictionary<>(a, b, SetOperation.INTERSECTION, merging(firstWins()));
    }

    /**
     * The terms of both dictionaries, lazily; values merge as in {@link #union(MappedDictionary, MappedDictionary,
     * BinaryOperator)}.
     */
    public static <V> MappedDictionary<V> intersection(MappedDictionary<? extends V> a,
            MappedDictionary<? extends V> b, BinaryOperator<V> merge) {
        return new ProductDictionary<>(a, b, SetOperation.INTERSECTION, merging(merge));
    }

    /**
     * The terms of {@code a} that are not in {@code b}, lazily, with {@code a}'s values.
     */
    public static Dictionary difference(Dictionary a, Dictionary b) {
        return new ProductDictionary<>(a, b, SetOperation.DIFFERENCE, (first, second) -> first);
    }

    /**
     * The terms of exactly one of the dictionaries, lazily, each with its value there.
     */
    public static Dictionary symmetricDifference(Dictionary a, Dictionary b) {
        return new ProductDictionary<>(a, b, SetOperation.SYMMETRIC_DIFFERENCE, merging(firstWins()));
    }

    /**
     * The terms of both dictionaries whose values differ ({@code equals}, arrays by content; a term with a value on one side only
     * differs too), lazily, each with both values: what changed between two versions of a mapped dictionary.
     */
    @SuppressWarnings("unchecked")
    public static <V> MappedDictionary<ValueChange<V>> valueDiff(MappedDictionary<? extends V> a,
            MappedDictionary<? extends V> b) {
        return new ProductDictionary<>(a, b, SetOperation.VALUE_DIFF,
                (first, second) -> new ValueChange<>((V) first, (V) second));
    }

    /** The value of a term from its operands' values: whichever exists, or {@code merge} of both. */
    @SuppressWarnings("unchecked")
    private static <V> BiFunction<Object, Object, V> merging(BinaryOperator<V> merge) {
        Objects.requireNonNull(merge, "merge");
        return (first, second) -> first == null ? (V) second : second == null ? (V) first
                : Objects.requireNonNull(merge.apply((V) first, (V) second), "merge result");
    }
}
