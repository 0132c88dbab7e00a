package io.cairn.dict;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.Durability;
import io.cairn.stack.FormatVersionException;
import io.cairn.stack.StoreLockedException;
import io.cairn.stack.testkit.FaultyStorageIo;
import io.cairn.tree.Tree;
import io.cairn.tree.TreeOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durable dictionary's behaviours: each change and what it returns, values and their absence, counters, batches,
 * the stored count, iteration, reopening, what an open refuses, and a random operation mix against a model with
 * reopens.
 */
class DurableDictionaryTest {
    /** Tests run many writes: unforced (crash behaviour is {@code DurableCrashTest}'s). */
    static final TreeOptions FAST = TreeOptions.defaults().durability(Durability.NONE);

    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void insertRemoveAndValues() throws IOException {
        try (DurableDictionary d = DurableDictionary.open(dir, FAST)) {
            assertTrue(d.recoveryReport().created());
            assertEquals(0, d.size());
            assertTrue(d.isEmpty());
            assertTrue(d.insert("apple"));
            assertFalse(d.insert("apple"), "present already");
            assertTrue(d.contains("apple"));
            assertNull(d.getValue("apple"), "a term without a value");
            assertFalse(d.insertWithValue("apple", b("red")), "present: value set, not added");
            assertArrayEquals(b("red"), d.getValue("apple"));
            assertFalse(d.insert("apple"), "insert keeps the value");
            assertArrayEquals(b("red"), d.getValue("apple"));
            assertTrue(d.insertWithValue("pear", new byte[0]));
            assertArrayEquals(new byte[0], d.getValue("pear"), "an empty value is a value");
            assertArrayEquals(b("red"), d.upsert("apple", b("green")));
            assertNull(d.upsert("plum", b("blue")), "absent before");
            assertTrue(d.insert(""), "the empty term");
            assertTrue(d.contains(""));
            assertTrue(d.insert("Ωmega 😀"));
            assertEquals(5, d.size());
            assertTrue(d.remove("plum"));
            assertFalse(d.remove("plum"));
            assertFalse(d.remove("never"));
            assertFalse(d.contains("\uD800"), "an unpaired surrogate is no term");
            assertFalse(d.remove("\uD800"));
            assertThrows(IllegalArgumentException.class, () -> d.insert("\uD800x"));
            assertThrows(NullPointerException.class, () -> d.insert(null));
            assertThrows(NullPointerException.class, () -> d.insertWithValue("x", null));
            assertEquals(List.of("", "apple", "pear", "Ωmega 😀"), d.terms().toList());
            assertEquals(4, d.size());
        }
    }

    @Test
    void conditionalChangesAndCounters() throws IOException {
        try (DurableDictionary d = DurableDictionary.open(dir, FAST)) {
            assertTrue(d.compareAndSwap("k", null, b("1")), "absent -> added");
            assertFalse(d.compareAndSwap("k", null, b("2")), "present now");
            assertFalse(d.compareAndSwap("k", b("9"), b("2")));
            assertTrue(d.compareAndSwap("k", b("1"), b("2")));
            assertArrayEquals(b("2"), d.getValue("k"));
            assertTrue(d.compareAndSwap("k", b("2"), null), "removed");
            assertFalse(d.contains("k"));
            d.insert("plain");
            assertFalse(d.compareAndSwap("plain", null, b("x")), "a present term is not absent");
            assertFalse(d.compareAndSwap("plain", new byte[0], b("x")), "nor has it a value");
            assertEquals(1, d.size());

            assertEquals(5, d.increment("hits", 5));
            assertEquals(2, d.increment("hits", -3));
            assertEquals(2, d.size());
            assertEquals(7, d.increment("plain", 7), "a term without a value counts from 0");
            assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 7}, d.getValue("plain"));
            d.insertWithValue("text", b("abc"));
            assertThrows(IllegalStateException.class, () -> d.increment("text", 1));
            d.insertWithValue("max", new byte[] {0x7F, -1, -1, -1, -1, -1, -1, -1});
            assertThrows(ArithmeticException.class, () -> d.increment("max", 1));

            assertArrayEquals(b("first"), d.getOrInsert("g", b("first")));
            assertArrayEquals(b("first"), d.getOrInsert("g", b("second")));
            d.insert("bare");
            assertNull(d.getOrInsert("bare", b("v")), "present without a value: unchanged");
            assertNull(d.getValue("bare"));

            assertArrayEquals(b("d"), d.updateOrInsert("u", b("d"), v -> b("never")));
            assertArrayEquals(b("dd"), d.updateOrInsert("u", b("d"), v -> b(new String(v, UTF_8) + "d")));
            assertThrows(NullPointerException.class, () -> d.updateOrInsert("u", b("d"), v -> null));
            assertArrayEquals(b("dd"), d.getValue("u"), "a null update changes nothing");
            assertEquals(d.terms().count(), d.size());
        }
    }

    @Test
    void batchesMergesAndPrefixes() throws IOException {
        try (DurableDictionary d = DurableDictionary.open(dir, FAST)) {
            d.insertWithValue("b2", b("keep"));
            assertEquals(3, d.insertBatch(List.of("b1", "b2", "b3", "b1", "c1")), "duplicates and present: skipped");
            assertArrayEquals(b("keep"), d.getValue("b2"));
            assertEquals(1, d.insertBatchWithValues(Map.of("b1", b("x"), "b9", b("y"))));
            assertArrayEquals(b("x"), d.getValue("b1"));
            assertEquals(0, d.insertBatch(List.of()));
            List<String> tooMany = new ArrayList<>();
            for (int i = 0; i <= DurableDictionary.MAX_BATCH_TERMS; i++) {
                tooMany.add("t" + i);
            }
            assertThrows(IllegalArgumentException.class, () -> d.insertBatch(tooMany));
            assertThrows(IllegalArgumentException.class, () -> d.insertBatch(List.of("ok", "\uDC00")));
            assertFalse(d.contains("ok"), "a refused batch adds nothing");
            assertEquals(List.of("b1", "b2", "b3", "b9"), d.terms("b").toList());
            assertEquals(List.of("c1"), d.terms("c").toList());
            assertEquals(List.of(), d.terms("z").toList());
            assertEquals(List.of("b1=x", "b2=keep", "b3=null", "b9=y"), d.entries("b")
                    .map(e -> e.term() + "=" + (e.value() == null ? null : new String(e.value(), UTF_8))).toList());

            assertEquals(tooMany.size() - 1, d.merge(Dawg.of(tooMany.subList(1, tooMany.size()), Alphabet.UTF8_BYTES)),
                    "merge splits any number into batches");
            assertEquals(tooMany.size() - 1 + 5, d.size());
            assertEquals(tooMany.size() - 1, d.removePrefix("t"));
            assertEquals(5, d.size());
            assertEquals(0, d.removePrefix("t"));

            Dawg<byte[]> other = Dawg.create(Alphabet.UTF8_BYTES);
            other.insertWithValue("b1", b("X"));
            other.insertWithValue("b3", b("3"));
            other.insert("new");
            assertEquals(1, d.unionWith(other, (mine, theirs) -> b(new String(mine, UTF_8) + new String(theirs,
                    UTF_8))));
            assertArrayEquals(b("xX"), d.getValue("b1"), "merged");
            assertArrayEquals(b("3"), d.getValue("b3"), "only theirs has one");
            assertTrue(d.contains("new"));
            assertEquals(0, d.merge(d));
            assertEquals(d.terms().count(), d.size());
        }
    }

    @Test
    void everythingSurvivesAReopenAndTheReportSaysWhatWasReplayed() throws IOException {
        try (DurableDictionary d = DurableDictionary.open(dir)) {
            d.insert("one");
            d.insertWithValue("two", b("2"));
            d.increment("three", 3);
        }
        try (DurableDictionary d = DurableDictionary.open(dir)) {
            RecoveryReport r = d.recoveryReport();
            assertFalse(r.created());
            assertEquals(0, r.replayedRecords(), "a clean close checkpoints");
            assertFalse(r.repaired());
            assertEquals(3, d.size());
            assertArrayEquals(b("2"), d.getValue("two"));
            assertEquals(4, d.increment("three", 1));
        }
        try (DurableDictionary d = DurableDictionary.openReadOnly(dir)) {
            assertEquals(List.of("one", "three", "two"), d.terms().toList());
            assertThrows(UnsupportedOperationException.class, () -> d.insert("four"));
            assertEquals(3, d.size());
        }
    }

    @Test
    void aCrashReplaysOneLogRecordPerChangeABatchBeingOne() throws IOException {
        FaultyStorageIo io = FaultyStorageIo.withoutRealSyncs();
        DurableDictionary d = DurableDictionary.open(dir, TreeOptions.defaults().io(io));
        d.insert("before");
        d.checkpoint();
        List<String> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            batch.add("term" + i);
        }
        assertEquals(500, d.insertBatch(batch));
        d.insertWithValue("one", b("1"));
        d.increment("count", 2);
        d.remove("before");
        io.crash(); // a power loss: nothing closes or checkpoints
        try (DurableDictionary again = DurableDictionary.open(dir,
                TreeOptions.defaults().io(FaultyStorageIo.withoutRealSyncs()))) {
            RecoveryReport r = again.recoveryReport();
            assertEquals(4, r.replayedRecords(), "the batch, the value, the increment, the removal: " + r);
            assertFalse(r.created());
            assertEquals(502, again.size());
            assertArrayEquals(b("1"), again.getValue("one"));
            assertFalse(again.contains("before"));
        }
    }

    @Test
    void anOpenRefusesWhatIsNotADurableDictionary() throws IOException {
        Path vocabulary = dir.resolve("vocabulary");
        try (DurableVocabulary v = DurableVocabulary.open(vocabulary, FAST)) {
            v.add("x");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DurableDictionary.open(vocabulary));
        assertTrue(e.getMessage().contains("holds a durable vocabulary"), e.getMessage());

        Path tree = dir.resolve("tree");
        try (Tree t = Tree.open(tree)) {
            t.put(b("some key"), b("v"));
        }
        e = assertThrows(IllegalArgumentException.class, () -> DurableDictionary.open(tree));
        assertTrue(e.getMessage().contains("not a durable dictionary"), e.getMessage());

        Path damaged = dir.resolve("damaged");
        DurableDictionary.open(damaged, FAST).close();
        try (Tree t = Tree.open(damaged)) {
            byte[] marker = t.get(DurableFormat.MARKER_KEY);
            marker[DurableFormat.KIND_OFFSET] = 1;
            marker[0] ^= 1;
            t.put(DurableFormat.MARKER_KEY, marker);
        }
        assertThrows(CorruptedStoreException.class, () -> DurableDictionary.open(damaged));
        try (Tree t = Tree.open(damaged)) {
            byte[] marker = DurableFormat.marker(DurableFormat.Kind.DICTIONARY);
            marker[DurableFormat.CRC_OFFSET] ^= 1;
            t.put(DurableFormat.MARKER_KEY, marker);
        }
        assertTrue(assertThrows(CorruptedStoreException.class, () -> DurableDictionary.open(damaged)).getMessage()
                .contains("checksum"));
        try (Tree t = Tree.open(damaged)) {
            byte[] marker = DurableFormat.marker(DurableFormat.Kind.DICTIONARY);
            marker[DurableFormat.VERSION_OFFSET] = 2; // a newer version, checksum recomputed
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            crc.update(marker, 0, DurableFormat.CRC_OFFSET);
            java.nio.ByteBuffer.wrap(marker, DurableFormat.CRC_OFFSET, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putInt((int) crc.getValue());
            t.put(DurableFormat.MARKER_KEY, marker);
        }
        assertThrows(FormatVersionException.class, () -> DurableDictionary.open(damaged));

        Path locked = dir.resolve("locked");
        try (DurableDictionary d = DurableDictionary.open(locked, FAST)) {
            assertThrows(StoreLockedException.class, () -> DurableDictionary.open(locked));
        }
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertThrows(IOException.class, () -> DurableDictionary.open(file));
        assertThrows(IOException.class, () -> DurableDictionary.openReadOnly(dir.resolve("missing")));
    }

    @Test
    void aStoredEntryWithABadTagIsCorruptionNotData() throws IOException {
        try (DurableDictionary d = DurableDictionary.open(dir, FAST)) {
            d.insertWithValue("term", b("v"));
        }
        try (Tree t = Tree.open(dir)) {
            t.put(DurableFormat.key(DurableFormat.TERMS, b("term")), new byte[] {7, 'v'});
        }
        try (DurableDictionary d = DurableDictionary.open(dir, FAST)) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> d.getValue("term"));
            assertInstanceOf(CorruptedStoreException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("017465726d"), "names the key: " + e.getCause());
            Node node = d.root();
            for (char c : "term".toCharArray()) {
                node = node.transition(c);
            }
            Node found = node;
            e = assertThrows(UncheckedIOException.class, () -> d.valueAt(found));
            assertTrue(e.getCause().getMessage().contains("017465726d"), "names the key: " + e.getCause());
            assertTrue(d.contains("term"));
        }
    }

    @Test
    void closedAndForeignUse() throws IOException {
        DurableDictionary d = DurableDictionary.open(dir, FAST);
        d.insert("a");
        Node foreign = Dawg.of(List.of("a"), Alphabet.UTF8_BYTES).root().transition('a');
        assertThrows(IllegalArgumentException.class, () -> d.valueAt(foreign));
        Node mine = d.root().transition('a');
        assertNull(d.valueAt(mine));
        assertEquals(d.root().transition('a'), mine, "nodes compare by their prefix");
        d.close();
        d.close();
        assertThrows(IllegalStateException.class, () -> d.contains("a"));
        assertThrows(IllegalStateException.class, () -> d.insert("b"));
        assertThrows(IllegalStateException.class, d::size);
        assertThrows(IllegalStateException.class, mine::isFinal);
    }

    @Test
    void concurrentWritersKeepTheCountExact() throws Exception {
        try (DurableDictionary d = DurableDictionary.open(dir, FAST)) {
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                long seed = t;
                threads.add(Thread.ofPlatform().start(() -> {
                    SplittableRandom rnd = new SplittableRandom(seed);
                    try {
                        for (int i = 0; i < 1500; i++) { // every thread on the same 300 terms
                            String term = "w" + rnd.nextInt(300);
                            switch (rnd.nextInt(4)) {
                                case 0 -> d.insert(term);
                                case 1 -> d.remove(term);
                                case 2 -> d.increment(term + "#", 1);
                                default -> d.insertBatch(List.of(term, "w" + rnd.nextInt(300)));
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertTrue(failures.isEmpty(), () -> "a writer failed: " + failures.peek());
            assertEquals(d.terms().count(), d.size());
            long hits = d.terms().filter(t -> t.endsWith("#")).mapToLong(t -> java.nio.ByteBuffer.wrap(d.getValue(t))
                    .getLong()).sum();
            assertTrue(hits > 0);
        }
    }

    @Test
    void randomOperationsMatchAModelAcrossReopens() throws IOException {
        long seed = Long.getLong("cairn.dict.seed", 20261122L);
        SplittableRandom rnd = new SplittableRandom(seed);
        TreeMap<String, String> model = new TreeMap<>();
        DurableDictionary d = DurableDictionary.open(dir, FAST);
        try {
            for (int i = 0; i < 4000; i++) {
                String term = "t" + rnd.nextInt(400) + (rnd.nextInt(8) == 0 ? "é" : "");
                String at = "seed " + seed + ", operation " + i;
                switch (rnd.nextInt(8)) {
                    case 0, 1 -> assertEquals(model.putIfAbsent(term, "") == null, d.insert(term), at);
                    case 2 -> assertEquals(model.remove(term) != null, d.remove(term), at);
                    case 3 -> assertEquals(model.put(term, "v" + i) == null, d.insertWithValue(term, b("v" + i)), at);
                    case 4 -> {
                        String prefix = "t" + rnd.nextInt(40);
                        long expected = model.keySet().stream().filter(k -> k.startsWith(prefix)).count();
                        model.keySet().removeIf(k -> k.startsWith(prefix));
                        assertEquals(expected, d.removePrefix(prefix), at);
                    }
                    case 5 -> {
                        List<String> batch = List.of(term, "t" + rnd.nextInt(400));
                        long added = batch.stream().distinct().filter(t -> model.putIfAbsent(t, "") == null).count();
                        assertEquals(added, d.insertBatch(batch), at);
                    }
                    case 6 -> {
                        String v = model.get(term);
                        assertEquals(v == null || v.isEmpty() ? null : v,
                                d.getValue(term) == null ? null : new String(d.getValue(term), UTF_8), at);
                    }
                    default -> {
                        if (rnd.nextInt(10) == 0) {
                            d.close();
                            d = DurableDictionary.open(dir, FAST);
                        }
                    }
                }
                if (i % 500 == 0) {
                    assertEquals(model.size(), d.size(), at);
                    assertEquals(List.copyOf(model.keySet()), d.terms().toList(), at);
                }
            }
            assertEquals(model.size(), d.size());
            assertEquals(List.copyOf(model.keySet()), d.terms().toList());
        } finally {
            d.close();
        }
    }
}
