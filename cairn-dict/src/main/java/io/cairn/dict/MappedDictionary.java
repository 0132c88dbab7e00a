package io.cairn.dict;

import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A dictionary whose terms may carry values: term → value, as in a map, and still traversable node by node.
 *
 * <p>Values are never null. A term may be present without a value (inserted as a plain term); {@link #getValue}
 * then returns null, exactly as for an absent term, so use {@link #contains} to tell the two apart.
 *
 * @param <V> the value type, any Java type
 */
public interface MappedDictionary<V> extends Dictionary {

    /** The value of {@code term}, or null if the term is absent or carries no value. */
    V getValue(String term);

    /** Whether {@code term} is present with a value that {@code predicate} accepts. */
    default boolean containsWithValue(String term, Predicate<? super V> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        V value = getValue(term);
        return value != null && predicate.test(value);
    }

    /**
     * The value of the term that ends at {@code node}, or null if the node is not final or its term carries no
     * value. {@code node} must come from this dictionary (reached from its {@link #root()}); this is how a
     * traversal such as the Levenshtein transducer filters by value without spelling the term again.
     *
     * @throws IllegalArgumentException if {@code node} does not belong to this dictionary
     */
    V valueAt(Node node);

    /** Every term with its value, lazily, in the order of {@link #terms()}. */
    default Stream<Entry<V>> entries() {
        return entries("");
    }

    /** The terms that start with {@code prefix} with their values, lazily, in the order of {@link #terms(String)}. */
    default Stream<Entry<V>> entries(String prefix) {
        return TermWalk.stream(this, prefix, null, (term, node) -> new Entry<>(term, valueAt(node)));
    }

    /**
     * A term and its value.
     *
     * @param term the term
     * @param value its value, or null if it carries none
     */
    record Entry<V>(String term, V value) {
        public Entry {
            Objects.requireNonNull(term, "term");
        }
    }
}
