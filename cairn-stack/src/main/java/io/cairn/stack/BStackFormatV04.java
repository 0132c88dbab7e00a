package io.cairn.stack;

/**
 * The on-disk layout of a {@link StackFormat#V0_4} file, byte-compatible with the reference bstack 0.4.x line (the
 * magic's patch byte is 4, as the reference 0.4.4 writes): a 32-byte header whose write-in-progress (WIP) journal
 * makes every in-place and length-changing write crash-atomic.
 *
 * <pre>
 * file     := header payload stage?
 * header   := magic clen:u64le wipPtr:u64le wipAux:u64le                       (32 bytes)
 * magic    := 'B' 'S' 'T' 'K' major=0x00 minor=0x04 patch=0x04 0x00
 * payload  := byte[clen]                                                     (logical offset 0 = file byte 32)
 * wipPtr   := 0 (disarmed) | 32 + target                                      (a physical offset)
 * wipAux   := mode while armed: 0 Set | 2^64-2 SpliceGrow | 2^64-3 SpliceShrink | 2^64-4 Repeat | 2^64-5 Copy
 *             | 2^64-6 MultiWrite (armed with wipPtr = 0); 2^64-1 is reserved
 * stage    := what a journaled write staged past clen, by mode:
 *   Set          byte[n]                          the new bytes of [target, target + n)
 *   Splice*      byte[m]                          the new tail [a, clen'), at logical max(clen, clen')
 *   Repeat       k:u64le pattern[s]               k copies of the pattern from target
 *   Copy         src:u64le n:u64le                copy [src, src + n) to [target, target + n), disjoint
 *   MultiWrite   (s:u64le e:u64le byte[e - s])*   each block's new bytes of [s, e), back to back to the end
 * </pre>
 *
 * <p>At rest {@code fileSize == 32 + clen} and both WIP fields are 0. A journaled write stages, forces, arms the
 * journal (one 16-byte write of both fields), forces, writes in place, forces, disarms (or commits the new length
 * and disarms in one 24-byte write), forces, and cuts the stage; the header writes stay inside the first 256-byte
 * block, so they cannot tear. A write that fits one 256-byte block of the file ({@link #isAtomicWrite}) is done
 * directly with one force. {@link Recovery} holds the recovery table. Integers are unsigned; Java reads them into
 * longs and compares them with {@link Long#compareUnsigned}.
 */
final class BStackFormatV04 {
    private BStackFormatV04() {}

    /** File offset of the magic. */
    static final int MAGIC_OFFSET = 0;
    /** File offset of the committed length. */
    static final int CLEN_OFFSET = MAGIC_OFFSET + FormatHeader.SIZE;
    /** File offset of the journal's target pointer (physical; 0 = disarmed). */
    static final int WIP_PTR_OFFSET = CLEN_OFFSET + Long.BYTES;
    /** File offset of the journal's mode. */
    static final int WIP_AUX_OFFSET = WIP_PTR_OFFSET + Long.BYTES;
    /** Size of the header; logical offset 0 is this file offset. */
    static final int HEADER_SIZE = WIP_AUX_OFFSET + Long.BYTES;
    /** The minor version in the magic. */
    static final int MINOR = 4;
    /** The magic this implementation writes: {@code BSTK\x00\x04\x04\x00}, as the reference 0.4.4 does. */
    static final byte[] MAGIC = StackFormat.HEADER.magic(MINOR, 4);

    /** Mode: replay the staged bytes verbatim into the target (also the disarmed value of {@code wipAux}). */
    static final long MODE_SET = 0;
    /** Mode: a tail replacement that grows the payload. */
    static final long MODE_SPLICE_GROW = -2L;
    /** Mode: a tail replacement that shrinks the payload. */
    static final long MODE_SPLICE_SHRINK = -3L;
    /** Mode: fill the target with k copies of a pattern. */
    static final long MODE_REPEAT = -4L;
    /** Mode: copy a disjoint range of the payload into the target. */
    static final long MODE_COPY = -5L;
    /** Mode: several disjoint blocks, armed with {@code wipPtr = 0}. */
    static final long MODE_MULTI_WRITE = -6L;

    /** A write confined to one aligned block of this size cannot tear on power loss (the reference's assumption). */
    static final int ATOMIC_BLOCK = 256;
    /** Size of a Repeat stage's count, and of each of a Copy stage's two fields and a MultiWrite block's two bounds. */
    static final int STAGE_WORD = Long.BYTES;

    /**
     * Whether overwriting logical {@code [offset, offset + len)} stays inside one {@link #ATOMIC_BLOCK} of the
     * file, so it needs no journal: an empty write does, an overflowing range does not.
     */
    static boolean isAtomicWrite(long offset, long len) {
        if (len == 0) {
            return true;
        }
        long start = HEADER_SIZE + offset;
        long last = start + (len - 1);
        if (start < 0 || last < start) {
            return false;
        }
        return start / ATOMIC_BLOCK == last / ATOMIC_BLOCK;
    }

    /** The mode's name for messages. */
    static String modeName(long mode) {
        if (mode == MODE_SET) {
            return "Set";
        } else if (mode == MODE_SPLICE_GROW) {
            return "SpliceGrow";
        } else if (mode == MODE_SPLICE_SHRINK) {
            return "SpliceShrink";
        } else if (mode == MODE_REPEAT) {
            return "Repeat";
        } else if (mode == MODE_COPY) {
            return "Copy";
        } else if (mode == MODE_MULTI_WRITE) {
            return "MultiWrite";
        }
        return "unknown mode 0x" + Long.toHexString(mode);
    }
}
