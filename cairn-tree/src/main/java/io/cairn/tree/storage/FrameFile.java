package io.cairn.tree.storage;

import static io.cairn.tree.storage.FrameFileFormat.*;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackOptions;
import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.Durability;
import io.cairn.stack.StackFormat;
import io.cairn.stack.StorageIo;
import io.cairn.tree.engine.Engine;
import io.cairn.tree.engine.FrameImage;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The frame file ({@link FrameFileFormat}): slots of frame images in a {@link BStack}. Its BStack lock is the
 * store's directory lock (exclusive for the writer, shared for read-only handles).
 *
 * <p>Slots are managed here rather than by the stack layer's slab allocator, for a correctness reason: the manifest
 * already says which slots are live, and a slab's on-disk free list would be a second record of the same fact that
 * a crash between a checkpoint's allocations and its publication (or between a publication and the frees after it)
 * leaves disagreeing — the slab cannot tell a leaked block from a live one afterwards, so the file would grow by
 * every such crash. Deriving the free slots from the published manifest at open has no such window and costs no
 * write per allocation or free.
 *
 * <p>Images are written with the stack's unjournaled shadow write ({@link BStack#writeUnjournaled}: no journal, no
 * force, no staging copy; on a 0.4 stack a journaled {@code set} of a 512 KiB image would copy it into the journal
 * and force four times) into slots no published manifest names, and forced once per checkpoint ({@link #force})
 * before the manifest that names them is published: a torn image in such a slot is never read.
 */
final class FrameFile implements AutoCloseable {
    private final BStack stack;
    private final int slotSize;
    /** Payload offset of slot 0 ({@link FrameFileFormat#slotBase}). */
    private final int slotBase;

    private FrameFile(BStack stack, int slotSize, int slotBase) {
        this.stack = stack;
        this.slotSize = slotSize;
        this.slotBase = slotBase;
    }

    /**
     * Opens (creating if missing, unless read-only) the frame file of a store, taking its lock. A new file gets
     * slots of {@code newFrameSize} bytes; an existing one keeps its own ({@link #slotSize}).
     *
     * @throws CorruptedStoreException if the header is damaged or names an impossible slot size
     */
    static FrameFile open(Path path, int newFrameSize, boolean readOnly, StorageIo io) throws IOException {
        BStack stack = BStack.open(path, BStackOptions.defaults().withDurability(Durability.NONE)
                .withReadOnly(readOnly).withIo(io));
        try {
            if (stack.isEmpty()) {
                if (readOnly) {
                    throw new CorruptedStoreException(path + " is empty: a store's frame file has a header");
                }
                int slotBase = slotBase(stack.format().headerSize());
                ByteBuffer header = ByteBuffer.allocate(slotBase).order(ByteOrder.LITTLE_ENDIAN);
                header.putInt(MAGIC_OFFSET, MAGIC).putShort(VERSION_OFFSET, FORMAT_VERSION)
                        .putInt(SLOT_SIZE_OFFSET, newFrameSize).putInt(SLOT_BASE_OFFSET, slotBase)
                        .putInt(CRC_OFFSET, headerCrc(header));
                stack.push(header);
                stack.sync();
                return new FrameFile(stack, newFrameSize, slotBase);
            }
            ByteBuffer header = checkHeader(path, stack);
            return new FrameFile(stack, header.getInt(SLOT_SIZE_OFFSET), header.getInt(SLOT_BASE_OFFSET));
        } catch (IOException | RuntimeException e) {
            try {
                stack.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Checks the header of an existing file and returns it. */
    private static ByteBuffer checkHeader(Path path, BStack stack) throws IOException {
        if (stack.length() < HEADER_SIZE) {
            throw new CorruptedStoreException(path, 0, "frame file header", HEADER_SIZE + " bytes",
                    stack.length() + " bytes");
        }
        ByteBuffer header = ByteBuffer.wrap(stack.get(0, HEADER_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
        if (header.getInt(MAGIC_OFFSET) != MAGIC) {
            throw new CorruptedStoreException(path, MAGIC_OFFSET, "frame file magic", Integer.toHexString(MAGIC),
                    Integer.toHexString(header.getInt(MAGIC_OFFSET)));
        }
        if (header.getInt(CRC_OFFSET) != headerCrc(header)) {
            throw new CorruptedStoreException(path, CRC_OFFSET, "frame file header crc32c",
                    Integer.toHexString(headerCrc(header)), Integer.toHexString(header.getInt(CRC_OFFSET)));
        }
        if (header.getShort(VERSION_OFFSET) != FORMAT_VERSION) {
            throw new io.cairn.stack.FormatVersionException(path, "tree frame file",
                    Short.toString(header.getShort(VERSION_OFFSET)), java.util.List.of(Short.toString(FORMAT_VERSION)));
        }
        int slotSize = header.getInt(SLOT_SIZE_OFFSET);
        int slotBase = header.getInt(SLOT_BASE_OFFSET);
        boolean knownBase = slotBase == slotBase(StackFormat.V0_4.headerSize())
                || slotBase == slotBase(StackFormat.V0_2.headerSize());
        if (slotSize < Engine.MIN_FRAME_SIZE || slotSize > Engine.DEFAULT_FRAME_SIZE || slotSize % 8 != 0
                || !knownBase) {
            throw new CorruptedStoreException(path, SLOT_SIZE_OFFSET, "frame file slot size and base",
                    "a frame size at " + slotBase(StackFormat.V0_4.headerSize()) + " or "
                            + slotBase(StackFormat.V0_2.headerSize()), slotSize + " at " + slotBase);
        }
        return header;
    }

    int slotSize() {
        return slotSize;
    }

    private static int headerCrc(ByteBuffer header) {
        CRC32C crc = new CRC32C();
        crc.update(header.duplicate().position(0).limit(CRC_OFFSET));
        return (int) crc.getValue();
    }

    Path path() {
        return stack.path();
    }

    /** Slots the file has room for (whole or not: a slot past the end is read as absent). */
    long slotCount() throws IOException {
        return Math.max(0, (stack.length() - slotBase + slotSize - 1) / slotSize);
    }

    private long offset(long slot) {
        return slotBase + slot * slotSize;
    }

    /** Writes an image (sealed, {@link FrameImage#length} bytes) into {@code slot}, growing the file as needed. */
    void write(long slot, MemorySegment image) throws IOException {
        int length = FrameImage.length(image);
        long at = offset(slot);
        long end = at + slotSize;
        if (stack.length() < end) {
            stack.extend(end - stack.length());
        }
        // the image's own off-heap memory as a direct buffer: one positional write, no copy, no journal
        stack.writeUnjournaled(at, image.asSlice(0, length).asByteBuffer());
    }

    /**
     * Reads and checks the image of frame {@code id} in {@code slot} into {@code into} (a frame-sized buffer; bytes
     * past the image's bump pointer are left as they were). Safe to call from many threads at once.
     *
     * @throws CorruptedStoreException naming the file, slot and frame if it is missing or damaged
     */
    void readInto(long slot, int id, MemorySegment into) throws IOException {
        long at = offset(slot);
        long length = stack.length();
        if (slot < 0 || at + FrameImage.HEADER_BYTES > length) {
            throw new CorruptedStoreException(stack.path(), at, "frame " + id + " in slot " + slot,
                    "a slot inside the file", "the file ends at " + length);
        }
        stack.getInto(at, into.asSlice(0, FrameImage.HEADER_BYTES).asByteBuffer());
        String problem = FrameImage.headerProblem(into, id, slotSize);
        if (problem == null) {
            int image = FrameImage.length(into);
            if (at + image > length) {
                problem = "frame image of " + image + " bytes runs past the file's end";
            } else {
                stack.getInto(at + FrameImage.HEADER_BYTES,
                        into.asSlice(FrameImage.HEADER_BYTES, image - FrameImage.HEADER_BYTES).asByteBuffer());
                problem = FrameImage.checksumProblem(into);
            }
        }
        if (problem != null) {
            throw new CorruptedStoreException(stack.path() + ": slot " + slot + " (payload offset " + at
                    + ") does not hold frame " + id + ": " + problem);
        }
    }

    /** Cuts the file after its first {@code slots} slots (only slots no published manifest names may go). */
    void truncateSlots(long slots) throws IOException {
        long end = offset(slots);
        if (stack.length() > end) {
            stack.discard(stack.length() - end);
        }
    }

    /** Makes every image written so far durable (one fdatasync). */
    void force() throws IOException {
        stack.sync();
    }

    @Override
    public void close() throws IOException {
        stack.close();
    }
}
