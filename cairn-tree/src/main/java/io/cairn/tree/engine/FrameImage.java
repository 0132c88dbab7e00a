package io.cairn.tree.engine;

import static io.cairn.tree.engine.FrameFormat.*;

import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32C;

/**
 * A frame as stored in a file: its bytes up to the bump pointer, sealed with a CRC32C in the header's
 * {@code crc32c} field (computed over those bytes with the field taken as zero). Storage writes and checks images
 * through this class, so the frame layout stays known to this package alone.
 */
public final class FrameImage {
    private FrameImage() {}

    /** Bytes of the frame header, which holds what {@link #length} needs. */
    public static final int HEADER_BYTES = HEADER_SIZE;

    /** How many bytes of a (checked or sealed) image matter: its bump pointer. */
    public static int length(MemorySegment image) {
        return image.get(U32, BUMP_OFFSET);
    }

    /** Writes the CRC32C of an image captured from a frame into its header. */
    public static void seal(MemorySegment image) {
        image.set(U32, CRC_OFFSET, 0);
        image.set(U32, CRC_OFFSET, crc(image, length(image)));
    }

    /**
     * What is wrong with the image header {@code header} (its first {@link #HEADER_BYTES} bytes) for frame
     * {@code id} of {@code frameSize} bytes, or null if it may be read: the caller then reads {@link #length} bytes
     * and checks them with {@link #checksumProblem}.
     */
    public static String headerProblem(MemorySegment header, long id, int frameSize) {
        if (header.get(U32, MAGIC_OFFSET) != MAGIC) {
            return "frame magic: expected " + Integer.toHexString(MAGIC) + ", found "
                    + Integer.toHexString(header.get(U32, MAGIC_OFFSET));
        }
        if (header.get(U16, VERSION_OFFSET) != FORMAT_VERSION) {
            return "frame format version: expected " + FORMAT_VERSION + ", found " + header.get(U16, VERSION_OFFSET);
        }
        if (header.get(U64, FRAME_ID_OFFSET) != id) {
            return "frame id: expected " + id + ", found " + header.get(U64, FRAME_ID_OFFSET);
        }
        if (header.get(U32, FRAME_SIZE_OFFSET) != frameSize) {
            return "frame size: expected " + frameSize + ", found " + header.get(U32, FRAME_SIZE_OFFSET);
        }
        int bump = header.get(U32, BUMP_OFFSET);
        if (bump < DATA_START + EMPTY_ROOT_SIZE || bump > frameSize || bump % 8 != 0) {
            return "frame bump pointer: expected a multiple of 8 in [" + (DATA_START + EMPTY_ROOT_SIZE) + ", "
                    + frameSize + "], found " + bump;
        }
        return null;
    }

    /** What is wrong with the checksum of a whole image (its {@link #length} bytes), or null. */
    public static String checksumProblem(MemorySegment image) {
        int stored = image.get(U32, CRC_OFFSET);
        image.set(U32, CRC_OFFSET, 0);
        int actual = crc(image, length(image));
        image.set(U32, CRC_OFFSET, stored);
        return stored == actual ? null : "frame crc32c: expected " + Integer.toHexString(actual) + ", found "
                + Integer.toHexString(stored);
    }

    private static int crc(MemorySegment image, int length) {
        CRC32C crc = new CRC32C();
        crc.update(image.asSlice(0, length).asByteBuffer());
        return (int) crc.getValue();
    }
}
