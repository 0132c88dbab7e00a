package io.cairn.dict;

import static io.cairn.dict.DurableFormat.IDS;
import static io.cairn.dict.DurableFormat.NEXT_ID_KEY;
import static io.cairn.dict.DurableFormat.TERMS;

import io.cairn.dict.DurableFormat.Kind;
import io.cairn.tree.Record;
import io.cairn.tree.Tree;
import io.cairn.tree.TreeOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A durable bijection between terms and sequential ids (0, 1, 2, ... in the order terms are added), kept in a
 * directory as {@link Vocabulary} keeps one in memory: {@link #getId} and {@link #getTerm} are inverse, a term is
 * added once ({@link #add} rejects a duplicate), and ids are dense and never reused (terms are never removed). It is
 * also a {@link Dictionary} of its terms whose nodes are the tree's key trie, so the Levenshtein transducer searches
 * the stored terms directly and {@link #getId} maps what it finds to ids.
 *
 * <p>Crash consistency: an add writes the term → id mapping, the id → term mapping and the next id in one atomic log
 * record (durable per {@link TreeOptions#durability}, group-committed under {@code SYNC}), so after any crash both
 * mappings agree and the next id is the number of terms. Thread-safe: concurrent adds each get their own id (an add
 * that raced another for the same id retries with the next).
 */
public final class DurableVocabulary implements Dictionary, AutoCloseable {
    /** Most terms one {@link #addAll} may hold. */
    public static final int MAX_BATCH_TERMS = 8_192;

    private final Tree tree;
    private final Path directory;
    private final RecoveryReport recovery;

    private DurableVocabulary(Tree tree, Path directory, RecoveryReport recovery) {
        this.tree = tree;
        this.directory = directory;
        this.recovery = recovery;
    }

    /** Opens (creating if needed) the durable vocabulary in {@code directory} with default options. */
    public static DurableVocabulary open(Path directory) throws IOException {
        return open(directory, TreeOptions.defaults());
    }

    /**
     * Opens (creating it and the directory if needed) the durable vocabulary in {@code directory}, recovering every
     * acknowledged add. Exceptions as {@link DurableDictionary#open(Path, TreeOptions)}.
     */
    public static DurableVocabulary open(Path directory, TreeOptions options) throws IOException {
        DurableDirectory.Opened o = DurableDirectory.open(directory, options, Kind.VOCABULARY, false);
        return new DurableVocabulary(o.tree(), directory, o.report());
    }

    /** Opens the vocabulary in {@code directory} read-only. */
    public static DurableVocabulary openReadOnly(Path directory) throws IOException {
        DurableDirectory.Opened o = DurableDirectory.open(directory, TreeOptions.defaults(), Kind.VOCABULARY, true);
        return new DurableVocabulary(o.tree(), directory, o.report());
    }

    /** What the open recovered. */
    public RecoveryReport recoveryReport() {
        return recovery;
    }

    /**
     * Adds {@code term} and returns its id, the next in sequence.
     *
     * @throws IllegalArgumentException if the term is already in the vocabulary (its id is in the message), or holds
     *     an unpaired surrogate
     */
    public long add(String term) {
        return addAll(List.of(Objects.requireNonNull(term, "term")));
    }

    /** The id of {@code term}, adding it first if it is absent. */
    public long getOrAdd(String term) {
        for (;;) {
            long id = getId(term);
            if (id >= 0) {
                return id;
            }
            try {
                return add(term);
            } catch (IllegalArgumentException raced) {
                if (getId(term) < 0) {
                    throw raced;
                }
            }
        }
    }

    /**
     * Adds every term of {@code terms}, in order, with consecutive ids, as one atomic change; returns the first id.
     * Nothing is added if any term is present already or appears twice.
     *
     * @throws IllegalArgumentException on a duplicate (naming it), more than {@link #MAX_BATCH_TERMS} terms, or a
     *     term UTF-8 cannot encode
     */
    public long addAll(List<String> terms) {
        Objects.requireNonNull(terms, "terms");
        if (terms.size() > MAX_BATCH_TERMS) {
            throw new IllegalArgumentException("a batch of " + terms.size() + " terms exceeds the limit of "
                    + MAX_BATCH_TERMS);
        }
        List<byte[]> utf8 = new ArrayList<>(terms.size());
        Set<String> seen = new HashSet<>();
        for (String term : terms) {
            Objects.requireNonNull(term, "term");
            if (!seen.add(term)) {
                throw new IllegalArgumentException("term \"" + term + "\" appears twice in the batch");
            }
            byte[] bytes = Units.utf8(term);
            if (bytes == null) {
                throw new IllegalArgumentException("term holds an unpaired surrogate, not encodable as UTF-8: "
                        + term);
            }
            utf8.add(bytes);
        }
        for (;;) {
            for (String term : terms) {
                long existing = getId(term);
                if (existing >= 0) {
                    throw new IllegalArgumentException("term \"" + term + "\" is already in the vocabulary with id "
                            + existing);
                }
            }
            Record next = tree.getRecord(NEXT_ID_KEY);
            long first = next == null ? 0 : DurableFormat.longOf(next.value(), "next id");
            boolean done = tree.atomic(b -> {
                for (int i = 0; i < utf8.size(); i++) {
                    byte[] id = DurableFormat.longBytes(first + i);
                    b.putIfAbsent(DurableFormat.key(TERMS, utf8.get(i)), id);
                    b.putIfAbsent(DurableFormat.key(IDS, id), utf8.get(i));
                }
                byte[] after = DurableFormat.longBytes(first + utf8.size());
                if (next == null) {
                    b.putIfAbsent(NEXT_ID_KEY, after);
                } else {
                    b.compareAndPut(NEXT_ID_KEY, next.version(), after);
                }
            });
            if (done) {
                return first;
            }
        }
    }

    /** The id of {@code term}, or -1 if it is not in the vocabulary. */
    public long getId(String term) {
        byte[] utf8 = Units.utf8(Objects.requireNonNull(term, "term"));
        byte[] id = utf8 == null ? null : tree.get(DurableFormat.key(TERMS, utf8));
        return id == null ? -1 : DurableFormat.longOf(id, "id of \"" + term + "\"");
    }

    /**
     * The term with {@code id}.
     *
     * @throws IllegalArgumentException if no term has that id
     */
    public String getTerm(long id) {
        byte[] term = id < 0 ? null : tree.get(DurableFormat.key(IDS, DurableFormat.longBytes(id)));
        if (term == null) {
            throw new IllegalArgumentException("no term has id " + id + "; ids run from 0 to " + (size() - 1));
        }
        return new String(term, StandardCharsets.UTF_8);
    }

    @Override
    public Node root() {
        return new TreeNode(this, tree.trie(TERMS));
    }

    @Override
    public Alphabet alphabet() {
        return Alphabet.UTF8_BYTES;
    }

    @Override
    public boolean contains(String term) {
        return getId(term) >= 0;
    }

    /** The number of terms, which is also the next id. */
    @Override
    public long size() {
        byte[] next = tree.get(NEXT_ID_KEY);
        return next == null ? 0 : DurableFormat.longOf(next, "next id");
    }

    @Override
    public Stream<String> terms(String prefix) {
        byte[] p = Units.utf8(Objects.requireNonNull(prefix, "prefix"));
        return p == null ? Stream.empty() : tree.scan(DurableFormat.key(TERMS, p)).keysOnly().stream()
                .map(e -> new String(e.key(), TERMS.length, e.key().length - TERMS.length, StandardCharsets.UTF_8));
    }

    /** Forces every add acknowledged so far to disk. */
    public void sync() {
        tree.sync();
    }

    /** Writes the changed tree frames and retires the log they cover. */
    public void checkpoint() {
        tree.checkpoint();
    }

    @Override
    public void close() {
        tree.close();
    }

    @Override
    public String toString() {
        return "DurableVocabulary[" + directory + "]";
    }
}
