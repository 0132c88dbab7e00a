package io.cairn.tree;

import static io.cairn.tree.DatabaseTest.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.Durability;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JFR events a recording (as {@code jcmd JFR.start} makes one) shows for checkpoints, group commits, recovery,
 * compaction and evictions from the frame cache.
 */
class JfrEventsTest {
    @TempDir
    Path dir;

    private static final List<String> EVENTS = List.of("io.cairn.tree.Checkpoint", "io.cairn.tree.GroupCommit",
            "io.cairn.tree.Recovery", "io.cairn.tree.Compaction", "io.cairn.tree.Eviction");

    @Test
    void checkpointsGroupCommitsRecoveryCompactionAndEvictionsAreRecorded() throws Exception {
        Path file = dir.resolve("events.jfr");
        Path store = dir.resolve("db");
        try (Recording recording = new Recording()) {
            EVENTS.forEach(name -> recording.enable(name).withoutThreshold());
            recording.start();
            try (Database db = Database.open(store, TreeOptions.defaults().durability(Durability.ASYNC)
                    .frameSize(8192))) {
                Tree t = db.createTree("t");
                for (int round = 0; round < 30; round++) {
                    for (int i = 0; i < 40; i++) {
                        // values of a new size each round replace their leaves: dead bytes to compact
                        t.put(b("key-" + i), new byte[100 + round % 3 * 20]);
                    }
                }
                db.checkpoint();
            }
            // a cache of 8 frames under a tree of many more: reading it all evicts
            try (Database again = Database.open(store, TreeOptions.defaults().cacheBytes(8 * 8192))) {
                assertEquals(1, again.treeNames().size());
                Tree t = again.openTree("t");
                for (int i = 0; i < 3_000; i++) {
                    t.put(b("dir-" + i % 50 + "/file-" + i), new byte[200]);
                }
                again.checkpoint();
                assertEquals(3_040, t.scan(new byte[0]).toList().size());
            }
            recording.stop();
            recording.dump(file);
        }
        Map<String, List<RecordedEvent>> seen = RecordingFile.readAllEvents(file).stream()
                .collect(Collectors.groupingBy(e -> e.getEventType().getName()));
        for (String name : EVENTS) {
            assertTrue(seen.containsKey(name), name + " was not recorded; seen " + seen.keySet());
        }
        RecordedEvent checkpoint = seen.get("io.cairn.tree.Checkpoint").getLast();
        assertEquals(store.toString(), checkpoint.getString("directory"));
        assertTrue(seen.get("io.cairn.tree.Checkpoint").stream().anyMatch(e -> e.getLong("frames") > 0));
        assertTrue(seen.get("io.cairn.tree.GroupCommit").stream().mapToLong(e -> e.getLong("records")).sum() >= 1_200,
                "every put went through a group commit");
        RecordedEvent compaction = seen.get("io.cairn.tree.Compaction").getFirst();
        assertTrue(compaction.getLong("bytesAfter") < compaction.getLong("bytesBefore"), "compaction frees bytes");
        assertTrue(seen.get("io.cairn.tree.Recovery").stream().anyMatch(e -> !e.getBoolean("readOnly")));
        RecordedEvent eviction = seen.get("io.cairn.tree.Eviction").getFirst();
        assertTrue(eviction.getLong("frameId") >= 0 && eviction.getLong("buffers") >= 8, "eviction " + eviction);
    }
}
