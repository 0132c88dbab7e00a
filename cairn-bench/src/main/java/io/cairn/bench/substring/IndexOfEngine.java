package io.cairn.bench.substring;

import java.util.Arrays;
import java.util.List;

/**
 * No index: the lines joined by line feeds into one {@code String}, scanned with {@code String.indexOf} (the
 * JDK's vectorised search), each hit mapped back to its line by binary search of the line starts.
 */
final class IndexOfEngine implements SubstringEngine {
    private final String text;
    private final int[] lineStarts;

    IndexOfEngine(List<String> lines) {
        StringBuilder joined = new StringBuilder();
        lineStarts = new int[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            lineStarts[i] = joined.length();
            joined.append(lines.get(i)).append('\n');
        }
        text = joined.toString();
    }

    @Override
    public boolean contains(String query) {
        return text.contains(query);
    }

    @Override
    public long[] occurrences(String query) {
        long[] found = new long[16];
        int count = 0;
        for (int at = text.indexOf(query); at >= 0; at = text.indexOf(query, at + 1)) {
            int line = Arrays.binarySearch(lineStarts, at);
            line = line >= 0 ? line : -line - 2;
            if (count == found.length) {
                found = Arrays.copyOf(found, count * 2);
            }
            found[count++] = (long) line << 32 | text.codePointCount(lineStarts[line], at);
        }
        return Arrays.copyOf(found, count);
    }
}
