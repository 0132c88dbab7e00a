package io.cairn.dict;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bijective map between terms and sequential ids (0, 1, 2, ... in the order terms are added), in memory:
 * {@link #getId} and {@link #getTerm} are inverse, and a term is added once ({@link #add} rejects a duplicate).
 * It is also a {@link Dictionary} of its terms (a minimal {@link Dawg}), so the Levenshtein transducer searches
 * it and {@link #getId} maps what it finds to ids.
 *
 * <p>Thread-safe: adds serialise on the vocabulary; lookups take no lock and see every add that returned before
 * they started.
 */
public final class Vocabulary implements Dictionary {
    private final Dawg<Object> terms;
    private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
    /** Terms by id; slots below {@link #size} are written before {@code size} publishes them. */
    private volatile String[] byId = new String[16];
    private volatile int size;

    private Vocabulary(Alphabet alphabet) {
        this.terms = Dawg.create(alphabet);
    }

    /** An empty vocabulary over UTF-8 bytes. */
    public static Vocabulary create() {
        return create(Alphabet.UTF8_BYTES);
    }

    /** An empty vocabulary over {@code alphabet}. */
    public static Vocabulary create(Alphabet alphabet) {
        return new Vocabulary(Objects.requireNonNull(alphabet, "alphabet"));
    }

    /**
     * Adds {@code term} and returns its id, the next in sequence.
     *
     * @throws IllegalArgumentException if the term is already in the vocabulary (its id is in the message), or holds
     *     an unpaired surrogate on UTF-8 bytes
     */
    public synchronized long add(String term) {
        Objects.requireNonNull(term, "term");
        Integer existing = ids.get(term);
        if (existing != null) {
            throw new IllegalArgumentException("term \"" + term + "\" is already in the vocabulary with id " + existing);
        }
        int id = size;
        if (id == Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("the vocabulary holds the most terms it can, " + id);
        }
        terms.insert(term);
        String[] slots = byId;
        if (id == slots.length) {
            slots = Arrays.copyOf(slots, id + (id >> 1));
        }
        slots[id] = term;
        byId = slots;
        ids.put(term, id);
        size = id + 1;
        return id;
    }

    /** The id of {@code term}, or -1 if it is not in the vocabulary. */
    public long getId(String term) {
        Integer id = ids.get(Objects.requireNonNull(term, "term"));
        return id == null ? -1 : id;
    }

    /**
     * The term with {@code id}.
     *
     * @throws IllegalArgumentException if no term has that id
     */
    public String getTerm(long id) {
        int count = size;
        if (id < 0 || id >= count) {
            throw new IllegalArgumentException("no term has id " + id + "; ids run from 0 to " + (count - 1));
        }
        return byId[(int) id];
    }

    @Override
    public Node root() {
        return terms.root();
    }

    @Override
    public Alphabet alphabet() {
        return terms.alphabet();
    }

    @Override
    public boolean contains(String term) {
        return ids.containsKey(Objects.requireNonNull(term, "term"));
    }

    @Override
    public long size() {
        return size;
    }
}
