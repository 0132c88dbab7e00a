package io.cairn.stack;

/**
 * The on-disk layout of a {@link StackFormat#V0_2} file, byte-compatible with the reference bstack 0.1/0.2 line
 * (and its Rust and C implementations).
 *
 * <pre>
 * file     := header payload
 * header   := magic clen:u64le                            (16 bytes)
 * magic    := 'B' 'S' 'T' 'K' major=0x00 minor=0x01 patch=0x08 0x00
 * payload  := byte[clen]                                 (logical offset 0 = file byte 16)
 * </pre>
 *
 * <p>Open accepts any file whose magic is {@code BSTK\x00\x01} (any 0.1.x or 0.2.x writer). There is no journal:
 * recovery trusts {@code clen} bounded by the file size, and an in-place write is a plain write, which a power
 * failure can tear. The format has no checksums (that is the reference's format).
 */
final class BStackFormatV02 {
    private BStackFormatV02() {}

    /** File offset of the magic. */
    static final int MAGIC_OFFSET = 0;
    /** File offset of the committed length, u64 little-endian. */
    static final int CLEN_OFFSET = MAGIC_OFFSET + FormatHeader.SIZE;
    /** Size of the header; logical offset 0 is this file offset. */
    static final int HEADER_SIZE = CLEN_OFFSET + Long.BYTES;
    /** The minor version in the magic. */
    static final int MINOR = 1;
    /** The magic this implementation writes: {@code BSTK\x00\x01\x08\x00}. */
    static final byte[] MAGIC = StackFormat.HEADER.magic(MINOR, 8);
}
