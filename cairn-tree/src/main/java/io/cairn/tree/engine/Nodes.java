package io.cairn.tree.engine;

import static io.cairn.tree.engine.FrameFormat.*;

/**
 * Nodes of the {@link FrameFormat} layout, decoded and edited. Readers use it two ways: field by field
 * ({@link #childField}, {@link #nextChild}, the leaf accessors) on the point paths, and word by word on the scan
 * path (a node's first 8 bytes in one load, decoded by the {@code word*} methods; an inner node's edges all at once
 * by {@link #loadEdges}), so the scan loop has no node decoder of its own. Writers use it to build leaves and
 * prefixes and to add, remove, grow and shrink the children of Node4/16/48/256, only while holding the frame's latch
 * and after making sure the frame has room ({@link #MAX_STRUCTURE_BYTES} plus the new leaf).
 *
 * <p>Growth and shrink thresholds follow the reference: a node grows when an add finds it full (4, 16, 48 children)
 * and shrinks when a remove leaves it at 3, 12 or 37 children, so a node at a boundary does not flap.
 */
final class Nodes {
    private Nodes() {}

    /** The most bytes one insert or delete allocates besides its leaf: two prefixes, a Node4 and a grown node. */
    static final int MAX_STRUCTURE_BYTES = 2 * prefixSize(MAX_PREFIX) + NODE4_SIZE + NODE256_SIZE;

    static int size(Frame f, int node) {
        return switch (f.type(node)) {
            case T_EMPTY_ROOT -> EMPTY_ROOT_SIZE;
            case T_LEAF -> leafSize(f.u16(node + LEAF_STORED_LEN), f.u16(node + LEAF_VALUE_LEN));
            case T_PREFIX -> prefixSize(f.u8(node + PREFIX_LEN));
            case T_NODE4 -> NODE4_SIZE;
            case T_NODE16 -> NODE16_SIZE;
            case T_NODE48 -> NODE48_SIZE;
            case T_NODE256 -> NODE256_SIZE;
            case T_BLOB -> BLOB_SIZE;
            case T_SPLIT -> SPLIT_SIZE;
            default -> throw new IllegalStateException("frame " + f.id + ": invalid node type " + f.type(node)
                    + " at offset " + node);
        };
    }

    static boolean isInner(int type) {
        return type >= T_NODE4 && type <= T_NODE256;
    }

    static int allocate(Frame f, int bytes) {
        int at = f.allocate(bytes, false);
        if (at == 0) {
            throw new IllegalStateException("frame " + f.id + " has no room for " + bytes + " bytes (free "
                    + f.free() + "): space was not reserved");
        }
        return at;
    }

    // ---- a node's first word, as the scan loop reads it ----

    /*
     * The scan loop reads a node's first 8 bytes in one load and decodes its fields from that word rather than
     * reading them one by one; these decoders take their shifts from the field offsets in FrameFormat.
     */

    /** A node's first 8 bytes (little-endian): type, lengths and references, for the {@code word*} decoders. */
    static long word(Frame f, int node) {
        return f.u64(node);
    }

    static int wordType(long w) {
        return (int) (w >>> 8 * TYPE_OFFSET) & 0xFF;
    }

    static int wordPrefixLength(long w) {
        return (int) (w >>> 8 * PREFIX_LEN) & 0xFF;
    }

    /** A Prefix node's child reference (see {@link #refTarget}). */
    static int wordPrefixChild(long w) {
        return (int) (w >>> 8 * PREFIX_CHILD) & 0xFFFF;
    }

    /** A Prefix node's first byte. */
    static int wordPrefixFirstByte(long w) {
        return (int) (w >>> 8 * PREFIX_BYTES) & 0xFF;
    }

    static int wordSplitPivot(long w) {
        return (int) (w >>> 8 * SPLIT_PIVOT) & 0xFF;
    }

    static int wordLeafValueLength(long w) {
        return (int) (w >>> 8 * LEAF_VALUE_LEN) & 0xFFFF;
    }

    static int wordLeafStoredLength(long w) {
        return (int) (w >>> 8 * LEAF_STORED_LEN) & 0xFFFF;
    }

    static int wordLeafSkip(long w) {
        return (int) (w >>> 8 * LEAF_SKIP) & 0xFFFF;
    }

    /** An inner node's value reference (see {@link #refTarget}). */
    static int wordInnerValue(long w) {
        return (int) (w >>> 8 * INNER_VALUE) & 0xFFFF;
    }

    static int wordInnerCount(long w) {
        return (int) (w >>> 8 * INNER_COUNT) & 0xFFFF;
    }

    /** The body offset a reference points at, or 0 for an empty reference. */
    static int refTarget(int ref) {
        return ref == 0 ? 0 : decode(ref);
    }

    /** Room {@link #loadEdges} needs in its edge buffer for an inner node of {@code type} and edges in [from, to]. */
    static int edgeRoom(int type, int from, int to) {
        return type == T_NODE4 ? 4 : type == T_NODE16 ? 16 : to - from + 1;
    }

    /**
     * Decodes the edges of an inner node of {@code type} with {@code count} children (from its first word) and bytes
     * in {@code [from, to]} into {@code edges} at {@code at}, in ascending order, one int each: the edge byte above
     * the child's body offset (0 for an empty field; offsets fit in 24 bits). Returns the end position, or -1 if the
     * node holds an impossible Node48 index. {@code edges} needs room for {@link #edgeRoom} ints past {@code at}.
     * Node4/16 arrays are read a word at a time; a torn count is clamped to the capacity so it cannot leave the
     * node. This is the scan loop's decoder (it reads words, not fields), and it is the one place that reads a whole
     * node's edges at once.
     */
    static int loadEdges(Frame f, int node, int type, int count, int from, int to, int[] edges, int at) {
        switch (type) {
            case T_NODE4, T_NODE16 -> {
                int n = Math.min(count, type == T_NODE4 ? 4 : 16);
                int children = node + (type == T_NODE4 ? NODE4_CHILDREN : NODE16_CHILDREN);
                long keys = f.u64(node + NODE4_KEYS);
                long keysHigh = type == T_NODE16 ? f.u64(node + NODE4_KEYS + 8) : 0;
                for (int i = 0; i < n; i++) {
                    int k = (int) ((i < 8 ? keys >>> (8 * i) : keysHigh >>> (8 * (i - 8))) & 0xFF);
                    if (k > to) {
                        break;
                    }
                    if (k >= from) {
                        edges[at++] = k << 24 | refTarget(f.u16(children + 2 * i));
                    }
                }
            }
            case T_NODE48 -> {
                int b = from;
                while (b <= to) {
                    if ((b & 7) == 0 && b + 7 <= to && f.u64(node + NODE48_INDEX + b) == 0) {
                        b += 8; // eight absent edges in one load
                        continue;
                    }
                    int slot = f.u8(node + NODE48_INDEX + b);
                    if (slot != 0) {
                        if (slot > 48) {
                            return -1;
                        }
                        edges[at++] = b << 24 | refTarget(f.u16(node + NODE48_CHILDREN + 2 * (slot - 1)));
                    }
                    b++;
                }
            }
            default -> {
                int b = from;
                while (b <= to) {
                    if ((b & 3) == 0 && b + 3 <= to) {
                        long refs = f.u64(node + NODE256_CHILDREN + 2 * b);
                        if (refs == 0) {
                            b += 4;
                            continue;
                        }
                        for (int i = 0; i < 4; i++, b++) {
                            int ref = (int) (refs >>> (16 * i)) & 0xFFFF;
                            if (ref != 0) {
                                edges[at++] = b << 24 | decode(ref);
                            }
                        }
                        continue;
                    }
                    int ref = f.u16(node + NODE256_CHILDREN + 2 * b);
                    if (ref != 0) {
                        edges[at++] = b << 24 | decode(ref);
                    }
                    b++;
                }
            }
        }
        return at;
    }


    // ---- leaves ----

    static int leafSuffixLength(Frame f, int leaf) {
        return f.u16(leaf + LEAF_STORED_LEN) - f.u16(leaf + LEAF_SKIP);
    }

    static int leafSuffixStart(Frame f, int leaf) {
        return leaf + LEAF_HEADER + f.u16(leaf + LEAF_SKIP);
    }

    static int leafValueLength(Frame f, int leaf) {
        return f.u16(leaf + LEAF_VALUE_LEN);
    }

    static int leafValueStart(Frame f, int leaf) {
        return leaf + LEAF_HEADER + f.u16(leaf + LEAF_STORED_LEN);
    }

    static long leafVersion(Frame f, int leaf) {
        return f.u64(leaf + LEAF_VERSION);
    }

    static byte[] leafValue(Frame f, int leaf) {
        int len = leafValueLength(f, leaf);
        byte[] out = new byte[len];
        f.read(leafValueStart(f, leaf), out, 0, len);
        return out;
    }

    /** Writes a new leaf whose suffix is {@code key[from..)}. */
    static int newLeaf(Frame f, byte[] key, int from, byte[] value, long version) {
        int suffix = key.length - from;
        int leaf = allocate(f, leafSize(suffix, value.length));
        f.putU8(leaf + TYPE_OFFSET, T_LEAF);
        f.putU16(leaf + LEAF_VALUE_LEN, value.length);
        f.putU16(leaf + LEAF_STORED_LEN, suffix);
        f.putU64(leaf + LEAF_VERSION, version);
        f.write(key, from, leaf + LEAF_HEADER, suffix);
        f.write(value, 0, leaf + LEAF_HEADER + suffix, value.length);
        f.addLeaves(1);
        return leaf;
    }

    /** Replaces a leaf's value and version in place; only when the value length is unchanged. */
    static void overwriteLeaf(Frame f, int leaf, byte[] value, long version) {
        f.write(value, 0, leafValueStart(f, leaf), value.length);
        f.putU64(leaf + LEAF_VERSION, version);
    }

    // ---- prefixes ----

    /**
     * Writes a chain of prefix nodes holding {@code bytes[from..to)} that ends at {@code child}; returns its head
     * (or {@code child} itself when the range is empty).
     */
    static int prefixChain(Frame f, byte[] bytes, int from, int to, int child) {
        int head = child;
        int end = to;
        while (end > from) {
            int start = Math.max(from, end - MAX_PREFIX);
            head = newPrefix(f, bytes, start, end, head);
            end = start;
        }
        return head;
    }

    static int newPrefix(Frame f, byte[] bytes, int from, int to, int child) {
        int len = to - from;
        int p = allocate(f, prefixSize(len));
        f.putU8(p + PREFIX_LEN, len);
        f.putU8(p + TYPE_OFFSET, T_PREFIX);
        f.link(p + PREFIX_CHILD, child);
        f.write(bytes, from, p + PREFIX_BYTES, len);
        return p;
    }

    /** Copies {@code len} prefix bytes starting at {@code offset} inside prefix node {@code p} into a new array. */
    static byte[] prefixBytes(Frame f, int p, int offset, int len) {
        byte[] out = new byte[len];
        f.read(p + PREFIX_BYTES + offset, out, 0, len);
        return out;
    }

    // ---- inner nodes ----

    static int newInner(Frame f, int type) {
        int node = allocate(f, innerSize(type));
        f.putU8(node + TYPE_OFFSET, type);
        return node;
    }

    static int innerSize(int type) {
        return switch (type) {
            case T_NODE4 -> NODE4_SIZE;
            case T_NODE16 -> NODE16_SIZE;
            case T_NODE48 -> NODE48_SIZE;
            default -> NODE256_SIZE;
        };
    }

    static int capacity(int type) {
        return switch (type) {
            case T_NODE4 -> 4;
            case T_NODE16 -> 16;
            case T_NODE48 -> 48;
            default -> 256;
        };
    }

    static int count(Frame f, int node) {
        return f.u16(node + INNER_COUNT);
    }

    /**
     * The offset of the child reference field for edge byte {@code b}, or -1 when the node has no such edge. The
     * field may be read with {@link Frame#target}.
     */
    static int childField(Frame f, int node, int b) {
        switch (f.type(node)) {
            case T_NODE4, T_NODE16 -> {
                long c = sortedNext(f, node, b);
                return c >= 0 && (int) (c >>> 32) == b ? (int) c : -1;
            }
            case T_NODE48 -> {
                int slot = f.u8(node + NODE48_INDEX + b);
                return slot == 0 ? -1 : node + NODE48_CHILDREN + 2 * (slot - 1);
            }
            default -> {
                int field = node + NODE256_CHILDREN + 2 * b;
                return f.u16(field) == 0 ? -1 : field;
            }
        }
    }

    /**
     * The smallest edge {@code >= from}: returns {@code (edgeByte << 32) | childField}, or -1 if there is none.
     * Used by ordered traversals and to copy a node's edges.
     */
    static long nextChild(Frame f, int node, int from) {
        switch (f.type(node)) {
            case T_NODE4, T_NODE16 -> {
                return sortedNext(f, node, from);
            }
            case T_NODE48 -> {
                for (int b = from; b < 256; b++) {
                    int slot = f.u8(node + NODE48_INDEX + b);
                    if (slot != 0) {
                        return ((long) b << 32) | (node + NODE48_CHILDREN + 2 * (slot - 1));
                    }
                }
                return -1;
            }
            default -> {
                for (int b = from; b < 256; b++) {
                    int field = node + NODE256_CHILDREN + 2 * b;
                    if (f.u16(field) != 0) {
                        return ((long) b << 32) | field;
                    }
                }
                return -1;
            }
        }
    }

    /** {@link #nextChild} for a Node4/16: a scan of its sorted keys for the first {@code >= from}. */
    private static long sortedNext(Frame f, int node, int from) {
        int keys = node + NODE4_KEYS;
        int n = sortedCount(f, node);
        for (int i = 0; i < n; i++) {
            int k = f.u8(keys + i);
            if (k >= from) {
                return ((long) k << 32) | (sortedChildren(f, node) + 2 * i);
            }
        }
        return -1;
    }

    /** Node4/16: where the child references start (the sorted keys always start at {@code NODE4_KEYS}). */
    private static int sortedChildren(Frame f, int node) {
        return node + (f.type(node) == T_NODE4 ? NODE4_CHILDREN : NODE16_CHILDREN);
    }

    /** Node4/16: the number of edges, bounded by the capacity so a torn count cannot overrun the arrays. */
    private static int sortedCount(Frame f, int node) {
        return Math.min(count(f, node), f.type(node) == T_NODE4 ? 4 : 16);
    }

    static boolean isFull(Frame f, int node) {
        return count(f, node) >= capacity(f.type(node));
    }

    /** Adds edge {@code b -> child}; the node must not be full and must not have the edge. */
    static void addChild(Frame f, int node, int b, int child) {
        int type = f.type(node);
        int n = count(f, node);
        switch (type) {
            case T_NODE4, T_NODE16 -> {
                int keys = node + NODE4_KEYS;
                int children = sortedChildren(f, node);
                int at = 0;
                while (at < n && f.u8(keys + at) < b) {
                    at++;
                }
                for (int i = n; i > at; i--) {
                    f.putU8(keys + i, f.u8(keys + i - 1));
                    f.putU16(children + 2 * i, f.u16(children + 2 * (i - 1)));
                }
                f.putU8(keys + at, b);
                f.link(children + 2 * at, child);
            }
            case T_NODE48 -> {
                int slot = 0;
                while (f.u16(node + NODE48_CHILDREN + 2 * slot) != 0) {
                    slot++;
                }
                f.link(node + NODE48_CHILDREN + 2 * slot, child);
                f.putU8(node + NODE48_INDEX + b, slot + 1);
            }
            default -> f.link(node + NODE256_CHILDREN + 2 * b, child);
        }
        f.putU16(node + INNER_COUNT, n + 1);
    }

    static void removeChild(Frame f, int node, int b) {
        int type = f.type(node);
        int n = count(f, node);
        switch (type) {
            case T_NODE4, T_NODE16 -> {
                int keys = node + NODE4_KEYS;
                int children = sortedChildren(f, node);
                int at = 0;
                while (f.u8(keys + at) != b) {
                    at++;
                }
                for (int i = at; i < n - 1; i++) {
                    f.putU8(keys + i, f.u8(keys + i + 1));
                    f.putU16(children + 2 * i, f.u16(children + 2 * (i + 1)));
                }
                f.putU8(keys + n - 1, 0);
                f.putU16(children + 2 * (n - 1), 0);
            }
            case T_NODE48 -> {
                int slot = f.u8(node + NODE48_INDEX + b) - 1;
                f.putU16(node + NODE48_CHILDREN + 2 * slot, 0);
                f.putU8(node + NODE48_INDEX + b, 0);
            }
            default -> f.putU16(node + NODE256_CHILDREN + 2 * b, 0);
        }
        f.putU16(node + INNER_COUNT, n - 1);
    }

    /** A copy of {@code node} as the next larger type (same edges and value); the caller relinks and kills. */
    static int grown(Frame f, int node) {
        return copyAs(f, node, f.type(node) + 1);
    }

    /** The smaller type {@code node} should shrink to, or 0 if it should keep its type. */
    static int shrinkType(Frame f, int node) {
        int n = count(f, node);
        return switch (f.type(node)) {
            case T_NODE16 -> n <= 3 ? T_NODE4 : 0;
            case T_NODE48 -> n <= 12 ? T_NODE16 : 0;
            case T_NODE256 -> n <= 37 ? T_NODE48 : 0;
            default -> 0;
        };
    }

    static int copyAs(Frame f, int node, int type) {
        int copy = newInner(f, type);
        f.putU16(copy + INNER_VALUE, f.u16(node + INNER_VALUE));
        for (long e = nextChild(f, node, 0); e >= 0; e = nextChild(f, node, (int) (e >>> 32) + 1)) {
            addChild(f, copy, (int) (e >>> 32), f.target((int) e));
        }
        return copy;
    }
}
