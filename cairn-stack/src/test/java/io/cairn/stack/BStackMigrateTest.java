package io.cairn.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.alloc.FirstFitAllocator;
import io.cairn.stack.alloc.Slice;
import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link BStack#migrate}: a 0.2 file becomes the 0.4 file the reference would write, through a forced sibling and
 * an atomic rename; a crash at any point leaves the intact original or the finished new file.
 */
class BStackMigrateTest {
    @TempDir
    Path dir;

    private static final byte[] PAYLOAD = new byte[150_000];

    static {
        new Random(7).nextBytes(PAYLOAD);
    }

    private Path legacyFile() throws IOException {
        Path path = dir.resolve("old.bstack");
        Files.deleteIfExists(path);
        try (BStack stack = BStack.open(path, BStackOptions.defaults().withFormat(StackFormat.V0_2))) {
            stack.push(PAYLOAD);
        }
        return path;
    }

    /** The 0.4 file holding {@code payload}, as the reference lays it out. */
    private static byte[] migrated(byte[] payload) {
        ByteBuffer file = ByteBuffer.allocate(32 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        file.put(BStackFormatV04.MAGIC).putLong(payload.length).putLong(0).putLong(0).put(payload);
        return file.array();
    }

    @Test
    void aLegacyFileBecomesTheReferences04FileWithTheSamePayload() throws IOException {
        Path path = legacyFile();
        assertTrue(BStack.migrate(path));
        assertArrayEquals(migrated(PAYLOAD), Files.readAllBytes(path));
        assertFalse(Files.exists(dir.resolve("old.bstack.migrating")));
        try (BStack stack = BStack.open(path)) {
            assertEquals(StackFormat.V0_4, stack.format());
            assertArrayEquals(PAYLOAD, stack.peek(0));
        }
        assertFalse(BStack.migrate(path), "already 0.4");
        assertArrayEquals(migrated(PAYLOAD), Files.readAllBytes(path));
    }

    @Test
    void aTornLegacyTailIsBoundedAsOpenWouldBoundIt() throws IOException {
        Path path = legacyFile();
        Files.write(path, new byte[] {1, 2, 3}, StandardOpenOption.APPEND); // phantom bytes past clen
        assertTrue(BStack.migrate(path));
        assertArrayEquals(migrated(PAYLOAD), Files.readAllBytes(path));
        Path cut = legacyFile();
        FaultyStorageIo.truncateFile(cut, 16 + 1000); // clen claims more than the file holds
        assertTrue(BStack.migrate(cut));
        assertArrayEquals(migrated(Arrays.copyOf(PAYLOAD, 1000)), Files.readAllBytes(cut));
    }

    @Test
    void emptyForeignNewerMissingAndHeldFilesAreLeftAlone() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.bstack"));
        assertFalse(BStack.migrate(empty));
        assertEquals(0, Files.size(empty));
        Path foreign = dir.resolve("foreign");
        Files.write(foreign, "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThrows(CorruptedStoreException.class, () -> BStack.migrate(foreign));
        Path newer = dir.resolve("newer");
        Files.write(newer, Arrays.copyOf(new byte[] {'B', 'S', 'T', 'K', 0, 5, 0, 0}, 32));
        assertThrows(FormatVersionException.class, () -> BStack.migrate(newer));
        assertThrows(NoSuchFileException.class, () -> BStack.migrate(dir.resolve("missing")));
        assertFalse(Files.exists(dir.resolve("missing")));
        Path held = legacyFile();
        byte[] before = Files.readAllBytes(held);
        try (BStack stack = BStack.openReadOnly(held)) {
            assertThrows(StoreLockedException.class, () -> BStack.migrate(held));
        }
        assertArrayEquals(before, Files.readAllBytes(held));
    }

    @Test
    void allocatorDataNeedsNoConversion() throws IOException {
        Path path = dir.resolve("heap.bstack");
        byte[] data = Arrays.copyOf(PAYLOAD, 300);
        Slice slice;
        try (FirstFitAllocator heap = FirstFitAllocator.open(BStack.open(path,
                BStackOptions.defaults().withFormat(StackFormat.V0_2)))) {
            heap.alloc(100);
            slice = heap.alloc(300);
            slice.write(data);
        }
        assertTrue(BStack.migrate(path));
        try (FirstFitAllocator heap = FirstFitAllocator.open(BStack.open(path))) {
            assertEquals(StackFormat.V0_4, heap.stack().format());
            assertArrayEquals(data, heap.slice(slice.offset(), slice.length()).read());
        }
    }

    @Test
    void aFaultAtAnyPointLeavesTheOriginalOrTheFinishedFile() throws IOException {
        int cases = 0;
        for (String fault : new String[] {"write", "tear", "force", "directory"}) {
            for (boolean crash : new boolean[] {false, true}) {
                for (int n = 1; ; n++) {
                    String where = fault + " #" + n + (crash ? ", then crash" : "");
                    Path path = legacyFile();
                    byte[] original = Files.readAllBytes(path);
                    FaultyStorageIo io = FaultyStorageIo.withoutRealSyncs();
                    long writes0 = io.writes();
                    long forces0 = io.forces();
                    long directory0 = io.directoryOperations();
                    switch (fault) {
                        case "write" -> io.failWrite(n);
                        case "tear" -> io.tearWrite(n);
                        case "force" -> io.failForce(n);
                        default -> io.failDirectoryOperation(n); // the rename, or the directory's fsync after it
                    }
                    boolean threw = false;
                    try {
                        BStack.migrate(path, io);
                    } catch (IOException e) {
                        threw = true;
                    }
                    boolean reached = switch (fault) {
                        case "force" -> io.forces() - forces0 >= n;
                        case "directory" -> io.directoryOperations() - directory0 >= n;
                        default -> io.writes() - writes0 >= n;
                    };
                    io.clearFaults();
                    if (!reached) {
                        assertFalse(threw, where + ": threw without a fault");
                        break;
                    }
                    assertTrue(threw, where + ": the fault was swallowed");
                    cases++;
                    if (crash) {
                        io.crash();
                    }
                    byte[] now = Files.readAllBytes(path);
                    assertTrue(Arrays.equals(original, now) || Arrays.equals(migrated(PAYLOAD), now),
                            where + ": the path holds neither the original nor the finished file");
                    assertTrue(BStack.migrate(path) || Arrays.equals(migrated(PAYLOAD), now), where + ": a retry");
                    assertArrayEquals(migrated(PAYLOAD), Files.readAllBytes(path), where + ": after a retry");
                }
            }
        }
        assertTrue(cases >= 8, "only " + cases + " fault cases were reached");
        Path renamed = legacyFile();
        FaultyStorageIo directory = FaultyStorageIo.withoutRealSyncs();
        directory.failDirectoryOperation(2);
        IOException e = assertThrows(IOException.class, () -> BStack.migrate(renamed, directory),
                "no directory operation after the rename");
        assertTrue(e.getMessage().contains("syncDirectory " + renamed.toAbsolutePath().getParent()), "the rename is"
                + " made durable by forcing its directory: " + e.getMessage());
        assertArrayEquals(migrated(PAYLOAD), Files.readAllBytes(renamed), "the rename had happened");
        Path path = legacyFile();
        FaultyStorageIo io = FaultyStorageIo.withoutRealSyncs();
        assertTrue(BStack.migrate(path, io));
        io.crash();
        assertArrayEquals(migrated(PAYLOAD), Files.readAllBytes(path), "a returned migrate survives a power loss");
    }
}
