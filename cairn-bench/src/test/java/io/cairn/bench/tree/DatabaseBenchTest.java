package io.cairn.bench.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DatabaseBench} at a toy size: every measurement is made and printed as a table row with a number. */
class DatabaseBenchTest {
    @TempDir
    Path dir;

    @Test
    void everyMeasurementIsARowWithNumbers() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DatabaseBench(dir, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(5, 50, 4_000);
        List<String> rows = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        // header, separator, 11 measurements (batches, feed, images, vacuum after drops and after deletes, compact)
        assertEquals(13, rows.size(), String.join("\n", rows));
        for (String row : rows.subList(2, rows.size())) {
            String cairn = row.split("\\|")[2].strip();
            assertTrue(cairn.matches("[0-9][0-9,.]*%?"), "a number for Cairn: " + row);
        }
        assertTrue(rows.get(3).matches(".*SYNC.*\\| [0-9,]+ \\| [0-9,]+ \\|"), "RocksDB measured too: " + rows.get(3));
        assertTrue(rows.getLast().startsWith("| compact: frames "), "compaction measured: " + rows.getLast());
    }
}
