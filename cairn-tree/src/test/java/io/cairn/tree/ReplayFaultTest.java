package io.cairn.tree;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.StorageIo;
import io.cairn.stack.testkit.FaultyStorageIo;
import io.cairn.stack.testkit.UnsyncedStorageIo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Recovery replays the log a group of records at a time, and a replay that fills the cache with changed frames
 * checkpoints on the way at a group's end. The log here holds puts, deletes, renames, batches across trees, and a
 * tree created and one dropped between them; it is replayed into a cache so small that replay checkpoints several
 * times. Every write or force of that recovery (failed, torn) is a fault point: the recovering process then ends,
 * with or without a power loss, and the next open must hold exactly the acknowledged state, as must a recovery that
 * succeeded despite the fault.
 */
class ReplayFaultTest {
    private static final int FRAME = 8192;
    /** A cache of 64 frames: replay applies 4 changes at a time and checkpoints whenever 48 frames are dirty. */
    private static final long SMALL_CACHE = 64L * FRAME;

    @TempDir
    Path dir;
    private Path image;
    /** "tree:key" → value, and "tree:" for each tree that exists. */
    private final TreeMap<String, String> model = new TreeMap<>();

    private static final int CREATE = 2000;
    private static final int DROP = 3500;

    /** Every third key goes to tree "two" until it is dropped, the others to "one". */
    private static String treeOf(int i) {
        return i % 3 == 0 && i <= DROP ? "two" : "one";
    }

    private static String keyOf(int i) {
        return "dir-" + i % 16 + "/object-" + i + "-" + "x".repeat(i % 40);
    }

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    /** Writes the log (a large cache and no log-size trigger: nothing is checkpointed) and crashes. */
    @BeforeEach
    void writeLogAndCrash() throws IOException {
        image = dir.resolve("image");
        FaultyStorageIo io = new FaultyStorageIo(new UnsyncedStorageIo());
        Database db = Database.open(image, TreeOptions.defaults().io(io.process()).frameSize(FRAME).cacheBytes(64L << 20)
                .checkpointEvery(Long.MAX_VALUE));
        for (String tree : List.of("one", "two")) {
            db.createTree(tree);
            model.put(tree + ":", "");
        }
        for (int i = 0; i < 5000; i++) {
            String tree = treeOf(i);
            String key = keyOf(i);
            String value = "value-" + i + "-" + "y".repeat(i % 50);
            db.openTree(tree).put(b(key), b(value));
            model.put(tree + ":" + key, value);
            if (i % 7 == 3) {
                db.openTree(treeOf(i - 1)).delete(b(keyOf(i - 1)));
                model.remove(treeOf(i - 1) + ":" + keyOf(i - 1));
            }
            if (i % 11 == 5) {
                String moved = "moved/" + i;
                db.openTree(tree).rename(b(key), b(moved), false);
                model.put(tree + ":" + moved, model.remove(tree + ":" + key));
            }
            if (i % 97 == 0 && i < DROP) {
                db.atomic(x -> {
                    x.tree("one").put(b("batch/1"), b("b1"));
                    x.tree("two").put(b("batch/2"), b("b2")).delete(b("batch/2-gone"));
                });
                model.put("one:batch/1", "b1");
                model.put("two:batch/2", "b2");
            }
            if (i == CREATE) {
                db.createTree("three");
                model.put("three:", "");
            }
            if (i > CREATE && i % 5 == 0) {
                db.openTree("three").put(b("t/" + i), b("three-" + i));
                model.put("three:t/" + i, "three-" + i);
            }
            if (i == DROP) {
                db.dropTree("two");
                model.keySet().removeIf(k -> k.startsWith("two:"));
            }
        }
        io.crash(); // every write was acknowledged (SYNC): the power loss keeps them all, in the log only
    }

    private static TreeOptions recovering(StorageIo io) {
        return TreeOptions.defaults().io(io).cacheBytes(SMALL_CACHE);
    }

    @Test
    void replayWithinASmallCacheCheckpointsOnTheWayAndKeepsEveryRecord() throws IOException {
        Path store = copyOfImage("clean");
        try (Database db = Database.open(store, recovering(new FaultyStorageIo(new UnsyncedStorageIo())))) {
            DatabaseStats stats = db.stats();
            assertTrue(stats.durable().replayedRecords() > 5000, "replayed " + stats.durable().replayedRecords());
            assertTrue(stats.durable().checkpoints() >= 2, "replay checkpointed on the way only "
                    + stats.durable().checkpoints() + " times; the test needs a cache it overflows");
            assertEquals(model, DatabaseContents.asText(db));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"fail-write", "tear-write", "fail-force"})
    void everyFaultOfARecoveryKeepsExactlyTheAcknowledgedState(String fault) throws IOException {
        FaultyStorageIo counting = new FaultyStorageIo(new UnsyncedStorageIo());
        try (Database db = Database.open(copyOfImage("counting-" + fault), recovering(counting))) {
            assertEquals(model, DatabaseContents.asText(db));
        }
        long total = fault.equals("fail-force") ? counting.forces() : counting.writes();
        int cases = 0;
        for (long n : faultPoints(total)) {
            for (boolean powerLoss : new boolean[] {false, true}) {
                recoverWithFault(copyOfImage(fault + "-" + n + "-" + powerLoss), fault, n, powerLoss);
                cases++;
            }
        }
        System.out.println(fault + ": " + cases + " fault points of " + total);
    }

    /** Every point up to 8, then 16 more spread evenly up to the last. */
    private static TreeSet<Long> faultPoints(long total) {
        TreeSet<Long> points = new TreeSet<>();
        for (long n = 1; n <= Math.min(8, total); n++) {
            points.add(n);
        }
        for (int i = 1; i <= 16; i++) {
            points.add(Math.max(1, total * i / 16));
        }
        return points;
    }

    private void recoverWithFault(Path store, String fault, long n, boolean powerLoss) throws IOException {
        String what = fault + " #" + n + (powerLoss ? " with power loss" : "");
        FaultyStorageIo io = new FaultyStorageIo(new UnsyncedStorageIo());
        switch (fault) {
            case "fail-write" -> io.failWrite(n);
            case "tear-write" -> io.tearWrite(n);
            default -> io.failForce(n);
        }
        Database db = null;
        try {
            db = Database.open(store, recovering(io.process())); // (its threads die with the process)
        } catch (IOException | UncheckedIOException e) {
            // the fault stopped this recovery; the next one starts over from what reached the disk
        }
        io.clearFaults();
        if (db != null) {
            try {
                assertEquals(model, DatabaseContents.asText(db), what + ": a recovery that succeeded");
            } catch (UncheckedIOException failed) {
                // the fault failed the store after it opened (a checkpoint it started): reads refuse
            }
            if (!powerLoss) {
                try {
                    db.close();
                } catch (UncheckedIOException ignored) {
                    // a failed store's close reports the failure again; its files are released
                }
            }
        }
        if (powerLoss) {
            io.crash();
        } else if (db == null) {
            io.kill();
        }
        try (Database again = Database.open(store, recovering(new FaultyStorageIo(new UnsyncedStorageIo())))) {
            assertEquals(model, DatabaseContents.asText(again), what + ": the next recovery");
            again.openTree("one").put(b("later"), b("L"));
        }
    }

    private Path copyOfImage(String name) throws IOException {
        Path copy = dir.resolve(name);
        try (Stream<Path> files = Files.walk(image)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(image.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return copy;
    }
}
