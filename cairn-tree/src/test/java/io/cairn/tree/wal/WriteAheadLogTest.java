package io.cairn.tree.wal;

import static io.cairn.tree.wal.WalTesting.append;
import static io.cairn.tree.wal.WalTesting.options;
import static io.cairn.tree.wal.WalTesting.redo;
import static io.cairn.tree.wal.WalTesting.replayAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.BStack;
import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.Durability;
import io.cairn.stack.FormatVersionException;
import io.cairn.stack.StorageIo;
import io.cairn.stack.StoreFailedException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log's behaviours one at a time: appends, durability modes, reads, segments, recovery and misuse. */
class WriteAheadLogTest {
    @TempDir
    Path dir;

    private Path wal() {
        return dir.resolve("wal");
    }

    private WriteAheadLog open(Durability durability) throws IOException {
        return WriteAheadLog.open(wal(), options(durability, StorageIo.fileSystem()));
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(wal())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".stack")).sorted().toList();
        }
    }

    private static List<Redo> redos(List<LogEntry> entries) {
        return entries.stream().map(LogEntry::redo).toList();
    }

    private static List<Redo> expected(long seed, long from, long to) {
        List<Redo> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(redo(seed, i));
        }
        return out;
    }

    @Test
    void appendsGetContiguousSequencesAndReplayInOrderAfterReopen() throws IOException {
        try (WriteAheadLog log = open(Durability.SYNC)) {
            assertEquals(0, log.lastSequence());
            for (long i = 1; i <= 50; i++) {
                assertEquals(i, append(log, redo(1, i)));
            }
            log.awaitDurable(50);
            assertEquals(expected(1, 1, 50), redos(replayAll(log, 0)));
        }
        try (WriteAheadLog log = open(Durability.SYNC)) {
            assertEquals(50, log.lastSequence());
            assertEquals(50, log.durableSequence());
            assertEquals(expected(1, 21, 50), redos(replayAll(log, 20)));
            assertEquals(List.of(), replayAll(log, 50));
            assertEquals(51, append(log, redo(1, 51)));
        }
        try (WriteAheadLog log = open(Durability.SYNC)) {
            List<LogEntry> all = replayAll(log, 0);
            assertEquals(expected(1, 1, 51), redos(all));
            for (int i = 0; i < all.size(); i++) {
                assertEquals(i + 1, all.get(i).sequence());
            }
        }
    }

    @Test
    void aNewLogIsOneSegmentStartingAtSequenceOne() throws IOException {
        try (WriteAheadLog log = open(Durability.SYNC)) {
            assertEquals(List.of(wal().resolve("00000000000000000001.stack")), segmentFiles());
            assertEquals(1, log.stats().segments());
        }
    }

    @Test
    void readsSeeOnlyDurableRecords() throws IOException {
        try (WriteAheadLog log = open(Durability.SYNC)) {
            append(log, redo(2, 1));
            append(log, redo(2, 2));
            assertEquals(0, log.durableSequence());
            assertEquals(List.of(), log.read(0, 10, Long.MAX_VALUE));
            log.awaitDurable(1);
            // One group commit wrote (and forced) both records.
            assertEquals(2, log.durableSequence());
            assertEquals(expected(2, 1, 2), redos(log.read(0, 10, Long.MAX_VALUE)));
        }
    }

    @Test
    void boundedReadsStopAtRecordsAndBytesButAlwaysReturnOne() throws IOException {
        try (WriteAheadLog log = open(Durability.SYNC)) {
            for (long i = 1; i <= 30; i++) {
                append(log, redo(3, i));
            }
            log.sync();
            assertEquals(expected(3, 1, 5), redos(log.read(0, 5, Long.MAX_VALUE)));
            assertEquals(expected(3, 11, 30), redos(log.read(10, 100, Long.MAX_VALUE)));
            assertEquals(expected(3, 8, 8), redos(log.read(7, 10, 1)));
            assertEquals(expected(3, 1, 1), redos(log.read(0, 100, WalTesting.recordBytes(redo(3, 1)) + 1)));
            long twoRecords = WalTesting.recordBytes(redo(3, 1)) + WalTesting.recordBytes(redo(3, 2));
            assertEquals(expected(3, 1, 2), redos(log.read(0, 100, twoRecords)));
            // Reading in chunks of random sizes reproduces the log exactly.
            List<Redo> chunks = new ArrayList<>();
            for (long after = 0; after < 30; ) {
                List<LogEntry> chunk = log.read(after, 1 + (int) (after % 4), 200 + after * 37);
                assertFalse(chunk.isEmpty());
                assertEquals(after + 1, chunk.getFirst().sequence());
                chunks.addAll(redos(chunk));
                after = chunk.getLast().sequence();
            }
            assertEquals(expected(3, 1, 30), chunks);
            assertEquals(List.of(), log.read(30, 10, 10));
        }
    }

    @Test
    void badArgumentsAreRejectedByNameBeforeAnything() throws IOException {
        try (WriteAheadLog log = open(Durability.SYNC)) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> log.appendDelete(-2, new byte[0]))
                    .getMessage().contains("treeId must not be negative: -2"));
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> log.appendPut(0, new byte[0], new byte[0], 0)).getMessage()
                    .contains("version must be positive: 0"));
            assertThrows(NullPointerException.class, () -> log.appendPut(0, null, new byte[0], 1));
            assertThrows(NullPointerException.class, () -> log.appendRename(0, new byte[0], new byte[0], null, 1));
            byte[] huge = new byte[WalFormat.MAX_BODY];
            assertTrue(assertThrows(IllegalArgumentException.class, () -> log.appendPut(0, huge, new byte[1], 1))
                    .getMessage().contains("exceeds the limit of 16777216 bytes"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> log.awaitDurable(1)).getMessage()
                    .contains("sequence 1 was not appended"));
            assertThrows(IllegalArgumentException.class, () -> log.awaitDurable(0));
            assertThrows(IllegalArgumentException.class, () -> log.read(-1, 1, 1));
            assertThrows(IllegalArgumentException.class, () -> log.read(0, 0, 1));
            assertThrows(IllegalArgumentException.class, () -> log.read(0, 1, 0));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> log.read(5, 1, 1)).getMessage()
                    .contains("afterSequence 5 is beyond the log's last record 0"));
            assertThrows(IllegalArgumentException.class, () -> log.retireThrough(1));
            assertThrows(IllegalArgumentException.class, () -> log.replay(-1, (s, r) -> { }));
            assertEquals(0, log.lastSequence());
            assertEquals(0, log.stats().appendedRecords());
        }
    }

    @Test
    void aRecordLargerThanTheBufferGetsABufferOfItsOwn() throws IOException {
        byte[] big = new byte[300_000];
        new java.util.Random(4).nextBytes(big);
        WalOptions small = options(Durability.SYNC, StorageIo.fileSystem()).withBufferBytes(WalOptions.MIN_BUFFER_BYTES);
        try (WriteAheadLog log = WriteAheadLog.open(wal(), small)) {
            log.appendPut(1, new byte[] {1}, new byte[] {2}, 1);
            long seq = log.appendPut(1, new byte[] {9}, big, 2);
            log.appendDelete(1, new byte[] {1});
            log.awaitDurable(3);
            assertEquals(2, seq);
        }
        try (WriteAheadLog log = WriteAheadLog.open(wal(), small)) {
            List<LogEntry> all = replayAll(log, 0);
            assertEquals(3, all.size());
            assertArrayEquals(big, ((Redo.Put) all.get(1).redo()).value());
        }
    }

    @Test
    void aFullBufferMakesTheAppenderWriteItBackPressure() throws IOException {
        WalOptions small = options(Durability.SYNC, StorageIo.fileSystem()).withBufferBytes(WalOptions.MIN_BUFFER_BYTES);
        try (WriteAheadLog log = WriteAheadLog.open(wal(), small)) {
            for (long i = 1; i <= 2_000; i++) {
                append(log, redo(5, i)); // never awaited: only back-pressure writes the full buffers
            }
            WalStats stats = log.stats();
            assertTrue(stats.groupWrites() > 10, "group writes " + stats.groupWrites());
            assertTrue(stats.durableSequence() > 1_000, "durable " + stats.durableSequence());
        }
        try (WriteAheadLog log = WriteAheadLog.open(wal(), small)) {
            assertEquals(expected(5, 1, 2_000), redos(replayAll(log, 0)));
        }
    }

    @Test
    void rollTakesEffectAtTheNextGroupWriteAndRetireDeletesOnlyCoveredSegments() throws IOException {
        try (WriteAheadLog log = open(Durability.SYNC)) {
            log.rollSegment(); // nothing appended yet: nothing to roll
            for (long i = 1; i <= 10; i++) {
                append(log, redo(6, i));
            }
            log.rollSegment();
            log.rollSegment(); // nothing since the last roll
            assertEquals(1, segmentFiles().size(), "the roll waits for the next group write");
            for (long i = 11; i <= 20; i++) {
                append(log, redo(6, i));
            }
            log.awaitDurable(20);
            assertEquals(List.of("00000000000000000001.stack", "00000000000000000011.stack"),
                    segmentFiles().stream().map(p -> p.getFileName().toString()).toList());
            log.rollSegment();
            append(log, redo(6, 21));
            log.awaitDurable(21);
            assertEquals(3, segmentFiles().size());
            assertEquals(0, log.retireThrough(9), "segment 1..10 still holds record 10");
            assertEquals(1, log.retireThrough(15));
            assertEquals(List.of("00000000000000000011.stack", "00000000000000000021.stack"),
                    segmentFiles().stream().map(p -> p.getFileName().toString()).toList());
            assertEquals(expected(6, 11, 21), redos(replayAll(log, 10)));
            assertThrows(IllegalArgumentException.class, () -> log.read(5, 10, 1000));
            assertThrows(CorruptedStoreException.class, () -> log.replay(5, (s, r) -> { }));
            assertEquals(1, log.retireThrough(21), "everything but the last segment");
            assertEquals(1, segmentFiles().size());
        }
        try (WriteAheadLog log = open(Durability.SYNC)) {
            assertEquals(21, log.lastSequence());
            assertEquals(expected(6, 21, 21), redos(replayAll(log, 20)));
        }
    }

    @Test
    void retiringThroughAMarkedRollCarriesItOutFirst() throws IOException {
        try (WriteAheadLog log = open(Durability.SYNC)) {
            for (long i = 1; i <= 5; i++) {
                append(log, redo(7, i));
            }
            log.awaitDurable(5);
            log.rollSegment(); // what a checkpoint capture does; nothing appended after it
            assertEquals(1, log.retireThrough(5));
            assertEquals(List.of("00000000000000000006.stack"),
                    segmentFiles().stream().map(p -> p.getFileName().toString()).toList());
            assertEquals(6, append(log, redo(7, 6)));
            log.awaitDurable(6);
        }
        try (WriteAheadLog log = open(Durability.SYNC)) {
            assertEquals(expected(7, 6, 6), redos(replayAll(log, 5)));
        }
    }

    @Test
    void anEmptyLastSegmentStillGivesTheNextSequence() throws IOException {
        try (WriteAheadLog log = open(Durability.SYNC)) {
            for (long i = 1; i <= 3; i++) {
                append(log, redo(8, i));
            }
            log.rollSegment();
            log.retireThrough(3);
        }
        try (WriteAheadLog log = open(Durability.SYNC)) {
            assertEquals(3, log.lastSequence());
            assertEquals(4, append(log, redo(8, 4)));
        }
    }

    @Test
    void aTornTailIsCutOnOpenAndAppendsContinue() throws IOException {
        try (WriteAheadLog log = open(Durability.SYNC)) {
            for (long i = 1; i <= 5; i++) {
                append(log, redo(9, i));
            }
            log.sync();
        }
        Path segment = segmentFiles().getFirst();
        long before;
        try (BStack stack = BStack.open(segment)) {
            before = stack.length();
            byte[] whole = wholeRecordOf(stack, before); // the last record's bytes, to fake a torn copy of it
            stack.push(java.util.Arrays.copyOf(whole, whole.length - 3));
        }
        byte[] damagedFile = Files.readAllBytes(segment);
        try (WriteAheadLog log = WriteAheadLog.openReadOnly(wal(), StorageIo.fileSystem())) {
            assertEquals(expected(9, 1, 5), redos(replayAll(log, 0)));
            assertTrue(log.stats().tornBytesCut() > 0);
        }
        assertArrayEquals(damagedFile, Files.readAllBytes(segment), "a read-only open wrote to the segment");
        try (WriteAheadLog log = open(Durability.SYNC)) {
            assertEquals(5, log.lastSequence());
            assertTrue(log.stats().tornBytesCut() > 0);
            for (long i = 6; i <= 8; i++) {
                append(log, redo(9, i));
            }
            log.sync();
        }
        try (BStack stack = BStack.openReadOnly(segment)) {
            assertTrue(stack.length() > before);
        }
        try (WriteAheadLog log = open(Durability.SYNC)) {
            assertEquals(expected(9, 1, 8), redos(replayAll(log, 0)));
            assertEquals(0, log.stats().tornBytesCut());
        }
    }

    /** The bytes of the last whole record of a segment whose payload ends at {@code length}. */
    private static byte[] wholeRecordOf(BStack stack, long length) throws IOException {
        long at = WalFormat.SEGMENT_HEADER_SIZE;
        long last = at;
        while (at < length) {
            last = at;
            byte[] header = stack.get(at, at + WalFormat.RECORD_HEADER_SIZE);
            at += WalFormat.RECORD_OVERHEAD + MemorySegment.ofArray(header).get(WalFormat.U32, WalFormat.LENGTH_OFFSET);
        }
        return stack.get(last, length);
    }

    @Test
    void damageFollowedByAValidRecordIsCorruptionNamingFileAndOffset() throws IOException {
        try (WriteAheadLog log = open(Durability.SYNC)) {
            for (long i = 1; i <= 5; i++) {
                append(log, redo(10, i));
            }
            log.sync();
        }
        Path segment = segmentFiles().getFirst();
        byte[] bytes = Files.readAllBytes(segment);
        long secondRecord;
        try (BStack stack = BStack.openReadOnly(segment)) {
            byte[] header = stack.get(WalFormat.SEGMENT_HEADER_SIZE,
                    WalFormat.SEGMENT_HEADER_SIZE + WalFormat.RECORD_HEADER_SIZE);
            secondRecord = WalFormat.SEGMENT_HEADER_SIZE + WalFormat.RECORD_OVERHEAD
                    + MemorySegment.ofArray(header).get(WalFormat.U32, WalFormat.LENGTH_OFFSET);
        }
        // Flip a byte of the second record's body: records 3..5 follow it intact.
        long fileOffset = bytes.length - (dataLength(segment) - secondRecord) + WalFormat.RECORD_HEADER_SIZE;
        bytes[(int) fileOffset] ^= 0x40;
        Files.write(segment, bytes);
        CorruptedStoreException e = assertThrows(CorruptedStoreException.class, () -> open(Durability.SYNC));
        assertEquals(segment, e.path());
        assertEquals(secondRecord, e.offset());
        assertTrue(e.getMessage().startsWith("WAL record checksum (a whole record follows at payload offset "),
                e.getMessage());
        assertThrows(CorruptedStoreException.class,
                () -> WriteAheadLog.openReadOnly(wal(), StorageIo.fileSystem()));
        assertArrayEquals(bytes, Files.readAllBytes(segment), "a failed open changed the segment");
    }

    private static long dataLength(Path segment) throws IOException {
        try (BStack stack = BStack.openReadOnly(segment)) {
            return stack.length();
        }
    }

    @Test
    void aValidRecordWithTheWrongSequenceIsCorruption() throws IOException {
        Path first;
        try (WriteAheadLog log = open(Durability.SYNC)) {
            append(log, redo(11, 1));
            log.sync();
            first = segmentFiles().getFirst();
        }
        // A whole, checksummed record claiming sequence 7 where 2 is due.
        try (WriteAheadLog other = WriteAheadLog.open(dir.resolve("other"), options(Durability.SYNC,
                StorageIo.fileSystem()))) {
            for (long i = 1; i <= 7; i++) {
                append(other, redo(11, i));
            }
            other.sync();
        }
        byte[] seventh;
        Path otherSegment = dir.resolve("other").resolve("00000000000000000001.stack");
        try (BStack stack = BStack.openReadOnly(otherSegment)) {
            seventh = wholeRecordOf(stack, stack.length());
        }
        try (BStack stack = BStack.open(first)) {
            stack.push(seventh);
        }
        CorruptedStoreException e = assertThrows(CorruptedStoreException.class, () -> open(Durability.SYNC));
        assertTrue(e.getMessage().startsWith("WAL record sequence in " + first), e.getMessage());
        assertEquals("2", e.expected());
        assertEquals("7 (in a whole, checksummed record)", e.found());
    }

    @Test
    void segmentHeadersAreChecked() throws IOException {
        try (WriteAheadLog log = open(Durability.SYNC)) {
            append(log, redo(12, 1));
        }
        Path segment = segmentFiles().getFirst();
        // Renamed: the header's first sequence disagrees with the name.
        Path renamed = wal().resolve(WalFormat.segmentName(5));
        Files.move(segment, renamed);
        CorruptedStoreException moved = assertThrows(CorruptedStoreException.class, () -> open(Durability.SYNC));
        assertEquals(renamed, moved.path());
        assertEquals("5 (from the file name)", moved.expected());
        assertEquals("1", moved.found());
        Files.move(renamed, segment);
        // A newer minor version is refused as a version, not as damage.
        try (BStack stack = BStack.open(segment)) {
            stack.set(WalFormat.SEGMENT_MAGIC_OFFSET + 5, new byte[] {3});
        }
        FormatVersionException newer = assertThrows(FormatVersionException.class, () -> open(Durability.SYNC));
        assertEquals("1.3.0", newer.found());
        assertEquals(List.of("1.0.x"), newer.supported());
        try (BStack stack = BStack.open(segment)) {
            stack.set(WalFormat.SEGMENT_MAGIC_OFFSET + 5, new byte[] {0});
            stack.set(WalFormat.FIRST_SEQUENCE_OFFSET + 7, new byte[] {1});
        }
        CorruptedStoreException crc = assertThrows(CorruptedStoreException.class, () -> open(Durability.SYNC));
        assertTrue(crc.getMessage().startsWith("WAL segment header checksum in " + segment), crc.getMessage());
        try (BStack stack = BStack.open(segment)) {
            stack.set(0, new byte[] {'X'});
        }
        CorruptedStoreException magic = assertThrows(CorruptedStoreException.class, () -> open(Durability.SYNC));
        assertEquals("XWAL\\x01\\x00\\x00\\x00", magic.found());
        try (BStack stack = BStack.open(segment)) {
            stack.discard(stack.length() - 7);
        }
        CorruptedStoreException shortHeader = assertThrows(CorruptedStoreException.class,
                () -> open(Durability.SYNC));
        assertEquals("7 bytes", shortHeader.found());
        Files.write(segment, new byte[0]);
        CorruptedStoreException empty = assertThrows(CorruptedStoreException.class, () -> open(Durability.SYNC));
        assertEquals("0 bytes", empty.found());
        assertEquals(0, Files.size(segment), "a refused open wrote to the empty segment");
    }

    @Test
    void aWholeRecordOfATypeThisVersionDoesNotReadIsAFormatVersion() throws IOException {
        try (WriteAheadLog log = open(Durability.SYNC)) {
            append(log, redo(22, 1));
        }
        Path segment = segmentFiles().getFirst();
        try (GroupBuffer group = new GroupBuffer(WalOptions.MIN_BUFFER_BYTES); BStack stack = BStack.open(segment)) {
            group.begin(2, (byte) 8, 3);
            group.seal(group.bodyOffset() + 3);
            stack.push(group.bytes(0, group.size()));
        }
        try (WriteAheadLog log = open(Durability.SYNC)) {
            assertEquals(2, log.lastSequence(), "the record is whole: not a torn tail");
            FormatVersionException e = assertThrows(FormatVersionException.class, () -> replayAll(log, 0));
            assertEquals(segment, e.path());
            assertTrue(e.found().contains("unknown type 8"), e.found());
        }
    }

    @Test
    void aSegmentLeftHalfCreatedIsDeletedByAWriterAndIgnoredByAReader() throws IOException {
        try (WriteAheadLog log = open(Durability.SYNC)) {
            append(log, redo(13, 1));
        }
        Path leftover = wal().resolve("00000000000000000002.stack.tmp");
        Files.write(leftover, new byte[] {1, 2, 3});
        Path foreign = wal().resolve("notes.txt");
        Files.write(foreign, new byte[] {4});
        try (WriteAheadLog log = WriteAheadLog.openReadOnly(wal(), StorageIo.fileSystem())) {
            assertEquals(1, log.lastSequence());
        }
        assertTrue(Files.exists(leftover));
        try (WriteAheadLog log = open(Durability.SYNC)) {
            assertEquals(1, log.lastSequence());
        }
        assertFalse(Files.exists(leftover));
        assertTrue(Files.exists(foreign), "a file that is not the log's was touched");
    }

    @Test
    void readOnlyRejectsChangesAndAMissingDirectoryIsEmpty() throws IOException {
        try (WriteAheadLog log = WriteAheadLog.openReadOnly(wal(), StorageIo.fileSystem())) {
            assertEquals(0, log.lastSequence());
            assertEquals(List.of(), replayAll(log, 0));
            assertEquals(List.of(), log.read(0, 10, 10));
        }
        assertFalse(Files.exists(wal()));
        try (WriteAheadLog log = open(Durability.SYNC)) {
            append(log, redo(14, 1));
        }
        try (WriteAheadLog log = WriteAheadLog.openReadOnly(wal(), StorageIo.fileSystem())) {
            assertThrows(UnsupportedOperationException.class, () -> append(log, redo(14, 2)));
            assertThrows(UnsupportedOperationException.class, log::sync);
            assertThrows(UnsupportedOperationException.class, log::rollSegment);
            assertThrows(UnsupportedOperationException.class, () -> log.retireThrough(0));
            assertThrows(UnsupportedOperationException.class, () -> log.awaitDurable(1));
            assertEquals(expected(14, 1, 1), redos(log.read(0, 10, 1000)));
        }
    }

    @Test
    void aWriterExcludesReadersAndOtherWriters() throws IOException {
        try (WriteAheadLog log = open(Durability.SYNC)) {
            assertThrows(io.cairn.stack.StoreLockedException.class, () -> open(Durability.SYNC));
            assertThrows(io.cairn.stack.StoreLockedException.class,
                    () -> WriteAheadLog.openReadOnly(wal(), StorageIo.fileSystem()));
            append(log, redo(15, 1));
        }
        try (WriteAheadLog a = WriteAheadLog.openReadOnly(wal(), StorageIo.fileSystem());
                WriteAheadLog b = WriteAheadLog.openReadOnly(wal(), StorageIo.fileSystem())) {
            assertEquals(a.lastSequence(), b.lastSequence());
        }
    }

    @Test
    void asyncRecordsBecomeDurableWithinTheFlushIntervalWithoutAnyCall() throws Exception {
        WalOptions async = options(Durability.ASYNC, StorageIo.fileSystem()).withAsyncFlushInterval(Duration.ofMillis(5));
        try (WriteAheadLog log = WriteAheadLog.open(wal(), async)) {
            long seq = append(log, redo(16, 1));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (log.durableSequence() < seq && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(seq, log.durableSequence());
            assertTrue(log.stats().forces() >= 1);
            append(log, redo(16, 2));
            log.sync();
            assertEquals(2, log.durableSequence());
        }
    }

    @Test
    void noneNeverForcesRecordsButCloseWritesThem() throws Exception {
        CountingIo counting = CountingIo.slowForces(Duration.ZERO);
        try (WriteAheadLog log = WriteAheadLog.open(wal(), options(Durability.NONE, counting))) {
            long forcesAfterOpen = counting.forces();
            for (long i = 1; i <= 100; i++) {
                append(log, redo(17, i));
            }
            log.awaitDurable(50); // handed to the OS, not forced
            assertTrue(log.durableSequence() >= 50);
            assertEquals(forcesAfterOpen, counting.forces());
            assertEquals(0, log.stats().forces());
        }
        try (WriteAheadLog log = open(Durability.SYNC)) {
            assertEquals(expected(17, 1, 100), redos(replayAll(log, 0)));
        }
    }

    @Test
    void closeIsIdempotentAndLaterCallsAreRefused() throws IOException {
        WriteAheadLog log = open(Durability.ASYNC);
        append(log, redo(18, 1));
        log.close();
        log.close();
        assertThrows(IllegalStateException.class, () -> append(log, redo(18, 2)));
        assertThrows(IllegalStateException.class, log::sync);
        assertThrows(IllegalStateException.class, log::lastSequence);
        assertThrows(IllegalStateException.class, log::stats);
        assertThrows(IllegalStateException.class, () -> log.read(0, 1, 1));
        assertThrows(IllegalStateException.class, () -> log.awaitDurable(1));
        try (WriteAheadLog again = open(Durability.SYNC)) {
            assertEquals(expected(18, 1, 1), redos(replayAll(again, 0)), "close forced the async record");
        }
    }

    @Test
    void statsCountRecordsGroupsAndForces() throws IOException {
        try (WriteAheadLog log = open(Durability.SYNC)) {
            long bytes = 0;
            for (long i = 1; i <= 10; i++) {
                append(log, redo(19, i));
                bytes += WalTesting.recordBytes(redo(19, i));
                log.awaitDurable(i);
            }
            WalStats stats = log.stats();
            assertEquals(10, stats.lastSequence());
            assertEquals(10, stats.durableSequence());
            assertEquals(10, stats.appendedRecords());
            assertEquals(bytes, stats.appendedBytes());
            assertEquals(10, stats.groupWrites());
            assertEquals(10, stats.forces());
            assertEquals(1.0, stats.forcesPerRecord());
            assertArrayEquals(new long[] {0, 10}, stats.groupSizes(), "ten groups of one record");
            assertEquals(1, stats.segments());
            assertEquals(WalFormat.SEGMENT_HEADER_SIZE + bytes, stats.retainedBytes());
            assertEquals(10, java.util.Arrays.stream(stats.flushMicros()).sum());
            assertTrue(stats.flushNanosMax() > 0 && stats.flushNanosTotal() >= stats.flushNanosMax());
        }
    }

    @Test
    void positionedReadsUseTheIndexAcrossLargeSegments() throws IOException {
        Map<Long, Redo> all = new HashMap<>();
        try (WriteAheadLog log = open(Durability.NONE)) {
            for (long i = 1; i <= 3_000; i++) {
                all.put(i, redo(20, i));
                append(log, all.get(i));
            }
            log.sync();
            for (long after : new long[] {0, 1, 999, 1_500, 2_998, 2_999}) {
                List<LogEntry> got = log.read(after, 3, Long.MAX_VALUE);
                assertEquals(after + 1, got.getFirst().sequence());
                for (LogEntry entry : got) {
                    assertEquals(all.get(entry.sequence()), entry.redo());
                }
            }
        }
        try (WriteAheadLog log = WriteAheadLog.openReadOnly(wal(), StorageIo.fileSystem())) {
            assertEquals(all.get(2_345L), log.read(2_344, 1, 1).getFirst().redo());
        }
    }

    @Test
    void theFirstFailureIsKeptAndEveryLaterCallThrowsIt() throws IOException {
        io.cairn.stack.testkit.FaultyStorageIo faulty = new io.cairn.stack.testkit.FaultyStorageIo();
        try (WriteAheadLog log = WriteAheadLog.open(wal(), options(Durability.SYNC, faulty))) {
            append(log, redo(21, 1));
            log.awaitDurable(1);
            append(log, redo(21, 2));
            faulty.failForce(1);
            StoreFailedException first = assertThrows(StoreFailedException.class, () -> log.awaitDurable(2));
            Throwable cause = first.getCause();
            assertTrue(cause.getMessage().contains("injected force failure"), cause.getMessage());
            log.awaitDurable(1); // forced before the failure: durable, so it returns
            for (var call : List.<org.junit.jupiter.api.function.Executable>of(() -> append(log, redo(21, 3)),
                    log::sync, log::rollSegment, () -> log.retireThrough(1), () -> log.read(0, 1, 1),
                    () -> log.awaitDurable(2))) {
                StoreFailedException later = assertThrows(StoreFailedException.class, call);
                assertSame(cause, later.getCause());
            }
        }
        try (WriteAheadLog log = open(Durability.SYNC)) {
            List<LogEntry> entries = replayAll(log, 0);
            assertTrue(entries.size() == 1 || entries.size() == 2, "records " + entries.size());
            assertEquals(expected(21, 1, entries.size()), redos(entries));
        }
    }

    @Test
    void envelopesFormAHashChainInLogOrder() throws IOException {
        Redo.Batch one = new Redo.Batch(List.of(new Redo.Put(1, new byte[] {1}, new byte[] {2}, 5)));
        Redo.Batch two = new Redo.Batch(List.of(new Redo.Delete(2, new byte[] {3})));
        byte[] head;
        try (WriteAheadLog log = open(Durability.SYNC)) {
            assertArrayEquals(new byte[32], log.journalHead());
            append(log, redo(31, 1));
            LogEntry first = log.appendEnvelope(new byte[] {9}, one);
            LogEntry second = log.appendEnvelope(new byte[0], two);
            Redo.Envelope a = (Redo.Envelope) first.redo();
            Redo.Envelope b = (Redo.Envelope) second.redo();
            assertArrayEquals(new byte[32], a.previousHash());
            assertArrayEquals(JournalChain.hash(new byte[32], 2, new byte[] {9}, one), a.hash());
            assertArrayEquals(a.hash(), b.previousHash());
            assertArrayEquals(JournalChain.hash(a.hash(), 3, new byte[0], two), b.hash());
            assertArrayEquals(b.hash(), log.journalHead());
            log.sync();
            assertEquals(List.of(redo(31, 1), a, b), redos(log.read(0, 10, Long.MAX_VALUE)));
            head = b.hash();
        }
        try (WriteAheadLog log = open(Durability.SYNC)) {
            assertArrayEquals(new byte[32], log.journalHead(), "the owner restores the head, not the log");
            log.startJournal(head);
            Redo.Envelope c = (Redo.Envelope) log.appendEnvelope(new byte[] {1}, one).redo();
            assertArrayEquals(head, c.previousHash());
            assertThrows(IllegalArgumentException.class, () -> log.append(c), "an envelope is linked by the log");
            assertThrows(IllegalArgumentException.class, () -> log.startJournal(new byte[31]));
        }
    }

    @Test
    void treeRecordsAppendAndReplayLikeAnyOther() throws IOException {
        try (WriteAheadLog log = open(Durability.SYNC)) {
            assertEquals(1, log.append(new Redo.CreateTree(3, "tenants")));
            assertEquals(2, log.append(new Redo.Put(3, new byte[] {1}, new byte[] {2}, 1)));
            assertEquals(3, log.append(new Redo.DropTree(3)));
            log.sync();
        }
        try (WriteAheadLog log = open(Durability.SYNC)) {
            assertEquals(List.of(new Redo.CreateTree(3, "tenants"), new Redo.Put(3, new byte[] {1}, new byte[] {2}, 1),
                    new Redo.DropTree(3)), redos(replayAll(log, 0)));
        }
    }

    @Test
    void aLogCreatedAfterASequenceContinuesFromIt() throws IOException {
        try (WriteAheadLog log = WriteAheadLog.create(wal(), 1_000, options(Durability.SYNC, StorageIo.fileSystem()))) {
            assertEquals(1_000, log.lastSequence());
            assertEquals(1_001, log.firstSequence());
            assertEquals(List.of(), log.read(1_000, 5, 1 << 20));
            assertEquals(1_001, append(log, redo(4, 1)));
            log.sync();
        }
        try (WriteAheadLog log = open(Durability.SYNC)) {
            assertEquals(1_001, log.lastSequence());
            assertEquals(List.of(redo(4, 1)), redos(log.read(1_000, 5, 1 << 20)));
            assertThrows(IllegalArgumentException.class, () -> log.read(999, 5, 1 << 20), "before the log's start");
        }
        assertThrows(java.nio.file.FileAlreadyExistsException.class,
                () -> WriteAheadLog.create(wal(), 5, options(Durability.SYNC, StorageIo.fileSystem())));
        assertThrows(IllegalArgumentException.class,
                () -> WriteAheadLog.create(dir.resolve("other"), -1, options(Durability.SYNC, StorageIo.fileSystem())));
    }

    @Test
    void retirementCanKeepTheNewestBytes() throws IOException {
        try (WriteAheadLog log = open(Durability.SYNC)) {
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < 10; i++) {
                    append(log, new Redo.Put(0, new byte[] {(byte) i}, new byte[1000], 1));
                }
                log.rollSegment();
            }
            log.sync();
            append(log, redo(3, 1));
            log.sync();
            assertEquals(1, log.firstSequence());
            assertEquals(0, log.retireKeeping(Long.MAX_VALUE));
            long keepTwo = log.retireKeeping(11_000); // the last segment holds one record, the one before ten
            assertEquals(30, keepTwo, "whole segments: the newest two hold at least 11,000 bytes");
            log.retireThrough(keepTwo);
            assertEquals(31, log.firstSequence());
        }
    }
}
