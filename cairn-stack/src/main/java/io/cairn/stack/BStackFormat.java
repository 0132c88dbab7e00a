package io.cairn.stack;

/**
 * The on-disk layout of a {@link BStack} file, byte-compatible with the reference bstack 0.1/0.2 line (and its
 * Rust and C implementations).
 *
 * <pre>
 * file     := header payload
 * header   := magic[8] clen:u64le                      (16 bytes)
 * magic    := 'B' 'S' 'T' 'K' major=0x00 minor=0x01 patch=0x08 0x00
 * payload  := byte[clen]                               (logical offset 0 = file byte 16)
 * </pre>
 *
 * <p>Open accepts any file whose first six bytes are {@code BSTK\x00\x01} (any 0.1.x writer). The format has no
 * checksums (that is the reference's format); recovery trusts {@code clen} bounded by the file size.
 */
final class BStackFormat {
    private BStackFormat() {}

    /** The magic check: tag {@code BSTK}, major 0, minor 1 (every 0.1.x and 0.2.x writer). */
    static final FormatHeader HEADER = FormatHeader.of("BStack", "BSTK", 0, 1);
    /** The magic this implementation writes: {@code BSTK\x00\x01\x08\x00}. */
    static final byte[] MAGIC = HEADER.magic(1, 8);
    /** File offset of the committed length, u64 little-endian. */
    static final int CLEN_OFFSET = 8;
    /** Size of the header; logical offset 0 is this file offset. */
    static final int HEADER_SIZE = 16;
    /** Largest payload length: file offsets must stay below {@link Long#MAX_VALUE}. */
    static final long MAX_LENGTH = Long.MAX_VALUE - HEADER_SIZE;
}
