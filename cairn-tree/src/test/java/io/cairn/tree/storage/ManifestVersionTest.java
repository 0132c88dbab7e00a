package io.cairn.tree.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackOptions;
import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.FormatVersionException;
import io.cairn.stack.StorageIo;
import io.cairn.tree.ChangeRetention;
import io.cairn.tree.Database;
import io.cairn.tree.TreeOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest's versions: 3 records the change feed's retention; 1 and 2, written before, still open. */
class ManifestVersionTest {
    @TempDir
    Path dir;

    @Test
    void aVersion2ManifestOpensWithoutRetentionAndIsRewrittenAsVersion3() throws IOException {
        try (Database db = Database.open(dir, TreeOptions.defaults().changeRetention(ChangeRetention.records(50)))) {
            db.createTree("t").put(bytes("k"), bytes("v"));
        }
        byte[] v3 = payload();
        assertEquals(ManifestFormat.FORMAT_VERSION, version(v3));
        rewrite(olderVersion(v3, ManifestFormat.FORMAT_VERSION_2, ManifestFormat.HEADER_SIZE_2));
        Manifest old = Manifest.read(dir, StorageIo.fileSystem());
        assertEquals(Retention.NONE, old.retention(), "version 2 recorded no retention");
        try (Database db = Database.open(dir)) {
            assertArrayEquals(bytes("v"), db.openTree("t").get(bytes("k")));
            assertEquals(ChangeRetention.none(), db.changeRetention());
            db.openTree("t").put(bytes("k2"), bytes("v2"));
        }
        assertEquals(ManifestFormat.FORMAT_VERSION, version(payload()), "the next checkpoint writes version 3");
    }

    @Test
    void aVersion1ManifestStillOpens() throws IOException {
        try (Database db = Database.open(dir)) {
            db.createTree("t").put(bytes("k"), bytes("v"));
        }
        rewrite(olderVersion(payload(), ManifestFormat.FORMAT_VERSION_1, ManifestFormat.HEADER_SIZE_1));
        try (Database db = Database.open(dir)) {
            assertArrayEquals(bytes("v"), db.openTree("t").get(bytes("k")));
        }
    }

    @Test
    void aNewerVersionOrANegativeRetentionIsRefused() throws IOException {
        try (Database db = Database.open(dir)) {
            db.createTree("t");
        }
        byte[] good = payload();
        byte[] newer = good.clone();
        ByteBuffer.wrap(newer).order(ByteOrder.LITTLE_ENDIAN).putShort(ManifestFormat.VERSION_OFFSET, (short) 4);
        reseal(newer);
        FormatVersionException e = assertThrows(FormatVersionException.class,
                () -> Manifest.decode(dir.resolve(ManifestFormat.FILE), newer));
        assertTrue(e.getMessage().contains("4"), e.getMessage());
        byte[] negative = good.clone();
        ByteBuffer.wrap(negative).order(ByteOrder.LITTLE_ENDIAN).putLong(ManifestFormat.RETAIN_BYTES_OFFSET, -1);
        reseal(negative);
        CorruptedStoreException c = assertThrows(CorruptedStoreException.class,
                () -> Manifest.decode(dir.resolve(ManifestFormat.FILE), negative));
        assertTrue(c.getMessage().contains("retention"), c.getMessage());
    }

    /** The payload as an older version wrote it: the header cut to that version's size, the checksum redone. */
    private static byte[] olderVersion(byte[] v3, short version, int headerSize) {
        int cut = ManifestFormat.HEADER_SIZE - headerSize;
        byte[] out = new byte[v3.length - cut];
        System.arraycopy(v3, 0, out, 0, headerSize);
        System.arraycopy(v3, ManifestFormat.HEADER_SIZE, out, headerSize, v3.length - ManifestFormat.HEADER_SIZE);
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putShort(ManifestFormat.VERSION_OFFSET, version);
        reseal(out);
        return out;
    }

    private static void reseal(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload, 0, payload.length - ManifestFormat.CRC_SIZE);
        ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(payload.length - ManifestFormat.CRC_SIZE, (int) crc.getValue());
    }

    private static short version(byte[] payload) {
        return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getShort(ManifestFormat.VERSION_OFFSET);
    }

    private byte[] payload() throws IOException {
        try (BStack stack = BStack.open(dir.resolve(ManifestFormat.FILE), BStackOptions.defaults().withReadOnly(true))) {
            return stack.get(0, stack.length());
        }
    }

    private void rewrite(byte[] payload) throws IOException {
        Files.delete(dir.resolve(ManifestFormat.FILE));
        try (BStack stack = BStack.open(dir.resolve(ManifestFormat.FILE), BStackOptions.defaults())) {
            stack.push(payload);
        }
        assertTrue(Arrays.equals(payload, payload()));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
