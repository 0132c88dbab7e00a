package io.cairn.dict;

import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * A mapped dictionary that changes at run time. Values are never null: a null term, value, default or a null
 * result from an updater or merge function is rejected with a {@link NullPointerException} naming it, and the
 * dictionary is left unchanged.
 *
 * @param <V> the value type
 */
public interface MutableMappedDictionary<V> extends MappedDictionary<V>, MutableDictionary {

    /** Sets the value of {@code term}, adding the term if needed; returns true if the term was absent. */
    boolean insertWithValue(String term, V value);

    /**
     * Sets the value of {@code term} to {@code updater} applied to its current value, or to
     * {@code defaultValue} if the term is absent or carries no value; returns the value now stored.
     */
    V updateOrInsert(String term, V defaultValue, UnaryOperator<V> updater);

    /**
     * Adds every term of {@code other}. A term present on both sides gets {@code merge(mine, theirs)} when both
     * carry values, otherwise whichever value exists. Returns how many terms were added.
     */
    long unionWith(MappedDictionary<? extends V> other, BinaryOperator<V> merge);

    /** Adds every term of {@code other}, its values replacing ours; returns how many terms were added. */
    default long unionReplace(MappedDictionary<? extends V> other) {
        Objects.requireNonNull(other, "other");
        return unionWith(other, (mine, theirs) -> theirs);
    }
}
