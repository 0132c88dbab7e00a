package io.cairn.tree.storage;

/**
 * The byte layout of {@code frames.stack}: a BStack whose payload holds a small header and then fixed-size slots,
 * each holding one frame image (all integers little-endian; payload offsets).
 *
 * <pre>
 * payload   := header pad slot*
 * header    := magic:u32 = 0x46465443 ("CTFF")  formatVersion:u16 = 1  reserved:u16 = 0
 *              slotSize:u32  slotBase:u32  crc32c:u32                       (20 bytes; crc32c of the 16 before it)
 * pad       := 0x00*                                                        (up to slotBase)
 * slot      := image 0x00*                                                  (slotSize bytes; slot i at
 *                                                                            slotBase + i * slotSize)
 * image     := a frame (io.cairn.tree.engine.FrameFormat) up to its bump pointer, with the frame header's
 *              crc32c field (frame offset 40) = CRC32C of the image's bump bytes with that field taken as 0
 * </pre>
 *
 * <p>{@code slotBase} is {@code 4096} minus the BStack header ({@link #slotBase}: 4064 in a 0.4 stack, 4080 in a
 * 0.1/0.2 one), so every slot starts on a 4 KiB file boundary (the slot size is a multiple of 4 KiB for real
 * frames). A file keeps the base it was created with; open accepts either value (a frame file written before 0.4
 * became the default is 0.2 with base 4080). Which slots hold live frames is the manifest's to say
 * ({@link ManifestFormat}); a slot it does not name is free, whatever it holds. A checkpoint writes a frame's new
 * image to a free slot, never over a slot the published manifest names (shadow paging), so a torn image is only
 * ever in a slot nobody reads. A loaded image is checked: magic, format version, frame id (the one the manifest
 * expects in that slot), frame size, bump pointer within the frame, and the CRC32C; any failure is a
 * {@link io.cairn.stack.CorruptedStoreException} naming the file, slot and frame.
 */
final class FrameFileFormat {
    private FrameFileFormat() {}

    /** "CTFF" read as a little-endian u32. */
    static final int MAGIC = 0x46465443;
    static final short FORMAT_VERSION = 1;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = MAGIC_OFFSET + 4;
    static final int RESERVED_OFFSET = VERSION_OFFSET + 2;
    static final int SLOT_SIZE_OFFSET = RESERVED_OFFSET + 2;
    static final int SLOT_BASE_OFFSET = SLOT_SIZE_OFFSET + 4;
    static final int CRC_OFFSET = SLOT_BASE_OFFSET + 4;
    static final int HEADER_SIZE = CRC_OFFSET + 4;

    /** File alignment of every slot. */
    static final int PAGE = 4096;

    /** Payload offset of slot 0 in a stack whose header has {@code stackHeaderSize} bytes: file offset {@link #PAGE}. */
    static int slotBase(int stackHeaderSize) {
        return PAGE - stackHeaderSize;
    }
}
