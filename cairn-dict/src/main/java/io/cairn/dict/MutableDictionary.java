package io.cairn.dict;

import java.util.Objects;

/** A dictionary that changes at run time. Every method says whether (or how much) it changed anything. */
public interface MutableDictionary extends Dictionary {

    /** Adds {@code term}; returns true if it was absent (a present term is left unchanged, value included). */
    boolean insert(String term);

    /** Removes {@code term} (and its value); returns true if it was present. */
    boolean remove(String term);

    /** Adds every term; returns how many were absent before. */
    default long addAll(Iterable<String> terms) {
        Objects.requireNonNull(terms, "terms");
        long added = 0;
        for (String term : terms) {
            if (insert(term)) {
                added++;
            }
        }
        return added;
    }

    /** Removes every term; returns how many were present. */
    default long removeAll(Iterable<String> terms) {
        Objects.requireNonNull(terms, "terms");
        long removed = 0;
        for (String term : terms) {
            if (remove(term)) {
                removed++;
            }
        }
        return removed;
    }
}
