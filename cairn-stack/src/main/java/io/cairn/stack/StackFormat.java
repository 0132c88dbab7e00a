package io.cairn.stack;

/**
 * The on-disk format of a {@link BStack} file. Both are the reference bstack's, byte for byte, so files move
 * between Cairn and the reference's Rust and C builds; an open reads either, and {@link BStack#migrate} converts
 * a 0.2 file to 0.4.
 */
public enum StackFormat {
    /**
     * The 0.1/0.2 line ({@code BSTK\x00\x01}, 16-byte header; {@link BStackFormatV02}), for readers that predate
     * 0.4. No journal: appends and removals are crash-safe, but an in-place write (set, zero, swap, cas, process,
     * and a same-length or length-changing tail replacement) is a plain write that a power failure can tear.
     */
    V0_2(BStackFormatV02.HEADER_SIZE, "0.2"),
    /**
     * The 0.4 line ({@code BSTK\x00\x04}, 32-byte header with the write-in-progress journal; {@link BStackFormatV04}):
     * every in-place and length-changing write is crash-atomic. The default for new files.
     */
    V0_4(BStackFormatV04.HEADER_SIZE, "0.4");

    /** The magic check of every stack file: tag {@code BSTK}, major 0, minor 1 (0.1/0.2) or 4 (0.4). */
    static final FormatHeader HEADER = FormatHeader.of("BStack", "BSTK", 0, BStackFormatV02.MINOR, BStackFormatV04.MINOR);

    private final int headerSize;
    private final String label;

    StackFormat(int headerSize, String label) {
        this.headerSize = headerSize;
        this.label = label;
    }

    /** Bytes before the payload: logical offset 0 is this file offset (16 or 32). */
    public int headerSize() {
        return headerSize;
    }

    /** File offset of the committed length: 8 in both formats (the 0.4 header extends the 0.2 one). */
    int clenOffset() {
        return this == V0_2 ? BStackFormatV02.CLEN_OFFSET : BStackFormatV04.CLEN_OFFSET;
    }

    /** The magic a new file of this format gets. */
    byte[] magic() {
        return this == V0_2 ? BStackFormatV02.MAGIC : BStackFormatV04.MAGIC;
    }

    /** The format a checked magic names. */
    static StackFormat of(FormatHeader.Version version) {
        return version.minor() == BStackFormatV02.MINOR ? V0_2 : V0_4;
    }

    /** {@code 0.2} or {@code 0.4}. */
    @Override
    public String toString() {
        return label;
    }
}
