package io.cairn.bench.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cairn.stack.Durability;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every durable peer keeps what it acknowledged across a clean close and reopen, in both durabilities: a bulk load
 * that is checkpointed, then single puts, deletes and renames, compared with a {@link TreeMap} model after reopen;
 * and each forces every acknowledged put under SYNC and not under ASYNC (counted by {@link ForceCounter}).
 */
class DurableEngineTest {

    @TempDir
    Path dir;

    static Stream<String> durableEngines() {
        return DurableEngine.NAMES.stream();
    }

    static Stream<Arguments> enginesAndDurabilities() {
        return DurableEngine.NAMES.stream().flatMap(name -> Stream.of(Durability.SYNC, Durability.ASYNC)
                .map(durability -> Arguments.of(name, durability)));
    }

    @ParameterizedTest
    @MethodSource("enginesAndDurabilities")
    void acknowledgedWritesSurviveACleanReopen(String name, Durability durability) throws Exception {
        DurableEngine.Settings settings = new DurableEngine.Settings(durability, 4 << 20, false);
        TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        SplittableRandom random = new SplittableRandom(7);
        byte[][] keys = new byte[500][];
        byte[][] values = new byte[keys.length][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = utf8("dir-" + (i % 7) + "/file-" + i);
            values[i] = utf8("value-" + random.nextInt());
            model.put(keys[i], values[i]);
        }
        try (DurableEngine engine = DurableEngine.open(name, dir, settings)) {
            engine.load(keys, values);
            engine.checkpoint();
            for (int i = 0; i < 60; i++) {
                byte[] key = keys[random.nextInt(keys.length)];
                switch (i % 3) {
                    case 0 -> {
                        byte[] value = utf8("new-" + i);
                        engine.put(key, value);
                        model.put(key, value);
                    }
                    case 1 -> {
                        engine.delete(key);
                        model.remove(key);
                    }
                    default -> {
                        if (model.containsKey(key)) {
                            byte[] target = Bytes.concat(key, utf8(".mv"));
                            engine.rename(key, target);
                            model.put(target, model.remove(key));
                        }
                    }
                }
            }
            engine.sync();
        }
        try (DurableEngine engine = DurableEngine.open(name, dir, settings)) {
            assertEquals(describe(model), listAll(engine), name + " " + durability + " after reopen");
            assertNull(engine.get(utf8("absent")));
            byte[] first = model.firstKey();
            assertArrayEquals(model.get(first), engine.get(first));
        }
    }

    /** Like with like: under SYNC each acknowledged put is forced; under ASYNC puts do not each force. */
    @ParameterizedTest
    @MethodSource("enginesAndDurabilities")
    void syncForcesEveryPutAndAsyncDoesNot(String name, Durability durability) throws Exception {
        try (DurableEngine engine = DurableEngine.open(name, dir.resolve("store"),
                new DurableEngine.Settings(durability, 4 << 20, false))) {
            engine.put(utf8("warm"), utf8("up"));
            ForceCounter counter = ForceCounter.start(dir);
            assumeTrue(counter != null, "perf is not available here");
            int puts = 20;
            for (int i = 0; i < puts; i++) {
                engine.put(utf8("k" + i), utf8("v" + i));
            }
            long forces = counter.stop();
            assumeTrue(forces >= 0, "perf began counting after its markers (a heavily loaded machine)");
            if (durability == Durability.SYNC) {
                assertTrue(forces >= puts, name + ": " + forces + " forces for " + puts + " SYNC puts");
            } else {
                assertTrue(forces < puts, name + ": " + forces + " forces for " + puts + " ASYNC puts");
            }
        }
    }

    @Test
    void settingsRejectNoneAndTinyCaches() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new DurableEngine.Settings(Durability.NONE, 1 << 20, false));
        assertTrue(none.getMessage().contains("NONE"), none.getMessage());
        IllegalArgumentException tiny = assertThrows(IllegalArgumentException.class,
                () -> new DurableEngine.Settings(Durability.SYNC, 1000, false));
        assertTrue(tiny.getMessage().contains("1000"), tiny.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> DurableEngine.open("nope", dir, new DurableEngine.Settings(Durability.SYNC, 1 << 20, false)));
        assertTrue(unknown.getMessage().contains("'nope'"), unknown.getMessage());
    }

    private static List<String> listAll(Engine engine) throws Exception {
        List<String> entries = new ArrayList<>();
        engine.list(new byte[0], Integer.MAX_VALUE, new ScanSink() {
            @Override
            public void key(byte[] key, byte[] value) {
                entries.add(Bytes.show(key) + "=" + Bytes.show(value));
            }

            @Override
            public void commonPrefix(byte[] prefix) {
                throw new AssertionError("a plain list rolled up " + Bytes.show(prefix));
            }
        });
        return entries;
    }

    private static List<String> describe(TreeMap<byte[], byte[]> model) {
        List<String> entries = new ArrayList<>();
        for (Map.Entry<byte[], byte[]> entry : model.entrySet()) {
            entries.add(Bytes.show(entry.getKey()) + "=" + Bytes.show(entry.getValue()));
        }
        return entries;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
