package io.cairn.replication.state;

import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.StorageFile;
import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The file that says the local database was closed cleanly and which Raft entry it holds last, so a restart can
 * reuse it instead of rebuilding it from the latest snapshot. It exists only while the node is stopped: a start
 * deletes it (and forces the directory) before applying anything, so after a crash there is none.
 *
 * <pre>
 * marker := magic:u32 = 0x4D435243 ("CRCM")  formatVersion:u16 = 1  reserved:u16 = 0
 *           term:u64  index:u64  crc32c:u32                                            (32 bytes, little-endian)
 * </pre>
 * The checksum covers the bytes before it. A damaged marker is a {@link CorruptedStoreException}.
 */
final class CleanMarker {
    static final int MAGIC = 0x4D435243;
    static final short FORMAT_VERSION = 1;
    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = MAGIC_OFFSET + 4;
    static final int RESERVED_OFFSET = VERSION_OFFSET + 2;
    static final int TERM_OFFSET = RESERVED_OFFSET + 2;
    static final int INDEX_OFFSET = TERM_OFFSET + 8;
    static final int CRC_OFFSET = INDEX_OFFSET + 8;
    static final int SIZE = CRC_OFFSET + 4;

    /** What the marker says: the last applied entry. */
    record Applied(long term, long index) {}

    private CleanMarker() {}

    static void write(StorageIo io, Path file, Applied applied) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC_OFFSET, MAGIC).putShort(VERSION_OFFSET, FORMAT_VERSION).putShort(RESERVED_OFFSET, (short) 0)
                .putLong(TERM_OFFSET, applied.term()).putLong(INDEX_OFFSET, applied.index());
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, CRC_OFFSET);
        b.putInt(CRC_OFFSET, (int) crc.getValue());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        io.deleteIfExists(tmp);
        try (StorageFile f = io.open(tmp, StorageIo.OpenMode.READ_WRITE_CREATE)) {
            f.write(0, b.rewind());
            f.force();
        }
        io.atomicMove(tmp, file);
        io.syncDirectory(file.getParent());
    }

    /** The marker's content, or null if there is none. */
    static Applied read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length != SIZE) {
            throw new CorruptedStoreException(file, CorruptedStoreException.UNKNOWN_OFFSET, "clean-stop marker size",
                    SIZE + " bytes", bytes.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(MAGIC_OFFSET) != MAGIC) {
            throw new CorruptedStoreException(file, MAGIC_OFFSET, "clean-stop marker magic",
                    Integer.toHexString(MAGIC), Integer.toHexString(b.getInt(MAGIC_OFFSET)));
        }
        if (b.getShort(VERSION_OFFSET) != FORMAT_VERSION) {
            throw new io.cairn.stack.FormatVersionException(file, "clean-stop marker",
                    String.valueOf(b.getShort(VERSION_OFFSET)), java.util.List.of(String.valueOf(FORMAT_VERSION)));
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, CRC_OFFSET);
        if (b.getInt(CRC_OFFSET) != (int) crc.getValue()) {
            throw new CorruptedStoreException(file, CRC_OFFSET, "clean-stop marker checksum",
                    Integer.toHexString((int) crc.getValue()), Integer.toHexString(b.getInt(CRC_OFFSET)));
        }
        return new Applied(b.getLong(TERM_OFFSET), b.getLong(INDEX_OFFSET));
    }

    /** Removes the marker, durably: from here on a crash must rebuild. */
    static void delete(StorageIo io, Path file) throws IOException {
        if (io.deleteIfExists(file)) {
            io.syncDirectory(file.getParent());
        }
    }
}
