package io.cairn.tree.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.BStack;
import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.Durability;
import io.cairn.stack.FormatVersionException;
import io.cairn.stack.StorageIo;
import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged segments: flip a byte, zero a range or cut the file, at positions across every segment of a three-segment
 * log. Opening (read-only, then writable) and replaying must either fail with a {@link CorruptedStoreException}
 * naming a segment, or return exactly the records that were written, in order, including every record that lies
 * wholly before the damage; never a wrong record, a hang or an out-of-memory error. A read-only open never writes.
 * The default run damages every byte of the headers and about 60 more positions per file; the soak every byte.
 */
class WalCorruptionTest {
    private static final long SEED = 77;
    private static final int RECORDS = 30;

    @TempDir
    Path dir;

    /** The reference log: records 1..30 in segments starting at 1, 11 and 21. */
    private Path buildReference() throws IOException {
        Path wal = dir.resolve("reference");
        try (WriteAheadLog log = WriteAheadLog.open(wal, WalTesting.options(Durability.SYNC, StorageIo.fileSystem()))) {
            for (int i = 1; i <= RECORDS; i++) {
                WalTesting.append(log, WalTesting.redo(SEED, i));
                if (i % 10 == 0) {
                    log.rollSegment();
                }
            }
            log.sync();
        }
        return wal;
    }

    @Test
    void damageIsReportedOrLeavesExactlyTheRecordsBeforeIt() throws Exception {
        damageEverywhere(60);
    }

    @Test
    @Tag("soak")
    void damageAtEveryByteIsReportedOrLeavesExactlyTheRecordsBeforeIt() throws Exception {
        damageEverywhere(Integer.MAX_VALUE);
    }

    private void damageEverywhere(int positionsPerFile) throws Exception {
        Path reference = buildReference();
        List<Path> files;
        try (Stream<Path> list = Files.list(reference)) {
            files = list.sorted().toList();
        }
        assertEquals(3, files.size());
        // File offset at which each record ends, per segment, and the records in earlier segments.
        Map<Path, List<Long>> recordEnds = new HashMap<>();
        Map<Path, Integer> recordsBefore = new HashMap<>();
        int before = 0;
        for (Path file : files) {
            List<Long> ends = recordEnds(file);
            recordEnds.put(file, ends);
            recordsBefore.put(file, before);
            before += ends.size();
        }
        assertEquals(RECORDS, before);
        int cases = 0;
        int refused = 0;
        for (Path file : files) {
            long size = Files.size(file);
            long step = Math.max(1, size / Math.min(positionsPerFile, size));
            for (long at = 0; at < size; at = at < 40 ? at + 1 : at + step) {
                long position = at;
                for (String damage : List.of("flip", "zero", "cut")) {
                    Path copy = dir.resolve("case-" + cases++);
                    copyDirectory(reference, copy);
                    Path target = copy.resolve(file.getFileName());
                    switch (damage) {
                        case "flip" -> FaultyStorageIo.flipByte(target, position);
                        case "zero" -> FaultyStorageIo.zeroRange(target, position, (int) Math.min(37, size - position));
                        default -> FaultyStorageIo.truncateFile(target, position);
                    }
                    int wholeBefore = recordsBefore.get(file)
                            + (int) recordEnds.get(file).stream().filter(end -> end <= position).count();
                    String where = damage + " at " + position + " of " + file.getFileName();
                    refused += assertTimeoutPreemptively(Duration.ofSeconds(30),
                            () -> check(copy, wholeBefore, where));
                    deleteDirectory(copy);
                }
            }
        }
        System.out.println(cases + " damaged copies: " + refused + " refused as corrupt, the rest opened with"
                + " exactly the records before the damage");
        assertTrue(refused > 0 && refused < cases, refused + " of " + cases + " refused");
    }

    /** Returns 1 if the damaged log was refused, 0 if it opened with the right records. */
    private static int check(Path wal, int wholeBefore, String where) throws IOException {
        Map<Path, byte[]> bytes = new HashMap<>();
        try (Stream<Path> list = Files.list(wal)) {
            for (Path file : list.toList()) {
                bytes.put(file, Files.readAllBytes(file));
            }
        }
        int readOnly = outcome(wal, true, wholeBefore, where);
        for (var entry : bytes.entrySet()) {
            assertArrayEquals(entry.getValue(), Files.readAllBytes(entry.getKey()), where
                    + ": a read-only open changed " + entry.getKey());
        }
        int writable = outcome(wal, false, wholeBefore, where);
        assertEquals(readOnly, writable, where + ": read-only and writable opens disagree");
        return writable;
    }

    private static int outcome(Path wal, boolean readOnly, int wholeBefore, String where) throws IOException {
        try (WriteAheadLog log = readOnly ? WriteAheadLog.openReadOnly(wal, StorageIo.fileSystem())
                : WriteAheadLog.open(wal, WalTesting.options(Durability.SYNC, CountingIo.skippedForces()))) {
            List<LogEntry> entries = WalTesting.replayAll(log, 0);
            assertTrue(entries.size() >= wholeBefore, where + ": " + entries.size() + " records survived, "
                    + wholeBefore + " lay wholly before the damage");
            for (LogEntry entry : entries) {
                assertEquals(WalTesting.redo(SEED, entry.sequence()), entry.redo(), where + ": record "
                        + entry.sequence());
            }
            return 0;
        } catch (CorruptedStoreException | FormatVersionException e) {
            assertTrue(e.getMessage().contains(wal.toString()), where + ": the error names no segment: "
                    + e.getMessage());
            return 1;
        }
    }

    /** The file offsets at which the records of a segment end. */
    private static List<Long> recordEnds(Path file) throws IOException {
        List<Long> ends = new ArrayList<>();
        try (BStack stack = BStack.openReadOnly(file)) {
            long header = Files.size(file) - stack.length();
            long at = WalFormat.SEGMENT_HEADER_SIZE;
            while (at < stack.length()) {
                byte[] frame = stack.get(at, at + WalFormat.RECORD_HEADER_SIZE);
                at += WalFormat.RECORD_OVERHEAD + MemorySegment.ofArray(frame).get(WalFormat.U32,
                        WalFormat.LENGTH_OFFSET);
                ends.add(header + at);
            }
        }
        return ends;
    }

    private static void copyDirectory(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> list = Files.list(from)) {
            for (Path file : list.toList()) {
                Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    private static void deleteDirectory(Path directory) throws IOException {
        try (Stream<Path> list = Files.list(directory)) {
            for (Path file : list.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(directory);
    }
}
