package io.cairn.dict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.dict.fuzzy.Levenshtein;
import io.cairn.stack.CorruptedStoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Structure-aware fuzzing of dictionary images: each case decodes a valid image into its fields (the arrays of a
 * trie, the varints and value bytes of a DAWG), changes one to three of them to values chosen to be dangerous
 * (other states, -1, 0, neighbours, extremes), writes it back with valid checksums, loads it and reads everything
 * (every term, contains, values, size, a fuzzy search). Every case must end in {@link CorruptedStoreException} or
 * a consistent dictionary within a time limit: never another exception, a hang or a wrong size. The seed is
 * printed on failure; {@code -Dcairn.fuzz.seed} replays it and {@code -Dcairn.fuzz.cases} sets the cases per
 * image.
 */
class StructuralFuzzTest {
    /** A consistent dictionary may spell this many terms before the check stops reading (a huge one is legal). */
    private static final long READ_CAP = 5_000;
    private static final long CASE_SECONDS = 10;

    @TempDir
    Path dir;

    private final ExecutorService worker = Executors.newSingleThreadExecutor(run -> {
        Thread thread = new Thread(run, "fuzz-case");
        thread.setDaemon(true);
        return thread;
    });

    @AfterEach
    void stop() {
        worker.shutdownNow();
    }

    /** One saved image and how to load and read it. */
    private record Subject(String name, int kind, int alphabet, int flags, byte[] payload, Reader reader) {}

    @FunctionalInterface
    private interface Reader {
        void readEverything(Path path) throws IOException;
    }

    @Test
    void mutatedStructureBehindValidChecksumsFailsCleanlyOrReadsConsistently() throws Exception {
        fuzz(Integer.getInteger("cairn.fuzz.cases", 150));
    }

    @Test
    @Tag("soak")
    void manyMoreStructuralMutations() throws Exception {
        fuzz(Integer.getInteger("cairn.fuzz.soakCases", 20_000));
    }

    private void fuzz(int casesPerSubject) throws Exception {
        long seed = Long.getLong("cairn.fuzz.seed", new Random().nextLong());
        Random random = new Random(seed);
        for (Subject subject : subjects()) {
            for (int c = 0; c < casesPerSubject; c++) {
                // A fresh file each case: truncating one that a trie still maps costs milliseconds.
                Path path = dir.resolve("fuzzed-" + c);
                byte[] payload = subject.payload().clone();
                int flags = subject.flags();
                int alphabet = subject.alphabet();
                List<String> done = new ArrayList<>();
                for (int m = 1 + random.nextInt(3); m > 0; m--) {
                    int choice = random.nextInt(20);
                    if (choice == 0) {
                        flags ^= DictionaryImageFormat.FLAG_HAS_VALUES;
                        done.add("flip HAS_VALUES");
                    } else if (choice == 1 && subject.kind() != DictionaryImageFormat.KIND_TOKEN_DAWG) {
                        alphabet ^= 1;
                        done.add("flip alphabet");
                    } else if (choice == 2) {
                        payload = mutateBytes(payload, random, done);
                    } else if (subject.kind() == DictionaryImageFormat.KIND_DOUBLE_ARRAY_TRIE) {
                        payload = mutateTrie(payload, random, done);
                    } else {
                        payload = mutateDawg(payload, subject.flags(), random, done);
                    }
                }
                Files.write(path, image(subject.kind(), alphabet, flags, payload));
                String context = "seed " + seed + " " + subject.name() + " case " + c + ": " + done;
                Future<?> run = worker.submit(() -> {
                    try {
                        subject.reader().readEverything(path);
                    } catch (CorruptedStoreException expected) {
                        // detected
                    }
                    return null;
                });
                try {
                    run.get(CASE_SECONDS, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    throw new AssertionError(context + ": no answer within " + CASE_SECONDS + " s", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new AssertionError(context + ": " + e.getCause(), e.getCause());
                }
                Files.delete(path);
            }
        }
    }

    private List<Subject> subjects() throws IOException {
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        List<String> words = SystemWords.all();
        Random random = new Random(7);
        for (int i = 0; i < 60; i++) {
            String word = words.get(random.nextInt(words.size()));
            entries.add(Map.entry(i % 5 == 0 ? word + "é日😀" : word, "v" + i % 4));
        }
        entries.add(Map.entry("", "root value"));
        List<String> terms = entries.stream().map(Map.Entry::getKey).toList();
        List<Subject> subjects = new ArrayList<>();
        Path path = dir.resolve("subject");

        DoubleArrayTrie.ofEntries(entries, Alphabet.UTF8_BYTES).save(path, ValueCodec.strings());
        subjects.add(subject("trie, UTF-8, values", path, StructuralFuzzTest::readTrie));
        DoubleArrayTrie.of(terms, Alphabet.CODE_POINTS).save(path);
        subjects.add(subject("trie, code points", path, StructuralFuzzTest::readTrie));

        Dawg.ofEntries(entries, Alphabet.UTF8_BYTES).save(path, ValueCodec.strings());
        subjects.add(subject("DAWG, UTF-8, values", path, StructuralFuzzTest::readDawg));
        Dawg.of(terms, Alphabet.CODE_POINTS).save(path);
        subjects.add(subject("DAWG, code points", path, StructuralFuzzTest::readDawg));

        TokenDawg<String> tokens = TokenDawg.create();
        for (int i = 0; i < 40; i++) {
            long[] sequence = random.longs(random.nextInt(5), -3, 40).toArray();
            tokens.insertWithValue(sequence, "t" + i % 3);
        }
        tokens.insert(new long[] {Long.MIN_VALUE, -1});
        tokens.save(path, ValueCodec.strings());
        subjects.add(subject("token DAWG, values", path, StructuralFuzzTest::readTokens));
        return subjects;
    }

    private static Subject subject(String name, Path path, Reader reader) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return new Subject(name, bytes[DictionaryImageFormat.KIND_OFFSET], bytes[DictionaryImageFormat.ALPHABET_OFFSET],
                header.getInt(DictionaryImageFormat.FLAGS_OFFSET),
                Arrays.copyOfRange(bytes, DictionaryImageFormat.HEADER_SIZE, bytes.length), reader);
    }

    /** A whole image around {@code payload} with valid checksums. */
    private static byte[] image(int kind, int alphabet, int flags, byte[] payload) {
        ByteBuffer image = ByteBuffer.allocate(DictionaryImageFormat.HEADER_SIZE + payload.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        image.put(DictionaryImageFormat.MAGIC).putShort((short) DictionaryImageFormat.VERSION).put((byte) kind)
                .put((byte) alphabet).putInt(flags).putLong(payload.length);
        CRC32C payloadCrc = new CRC32C();
        payloadCrc.update(payload);
        image.putInt((int) payloadCrc.getValue());
        CRC32C headerCrc = new CRC32C();
        headerCrc.update(image.array(), 0, DictionaryImageFormat.HEADER_CRC_OFFSET);
        image.putInt((int) headerCrc.getValue()).put(payload);
        return image.array();
    }

    // ---- mutations ----

    private static byte[] mutateBytes(byte[] payload, Random random, List<String> done) {
        if (payload.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        int at = random.nextInt(payload.length);
        switch (random.nextInt(3)) {
            case 0 -> {
                done.add("byte " + at + " := random");
                byte[] copy = payload.clone();
                copy[at] = (byte) random.nextInt(256);
                return copy;
            }
            case 1 -> {
                done.add("delete byte " + at);
                byte[] copy = new byte[payload.length - 1];
                System.arraycopy(payload, 0, copy, 0, at);
                System.arraycopy(payload, at + 1, copy, at, copy.length - at);
                return copy;
            }
            default -> {
                done.add("insert byte at " + at);
                byte[] copy = new byte[payload.length + 1];
                System.arraycopy(payload, 0, copy, 0, at);
                copy[at] = (byte) random.nextInt(256);
                System.arraycopy(payload, at, copy, at + 1, payload.length - at);
                return copy;
            }
        }
    }

    /** A value likely to break an invariant about {@code near} in a structure of {@code size} slots. */
    private static long dangerous(Random random, long near, long size) {
        return switch (random.nextInt(10)) {
            case 0 -> -1;
            case 1 -> 0;
            case 2 -> 1;
            case 3 -> near - 1;
            case 4 -> near + 1;
            case 5 -> size;
            case 6 -> size - 1;
            case 7 -> random.nextLong(Math.max(1, size));
            case 8 -> random.nextBoolean() ? Integer.MAX_VALUE : Integer.MIN_VALUE;
            default -> random.nextInt();
        };
    }

    private static byte[] mutateTrie(byte[] payload, Random random, List<String> done) {
        if (payload.length < 16) {
            return mutateBytes(payload, random, done);
        }
        DatPayload trie;
        try {
            trie = DatPayload.parse(payload);
        } catch (RuntimeException e) { // an earlier mutation left it unparsable: damage bytes instead
            return mutateBytes(payload, random, done);
        }
        int states = trie.base.length;
        if (states == 0) {
            return mutateBytes(payload, random, done);
        }
        int s = random.nextInt(states);
        switch (random.nextInt(11)) {
            case 0 -> {
                trie.base[s] = (int) dangerous(random, trie.base[s], states);
                done.add("base[" + s + "] := " + trie.base[s]);
            }
            case 1 -> {
                trie.check[s] = (int) dangerous(random, trie.check[s], states);
                done.add("check[" + s + "] := " + trie.check[s]);
            }
            case 2 -> {
                trie.first[s] = (int) dangerous(random, trie.first[s], trie.units.length + 1);
                done.add("first[" + s + "] := " + trie.first[s]);
            }
            case 3 -> {
                trie.next[s] = (int) dangerous(random, trie.next[s], trie.units.length + 1);
                done.add("next[" + s + "] := " + trie.next[s]);
            }
            case 4 -> {
                trie.finals[s >>> 6] ^= 1L << s;
                done.add("toggle final " + s);
            }
            case 5 -> {
                trie.termCount += random.nextInt(5) - 2;
                done.add("termCount := " + trie.termCount);
            }
            case 6 -> {
                if (trie.units.length > 0) {
                    int i = random.nextInt(trie.units.length);
                    trie.units[i] = (int) dangerous(random, trie.units[i], 0x110000);
                    done.add("units[" + i + "] := " + trie.units[i]);
                }
            }
            case 7 -> {
                int first = trie.grow(1 + random.nextInt(3));
                for (int t = first; t < trie.base.length; t++) {
                    trie.base[t] = (int) dangerous(random, t, trie.base.length);
                    trie.check[t] = (int) dangerous(random, t, trie.base.length);
                    trie.first[t] = random.nextInt(trie.units.length + 1);
                    if (random.nextBoolean()) {
                        trie.setFinal(t);
                    }
                }
                done.add("grow to " + trie.base.length + " states");
            }
            case 8 -> {
                // An edge from s to any state, the root included, with its CHECK and links made to agree.
                int t = random.nextBoolean() ? 0 : random.nextInt(states);
                link(trie, s, t, random);
                done.add("edge " + s + " -> " + t);
            }
            case 9 -> {
                // A cycle of two new final states, edges consistent, the term count raised to match.
                int a = trie.grow(2);
                link(trie, a, a + 1, random);
                link(trie, a + 1, a, random);
                trie.setFinal(a);
                trie.setFinal(a + 1);
                trie.termCount += 2;
                done.add("cycle of new finals " + a + ", " + (a + 1));
            }
            default -> {
                if (trie.tail.length > 0) {
                    trie.tail = mutateBytes(trie.tail, random, done);
                }
            }
        }
        return trie.toBytes();
    }

    /** Makes {@code t} the only child of {@code s} on some code, as a well-formed edge would look. */
    private static void link(DatPayload trie, int s, int t, Random random) {
        int code = 1 + random.nextInt(Math.max(1, trie.units.length));
        trie.base[s] = t - code;
        trie.first[s] = code;
        trie.check[t] = s;
        trie.next[t] = 0;
    }

    /** A DAWG payload as its fields in order: varints, and the raw bytes of each value. */
    private record Field(long varint, byte[] raw) {}

    private static List<Field> fields(byte[] payload, boolean values) {
        List<Field> fields = new ArrayList<>();
        int[] at = {0};
        long nodes = readVarint(payload, at, fields);
        readVarint(payload, at, fields);
        for (long n = 0; n < nodes && at[0] < payload.length; n++) {
            long header = readVarint(payload, at, fields);
            for (long e = 0; e < header >>> DictionaryImageFormat.NODE_EDGE_SHIFT && at[0] < payload.length; e++) {
                readVarint(payload, at, fields);
                readVarint(payload, at, fields);
            }
            if (values && (header & DictionaryImageFormat.NODE_HAS_VALUE) != 0 && at[0] < payload.length) {
                int length = (int) Math.min(readVarint(payload, at, fields), payload.length - at[0]);
                fields.add(new Field(-1, Arrays.copyOfRange(payload, at[0], at[0] + length)));
                at[0] += length;
            }
        }
        if (at[0] < payload.length) {
            fields.add(new Field(-1, Arrays.copyOfRange(payload, at[0], payload.length)));
        }
        return fields;
    }

    private static long readVarint(byte[] payload, int[] at, List<Field> fields) {
        long value = 0;
        for (int shift = 0; shift < 64 && at[0] < payload.length; shift += 7) {
            byte b = payload[at[0]++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                break;
            }
        }
        fields.add(new Field(value, null));
        return value;
    }

    private static byte[] mutateDawg(byte[] payload, int originalFlags, Random random, List<String> done) {
        List<Field> fields;
        try {
            fields = fields(payload, (originalFlags & DictionaryImageFormat.FLAG_HAS_VALUES) != 0);
        } catch (RuntimeException e) {
            return mutateBytes(payload, random, done);
        }
        if (fields.isEmpty()) {
            return mutateBytes(payload, random, done);
        }
        int i = random.nextInt(fields.size());
        Field field = fields.get(i);
        switch (random.nextInt(4)) {
            case 0 -> {
                fields.remove(i);
                done.add("delete field " + i);
            }
            case 1 -> {
                fields.add(i, field);
                done.add("repeat field " + i);
            }
            case 2 -> {
                if (i + 1 < fields.size()) {
                    fields.set(i, fields.get(i + 1));
                    fields.set(i + 1, field);
                    done.add("swap fields " + i + ", " + (i + 1));
                }
            }
            default -> {
                if (field.raw() != null) {
                    fields.set(i, new Field(-1, mutateBytes(field.raw(), random, done)));
                } else {
                    long value = dangerous(random, field.varint(), fields.size());
                    fields.set(i, new Field(random.nextInt(8) == 0 ? Long.MAX_VALUE : value, null));
                    done.add("field " + i + " := " + fields.get(i).varint());
                }
            }
        }
        ImageWriter out = new ImageWriter(payload.length + 16);
        for (Field f : fields) {
            if (f.raw() == null) {
                out.varint(f.varint());
            } else {
                out.bytes(f.raw());
            }
        }
        return out.toByteArray();
    }

    // ---- reading everything ----

    /**
     * Loads with values, reads everything; then an image that loaded with values must load without them (values
     * skipped) to the same terms.
     */
    private static void readTrie(Path path) throws IOException {
        MappedDictionary<String> valued = DoubleArrayTrie.load(path, ValueCodec.strings());
        readEverything(valued);
        assertSameTerms(valued, () -> DoubleArrayTrie.load(path));
    }

    private static void readDawg(Path path) throws IOException {
        MappedDictionary<String> valued = Dawg.load(path, ValueCodec.strings());
        readEverything(valued);
        readEverything(Dictionaries.load(path, ValueCodec.strings()));
        assertSameTerms(valued, () -> Dawg.load(path));
    }

    @FunctionalInterface
    private interface Load<T> {
        T load() throws IOException;
    }

    /** Loads again (without values): an image that loaded once must load again, never "corrupt" now. */
    private static <T> T reload(Load<T> load) throws IOException {
        try {
            return load.load();
        } catch (CorruptedStoreException e) {
            throw new AssertionError("loads with values, but without them: " + e, e);
        }
    }

    private static void assertSameTerms(Dictionary expected, Load<MappedDictionary<Object>> load)
            throws IOException {
        MappedDictionary<Object> plain = reload(load);
        readEverything(plain);
        assertEquals(expected.size(), plain.size(), "the same image loaded without values");
        assertEquals(expected.terms().limit(READ_CAP).toList(), plain.terms().limit(READ_CAP).toList());
    }

    /** Every term is found with the value at its node, the count agrees, and a fuzzy search walks it. */
    private static <V> void readEverything(MappedDictionary<V> dictionary) {
        long count = 0;
        String some = "";
        for (MappedDictionary.Entry<V> entry : (Iterable<MappedDictionary.Entry<V>>)
                dictionary.entries().limit(READ_CAP)::iterator) {
            assertTrue(dictionary.contains(entry.term()), entry.term());
            assertEquals(entry.value(), dictionary.getValue(entry.term()), entry.term());
            count++;
            some = entry.term();
        }
        if (count < READ_CAP) {
            assertEquals(count, dictionary.size(), "size() against the terms spelled");
        }
        Levenshtein.query(dictionary, some).maxDistance(1).limit(1_000).list();
        dictionary.contains("no such term at all");
    }

    private static void readTokens(Path path) throws IOException {
        TokenDawg<String> tokens = TokenDawg.load(path, ValueCodec.strings());
        long count = 0;
        Deque<Map.Entry<long[], TokenNode>> stack = new ArrayDeque<>();
        stack.push(Map.entry(new long[0], tokens.root()));
        while (!stack.isEmpty() && count < READ_CAP) {
            Map.Entry<long[], TokenNode> top = stack.pop();
            long[] sequence = top.getKey();
            if (top.getValue().isFinal()) {
                count++;
                assertTrue(tokens.contains(sequence), Arrays.toString(sequence));
                tokens.getValue(sequence);
            }
            long[] previous = {0};
            boolean[] first = {true};
            top.getValue().forEachEdge((token, child) -> {
                assertTrue(first[0] || Long.compareUnsigned(previous[0], token) < 0, "edges ascending");
                first[0] = false;
                previous[0] = token;
                long[] longer = Arrays.copyOf(sequence, sequence.length + 1);
                longer[sequence.length] = token;
                stack.push(Map.entry(longer, child));
            });
        }
        if (count < READ_CAP) {
            assertEquals(count, tokens.size(), "size() against the sequences spelled");
        }
        assertEquals(tokens.size(), reload(() -> TokenDawg.load(path)).size(), "the same image without values");
    }
}
