package io.cairn.tree.storage;

import static io.cairn.tree.storage.ManifestFormat.*;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackOptions;
import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.FormatVersionException;
import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * What a checkpoint published ({@link ManifestFormat}): the trees and their roots, every frame's slot and parent,
 * the WAL sequence the frames cover, the version high-water mark, the journal chain's head and the change feed's
 * retention.
 *
 * @param frames frame id, slot and parent, one entry per frame in use
 */
record Manifest(long generation, long checkpointSequence, long versionHighWater, int frameSize, byte[] journalHead,
        Retention retention, List<TreeEntry> trees, List<FrameEntry> frames) {

    record TreeEntry(int id, int rootFrame, String name) {}

    record FrameEntry(int id, long slot, int parent) {}

    Manifest {
        journalHead = journalHead.clone();
        trees = List.copyOf(trees);
        frames = List.copyOf(frames);
    }

    /** Reads the manifest of {@code directory}, or returns null if it has none (a new store). */
    static Manifest read(Path directory, StorageIo io) throws IOException {
        Path path = directory.resolve(FILE);
        if (Files.notExists(path)) {
            return null;
        }
        byte[] payload;
        try (BStack stack = BStack.open(path, BStackOptions.defaults().withReadOnly(true).withIo(io))) {
            if (stack.length() > Integer.MAX_VALUE - 8) {
                throw new CorruptedStoreException(path, 0, "manifest length", "under 2 GiB", stack.length() + "");
            }
            payload = stack.get(0, stack.length());
        }
        return decode(path, payload);
    }

    /**
     * Replaces the manifest of {@code directory} with this one, atomically: the temporary file is written and
     * forced, renamed over the manifest, and the directory forced.
     */
    void publish(Path directory, StorageIo io) throws IOException {
        Path tmp = directory.resolve(TEMPORARY);
        io.deleteIfExists(tmp);
        try (BStack stack = BStack.open(tmp, BStackOptions.defaults().withIo(io))) {
            stack.push(encode());
        }
        io.atomicMove(tmp, directory.resolve(FILE));
        io.syncDirectory(directory);
    }

    byte[] encode() {
        List<byte[]> names = new ArrayList<>();
        int size = HEADER_SIZE + frames.size() * FRAME_ENTRY + CRC_SIZE;
        for (TreeEntry t : trees) {
            byte[] name = t.name().getBytes(StandardCharsets.UTF_8);
            names.add(name);
            size += TREE_FIXED + name.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putShort(FORMAT_VERSION).putShort((short) 0).putLong(generation).putLong(checkpointSequence)
                .putLong(versionHighWater).putInt(frameSize).putInt(trees.size()).putInt(frames.size())
                .put(journalHead).putLong(retention.records()).putLong(retention.bytes());
        for (int i = 0; i < trees.size(); i++) {
            TreeEntry t = trees.get(i);
            b.putInt(t.id()).putInt(t.rootFrame()).putShort((short) names.get(i).length).put(names.get(i));
        }
        for (FrameEntry f : frames) {
            b.putInt(f.id()).putInt((int) f.slot()).putInt(f.parent());
        }
        b.putInt(crc(b.array(), b.position()));
        return b.array();
    }

    static Manifest decode(Path path, byte[] payload) throws IOException {
        if (payload.length < HEADER_SIZE_1 + CRC_SIZE) {
            throw new CorruptedStoreException(path, 0, "manifest length", "at least " + (HEADER_SIZE_1 + CRC_SIZE),
                    Integer.toString(payload.length));
        }
        ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(MAGIC_OFFSET) != MAGIC) {
            throw new CorruptedStoreException(path, MAGIC_OFFSET, "manifest magic", Integer.toHexString(MAGIC),
                    Integer.toHexString(b.getInt(MAGIC_OFFSET)));
        }
        int stored = b.getInt(payload.length - CRC_SIZE);
        int actual = crc(payload, payload.length - CRC_SIZE);
        if (stored != actual) {
            throw new CorruptedStoreException(path, payload.length - CRC_SIZE, "manifest crc32c",
                    Integer.toHexString(actual), Integer.toHexString(stored));
        }
        short version = b.getShort(VERSION_OFFSET);
        if (version != FORMAT_VERSION && version != FORMAT_VERSION_2 && version != FORMAT_VERSION_1) {
            throw new FormatVersionException(path, "tree manifest", Short.toString(version),
                    List.of(Short.toString(FORMAT_VERSION_1), Short.toString(FORMAT_VERSION_2),
                            Short.toString(FORMAT_VERSION)));
        }
        int headerSize = version == FORMAT_VERSION_1 ? HEADER_SIZE_1
                : version == FORMAT_VERSION_2 ? HEADER_SIZE_2 : HEADER_SIZE;
        if (payload.length < headerSize + CRC_SIZE) {
            throw new CorruptedStoreException(path, 0, "manifest length", "at least " + (headerSize + CRC_SIZE),
                    Integer.toString(payload.length));
        }
        b.position(GENERATION_OFFSET);
        long generation = b.getLong();
        long sequence = b.getLong();
        long versions = b.getLong();
        int frameSize = b.getInt();
        int treeCount = b.getInt();
        int frameCount = b.getInt();
        byte[] journalHead = new byte[JOURNAL_HEAD_SIZE];
        if (version != FORMAT_VERSION_1) {
            b.get(journalHead);
        }
        Retention retention = Retention.NONE;
        if (version == FORMAT_VERSION) {
            long retainRecords = b.getLong();
            long retainBytes = b.getLong();
            if (retainRecords < 0 || retainBytes < 0) {
                throw corrupt(path, RETAIN_RECORDS_OFFSET, "a negative retention: " + retainRecords + " records, "
                        + retainBytes + " bytes");
            }
            retention = new Retention(retainRecords, retainBytes);
        }
        long room = payload.length - headerSize - CRC_SIZE;
        if (treeCount < 0 || frameCount < 0 || (long) treeCount * TREE_FIXED + (long) frameCount * FRAME_ENTRY > room
                || sequence < 0 || versions < 0) {
            throw new CorruptedStoreException(path, TREE_COUNT_OFFSET, "manifest counts",
                    "entries that fit " + room + " bytes", treeCount + " trees, " + frameCount + " frames");
        }
        List<TreeEntry> trees = new ArrayList<>(treeCount);
        Set<Integer> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < treeCount; i++) {
            if (b.remaining() - CRC_SIZE < TREE_FIXED) {
                throw corrupt(path, b.position(), "tree entry " + i + " runs past the end");
            }
            int id = b.getInt();
            int root = b.getInt();
            int nameLength = Short.toUnsignedInt(b.getShort());
            if (nameLength > MAX_NAME || b.remaining() - CRC_SIZE < nameLength) {
                throw corrupt(path, b.position(), "tree " + id + " name of " + nameLength + " bytes");
            }
            byte[] name = new byte[nameLength];
            b.get(name);
            String decoded = io.cairn.tree.wal.TreeNames.decode(name);
            if (id < 0 || decoded == null || !ids.add(id) || !names.add(decoded)) {
                throw corrupt(path, b.position(), "tree entry " + i + " (id " + id + ", a name of " + nameLength
                        + " bytes) repeats a tree, has a negative id or a name that is not 1 to 255 bytes of UTF-8"
                        + " without NUL");
            }
            trees.add(new TreeEntry(id, root, decoded));
        }
        ids.clear();
        if (b.remaining() - CRC_SIZE != (long) frameCount * FRAME_ENTRY) {
            throw corrupt(path, b.position(), frameCount + " frame entries need " + frameCount * FRAME_ENTRY
                    + " bytes, " + (b.remaining() - CRC_SIZE) + " remain");
        }
        List<FrameEntry> frames = new ArrayList<>(frameCount);
        Set<Long> slots = new HashSet<>();
        for (int i = 0; i < frameCount; i++) {
            int id = b.getInt();
            long slot = Integer.toUnsignedLong(b.getInt());
            int parent = b.getInt();
            if (id < 0 || !ids.add(id) || !slots.add(slot) || parent < -1) {
                throw corrupt(path, b.position() - FRAME_ENTRY, "frame entry " + i + " (frame " + id + ", slot "
                        + slot + ", parent " + parent + ") repeats a frame or slot or is out of range");
            }
            frames.add(new FrameEntry(id, slot, parent));
        }
        for (TreeEntry t : trees) {
            if (!ids.contains(t.rootFrame())) {
                throw corrupt(path, GENERATION_OFFSET, "tree " + t.id() + "'s root frame " + t.rootFrame()
                        + " is not a listed frame");
            }
        }
        return new Manifest(generation, sequence, versions, frameSize, journalHead, retention, trees, frames);
    }

    private static CorruptedStoreException corrupt(Path path, long offset, String what) {
        return new CorruptedStoreException(path + ": manifest is corrupt at payload offset " + offset + ": " + what);
    }

    private static int crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }
}
