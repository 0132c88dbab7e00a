package io.cairn.dict;

/**
 * The byte grammar of dictionary images, the files {@link DoubleArrayTrie#save} and {@link Dawg#save} write.
 * All integers are little-endian; {@code varint} is an unsigned LEB128 integer (7 bits a byte, low first, at most
 * 5 bytes for a u32 and 10 for a u64).
 *
 * <pre>
 * image    := header payload
 * header   := magic[8] version:u16 kind:u8 alphabet:u8 flags:u32
 *             payloadLength:u64 payloadCrc:u32 headerCrc:u32          (32 bytes)
 * magic    := 'C' 'A' 'I' 'R' 'N' 'D' 'I' 'C'
 * version  := 1
 * kind     := 1 (double-array trie) | 2 (DAWG over a String alphabet) | 3 (DAWG over 64-bit tokens)
 * alphabet := 0 (UTF-8 bytes) | 1 (Unicode code points) | 2 (64-bit tokens)
 * flags    := bit 0 HAS_VALUES: the payload carries the terms' values; other bits are zero
 * payloadCrc := CRC32C of the payload;  headerCrc := CRC32C of header bytes 0..27
 * the file is exactly 32 + payloadLength bytes, at most 2^31 - 1
 *
 * payload (kind 1, double-array trie) :=
 *     stateCount:u32 unitCount:u32 termCount:u64
 *     units:u32[unitCount]                  strictly ascending alphabet units; the code of units[i] is i + 1
 *     slot[stateCount]                      slot := base:i32 check:i32 (what a lookup step reads)
 *     link[stateCount]                      link := first:i32 next:i32 (what edge enumeration reads)
 *             the child of state s on code c is t = base[s] + c, valid iff check[t] == s (check is -1 for the
 *             root and free slots); first: the code of the smallest edge leaving s, 0 if none; next: the code
 *             of the next larger edge leaving check[s], 0 if none
 *     finals:u64[ceil(stateCount / 64)]     bit (s mod 64) of word (s / 64) set iff state s is final
 *     value*                                iff HAS_VALUES, one per final state in ascending state order
 *
 * payload (kinds 2 and 3, DAWG) :=
 *     nodeCount:varint termCount:varint node[nodeCount]
 *     node     := header:varint edge[header >>> 2] value?   bit 0: final, bit 1: carries a value (then the
 *                 node's value follows its edges; only in an image with HAS_VALUES)
 *     edge     := labelDelta:varint childDistance:varint
 *                 the first label is labelDelta, the next ones the previous label + labelDelta (so labelDelta
 *                 >= 1 after the first: strictly ascending); childDistance >= 1 names node (this index -
 *                 childDistance): children come before their parents (Dawg.save writes post-order, ImageBuilder
 *                 the order its construction finishes them), the root is the last node, so the
 *                 graph is acyclic by construction
 *
 * value    := length:varint bytes:u8[length]    decoded by the caller's {@link ValueCodec}
 * </pre>
 *
 * <p>Loading bounds every count by the bytes left before allocating, checks both checksums, and then the
 * structure (edge codes ascending, every child owned by its parent, every state reachable from the root, term
 * counts that fit a long), so a damaged file fails with
 * {@link io.cairn.stack.CorruptedStoreException}, never with wrong data, a hang or an out-of-memory error.
 */
final class DictionaryImageFormat {
    private DictionaryImageFormat() {}

    /** "CAIRNDIC" as the 8 bytes of the file's start. */
    static final byte[] MAGIC = {'C', 'A', 'I', 'R', 'N', 'D', 'I', 'C'};
    /** The format version this code writes and reads. */
    static final int VERSION = 1;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int KIND_OFFSET = 10;
    static final int ALPHABET_OFFSET = 11;
    static final int FLAGS_OFFSET = 12;
    static final int PAYLOAD_LENGTH_OFFSET = 16;
    static final int PAYLOAD_CRC_OFFSET = 24;
    static final int HEADER_CRC_OFFSET = 28;
    /** Header bytes; the payload starts here. */
    static final int HEADER_SIZE = 32;
    /** The largest image a dictionary writes or reads (payload checksums run over one {@code ByteBuffer}). */
    static final long MAX_IMAGE_SIZE = Integer.MAX_VALUE;

    static final int KIND_DOUBLE_ARRAY_TRIE = 1;
    static final int KIND_DAWG = 2;
    static final int KIND_TOKEN_DAWG = 3;

    static final int ALPHABET_UTF8_BYTES = 0;
    static final int ALPHABET_CODE_POINTS = 1;
    static final int ALPHABET_TOKENS = 2;

    static final int FLAG_HAS_VALUES = 1;

    /** DAWG node header bits. */
    static final int NODE_FINAL = 1;
    static final int NODE_HAS_VALUE = 2;
    static final int NODE_EDGE_SHIFT = 2;

    static int alphabetCode(Alphabet alphabet) {
        return alphabet == Alphabet.UTF8_BYTES ? ALPHABET_UTF8_BYTES : ALPHABET_CODE_POINTS;
    }
}
