package io.cairn.bench.substring;

import io.cairn.dict.Occurrence;
import io.cairn.dict.Scdawg;
import io.cairn.dict.SubstringIndex;
import io.cairn.dict.SuffixAutomaton;
import java.util.List;

/** Cairn's {@link SuffixAutomaton} or {@link Scdawg} over the lines (code points). */
final class CairnSubstringEngine implements SubstringEngine {
    final SubstringIndex index;

    private CairnSubstringEngine(SubstringIndex index) {
        this.index = index;
    }

    static CairnSubstringEngine suffixAutomaton(List<String> lines) {
        return new CairnSubstringEngine(SuffixAutomaton.of(lines));
    }

    static CairnSubstringEngine scdawg(List<String> lines) {
        return new CairnSubstringEngine(Scdawg.of(lines));
    }

    @Override
    public boolean contains(String query) {
        return index.contains(query);
    }

    @Override
    public long[] occurrences(String query) {
        List<Occurrence> found = index.occurrences(query);
        long[] result = new long[found.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = (long) found.get(i).text() << 32 | found.get(i).offset();
        }
        return result;
    }
}
