package io.cairn.replication.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.FormatVersionException;
import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The clean-stop marker: written whole, read back, deleted; a damaged one is refused, never trusted. */
class CleanMarkerTest {
    @TempDir
    Path dir;

    @Test
    void writtenMarkerReadsBackAndDeleteRemovesIt() throws IOException {
        Path file = dir.resolve("db.clean");
        assertNull(CleanMarker.read(file));
        CleanMarker.write(StorageIo.fileSystem(), file, new CleanMarker.Applied(3, 1234));
        assertEquals(new CleanMarker.Applied(3, 1234), CleanMarker.read(file));
        assertFalse(Files.exists(dir.resolve("db.clean.tmp")));
        CleanMarker.delete(StorageIo.fileSystem(), file);
        assertNull(CleanMarker.read(file));
    }

    @Test
    void everyDamagedByteAndEveryCutIsRefused() throws IOException {
        Path file = dir.resolve("db.clean");
        CleanMarker.write(StorageIo.fileSystem(), file, new CleanMarker.Applied(3, 1234));
        byte[] good = Files.readAllBytes(file);
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            Files.write(file, bad);
            if (i == CleanMarker.VERSION_OFFSET || i == CleanMarker.VERSION_OFFSET + 1) {
                assertThrows(FormatVersionException.class, () -> CleanMarker.read(file), "byte " + i);
            } else {
                assertThrows(CorruptedStoreException.class, () -> CleanMarker.read(file), "byte " + i);
            }
        }
        for (int n = 0; n < good.length; n++) {
            Files.write(file, Arrays.copyOf(good, n));
            assertThrows(CorruptedStoreException.class, () -> CleanMarker.read(file), "cut at " + n);
        }
    }
}
