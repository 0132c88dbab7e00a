package io.cairn.dict;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Test oracle: the number of states of the minimal automaton of a term → value map, counted from first principles
 * as the number of distinct right languages (sets of (suffix, value)) over all prefixes of the terms, the root
 * included even when the map is empty. Quadratic; for small maps only.
 */
final class MinimalAutomaton {
    private MinimalAutomaton() {}

    static int stateCount(Map<String, ?> terms, Alphabet alphabet) {
        Map<List<Integer>, Set<String>> rightLanguages = new HashMap<>();
        rightLanguages.put(List.of(), new TreeSet<>());
        for (Map.Entry<String, ?> entry : terms.entrySet()) {
            int[] units = Units.of(entry.getKey(), alphabet);
            for (int cut = 0; cut <= units.length; cut++) {
                List<Integer> prefix = new ArrayList<>();
                for (int i = 0; i < cut; i++) {
                    prefix.add(units[i]);
                }
                String suffixWithValue = Arrays.toString(Arrays.copyOfRange(units, cut, units.length)) + "=" + entry.getValue();
                rightLanguages.computeIfAbsent(prefix, p -> new TreeSet<>()).add(suffixWithValue);
            }
        }
        return new HashSet<>(rightLanguages.values()).size();
    }
}
