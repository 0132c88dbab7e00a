package io.cairn.tree;

import io.cairn.stack.testkit.UnsyncedStorageIo;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.Durability;
import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ASYNC durability through a simulated power loss: a writer puts, deletes, renames and batches, calling
 * {@code sync()} now and then, and a background checkpoint may run; at a random moment everything not forced is
 * dropped. The reopened tree must equal the state after a whole prefix of the acknowledged operations that includes
 * every operation before the last {@code sync()}. Odd rounds flush every 10 s, so only {@code sync()} (and
 * checkpoints) force the log and a lost sync shows.
 */
class AsyncDurabilityTest {
    @TempDir
    Path dir;

    @Test
    void aPowerLossKeepsAPrefixThatIncludesEverythingBeforeTheLastSync() throws IOException {
        SplittableRandom rnd = new SplittableRandom(31);
        int prefixesBeyondSync = 0;
        for (int round = 0; round < 30; round++) {
            Path store = Files.createDirectory(dir.resolve("round-" + round));
            FaultyStorageIo io = new FaultyStorageIo(new UnsyncedStorageIo());
            Tree t = Tree.open(store, TreeOptions.defaults().io(io).durability(Durability.ASYNC)
                    .asyncFlushInterval(round % 2 == 0 ? Duration.ofMillis(1) : Duration.ofSeconds(10)).frameSize(8192));
            List<TreeMap<String, String>> states = new ArrayList<>();
            TreeMap<String, String> model = new TreeMap<>();
            states.add(new TreeMap<>(model));
            int synced = 0;
            int ops = 50 + rnd.nextInt(400);
            for (int i = 1; i <= ops; i++) {
                String k = "d" + rnd.nextInt(4) + "/k" + rnd.nextInt(40);
                switch (rnd.nextInt(4)) {
                    case 0 -> {
                        t.delete(k.getBytes(UTF_8));
                        model.remove(k);
                    }
                    case 1 -> {
                        String to = "d" + rnd.nextInt(4) + "/k" + rnd.nextInt(40);
                        if (model.containsKey(k)) {
                            t.rename(k.getBytes(UTF_8), to.getBytes(UTF_8), true);
                            model.put(to, model.remove(k));
                        }
                    }
                    case 2 -> {
                        String other = "d" + rnd.nextInt(4) + "/k" + rnd.nextInt(40);
                        t.atomic(b -> b.put(k.getBytes(UTF_8), "b".getBytes(UTF_8))
                                .delete(other.getBytes(UTF_8)));
                        model.put(k, "b");
                        model.remove(other);
                    }
                    default -> {
                        t.put(k.getBytes(UTF_8), ("v" + i).getBytes(UTF_8));
                        model.put(k, "v" + i);
                    }
                }
                states.add(new TreeMap<>(model));
                if (rnd.nextInt(60) == 0) {
                    t.sync();
                    synced = i;
                }
                if (rnd.nextInt(150) == 0) {
                    t.checkpoint();
                }
            }
            io.crash();
            try (Tree again = Tree.open(store, TreeOptions.defaults().io(new FaultyStorageIo(new UnsyncedStorageIo())))) {
                TreeMap<String, String> actual = new TreeMap<>();
                for (ScanEntry e : again.scan(new byte[0])) {
                    actual.put(e.keyString(), new String(e.value(), UTF_8));
                }
                int found = -1;
                for (int j = ops; j >= synced && found < 0; j--) {
                    if (states.get(j).equals(actual)) {
                        found = j;
                    }
                }
                assertTrue(found >= 0, "round " + round + ": " + ops + " operations, synced through " + synced
                        + ": the recovered state is no prefix at or after the sync");
                prefixesBeyondSync += found > synced ? 1 : 0;
            }
        }
        System.out.println(prefixesBeyondSync + " of 30 rounds kept operations past their last sync");
    }
}
