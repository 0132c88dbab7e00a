package io.cairn.dict;

import static org.junit.jupiter.api.Assertions.*;

import io.cairn.stack.CorruptedStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenDawgTest {
    @TempDir
    Path dir;

    private static final long[] TOKENS = {0, 1, 7, Long.MAX_VALUE, Long.MIN_VALUE, -1};

    private static long[] randomSequence(Random random) {
        long[] sequence = new long[random.nextInt(5)];
        for (int i = 0; i < sequence.length; i++) {
            sequence[i] = TOKENS[random.nextInt(TOKENS.length)];
        }
        return sequence;
    }

    /** Sequences as a sortable key. */
    private static String key(long[] sequence) {
        return Arrays.toString(sequence);
    }

    @Test
    void randomSequencesMatchAModelAndStayMinimal() throws IOException {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        TokenDawg<Long> dawg = TokenDawg.create();
        TreeMap<String, Long> model = new TreeMap<>();
        TreeMap<String, long[]> sequences = new TreeMap<>();
        for (int op = 0; op < 2_000; op++) {
            String context = "seed " + seed + " op " + op;
            long[] sequence = randomSequence(random);
            String key = key(sequence);
            switch (random.nextInt(3)) {
                case 0 -> {
                    long value = random.nextInt(2);
                    assertEquals(!model.containsKey(key), dawg.insertWithValue(sequence, value), context);
                    model.put(key, value);
                    sequences.put(key, sequence);
                }
                case 1 -> {
                    assertEquals(model.containsKey(key), dawg.remove(sequence), context);
                    model.remove(key);
                }
                default -> {
                    assertEquals(model.containsKey(key), dawg.contains(sequence), context);
                    assertEquals(model.get(key), dawg.getValue(sequence), context);
                }
            }
            assertEquals(model.size(), dawg.size(), context);
        }
        TokenDawg<Long> fresh = TokenDawg.create();
        model.forEach((key, value) -> fresh.insertWithValue(sequences.get(key), value));
        assertEquals(fresh.nodeCount(), dawg.nodeCount(), "seed " + seed);

        Path path = dir.resolve("tokens");
        dawg.save(path, ValueCodec.longs());
        TokenDawg<Long> loaded = TokenDawg.load(path, ValueCodec.longs());
        assertEquals(dawg.nodeCount(), loaded.nodeCount());
        model.forEach((key, value) -> assertEquals(value, loaded.getValue(sequences.get(key)), key));
    }

    @Test
    void sequencesAndEntriesListEverySequenceInUnsignedOrderLazily() throws IOException {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        TokenDawg<Long> dawg = TokenDawg.create();
        TreeMap<long[], Long> model = new TreeMap<>(Arrays::compareUnsigned);
        for (int i = 0; i < 300; i++) {
            long[] sequence = randomSequence(random);
            if (!model.containsKey(sequence) && random.nextBoolean()) {
                dawg.insert(sequence);
                model.put(sequence, null);
            } else {
                dawg.insertWithValue(sequence, (long) i);
                model.put(sequence, (long) i);
            }
        }
        List<String> expected = model.entrySet().stream()
                .map(e -> Arrays.toString(e.getKey()) + "=" + e.getValue()).toList();
        assertEquals(expected, listed(dawg.entries()), "seed " + seed);
        Path path = dir.resolve("tokens");
        dawg.save(path, ValueCodec.longs());
        assertEquals(expected, listed(TokenDawg.load(path, ValueCodec.longs()).entries()), "seed " + seed);
        for (int i = 0; i < 20; i++) {
            long[] prefix = randomSequence(random);
            List<String> under = model.keySet().stream()
                    .filter(k -> k.length >= prefix.length
                            && Arrays.equals(Arrays.copyOf(k, prefix.length), prefix))
                    .map(Arrays::toString).toList();
            assertEquals(under, dawg.sequences(prefix).map(Arrays::toString).toList(),
                    "seed " + seed + " prefix " + Arrays.toString(prefix));
        }
        long[] first = dawg.sequences().filter(k -> k.length > 0).findFirst().orElseThrow();
        long[] before = first.clone();
        first[0] = 42;
        assertArrayEquals(before, dawg.sequences().filter(k -> k.length > 0).findFirst().orElseThrow(),
                "each listed sequence is the caller's own array");
    }

    private static List<String> listed(java.util.stream.Stream<TokenDawg.Entry<Long>> entries) {
        return entries.map(e -> Arrays.toString(e.tokens()) + "=" + e.value()).toList();
    }

    @Test
    void aListingKeepsTheVersionItStartedOnAndLongSequencesDoNotOverflowTheStack() {
        TokenDawg<Object> dawg = TokenDawg.create();
        dawg.insert(new long[] {1});
        dawg.insert(new long[] {3});
        var listing = dawg.sequences().iterator();
        assertArrayEquals(new long[] {1}, listing.next());
        dawg.insert(new long[] {2});
        dawg.remove(new long[] {3});
        assertArrayEquals(new long[] {3}, listing.next());
        assertFalse(listing.hasNext());
        assertEquals(List.of("[1]", "[2]"), dawg.sequences().map(Arrays::toString).toList());

        long[] deep = new long[100_000];
        Arrays.fill(deep, -1);
        dawg.insert(deep);
        assertEquals(3, dawg.sequences().count());
        assertArrayEquals(deep, dawg.sequences(new long[] {-1, -1}).findFirst().orElseThrow());
        assertEquals(0, dawg.sequences(new long[] {5}).count());
    }

    @Test
    void edgesAreVisitedInAscendingUnsignedOrder() {
        TokenDawg<Object> dawg = TokenDawg.create();
        for (long token : TOKENS) {
            dawg.insert(new long[] {token, 5});
        }
        List<Long> labels = new ArrayList<>();
        dawg.root().forEachEdge((token, target) -> {
            labels.add(token);
            assertTrue(target.transition(5).isFinal());
        });
        assertEquals(List.of(0L, 1L, 7L, Long.MAX_VALUE, Long.MIN_VALUE, -1L), labels);
        assertEquals(TOKENS.length, dawg.root().edgeCount());
        assertEquals(3, dawg.nodeCount(), "all sequences share the suffix [5]");
    }

    @Test
    void insertCopiesTheCallersArray() {
        TokenDawg<Object> dawg = TokenDawg.create();
        long[] sequence = {1, 2};
        dawg.insert(sequence);
        sequence[1] = 3;
        assertTrue(dawg.contains(new long[] {1, 2}));
        assertFalse(dawg.contains(sequence));
    }

    @Test
    void aStringImageIsNotATokenImage() throws IOException {
        Path path = dir.resolve("strings");
        Dawg<Object> dawg = Dawg.create();
        dawg.insert("a");
        dawg.save(path);
        assertThrows(CorruptedStoreException.class, () -> TokenDawg.load(path));
        Files.write(path, new byte[] {1, 2, 3});
        assertThrows(CorruptedStoreException.class, () -> TokenDawg.load(path));
    }
}
