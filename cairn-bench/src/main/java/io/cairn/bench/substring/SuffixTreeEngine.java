package io.cairn.bench.substring;

import com.googlecode.concurrenttrees.radix.node.concrete.DefaultCharSequenceNodeFactory;
import com.googlecode.concurrenttrees.suffix.ConcurrentSuffixTree;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * concurrent-trees' {@link ConcurrentSuffixTree} (a radix tree of every suffix of every key): keys are the distinct
 * lines, each mapped to the numbers of the lines it is. It answers which keys contain a fragment; a caller then
 * finds the offsets in each with {@code indexOf}, as this engine does.
 */
final class SuffixTreeEngine implements SubstringEngine {
    private final ConcurrentSuffixTree<int[]> tree = new ConcurrentSuffixTree<>(new DefaultCharSequenceNodeFactory());

    SuffixTreeEngine(List<String> lines) {
        Map<String, List<Integer>> numbers = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            numbers.computeIfAbsent(lines.get(i), line -> new ArrayList<>()).add(i);
        }
        numbers.forEach((line, ids) -> tree.put(line, ids.stream().mapToInt(Integer::intValue).toArray()));
    }

    @Override
    public boolean contains(String query) {
        return tree.getKeysContaining(query).iterator().hasNext();
    }

    @Override
    public long[] occurrences(String query) {
        long[] found = new long[16];
        int count = 0;
        for (var pair : tree.getKeyValuePairsForKeysContaining(query)) {
            String line = pair.getKey().toString();
            for (int at = line.indexOf(query); at >= 0; at = line.indexOf(query, at + 1)) {
                int offset = line.codePointCount(0, at);
                for (int id : pair.getValue()) {
                    if (count == found.length) {
                        found = Arrays.copyOf(found, count * 2);
                    }
                    found[count++] = (long) id << 32 | offset;
                }
            }
        }
        long[] result = Arrays.copyOf(found, count);
        Arrays.sort(result);
        return result;
    }
}
