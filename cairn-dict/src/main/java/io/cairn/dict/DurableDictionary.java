package io.cairn.dict;

import static io.cairn.dict.DurableFormat.COUNT_PREFIX;
import static io.cairn.dict.DurableFormat.STRIPES;
import static io.cairn.dict.DurableFormat.TERMS;
import static io.cairn.dict.DurableFormat.VALUE_TAG;

import io.cairn.dict.DurableFormat.Kind;
import io.cairn.stack.CorruptedStoreException;
import io.cairn.tree.AtomicBatch;
import io.cairn.tree.Record;
import io.cairn.tree.ScanEntry;
import io.cairn.tree.Tree;
import io.cairn.tree.TreeOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A dictionary of terms with optional byte-array values, kept durably in a directory: a view over a durable
 * {@link Tree} ({@link Tree#open}: write-ahead log, group commit, checkpoints, crash recovery), whose keys are the
 * terms' UTF-8 bytes under one prefix byte (layout: {@code DurableFormat}, docs/formats.md).
 *
 * <p><b>Fuzzy search runs on it directly:</b> its nodes are the tree's key trie ({@link io.cairn.tree.TrieNode}), so
 * {@code Levenshtein.query(dictionary, query)} walks the tree's frames, with no copy into another structure; edges
 * are UTF-8 bytes ({@link Alphabet#UTF8_BYTES}).
 *
 * <p><b>Durability</b> is the tree's ({@link TreeOptions#durability}): under {@code SYNC} (the default) a method
 * that changes the dictionary returns once its change is forced to the log, and concurrent writers share forces
 * (group commit); under {@code ASYNC} every change acknowledged before the last {@link #sync()} survives a crash.
 * Every change is one atomic log record, together with the stored count that {@link #size()} reads, so the count is
 * exact after any crash: a term is added (or removed) with its count or not at all. {@link #insertBatch} is one
 * record too; {@link #merge}, {@link #unionWith} and {@link #removePrefix} are a sequence of such records.
 *
 * <p><b>Concurrency:</b> every method is thread-safe. A conditional change ({@code insert}, {@code compareAndSwap},
 * {@code increment}, ...) reads, then applies its change conditionally on what it read, retrying if another writer
 * got in between, so each is atomic. Reads see each change at once (possibly a moment before it is durable). A
 * fuzzy search or term iteration of a dictionary that is being changed is not a snapshot: a term present throughout
 * is found, a term absent throughout is not.
 *
 * <p>{@link #close()} checkpoints and releases the directory; any use afterwards throws
 * {@link IllegalStateException}. A handle opened with {@link #openReadOnly} refuses changes with
 * {@link UnsupportedOperationException}.
 */
public final class DurableDictionary implements MutableMappedDictionary<byte[]>, AutoCloseable {
    /** Most terms one {@link #insertBatch} may hold (each change of a batch may need a frame of the tree's budget). */
    public static final int MAX_BATCH_TERMS = 16_384;
    /** Most term and value bytes one batch may hold, well inside one log record. */
    public static final int MAX_BATCH_BYTES = 8 << 20;
    private static final byte[] NO_VALUE = new byte[0];

    private final Tree tree;
    private final Path directory;
    private final RecoveryReport recovery;

    private DurableDictionary(Tree tree, Path directory, RecoveryReport recovery) {
        this.tree = tree;
        this.directory = directory;
        this.recovery = recovery;
    }

    /** Opens (creating if needed) the durable dictionary in {@code directory} with default options ({@code SYNC}). */
    public static DurableDictionary open(Path directory) throws IOException {
        return open(directory, TreeOptions.defaults());
    }

    /**
     * Opens (creating it and the directory if needed) the durable dictionary in {@code directory}: takes the
     * directory's lock and recovers every acknowledged change (see {@link #recoveryReport()}).
     *
     * @param options the tree's options: durability, flush interval, frame budget, I/O seam
     * @throws io.cairn.stack.StoreLockedException    if another handle has the directory open
     * @throws io.cairn.stack.CorruptedStoreException if a file is damaged
     * @throws io.cairn.stack.FormatVersionException  if it was written by a newer format version
     * @throws IllegalArgumentException               if the directory holds something else (a vocabulary, a tree)
     */
    public static DurableDictionary open(Path directory, TreeOptions options) throws IOException {
        DurableDirectory.Opened o = DurableDirectory.open(directory, options, Kind.DICTIONARY, false);
        return new DurableDictionary(o.tree(), directory, o.report());
    }

    /** Opens the dictionary in {@code directory} read-only: beside other readers, never beside a writer. */
    public static DurableDictionary openReadOnly(Path directory) throws IOException {
        DurableDirectory.Opened o = DurableDirectory.open(directory, TreeOptions.defaults(), Kind.DICTIONARY, true);
        return new DurableDictionary(o.tree(), directory, o.report());
    }

    /** What the open recovered: log records replayed, a torn log tail cut, how long it took. */
    public RecoveryReport recoveryReport() {
        return recovery;
    }

    /** The directory this dictionary lives in. */
    public Path directory() {
        return directory;
    }

    // ---- Dictionary

    /** The root of the tree's trie of terms: fuzzy search and term walks run on the tree itself. */
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
        byte[] key = keyOrNull(term);
        return key != null && tree.get(key) != null;
    }

    /**
     * How many terms the dictionary holds: the sum of the stored count stripes (a few keys, one consistent read),
     * exact at one moment, without a scan of the terms.
     */
    @Override
    public long size() {
        long total = 0;
        for (ScanEntry e : tree.scan(COUNT_PREFIX)) {
            total += DurableFormat.longOf(e.value(), "count stripe " + e.keyString());
        }
        return total;
    }

    /** The terms under {@code prefix} in UTF-8 byte order, read from the tree in chunks (not a snapshot). */
    @Override
    public Stream<String> terms(String prefix) {
        byte[] p = keyOrNull(Objects.requireNonNull(prefix, "prefix"));
        return p == null ? Stream.empty() : tree.scan(p).keysOnly().stream().map(e -> term(e.key()));
    }

    @Override
    public Stream<Entry<byte[]>> entries(String prefix) {
        byte[] p = keyOrNull(Objects.requireNonNull(prefix, "prefix"));
        return p == null ? Stream.empty()
                : tree.scan(p).stream().map(e -> new Entry<>(term(e.key()), valueOf(e.value(), e.key())));
    }

    // ---- values

    /** The value of {@code term}, or null if the term is absent or carries no value. */
    @Override
    public byte[] getValue(String term) {
        byte[] key = keyOrNull(term);
        if (key == null) {
            return null;
        }
        byte[] stored = tree.get(key);
        return stored == null ? null : valueOf(stored, key);
    }

    @Override
    public byte[] valueAt(Node node) {
        if (!(node instanceof TreeNode n) || n.owner() != this) {
            throw new IllegalArgumentException("node " + node + " does not belong to this dictionary");
        }
        Record r = n.trie().record();
        return r == null ? null : valueOf(r.value(), DurableFormat.key(TERMS, n.trie().key()));
    }

    // ---- changes

    /** Adds {@code term} without a value; true if it was absent (a present term keeps its value). */
    @Override
    public boolean insert(String term) {
        return change(key(term), current -> current == null ? NO_VALUE : null) == null;
    }

    /** Sets the value of {@code term}, adding the term if needed; true if it was absent. */
    @Override
    public boolean insertWithValue(String term, byte[] value) {
        byte[] stored = stored(value);
        return change(key(term), current -> stored) == null;
    }

    /** Sets the value of {@code term}, adding the term if needed; returns the value it replaced (null: none). */
    public byte[] upsert(String term, byte[] value) {
        byte[] stored = stored(value);
        byte[] key = key(term);
        Record before = change(key, current -> stored);
        return before == null ? null : valueOf(before.value(), key);
    }

    /** Removes {@code term} and its value; true if it was present. */
    @Override
    public boolean remove(String term) {
        byte[] key = keyOrNull(term);
        if (key == null) {
            return false;
        }
        for (;;) {
            Record r = tree.getRecord(key);
            if (r == null) {
                return false;
            }
            if (counted(b -> b.deleteIfVersion(key, r.version()), -1)) {
                return true;
            }
        }
    }

    /**
     * Sets {@code term} to {@code replacement} only if its value is now {@code expected}; null stands for "absent"
     * on either side (so {@code expected == null} adds, {@code replacement == null} removes). A present term without
     * a value matches neither null nor any array. Returns whether it changed anything.
     */
    public boolean compareAndSwap(String term, byte[] expected, byte[] replacement) {
        byte[] key = key(term);
        byte[] stored = replacement == null ? null : stored(replacement);
        for (;;) {
            Record r = tree.getRecord(key);
            if (expected == null ? r != null
                    : r == null || r.value().length == 0 || !Arrays.equals(valueOf(r.value(), key), expected)) {
                return false;
            }
            boolean done;
            if (r == null) {
                done = stored == null || counted(b -> b.putIfAbsent(key, stored), 1);
            } else if (stored == null) {
                done = counted(b -> b.deleteIfVersion(key, r.version()), -1);
            } else {
                done = tree.compareAndPut(key, r.version(), stored);
            }
            if (done) {
                return true;
            }
        }
    }

    /**
     * Adds {@code delta} to the counter stored as {@code term}'s value (an 8-byte big-endian signed long; a term
     * absent or without a value counts from 0, and is added) and returns the new count.
     *
     * @throws IllegalStateException if the term's value is not 8 bytes long (not a counter)
     * @throws ArithmeticException   if the count would overflow a long (nothing is changed)
     */
    public long increment(String term, long delta) {
        byte[] key = key(term);
        long[] result = new long[1];
        change(key, current -> {
            long now = current == null || current.value().length == 0 ? 0 : counter(current.value(), term);
            result[0] = Math.addExact(now, delta);
            return stored(DurableFormat.longBytes(result[0]));
        });
        return result[0];
    }

    /**
     * The value {@code term} holds; if it is absent, first adds it with {@code value}. Null if the term is present
     * without a value.
     */
    public byte[] getOrInsert(String term, byte[] value) {
        byte[] stored = stored(value);
        byte[] key = key(term);
        Record before = change(key, current -> current == null ? stored : null);
        return before == null ? value.clone() : valueOf(before.value(), key);
    }

    @Override
    public byte[] updateOrInsert(String term, byte[] defaultValue, UnaryOperator<byte[]> updater) {
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(updater, "updater");
        byte[] key = key(term);
        byte[][] result = new byte[1][];
        change(key, current -> {
            byte[] now = current == null || current.value().length == 0 ? defaultValue.clone()
                    : Objects.requireNonNull(updater.apply(valueOf(current.value(), key)), "updater result");
            result[0] = now;
            return stored(now);
        });
        return result[0].clone();
    }

    /**
     * Adds every term of {@code terms} that is absent, as one atomic change (one log record): after a crash all of
     * them are there or none. Present terms are left as they are. Returns how many were added.
     *
     * @throws IllegalArgumentException if the batch holds more than {@link #MAX_BATCH_TERMS} distinct terms or
     *     {@link #MAX_BATCH_BYTES} bytes (use {@link #merge} for more), or a term UTF-8 cannot encode
     */
    public long insertBatch(Collection<String> terms) {
        Objects.requireNonNull(terms, "terms");
        LinkedHashMap<String, byte[]> batch = new LinkedHashMap<>();
        for (String term : terms) {
            batch.put(Objects.requireNonNull(term, "term"), null);
        }
        return applyBatch(batch, DurableDictionary::addPlain);
    }

    /**
     * Sets the value of every term of {@code entries} (adding absent terms) as one atomic change; returns how many
     * terms were added. Limits as {@link #insertBatch}.
     */
    public long insertBatchWithValues(Map<String, byte[]> entries) {
        Objects.requireNonNull(entries, "entries");
        LinkedHashMap<String, byte[]> batch = new LinkedHashMap<>();
        entries.forEach((term, value) -> batch.put(Objects.requireNonNull(term, "term"),
                Objects.requireNonNull(value, "value")));
        return applyBatch(batch, (key, current, value) -> stored(value));
    }

    /**
     * Adds every term of {@code other} (without values; present terms keep theirs), in atomic batches of up to
     * {@link #MAX_BATCH_TERMS} terms: a crash keeps a prefix of the batches. Returns how many terms were added.
     */
    public long merge(Dictionary other) {
        Objects.requireNonNull(other, "other");
        if (other == this) {
            return 0;
        }
        try (Stream<String> terms = other.terms()) {
            return inBatches(terms.map(t -> new Entry<byte[]>(t, null)).iterator(), DurableDictionary::addPlain);
        }
    }

    /**
     * Adds every term of {@code other} with its value, in atomic batches as {@link #merge}; a term present on both
     * sides gets {@code merge(mine, theirs)} when both carry values, otherwise whichever value exists. Returns how
     * many terms were added.
     */
    @Override
    public long unionWith(MappedDictionary<? extends byte[]> other, BinaryOperator<byte[]> merge) {
        Objects.requireNonNull(other, "other");
        Objects.requireNonNull(merge, "merge");
        if (other == this) {
            return 0;
        }
        try (Stream<? extends Entry<? extends byte[]>> entries = other.entries()) {
            return inBatches(entries.map(e -> new Entry<byte[]>(e.term(), e.value())).iterator(),
                    (key, current, theirs) -> {
                        if (current == null) {
                            return theirs == null ? NO_VALUE : stored(theirs);
                        }
                        if (theirs == null) {
                            return null;
                        }
                        byte[] mine = valueOf(current.value(), key);
                        return stored(mine == null ? theirs
                                : Objects.requireNonNull(merge.apply(mine, theirs), "merge result"));
                    });
        }
    }

    /**
     * Removes every term that starts with {@code prefix}, in atomic batches of up to {@link #MAX_BATCH_TERMS}
     * terms; returns how many were removed. Terms added under the prefix meanwhile may remain.
     */
    public long removePrefix(String prefix) {
        byte[] p = keyOrNull(Objects.requireNonNull(prefix, "prefix"));
        if (p == null) {
            return 0;
        }
        long removed = 0;
        for (;;) {
            List<ScanEntry> chunk = tree.scan(p).keysOnly().limit(MAX_BATCH_TERMS).toList();
            if (chunk.isEmpty()) {
                return removed;
            }
            if (counted(b -> chunk.forEach(e -> b.deleteIfVersion(e.key(), e.version())), -chunk.size())) {
                removed += chunk.size();
            }
        }
    }

    // ---- maintenance

    /** Forces every change acknowledged so far to disk (what {@code ASYNC} and {@code NONE} defer). */
    public void sync() {
        tree.sync();
    }

    /** Writes the changed tree frames and retires the log they cover, so the next open replays less. */
    public void checkpoint() {
        tree.checkpoint();
    }

    /** Checkpoints, forces and releases the directory. Idempotent. */
    @Override
    public void close() {
        tree.close();
    }

    @Override
    public String toString() {
        return "DurableDictionary[" + directory + "]";
    }

    // ---- internals

    /**
     * Changes one term: {@code next} maps its current record (null: absent) to the entry to store, or null to leave
     * it; the change is applied only if the term is still as read (else read again), with the count when the term
     * is added. Returns the record the change replaced (null: the term was absent).
     */
    private Record change(byte[] key, Function<Record, byte[]> next) {
        for (;;) {
            Record r = tree.getRecord(key);
            byte[] stored = next.apply(r);
            if (stored == null) {
                return r;
            }
            boolean done = r == null ? counted(b -> b.putIfAbsent(key, stored), 1)
                    : tree.compareAndPut(key, r.version(), stored);
            if (done) {
                return r;
            }
        }
    }

    /**
     * Applies {@code ops} and adds {@code delta} to this thread's count stripe in one atomic batch; false (nothing
     * changed) if a condition of {@code ops} failed or the stripe changed since it was read.
     */
    private boolean counted(Consumer<AtomicBatch> ops, long delta) {
        byte[] stripe = DurableFormat.key(COUNT_PREFIX,
                new byte[] {(byte) (Thread.currentThread().threadId() % STRIPES)});
        Record s = tree.getRecord(stripe);
        return tree.atomic(b -> {
            ops.accept(b);
            if (s == null) {
                b.putIfAbsent(stripe, DurableFormat.longBytes(delta));
            } else {
                b.compareAndPut(stripe, s.version(),
                        DurableFormat.longBytes(DurableFormat.longOf(s.value(), "count stripe") + delta));
            }
        });
    }

    /**
     * What a batch stores for one term, from its key, its current record (null: absent) and the value given for it
     * (null: none): the entry to store, or null to leave the term as it is (it must stay so: the batch checks its
     * version).
     */
    @FunctionalInterface
    private interface BatchRule {
        byte[] stored(byte[] key, Record current, byte[] value);
    }

    /** The rule of a plain insert: add an absent term without a value, leave a present one. */
    private static byte[] addPlain(byte[] key, Record current, byte[] value) {
        return current == null ? NO_VALUE : null;
    }

    private long inBatches(Iterator<Entry<byte[]>> entries, BatchRule rule) {
        long added = 0;
        LinkedHashMap<String, byte[]> batch = new LinkedHashMap<>();
        long bytes = 0;
        while (entries.hasNext()) {
            Entry<byte[]> e = entries.next();
            batch.put(e.term(), e.value());
            bytes += 4L * e.term().length() + (e.value() == null ? 0 : e.value().length + 1);
            if (batch.size() == MAX_BATCH_TERMS || bytes >= MAX_BATCH_BYTES / 2) {
                added += applyBatch(batch, rule);
                batch.clear();
                bytes = 0;
            }
        }
        return added + applyBatch(batch, rule);
    }

    /** One atomic batch over the terms of {@code batch} (term → new value or null); returns how many were added. */
    private long applyBatch(LinkedHashMap<String, byte[]> batch, BatchRule rule) {
        if (batch.isEmpty()) {
            return 0;
        }
        if (batch.size() > MAX_BATCH_TERMS) {
            throw new IllegalArgumentException("a batch of " + batch.size() + " terms exceeds the limit of "
                    + MAX_BATCH_TERMS + "; merge() splits any number into batches");
        }
        List<byte[]> keys = new ArrayList<>(batch.size());
        long bytes = 0;
        for (Map.Entry<String, byte[]> e : batch.entrySet()) {
            byte[] key = key(e.getKey());
            keys.add(key);
            bytes += key.length + (e.getValue() == null ? 0 : e.getValue().length + 1);
        }
        if (bytes > MAX_BATCH_BYTES) {
            throw new IllegalArgumentException("a batch of " + bytes + " bytes exceeds the limit of "
                    + MAX_BATCH_BYTES + "; merge() splits any number into batches");
        }
        List<byte[]> values = new ArrayList<>(batch.values());
        for (;;) {
            List<Runnable> plan = new ArrayList<>();
            AtomicBatch[] target = new AtomicBatch[1];
            long added = 0;
            for (int i = 0; i < keys.size(); i++) {
                byte[] key = keys.get(i);
                Record r = tree.getRecord(key);
                byte[] stored = rule.stored(key, r, values.get(i));
                if (r == null) {
                    added++;
                    plan.add(() -> target[0].putIfAbsent(key, stored));
                } else if (stored == null) {
                    plan.add(() -> target[0].assertVersion(key, r.version()));
                } else {
                    plan.add(() -> target[0].compareAndPut(key, r.version(), stored));
                }
            }
            if (counted(b -> {
                target[0] = b;
                plan.forEach(Runnable::run);
            }, added)) {
                return added;
            }
        }
    }

    private long counter(byte[] stored, String term) {
        if (stored.length != 1 + Long.BYTES) {
            throw new IllegalStateException("term \"" + term + "\" holds a " + (stored.length - 1)
                    + "-byte value, not an 8-byte counter");
        }
        return DurableFormat.longOf(Arrays.copyOfRange(stored, 1, stored.length), "counter");
    }

    /** The entry stored for {@code value}: its tag and bytes. */
    private static byte[] stored(byte[] value) {
        Objects.requireNonNull(value, "value");
        byte[] out = new byte[value.length + 1];
        out[0] = VALUE_TAG;
        System.arraycopy(value, 0, out, 1, value.length);
        return out;
    }

    /** The value in a stored entry (null: the term carries none). */
    private byte[] valueOf(byte[] stored, byte[] key) {
        if (stored.length == 0) {
            return null;
        }
        if (stored[0] != VALUE_TAG) {
            throw new UncheckedIOException(new CorruptedStoreException(directory,
                    CorruptedStoreException.UNKNOWN_OFFSET, "durable dictionary entry tag of key "
                    + java.util.HexFormat.of().formatHex(key), "01", String.format("%02x", stored[0])));
        }
        return Arrays.copyOfRange(stored, 1, stored.length);
    }

    private static String term(byte[] key) {
        return new String(key, TERMS.length, key.length - TERMS.length, StandardCharsets.UTF_8);
    }

    /** The tree key of {@code term}, or null if UTF-8 cannot encode it (an unpaired surrogate: no such term). */
    private static byte[] keyOrNull(String term) {
        byte[] utf8 = Units.utf8(Objects.requireNonNull(term, "term"));
        return utf8 == null ? null : DurableFormat.key(TERMS, utf8);
    }

    private static byte[] key(String term) {
        byte[] key = keyOrNull(term);
        if (key == null) {
            throw new IllegalArgumentException("term holds an unpaired surrogate, not encodable as UTF-8: " + term);
        }
        return key;
    }
}
