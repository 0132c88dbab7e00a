package io.cairn.dict;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/** The order of a dictionary's terms (code point order, which UTF-8 byte order equals), for oracles. */
final class UnitOrder {
    private UnitOrder() {}

    static final Comparator<String> ORDER = Comparator.comparing(s -> s.codePoints().toArray(), Arrays::compare);

    /** {@code terms} that pass {@code filter}, sorted and deduplicated in unit order. */
    static List<String> sorted(Iterable<String> terms, Predicate<String> filter) {
        java.util.TreeSet<String> sorted = new java.util.TreeSet<>(ORDER);
        for (String term : terms) {
            if (filter.test(term)) {
                sorted.add(term);
            }
        }
        return List.copyOf(sorted);
    }

    /** Whether the code points of {@code term} start with those of {@code prefix}. */
    static boolean startsWith(String term, String prefix) {
        int[] t = term.codePoints().toArray();
        int[] p = prefix.codePoints().toArray();
        return t.length >= p.length && Arrays.equals(t, 0, p.length, p, 0, p.length);
    }
}
