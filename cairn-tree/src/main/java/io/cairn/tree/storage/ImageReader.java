package io.cairn.tree.storage;

import static io.cairn.tree.storage.ImageFormat.*;

import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.FormatVersionException;
import io.cairn.stack.StorageFile;
import io.cairn.stack.StorageIo;
import io.cairn.tree.wal.TreeNames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Reads an image ({@link ImageFormat}) front to back, checking everything the grammar says (checksums, counts,
 * order, bounds, the end) and handing what it reads to a {@link Visitor}: verification is a read with no visitor,
 * installation a read (after a verifying one) that loads a store. A damaged, cut or padded image is a
 * {@link CorruptedStoreException} naming the file and the offset; what the visitor saw before that is the caller's
 * to discard.
 */
public final class ImageReader {
    private ImageReader() {}

    /** Receives an image's contents in file order. */
    public interface Visitor {
        default void header(long sequence, long versionHighWater, byte[] journalHead, int treeCount)
                throws IOException {}

        default void beginTree(int id, String name) throws IOException {}

        default void record(byte[] key, byte[] value, long version) throws IOException {}

        default void endTree(long records) throws IOException {}
    }

    /** One tree of an image. */
    public record TreeInfo(int id, String name, long records) {}

    /** What an image holds. */
    public record Info(long sequence, long versionHighWater, byte[] journalHead, List<TreeInfo> trees, long records,
            long bytes) {}

    /** Reads and checks the whole image, handing its contents to {@code visitor}. */
    public static Info read(Path file, StorageIo io, Visitor visitor) throws IOException {
        try (StorageFile in = io.open(file, StorageIo.OpenMode.READ_ONLY)) {
            return new Pass(file, in, visitor).run();
        }
    }

    /** One read of one image. */
    private static final class Pass {
        private static final int BUFFER = 1024 * 1024;

        private final Path file;
        private final StorageFile in;
        private final Visitor visitor;
        private final long size;
        private final CRC32C fileCrc = new CRC32C();
        private final CRC32C sectionCrc = new CRC32C();
        private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
        /** File offset of the next byte to read. */
        private long position;

        Pass(Path file, StorageFile in, Visitor visitor) throws IOException {
            this.file = file;
            this.in = in;
            this.visitor = visitor;
            this.size = in.size();
            buffer.limit(0);
        }

        Info run() throws IOException {
            ByteBuffer h = take(HEADER_SIZE, "header");
            if (h.getInt(MAGIC_OFFSET) != MAGIC) {
                throw new CorruptedStoreException(file, MAGIC_OFFSET, "image magic", Integer.toHexString(MAGIC),
                        Integer.toHexString(h.getInt(MAGIC_OFFSET)));
            }
            checkSection(h, 0, "image header");
            if (h.getShort(VERSION_OFFSET) != FORMAT_VERSION) {
                throw new FormatVersionException(file, "database image", Short.toString(h.getShort(VERSION_OFFSET)),
                        List.of(Short.toString(FORMAT_VERSION)));
            }
            long sequence = h.getLong(SEQUENCE_OFFSET);
            long versionHighWater = h.getLong(VERSION_HIGH_WATER_OFFSET);
            byte[] head = new byte[32];
            h.get(JOURNAL_HEAD_OFFSET, head);
            long treeCount = Integer.toUnsignedLong(h.getInt(TREE_COUNT_OFFSET));
            if (sequence < 0 || versionHighWater < 0 || treeCount > (size - HEADER_SIZE) / (TREE_START_FIXED + 1)) {
                throw corrupt(0, "image header holds sequence " + sequence + ", version high water "
                        + versionHighWater + " and " + treeCount + " trees in a file of " + size + " bytes");
            }
            visitor.header(sequence, versionHighWater, head, (int) treeCount);
            List<TreeInfo> trees = new ArrayList<>();
            Set<String> names = new HashSet<>();
            long records = 0;
            int lastId = -1;
            for (long t = 0; t < treeCount; t++) {
                TreeInfo tree = tree(lastId, names, versionHighWater);
                lastId = tree.id();
                trees.add(tree);
                records += tree.records();
            }
            long at = position;
            ByteBuffer trailer = take(TRAILER_SIZE - CRC_SIZE, "trailer");
            if (trailer.get(0) != TRAILER) {
                throw corrupt(at, "expected the trailer (kind " + TRAILER + "), found kind " + trailer.get(0));
            }
            checkSection(trailer, at, "trailer");
            if (Integer.toUnsignedLong(trailer.getInt(1)) != treeCount || trailer.getLong(5) != records) {
                throw corrupt(at, "trailer counts " + Integer.toUnsignedString(trailer.getInt(1)) + " trees and "
                        + trailer.getLong(5) + " records; the image holds " + treeCount + " and " + records);
            }
            int expected = (int) fileCrc.getValue();
            ByteBuffer whole = take(CRC_SIZE, "file checksum");
            if (whole.getInt(0) != expected) {
                throw new CorruptedStoreException(file, position - CRC_SIZE, "image file crc32c",
                        Integer.toHexString(expected), Integer.toHexString(whole.getInt(0)));
            }
            if (position != size) {
                throw corrupt(position, (size - position) + " bytes follow the trailer");
            }
            return new Info(sequence, versionHighWater, head, trees, records, size);
        }

        private TreeInfo tree(int lastId, Set<String> names, long versionHighWater) throws IOException {
            long at = position;
            ByteBuffer s = take(TREE_START_FIXED, "tree start");
            if (s.get(0) != TREE_START) {
                throw corrupt(at, "expected a tree (kind " + TREE_START + "), found kind " + s.get(0));
            }
            int id = s.getInt(1);
            int nameLength = Short.toUnsignedInt(s.getShort(5));
            if (nameLength > TreeNames.MAX_BYTES) {
                throw corrupt(at, "tree name of " + nameLength + " bytes");
            }
            ByteBuffer whole = ByteBuffer.allocate(TREE_START_FIXED + nameLength + CRC_SIZE)
                    .order(ByteOrder.LITTLE_ENDIAN).put(s.rewind()).put(take(nameLength + CRC_SIZE, "tree name"));
            checkSection(whole, at, "tree start");
            byte[] bytes = Arrays.copyOfRange(whole.array(), TREE_START_FIXED, TREE_START_FIXED + nameLength);
            String name = TreeNames.decode(bytes);
            if (id <= lastId || name == null || !names.add(name)) {
                throw corrupt(at, "tree " + id + " after tree " + lastId + " with a name of " + nameLength
                        + " bytes is out of order, misnamed or repeated");
            }
            visitor.beginTree(id, name);
            long records = 0;
            byte[] previous = null;
            while (true) {
                at = position;
                ByteBuffer kind = peek(1, "tree section");
                if (kind.get(0) == TREE_END) {
                    ByteBuffer end = take(TREE_END_SIZE, "tree end");
                    checkSection(end, at, "tree end");
                    if (end.getLong(1) != records) {
                        throw corrupt(at, "tree " + id + " ends claiming " + end.getLong(1) + " records after "
                                + records);
                    }
                    visitor.endTree(records);
                    return new TreeInfo(id, name, records);
                }
                if (kind.get(0) != BLOCK) {
                    throw corrupt(at, "expected a block or the tree's end, found kind " + kind.get(0));
                }
                ByteBuffer head = take(BLOCK_HEAD, "block head");
                long count = Integer.toUnsignedLong(head.getInt(1));
                long length = Integer.toUnsignedLong(head.getInt(5));
                if (length > MAX_BLOCK || length > size - position || count == 0 || count > length / ENTRY_FIXED) {
                    throw corrupt(at, "block of " + count + " entries in " + length + " bytes (at most "
                            + MAX_BLOCK + ", " + (size - position) + " left)");
                }
                ByteBuffer block = ByteBuffer.allocate(BLOCK_HEAD + (int) length + CRC_SIZE)
                        .order(ByteOrder.LITTLE_ENDIAN).put(head.rewind()).put(take((int) length + CRC_SIZE, "block"));
                checkSection(block, at, "block");
                block.position(BLOCK_HEAD).limit(BLOCK_HEAD + (int) length);
                byte[] blockPrevious = null;
                for (long i = 0; i < count; i++) {
                    if (block.remaining() < ENTRY_FIXED) {
                        throw corrupt(at, "block entry " + i + " runs past the block");
                    }
                    int shared = Short.toUnsignedInt(block.getShort());
                    int suffix = Short.toUnsignedInt(block.getShort());
                    int valueLength = Short.toUnsignedInt(block.getShort());
                    long version = block.getLong();
                    int keyLength = shared + suffix;
                    if ((blockPrevious == null ? shared != 0 : shared > blockPrevious.length)
                            || keyLength > 65_534 || block.remaining() < suffix + valueLength
                            || version < 1 || version > versionHighWater) {
                        throw corrupt(at, "block entry " + i + " (shared " + shared + ", suffix " + suffix
                                + ", value " + valueLength + ", version " + version + ") is out of range");
                    }
                    byte[] key = new byte[keyLength];
                    if (shared > 0) {
                        System.arraycopy(blockPrevious, 0, key, 0, shared);
                    }
                    block.get(key, shared, suffix);
                    byte[] value = new byte[valueLength];
                    block.get(value);
                    if (previous != null && Arrays.compareUnsigned(previous, key) >= 0) {
                        throw corrupt(at, "block entry " + i + " of tree " + id + " is not after the key before it");
                    }
                    visitor.record(key, value, version);
                    previous = key;
                    blockPrevious = key;
                    records++;
                }
                if (block.hasRemaining()) {
                    throw corrupt(at, block.remaining() + " bytes follow the block's last entry");
                }
            }
        }

        /** Checks the trailing CRC32C of a whole section (its bytes then the CRC) that starts at {@code at}. */
        private void checkSection(ByteBuffer s, long at, String what) throws CorruptedStoreException {
            int end = s.limit() - CRC_SIZE;
            sectionCrc.reset();
            sectionCrc.update(s.array(), s.arrayOffset(), end);
            int stored = s.getInt(end);
            if (stored != (int) sectionCrc.getValue()) {
                throw new CorruptedStoreException(file, at, "image " + what + " crc32c",
                        Integer.toHexString((int) sectionCrc.getValue()), Integer.toHexString(stored));
            }
        }

        /** The next {@code n} bytes without consuming them. */
        private ByteBuffer peek(int n, String what) throws IOException {
            fill(n, what);
            return buffer.slice(buffer.position(), n).order(ByteOrder.LITTLE_ENDIAN);
        }

        /** The next {@code n} bytes as a fresh little-endian buffer (position 0, limit n); they count in the CRC. */
        private ByteBuffer take(int n, String what) throws IOException {
            if (n > size - position) {
                throw corrupt(position, "the image ends " + (size - position) + " bytes into a " + n + "-byte " + what);
            }
            ByteBuffer out = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
            while (out.hasRemaining()) {
                if (!buffer.hasRemaining()) {
                    fill(1, what);
                }
                int k = Math.min(out.remaining(), buffer.remaining());
                ByteBuffer piece = buffer.slice(buffer.position(), k);
                fileCrc.update(piece.duplicate());
                out.put(piece);
                buffer.position(buffer.position() + k);
                position += k; // fill() reads from here on
            }
            return out.flip();
        }

        /** Makes at least {@code n} unread bytes available in the buffer. */
        private void fill(int n, String what) throws IOException {
            if (buffer.remaining() >= n) {
                return;
            }
            if (n > size - position) {
                throw corrupt(position, "the image ends " + (size - position) + " bytes into a " + what);
            }
            buffer.compact();
            int want = (int) Math.min(buffer.remaining(), size - (position + buffer.position()));
            ByteBuffer into = buffer.slice(buffer.position(), want);
            in.read(position + buffer.position(), into);
            buffer.position(buffer.position() + want).flip();
        }

        private CorruptedStoreException corrupt(long at, String what) {
            return new CorruptedStoreException(file + ": image is corrupt at offset " + at + ": " + what);
        }
    }
}
