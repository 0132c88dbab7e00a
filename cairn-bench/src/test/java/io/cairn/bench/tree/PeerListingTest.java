package io.cairn.bench.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.cairn.stack.Durability;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The harness is only fair if every engine answers a listing the same way: each engine's list and list_dir (the
 * peers' seek-past-the-rollup logic included) must equal a brute-force scan of a sorted map, over keys from a tiny
 * alphabet with '/', 0x00 and 0xFF so that prefixes, rollups and successors collide. The durable engines are
 * checked the same way.
 */
class PeerListingTest {
    private static final byte[] ALPHABET = {'a', 'b', '/', 0x00, (byte) 0xFF};
    private static final byte SLASH = '/';

    @TempDir
    Path workDir;

    @Test
    void successorIsTheFirstStringAfterEveryExtensionOfThePrefix() {
        assertArrayEquals(bytes("a/b0"), Bytes.successor(bytes("a/b/")));
        assertArrayEquals(new byte[] {'b'}, Bytes.successor(new byte[] {'a', (byte) 0xFF, (byte) 0xFF}));
        assertNull(Bytes.successor(new byte[0]));
        assertNull(Bytes.successor(new byte[] {(byte) 0xFF, (byte) 0xFF}));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cairn", "cairn-copy", "cslm", "treemap", "rocksdb", "sqlite"})
    void listingsEqualABruteForceScan(String engineName) throws Exception {
        try (Engine engine = Engine.open(engineName, workDir)) {
            checkListings(engineName, engine);
        }
    }

    @ParameterizedTest
    @MethodSource("io.cairn.bench.tree.DurableEngineTest#durableEngines")
    void durableListingsEqualABruteForceScan(String engineName) throws Exception {
        try (Engine engine = DurableEngine.open(engineName, workDir,
                new DurableEngine.Settings(Durability.ASYNC, 8 << 20, false))) {
            checkListings(engineName, engine);
        }
    }

    private static void checkListings(String engineName, Engine engine) throws Exception {
        long seed = 20_261_121L;
        SplittableRandom random = new SplittableRandom(seed);
        TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        while (model.size() < 600) {
            model.put(randomBytes(random, 1 + random.nextInt(8)), randomBytes(random, random.nextInt(4)));
        }
        engine.load(model.keySet().toArray(byte[][]::new), model.values().toArray(byte[][]::new));
        for (int query = 0; query < 400; query++) {
            byte[] prefix = randomBytes(random, random.nextInt(4));
            int limit = 1 + random.nextInt(30);
            String where = engineName + ", seed " + seed + ", query " + query + ", prefix "
                    + Bytes.show(prefix) + ", limit " + limit;
            Listing listed = new Listing();
            engine.list(prefix, limit, listed);
            assertEquals(expected(model, prefix, false, limit), listed.entries, "list: " + where);
            Listing rolledUp = new Listing();
            engine.listDir(prefix, SLASH, limit, rolledUp);
            assertEquals(expected(model, prefix, true, limit), rolledUp.entries, "list_dir: " + where);
        }
    }

    /** Every key of the model in order, rolled up by hand: no seeking, no successor arithmetic. */
    private static List<String> expected(TreeMap<byte[], byte[]> model, byte[] prefix, boolean rollUp, int limit) {
        List<String> entries = new ArrayList<>();
        String lastCommon = null;
        for (Map.Entry<byte[], byte[]> entry : model.entrySet()) {
            byte[] key = entry.getKey();
            if (!Bytes.startsWith(key, prefix)) {
                continue;
            }
            int at = rollUp ? Bytes.indexOf(key, SLASH, prefix.length) : -1;
            String line = at < 0 ? Listing.describeKey(key, entry.getValue()) : Listing.describePrefix(Arrays.copyOf(key, at + 1));
            if (at >= 0 && line.equals(lastCommon)) {
                continue;
            }
            lastCommon = at >= 0 ? line : lastCommon;
            if (entries.size() == limit) {
                break;
            }
            entries.add(line);
        }
        return entries;
    }

    private static final class Listing implements ScanSink {
        final List<String> entries = new ArrayList<>();

        static String describeKey(byte[] key, byte[] value) {
            return "key " + Bytes.show(key) + " = " + Bytes.show(value);
        }

        static String describePrefix(byte[] prefix) {
            return "prefix " + Bytes.show(prefix);
        }

        @Override
        public void key(byte[] key, byte[] value) {
            entries.add(describeKey(key, value));
        }

        @Override
        public void commonPrefix(byte[] prefix) {
            entries.add(describePrefix(prefix));
        }
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return bytes;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
