package io.cairn.bench.dict;

import io.cairn.dict.Alphabet;
import io.cairn.dict.Dawg;
import io.cairn.dict.Dictionary;
import io.cairn.dict.DoubleArrayTrie;
import io.cairn.dict.fuzzy.Algorithm;
import io.cairn.dict.fuzzy.Candidate;
import io.cairn.dict.fuzzy.Levenshtein;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/** Cairn: a dictionary over UTF-8 bytes searched by {@link Levenshtein} with {@link Algorithm#TRANSPOSITION}. */
final class CairnDictEngine implements FuzzyEngine {

    private final Dictionary dictionary;
    private final LongSupplier imageSize;

    private CairnDictEngine(Dictionary dictionary, LongSupplier imageSize) {
        this.dictionary = dictionary;
        this.imageSize = imageSize;
    }

    static CairnDictEngine doubleArrayTrie(List<String> words) {
        DoubleArrayTrie<Object> trie = DoubleArrayTrie.of(words, Alphabet.UTF8_BYTES);
        return new CairnDictEngine(trie, trie::imageSize);
    }

    static CairnDictEngine dawg(List<String> words) {
        Dawg<Object> dawg = Dawg.of(words, Alphabet.UTF8_BYTES);
        return new CairnDictEngine(dawg, dawg::imageSize);
    }

    @Override
    public List<Candidate> fuzzy(String query, int distance) {
        return Levenshtein.search(dictionary, query, distance, Algorithm.TRANSPOSITION);
    }

    @Override
    public Set<String> fuzzyTerms(String query, int distance) {
        return fuzzy(query, distance).stream().map(Candidate::term).collect(Collectors.toSet());
    }

    /** Each term with its distance, for checking distances against liblevenshtein. */
    Set<String> fuzzyTermsWithDistance(String query, int distance) {
        return fuzzy(query, distance).stream().map(c -> c.term() + "@" + c.distance()).collect(Collectors.toSet());
    }

    @Override
    public boolean contains(String term) {
        return dictionary.contains(term);
    }

    @Override
    public long bytes() {
        return imageSize.getAsLong();
    }

    @Override
    public String bytesMeaning() {
        return "saved image size";
    }
}
