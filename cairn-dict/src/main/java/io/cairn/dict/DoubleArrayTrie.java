package io.cairn.dict;

import static io.cairn.dict.DictionaryImage.INT;
import static io.cairn.dict.DictionaryImage.LONG;

import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable dictionary in a double-array trie: the fastest exact lookup Cairn offers. The child of state s on
 * unit u is t = BASE[s] + code(u), valid iff CHECK[t] == s, so a transition is two array reads.
 *
 * <p>Built once from a collection of terms (sorted and deduplicated here; for entries, the last value of a
 * repeated term wins). Units are renumbered densely (the units that occur get codes 1..K in unit order), which keeps
 * the arrays small for code points and makes ascending codes ascending units. Every state also records its first
 * edge code and its next sibling's code, so edges are enumerated without scanning the alphabet.
 *
 * <p>BASE and CHECK of a state sit side by side in one 8-byte slot, so a lookup step reads one slot; the edge
 * links (first, next) are kept apart, since only edge enumeration needs them. The arrays live in one little-endian {@link MemorySegment} laid out exactly as the image payload
 * ({@link DictionaryImageFormat}), so {@link #save} writes it as is and {@link #load} maps the file and uses it in
 * place, without copying. Values (if any) sit in a side array indexed by the rank of the final state and are
 * saved through a {@link ValueCodec}. Instances are immutable and safe to share between threads.
 *
 * @param <V> the value type
 */
public final class DoubleArrayTrie<V> implements MappedDictionary<V> {
    private static final int HEADER_BYTES = 16;

    private final Alphabet alphabet;
    private final MemorySegment payload;
    private final int stateCount;
    private final int[] units;
    /** Codes of units 0..255 (0 = unit absent), the fast path for bytes and Latin text. */
    private final int[] smallCodes = new int[256];
    private final long termCount;
    /** Where the 8-byte (base, check) slots start: a lookup step reads one of them. */
    private final long slotsOffset;
    /** Where the 8-byte (first, next) edge links start: only edge enumeration reads them. */
    private final long linksOffset;
    private final long finalsOffset;
    /** Number of final states before each 64-state word: the rank that indexes {@link #values}. */
    private final int[] finalRanks;
    private final Object[] values;

    private DoubleArrayTrie(Alphabet alphabet, MemorySegment payload, Object[] values, DictionaryImage image)
            throws CorruptedStoreException {
        this.alphabet = alphabet;
        this.payload = payload;
        long length = payload.byteSize();
        long states = Integer.toUnsignedLong(payload.get(INT, 0));
        long unitCount = Integer.toUnsignedLong(payload.get(INT, 4));
        this.termCount = payload.get(LONG, 8);
        long words = (states + 63) >>> 6;
        long needed = arraysLength(payload);
        if (states < 1 || needed != length) {
            throw corrupt(image, "layout of " + states + " states and " + unitCount + " units needs " + needed
                    + " bytes, the payload has " + length);
        }
        this.stateCount = (int) states;
        this.units = new int[(int) unitCount];
        int maxUnit = Units.maxUnit(alphabet);
        for (int i = 0; i < units.length; i++) {
            int unit = payload.get(INT, HEADER_BYTES + 4L * i);
            if (unit < 0 || unit > maxUnit || (i > 0 && unit <= units[i - 1])) {
                throw corrupt(image, "unit " + unit + " at index " + i + " is out of order or range");
            }
            units[i] = unit;
            if (unit < smallCodes.length) {
                smallCodes[unit] = i + 1;
            }
        }
        this.slotsOffset = HEADER_BYTES + 4 * unitCount;
        this.linksOffset = slotsOffset + 8 * states;
        this.finalsOffset = linksOffset + 8 * states;
        this.finalRanks = new int[(int) words];
        long finals = 0;
        for (int w = 0; w < words; w++) {
            finalRanks[w] = (int) finals;
            finals += Long.bitCount(payload.get(LONG, finalsOffset + 8L * w));
        }
        if (finals != termCount) {
            throw corrupt(image, "term count " + termCount + " disagrees with " + finals + " final states");
        }
        this.values = values;
        if (image != null) {
            validateEdges(image);
        }
    }

    /** A trie of {@code terms} over UTF-8 bytes, without values. */
    public static <V> DoubleArrayTrie<V> of(Collection<String> terms) {
        return of(terms, Alphabet.UTF8_BYTES);
    }

    /** A trie of {@code terms} over {@code alphabet}, without values. */
    public static <V> DoubleArrayTrie<V> of(Collection<String> terms, Alphabet alphabet) {
        return build(SortedTerms.of(terms, alphabet), alphabet);
    }

    /** A trie of the keys of {@code entries} with their values over {@code alphabet}; a repeated key's last value wins. */
    public static <V> DoubleArrayTrie<V> ofEntries(Collection<? extends Map.Entry<String, ? extends V>> entries,
            Alphabet alphabet) {
        return build(SortedTerms.ofEntries(entries, alphabet), alphabet);
    }

    /**
     * Builds through the same path as an image too large for memory ({@link ImageBuilder}): the minimal DAWG of the
     * terms, then the trie placed from it, here with the slot arrays on the heap. Each value is carried through
     * the DAWG as its term's index.
     */
    private static <V> DoubleArrayTrie<V> build(SortedTerms terms, Alphabet alphabet) {
        CompactDawg dawg = CompactDawg.of(terms, alphabet);
        boolean valued = terms.values() != null;
        try (SlotStore slots = SlotStore.onHeap(DoubleArrayPlacer.width(valued))) {
            DoubleArrayPlacer placer = new DoubleArrayPlacer(dawg, slots, valued);
            placer.place(placed -> { });
            ImageWriter arrays = new ImageWriter((int) placer.arraysBytes());
            placer.writeArrays(arrays);
            Object[] values = null;
            if (valued) {
                List<Object> ordered = new ArrayList<>(terms.units().length);
                placer.forEachValue(index -> ordered.add(terms.valueOf(index)));
                values = ordered.toArray();
            }
            return new DoubleArrayTrie<>(alphabet, MemorySegment.ofArray(arrays.toByteArray()), values, null);
        } catch (CorruptedStoreException e) {
            throw new IllegalStateException("the builder laid out an impossible trie", e);
        } catch (IOException e) {
            throw new UncheckedIOException("slots on the heap do no I/O", e);
        }
    }

    /**
     * Checks that every state's sibling chain is ascending and owns exactly the states whose CHECK names it, that
     * the root has no parent, and then that the states form one tree below the root.
     */
    private void validateEdges(DictionaryImage image) throws CorruptedStoreException {
        int[] children = new int[stateCount];
        int owned = 0;
        for (int t = 0; t < stateCount; t++) {
            int parent = check(t);
            if (parent < -1 || parent >= stateCount || parent == t || (t == 0 && parent != -1)) {
                throw corrupt(image, "state " + t + " has impossible parent " + parent);
            }
            if (parent >= 0) {
                children[parent]++;
                owned++;
            } else if (t > 0 && isFinalState(t)) {
                throw corrupt(image, "free slot " + t + " is marked final");
            }
        }
        for (int s = 0; s < stateCount; s++) {
            int count = 0;
            int previous = 0;
            for (int code = first(s); code != 0; ) {
                int t = base(s) + code;
                if (code <= previous || code > units.length || t < 0 || t >= stateCount || check(t) != s) {
                    throw corrupt(image, "edge code " + code + " of state " + s + " is out of order or not owned");
                }
                count++;
                previous = code;
                code = next(t);
            }
            if (count != children[s]) {
                throw corrupt(image, "state " + s + " lists " + count + " edges but owns " + children[s] + " states");
            }
        }
        long reached = checkPaths(image);
        if (reached != owned + 1) {
            throw corrupt(image, (owned + 1 - reached) + " of " + (owned + 1) + " states are not reachable from the root");
        }
    }

    /**
     * Runs {@link UnitPaths} from the root along every edge, with an explicit stack, and returns how many states
     * it entered. Every state has one parent (its CHECK) and the root none, so no walk from the root can come
     * back to a state it entered: each is entered once, and states on a cycle are never entered at all.
     */
    private long checkPaths(DictionaryImage image) throws CorruptedStoreException {
        int[] stack = new int[64];
        int top = 0;
        stack[top++] = 0;
        stack[top++] = UnitPaths.START;
        long reached = 0;
        while (top > 0) {
            int pathState = stack[--top];
            int s = stack[--top];
            reached++;
            if (isFinalState(s) && !UnitPaths.canEnd(alphabet, pathState)) {
                throw corrupt(image, "the term ending at state " + s + " ends inside a UTF-8 sequence");
            }
            int base = base(s);
            for (int code = first(s); code != 0; code = next(base + code)) {
                int unit = units[code - 1];
                int nextState = UnitPaths.next(alphabet, pathState, unit);
                if (nextState == UnitPaths.INVALID) {
                    throw corrupt(image, "unit " + unit + " cannot follow on a path of " + alphabet);
                }
                if (top + 2 > stack.length) {
                    stack = Arrays.copyOf(stack, stack.length * 2);
                }
                stack[top++] = base + code;
                stack[top++] = nextState;
            }
        }
        return reached;
    }

    private static CorruptedStoreException corrupt(DictionaryImage image, String what) {
        return image == null ? new CorruptedStoreException("impossible double-array trie: " + what) : image.corrupt(what);
    }

    private int base(int s) {
        return payload.get(INT, slotsOffset + 8L * s);
    }

    private int check(int s) {
        return payload.get(INT, slotsOffset + 8L * s + 4);
    }

    private int first(int s) {
        return payload.get(INT, linksOffset + 8L * s);
    }

    private int next(int s) {
        return payload.get(INT, linksOffset + 8L * s + 4);
    }

    private boolean isFinalState(int s) {
        return (payload.get(LONG, finalsOffset + 8L * (s >>> 6)) & 1L << s) != 0;
    }

    /** The code of {@code unit}, 0 if no term uses it. */
    private int code(int unit) {
        if (unit >= 0 && unit < smallCodes.length) {
            return smallCodes[unit];
        }
        if (alphabet == Alphabet.UTF8_BYTES) {
            return 0;
        }
        int index = Arrays.binarySearch(units, unit);
        return index < 0 ? 0 : index + 1;
    }

    /** The state reached from {@code s} on {@code unit}, or -1. */
    private int step(int s, int unit) {
        int code = code(unit);
        if (code == 0) {
            return -1;
        }
        int t = base(s) + code;
        return t >= 0 && t < stateCount && check(t) == s ? t : -1;
    }

    /** The state {@code term} leads to from the root, or -1. */
    private int walk(String term) {
        Objects.requireNonNull(term, "term");
        int s = 0;
        if (alphabet == Alphabet.CODE_POINTS) {
            for (int i = 0; i < term.length() && s >= 0; ) {
                int cp = term.codePointAt(i);
                i += Character.charCount(cp);
                s = step(s, cp);
            }
            return s;
        }
        byte[] bytes = Units.utf8(term);
        if (bytes == null) {
            return -1; // an unpaired surrogate has no UTF-8 form, so no term holds it
        }
        for (int i = 0; i < bytes.length && s >= 0; i++) {
            s = step(s, bytes[i] & 0xFF);
        }
        return s;
    }

    @Override
    public Node root() {
        return new DatNode(this, 0);
    }

    @Override
    public Alphabet alphabet() {
        return alphabet;
    }

    @Override
    public boolean contains(String term) {
        int s = walk(term);
        return s >= 0 && isFinalState(s);
    }

    @Override
    public long size() {
        return termCount;
    }

    @Override
    public V getValue(String term) {
        int s = walk(term);
        return s >= 0 ? valueOfState(s) : null;
    }

    @Override
    public V valueAt(Node node) {
        if (!(node instanceof DatNode(DoubleArrayTrie<?> trie, int state)) || trie != this) {
            throw new IllegalArgumentException("node " + node + " does not belong to this double-array trie");
        }
        return valueOfState(state);
    }

    @SuppressWarnings("unchecked")
    private V valueOfState(int s) {
        if (values == null || !isFinalState(s)) {
            return null;
        }
        long word = payload.get(LONG, finalsOffset + 8L * (s >>> 6));
        int rank = finalRanks[s >>> 6] + Long.bitCount(word & ((1L << s) - 1));
        return (V) values[rank];
    }

    /** Whether the trie carries values (it was built from entries, or loaded with a codec from such an image). */
    public boolean hasValues() {
        return values != null;
    }

    /** Number of array slots (states plus free slots): the arrays take 16 bytes per slot. */
    public int slotCount() {
        return stateCount;
    }

    /** Number of states (the root and every slot a parent owns); counted on each call, O(slots). */
    public int stateCount() {
        int states = 1;
        for (int t = 1; t < stateCount; t++) {
            if (check(t) >= 0) {
                states++;
            }
        }
        return states;
    }

    /** Bytes of the image {@link #save(Path)} writes: header plus arrays, without values. */
    public long imageSize() {
        return DictionaryImageFormat.HEADER_SIZE + payload.byteSize();
    }

    /**
     * Saves the trie without its values (durably, replacing {@code path} atomically); returns the bytes written.
     *
     * @throws IllegalArgumentException if the trie has values: pass a codec to keep them
     */
    public long save(Path path) throws IOException {
        if (values != null) {
            throw new IllegalArgumentException("the trie holds values; save it with a ValueCodec to " + path);
        }
        return write(StorageIo.fileSystem(), path, null);
    }

    /** Saves the trie with its values encoded by {@code codec}; returns the bytes written. */
    public long save(Path path, ValueCodec<? super V> codec) throws IOException {
        Objects.requireNonNull(codec, "codec");
        return write(StorageIo.fileSystem(), path, codec);
    }

    /** Saves through {@code io} (tests inject faults here); a null codec saves no values. */
    @SuppressWarnings("unchecked")
    long write(StorageIo io, Path path, ValueCodec<? super V> codec) throws IOException {
        Objects.requireNonNull(path, "path");
        byte[] arrays = payload.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        int flags = 0;
        byte[] bytes = arrays;
        if (values != null && codec != null) {
            ImageWriter writer = new ImageWriter(arrays.length + values.length * 8);
            writer.bytes(arrays);
            for (Object value : values) {
                writer.value(((ValueCodec<Object>) codec).encode(value));
            }
            bytes = writer.toByteArray();
            flags = DictionaryImageFormat.FLAG_HAS_VALUES;
        }
        return DictionaryImage.write(io, path, DictionaryImageFormat.KIND_DOUBLE_ARRAY_TRIE,
                DictionaryImageFormat.alphabetCode(alphabet), flags, bytes);
    }

    /**
     * Maps the image at {@code path} (no copy) as a trie without values; values in the image are ignored.
     *
     * @throws CorruptedStoreException if the file is not an intact double-array trie image
     */
    public static <V> DoubleArrayTrie<V> load(Path path) throws IOException {
        return open(DictionaryImage.map(Objects.requireNonNull(path, "path"),
                DictionaryImageFormat.KIND_DOUBLE_ARRAY_TRIE), null);
    }

    /**
     * Maps the image at {@code path} (no copy), decoding its values with {@code codec} (an image without values
     * gives a trie without values).
     *
     * @throws CorruptedStoreException if the file is not an intact double-array trie image or a value does not decode
     */
    public static <V> DoubleArrayTrie<V> load(Path path, ValueCodec<V> codec) throws IOException {
        Objects.requireNonNull(codec, "codec");
        return open(DictionaryImage.map(Objects.requireNonNull(path, "path"),
                DictionaryImageFormat.KIND_DOUBLE_ARRAY_TRIE), codec);
    }

    /** The trie in {@code image} (kind 1), with values decoded by {@code codec} if it is not null. */
    static <V> DoubleArrayTrie<V> open(DictionaryImage image, ValueCodec<V> codec)
            throws CorruptedStoreException {
        Alphabet alphabet = image.alphabet() == DictionaryImageFormat.ALPHABET_CODE_POINTS
                ? Alphabet.CODE_POINTS : Alphabet.UTF8_BYTES;
        MemorySegment payload = image.payload();
        if (payload.byteSize() < HEADER_BYTES) {
            throw image.corrupt("payload of " + payload.byteSize() + " bytes is shorter than its " + HEADER_BYTES
                    + "-byte header");
        }
        if (!image.hasValues()) {
            return new DoubleArrayTrie<>(alphabet, payload, null, image);
        }
        long arraysLength = arraysLength(payload);
        if (arraysLength > payload.byteSize()) {
            throw image.corrupt("arrays of " + arraysLength + " bytes exceed the payload of " + payload.byteSize());
        }
        Object[] values = null;
        if (codec != null) {
            ImageReader reader = new ImageReader(image, payload, arraysLength);
            long count = payload.get(LONG, 8);
            if (count < 0 || count > reader.remaining()) {
                throw image.corrupt(count + " values cannot fit in " + reader.remaining() + " bytes");
            }
            values = new Object[(int) count];
            for (int i = 0; i < values.length; i++) {
                values[i] = reader.value(codec);
            }
            reader.expectEnd();
        }
        return new DoubleArrayTrie<>(alphabet, payload.asSlice(0, arraysLength), values, image);
    }

    /** The length the header fields give the arrays (header, units, slots, links, finals); needs the 16-byte header. */
    private static long arraysLength(MemorySegment payload) {
        long states = Integer.toUnsignedLong(payload.get(INT, 0));
        long unitCount = Integer.toUnsignedLong(payload.get(INT, 4));
        return HEADER_BYTES + 4 * unitCount + 16 * states + 8 * ((states + 63) >>> 6);
    }

    /** A state of a double-array trie: a light view, equal to every view of the same state of the same trie. */
    private record DatNode(DoubleArrayTrie<?> trie, int state) implements Node {

        @Override
        public boolean isFinal() {
            return trie.isFinalState(state);
        }

        @Override
        public Node transition(int unit) {
            int t = trie.step(state, unit);
            return t < 0 ? null : new DatNode(trie, t);
        }

        @Override
        public int edgeCount() {
            int count = 0;
            int base = trie.base(state);
            for (int code = trie.first(state); code != 0; code = trie.next(base + code)) {
                count++;
            }
            return count;
        }

        @Override
        public void forEachEdge(EdgeVisitor visitor) {
            int base = trie.base(state);
            int[] units = trie.units;
            for (int code = trie.first(state); code != 0; ) {
                int t = base + code;
                visitor.edge(units[code - 1], new DatNode(trie, t));
                code = trie.next(t);
            }
        }

        @Override
        public String toString() {
            return "DatNode[state=" + state + "]";
        }
    }
}
