package io.cairn.dict;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Terms prepared for a bulk build: encoded as units, sorted by unit sequence, deduplicated (the last value of a
 * repeated term wins).
 *
 * @param units the distinct unit sequences, ascending
 * @param values the value of each, or null when the terms carry no values
 */
record SortedTerms(int[][] units, Object[] values) {

    /** Terms without values. */
    static SortedTerms of(Collection<String> terms, Alphabet alphabet) {
        Objects.requireNonNull(terms, "terms");
        List<String> list = new ArrayList<>(terms.size());
        for (String term : terms) {
            list.add(Objects.requireNonNull(term, "term"));
        }
        return sort(list, null, alphabet);
    }

    /** The keys of {@code entries} with their values (none may be null). */
    static SortedTerms ofEntries(Collection<? extends Map.Entry<String, ?>> entries, Alphabet alphabet) {
        Objects.requireNonNull(entries, "entries");
        List<String> terms = new ArrayList<>(entries.size());
        List<Object> values = new ArrayList<>(entries.size());
        for (Map.Entry<String, ?> entry : entries) {
            Objects.requireNonNull(entry, "entry");
            terms.add(Objects.requireNonNull(entry.getKey(), "term"));
            values.add(Objects.requireNonNull(entry.getValue(), () -> "value of term " + entry.getKey()));
        }
        return sort(terms, values, alphabet);
    }

    private static SortedTerms sort(List<String> terms, List<Object> values, Alphabet alphabet) {
        Objects.requireNonNull(alphabet, "alphabet");
        int n = terms.size();
        int[][] encoded = new int[n][];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            encoded[i] = Units.of(terms.get(i), alphabet);
            order[i] = i;
        }
        // A stable sort keeps equal terms in input order, so the last of each run is the last given.
        Arrays.sort(order, (a, b) -> Arrays.compare(encoded[a], encoded[b]));
        List<int[]> distinct = new ArrayList<>(n);
        List<Object> distinctValues = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            int index = order[k];
            if (k + 1 < n && Arrays.equals(encoded[index], encoded[order[k + 1]])) {
                continue;
            }
            distinct.add(encoded[index]);
            if (values != null) {
                distinctValues.add(values.get(index));
            }
        }
        return new SortedTerms(distinct.toArray(int[][]::new), values == null ? null : distinctValues.toArray());
    }

    /** A term's index as value bytes, to carry an object value through a {@link CompactDawg}. */
    static byte[] index(int term) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(term).array();
    }

    /** The value of the term whose {@link #index} is {@code index}. */
    Object valueOf(byte[] index) {
        return values[ByteBuffer.wrap(index).getInt()];
    }
}
