package io.cairn.bench.dict;

import com.github.liblevenshtein.collection.dictionary.Dawg;
import com.github.liblevenshtein.collection.dictionary.factory.DawgFactory;
import com.github.liblevenshtein.transducer.Algorithm;
import com.github.liblevenshtein.transducer.Candidate;
import com.github.liblevenshtein.transducer.ITransducer;
import com.github.liblevenshtein.transducer.factory.TransducerBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** liblevenshtein-java 3.0.0: its sorted DAWG and Levenshtein transducer, transposition algorithm. */
final class LibLevenshteinEngine implements FuzzyEngine {

    private final Dawg dawg;
    private final ITransducer<Candidate> transducer;

    LibLevenshteinEngine(List<String> sortedWords) {
        this.dawg = new DawgFactory().build(sortedWords, true);
        this.transducer = new TransducerBuilder()
                .dictionary(dawg, true)
                .algorithm(Algorithm.TRANSPOSITION)
                .defaultMaxDistance(2)
                .includeDistance(true)
                .build();
    }

    @Override
    public List<Candidate> fuzzy(String query, int distance) {
        List<Candidate> hits = new ArrayList<>();
        for (Candidate candidate : transducer.transduce(query, distance)) {
            hits.add(candidate);
        }
        return hits;
    }

    @Override
    public Set<String> fuzzyTerms(String query, int distance) {
        Set<String> terms = new HashSet<>();
        fuzzy(query, distance).forEach(c -> terms.add(c.term()));
        return terms;
    }

    /** Each term with its distance, for checking distances against Cairn. */
    Set<String> fuzzyTermsWithDistance(String query, int distance) {
        Set<String> terms = new HashSet<>();
        fuzzy(query, distance).forEach(c -> terms.add(c.term() + "@" + c.distance()));
        return terms;
    }

    @Override
    public boolean contains(String term) {
        return dawg.contains(term);
    }

    @Override
    public long bytes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ObjectOutputStream objects = new ObjectOutputStream(out)) {
            objects.writeObject(dawg);
        }
        return out.size();
    }

    @Override
    public String bytesMeaning() {
        return "Java-serialised DAWG";
    }
}
