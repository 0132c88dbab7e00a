package io.cairn.stack.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.StorageFile;
import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fault-injection seam itself must be exact, or every test built on it proves nothing. */
class FaultyStorageIoTest {
    @TempDir
    Path dir;

    private static ByteBuffer bytes(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return ByteBuffer.wrap(b);
    }

    @Test
    void failedWriteChangesNothingAndIsCounted() throws IOException {
        FaultyStorageIo io = new FaultyStorageIo();
        Path path = dir.resolve("f");
        try (StorageFile file = io.open(path, StorageIo.OpenMode.READ_WRITE_CREATE)) {
            file.write(0, bytes(10, 1));
            io.failWrite(2);
            file.write(10, bytes(10, 2));
            assertThrows(IOException.class, () -> file.write(0, bytes(20, 3)));
            file.write(20, bytes(5, 4));
        }
        assertEquals(4, io.writes());
        byte[] content = Files.readAllBytes(path);
        assertEquals(25, content.length);
        assertEquals(1, content[0]);
        assertEquals(2, content[10]);
        assertEquals(4, content[24]);
    }

    @Test
    void aFailedDirectoryOperationChangesNothingAndIsCounted() throws IOException {
        FaultyStorageIo io = new FaultyStorageIo();
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Files.write(a, new byte[] {1});
        io.failDirectoryOperation(2);
        io.syncDirectory(dir);
        assertThrows(IOException.class, () -> io.atomicMove(a, b));
        assertTrue(Files.exists(a) && !Files.exists(b), "the failed move moved nothing");
        io.atomicMove(a, b);
        assertTrue(io.deleteIfExists(b));
        assertEquals(4, io.directoryOperations());
    }

    @Test
    void tornWriteStoresAStrictPrefix() throws IOException {
        FaultyStorageIo io = new FaultyStorageIo();
        Path path = dir.resolve("f");
        try (StorageFile file = io.open(path, StorageIo.OpenMode.READ_WRITE_CREATE)) {
            io.tearWrite(1);
            assertThrows(IOException.class, () -> file.write(0, bytes(10, 7)));
            assertEquals(1, io.writes());
        }
        assertArrayEquals(bytes(5, 7).array(), Files.readAllBytes(path));
    }

    @Test
    void withAnAtomicBlockATornWriteKeepsWholeBlocksAndAWriteInsideOneFailsWhole() throws IOException {
        FaultyStorageIo io = new FaultyStorageIo();
        io.atomicWriteBlock(256);
        Path path = dir.resolve("f");
        try (StorageFile file = io.open(path, StorageIo.OpenMode.READ_WRITE_CREATE)) {
            file.write(0, bytes(1000, 1));
            io.tearWrite(1);
            assertThrows(IOException.class, () -> file.write(100, bytes(800, 2))); // middle 500: keeps [100, 256)
            io.tearWrite(1);
            assertThrows(IOException.class, () -> file.write(300, bytes(100, 3))); // inside block [256, 512)
            io.tearWrite(1);
            assertThrows(IOException.class, () -> file.write(200, bytes(100, 4))); // middle 250: keeps [200, 256)
        }
        byte[] content = Files.readAllBytes(path);
        byte[] expected = bytes(1000, 1).array();
        Arrays.fill(expected, 100, 200, (byte) 2);
        Arrays.fill(expected, 200, 256, (byte) 4);
        assertArrayEquals(expected, content);
        assertThrows(IllegalArgumentException.class, () -> io.atomicWriteBlock(100));
    }

    @Test
    void killKeepsUnforcedWritesButKillsTheHandlesAndALaterCrashStillDropsThem() throws IOException {
        FaultyStorageIo io = new FaultyStorageIo();
        Path path = dir.resolve("f");
        StorageFile file = io.open(path, StorageIo.OpenMode.READ_WRITE_CREATE);
        file.write(0, bytes(4, 1));
        file.force();
        file.write(4, bytes(4, 2));
        io.kill();
        assertThrows(IOException.class, () -> file.write(8, bytes(1, 3)));
        assertEquals(8, Files.size(path), "the page cache keeps the unforced write");
        io.crash();
        assertArrayEquals(bytes(4, 1).array(), Files.readAllBytes(path), "a power loss still loses it");
        file.close();
    }

    @Test
    void killDuringWriteTearsItAndNothingAfterItReachesTheFile() throws IOException {
        FaultyStorageIo io = new FaultyStorageIo();
        Path path = dir.resolve("f");
        StorageFile file = io.open(path, StorageIo.OpenMode.READ_WRITE_CREATE);
        file.write(0, bytes(10, 1));
        io.killDuringWrite(1);
        assertThrows(IOException.class, () -> file.write(0, bytes(10, 2)));
        assertThrows(IOException.class, () -> file.write(0, bytes(10, 1)), "the rollback of a dead process");
        file.close();
        byte[] expected = bytes(10, 1).array();
        Arrays.fill(expected, 0, 5, (byte) 2);
        assertArrayEquals(expected, Files.readAllBytes(path));
    }

    @Test
    void withoutRealSyncsStillCountsForcesAndSimulatesTheirEffect() throws IOException {
        FaultyStorageIo io = FaultyStorageIo.withoutRealSyncs();
        Path path = dir.resolve("f");
        try (StorageFile file = io.open(path, StorageIo.OpenMode.READ_WRITE_CREATE)) {
            file.write(0, bytes(3, 1));
            file.force();
            file.write(3, bytes(3, 2));
        }
        assertEquals(1, io.forces());
        io.crash();
        assertArrayEquals(bytes(3, 1).array(), Files.readAllBytes(path));
    }

    @Test
    void failedAndTornTruncatesChangeNothing() throws IOException {
        FaultyStorageIo io = new FaultyStorageIo();
        Path path = dir.resolve("f");
        try (StorageFile file = io.open(path, StorageIo.OpenMode.READ_WRITE_CREATE)) {
            file.write(0, bytes(10, 7));
            io.failWrite(1);
            assertThrows(IOException.class, () -> file.truncate(2));
            io.tearWrite(1);
            assertThrows(IOException.class, () -> file.truncate(3));
            assertEquals(10, file.size());
            file.truncate(4);
            assertEquals(4, file.size());
            assertEquals(4, io.writes());
        }
    }

    @Test
    void crashDropsEverythingSinceTheLastSuccessfulForce() throws IOException {
        FaultyStorageIo io = new FaultyStorageIo();
        Path path = dir.resolve("f");
        StorageFile file = io.open(path, StorageIo.OpenMode.READ_WRITE_CREATE);
        file.write(0, bytes(10, 1));
        file.force();
        file.write(5, bytes(10, 2)); // overwrite and grow
        file.truncate(8);
        file.write(8, bytes(1, 3));
        io.failForce(1);
        assertThrows(IOException.class, file::force);
        assertEquals(2, io.forces());
        io.crash();
        assertThrows(IOException.class, () -> file.write(0, bytes(1, 9)));
        assertThrows(IOException.class, file::size);
        assertThrows(IOException.class, () -> file.read(0, ByteBuffer.allocate(1)));
        file.close();
        assertArrayEquals(bytes(10, 1).array(), Files.readAllBytes(path));
    }

    @Test
    void crashEmptiesANeverForcedNewFileAndAllowsReopening() throws IOException {
        FaultyStorageIo io = new FaultyStorageIo();
        Path path = dir.resolve("f");
        StorageFile file = io.openLocked(path, StorageIo.OpenMode.READ_WRITE_CREATE);
        file.write(0, bytes(100, 5));
        io.crash();
        assertEquals(0, Files.size(path));
        try (StorageFile again = io.openLocked(path, StorageIo.OpenMode.READ_WRITE_CREATE)) { // the dead handle's locks were released
            again.write(0, bytes(3, 6));
            again.force();
        }
        io.crash();
        assertArrayEquals(bytes(3, 6).array(), Files.readAllBytes(path));
        file.close();
    }

    @Test
    void closingWithoutForceStillLosesTheDataAtACrash() throws IOException {
        FaultyStorageIo io = new FaultyStorageIo();
        Path path = dir.resolve("f");
        try (StorageFile file = io.open(path, StorageIo.OpenMode.READ_WRITE_CREATE)) {
            file.write(0, bytes(4, 1));
            file.force();
            file.write(4, bytes(4, 2));
        }
        io.crash();
        assertArrayEquals(bytes(4, 1).array(), Files.readAllBytes(path));
    }

    @Test
    void corruptionHelpersChangeExactlyTheNamedBytes() throws IOException {
        Path path = dir.resolve("f");
        Files.write(path, bytes(8, 0x0F).array());
        FaultyStorageIo.flipByte(path, 1);
        FaultyStorageIo.zeroRange(path, 4, 2);
        FaultyStorageIo.truncateFile(path, 7);
        assertArrayEquals(new byte[] {0x0F, (byte) 0xF0, 0x0F, 0x0F, 0, 0, 0x0F}, Files.readAllBytes(path));
        assertThrows(IllegalArgumentException.class, () -> FaultyStorageIo.flipByte(path, 7));
        assertThrows(IllegalArgumentException.class, () -> FaultyStorageIo.truncateFile(path, 8));
    }

    @Test
    void scheduleRejectsNonPositiveCounts() {
        FaultyStorageIo io = new FaultyStorageIo();
        assertThrows(IllegalArgumentException.class, () -> io.failWrite(0));
        assertThrows(IllegalArgumentException.class, () -> io.tearWrite(-1));
        assertThrows(IllegalArgumentException.class, () -> io.failForce(0));
    }
    @Test
    void aRenamedFileKeepsItsCrashStateUnderTheNewName() throws IOException {
        FaultyStorageIo io = new FaultyStorageIo();
        Path temp = dir.resolve("temp");
        Path target = dir.resolve("target");
        try (StorageFile file = io.open(temp, StorageIo.OpenMode.READ_WRITE_CREATE)) {
            file.write(0, bytes(4, 1));
            file.force();
            file.write(4, bytes(4, 2));
        }
        io.atomicMove(temp, target);
        io.crash();
        assertArrayEquals(bytes(4, 1).array(), Files.readAllBytes(target));
        assertTrue(Files.notExists(temp));
    }

    @Test
    void aDeletedFileIsNotResurrectedByACrash() throws IOException {
        FaultyStorageIo io = new FaultyStorageIo();
        Path path = dir.resolve("f");
        try (StorageFile file = io.open(path, StorageIo.OpenMode.READ_WRITE_CREATE)) {
            file.write(0, bytes(4, 1));
        }
        assertTrue(io.deleteIfExists(path));
        io.crash();
        assertTrue(Files.notExists(path));
    }
    @Test
    void aFileRecreatedBehindTheIosBackStartsANewHistory() throws IOException {
        FaultyStorageIo io = new FaultyStorageIo();
        Path path = dir.resolve("f");
        try (StorageFile file = io.open(path, StorageIo.OpenMode.READ_WRITE_CREATE)) {
            file.write(0, bytes(8, 1));
            file.force();
            file.write(0, bytes(8, 2)); // not forced: a crash would restore the 1s
        }
        Files.delete(path);
        try (StorageFile file = io.open(path, StorageIo.OpenMode.READ_WRITE_CREATE)) {
            file.write(0, bytes(3, 7));
            file.force();
        }
        io.crash();
        assertArrayEquals(bytes(3, 7).array(), Files.readAllBytes(path));
        Files.delete(path);
        io.crash();
        assertTrue(Files.notExists(path));
    }
}
