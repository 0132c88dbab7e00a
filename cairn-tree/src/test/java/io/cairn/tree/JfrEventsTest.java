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
 * The JFR events a recording (as {@code jcmd JFR.start} makes one) shows for checkpoints, group commits, recovery
 * and compaction.
 */
class JfrEventsTest {
    @TempDir
    Path dir;

    private static final List<String> EVENTS = List.of("io.cairn.tree.Checkpoint", "io.cairn.tree.GroupCommit",
            "io.cairn.tree.Recovery", "io.cairn.tree.Compaction");

    @Test
    void checkpointsGroupCommitsRecoveryAndCompactionAreRecorded() throws Exception {
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
            try (Database again = Database.open(store)) {
                assertEquals(1, again.treeNames().size());
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
    }
}
