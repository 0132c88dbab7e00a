package io.cairn.bench.dict;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * Checks, before anything is timed, that every engine finds the same terms for every query (and that Cairn and
 * liblevenshtein, which both report distances, agree on them): a benchmark of engines that disagree would compare
 * different work.
 */
final class FuzzyAgreement {
    private FuzzyAgreement() {}

    /** Throws {@link IllegalStateException} naming the first query on which two engines disagree. */
    static void check(List<String> words, List<String> queries, int distance) throws IOException {
        CairnDictEngine dat = CairnDictEngine.doubleArrayTrie(words);
        CairnDictEngine dawg = CairnDictEngine.dawg(words);
        LuceneFstEngine lucene = new LuceneFstEngine(words);
        LibLevenshteinEngine liblevenshtein = new LibLevenshteinEngine(words);
        long hits = 0;
        for (String query : queries) {
            Set<String> expected = dat.fuzzyTerms(query, distance);
            hits += expected.size();
            require(expected, dawg.fuzzyTerms(query, distance), "cairn-dawg", query, distance);
            require(expected, lucene.fuzzyTerms(query, distance), "lucene-fst", query, distance);
            require(expected, liblevenshtein.fuzzyTerms(query, distance), "liblevenshtein", query, distance);
            require(dat.fuzzyTermsWithDistance(query, distance),
                    liblevenshtein.fuzzyTermsWithDistance(query, distance), "liblevenshtein distances", query,
                    distance);
        }
        System.out.printf("agreement: %d queries at distance %d, %d hits, identical in all engines%n",
                queries.size(), distance, hits);
    }

    private static void require(Set<String> expected, Set<String> actual, String engine, String query, int distance) {
        if (!expected.equals(actual)) {
            throw new IllegalStateException(engine + " disagrees with cairn-dat on \"" + query + "\" at distance "
                    + distance + ": cairn-dat " + expected + ", " + engine + " " + actual);
        }
    }
}
