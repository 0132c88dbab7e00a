package io.cairn.stack.alloc;

import io.cairn.stack.BStack;
import io.cairn.stack.alloc.GhostTreeLayout.Node;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.cairn.stack.alloc.GhostTreeLayout.NULL;
import static io.cairn.stack.alloc.GhostTreeLayout.ROOT_OFFSET;

/**
 * The free-block AVL tree of a ghost-tree allocator, mirrored in memory and written through to the stack.
 *
 * <p>Searches read the mirror, never the disk. Changes are grouped: any number of {@link #insert}s and
 * {@link #remove}s, then {@link #commit()}, which writes exactly the nodes whose stored 32 bytes changed
 * (children before parents, as first touched) and then the root pointer if it moved. Every node the tree can
 * reach at any point of a commit is a free block, so a crash in the middle leaves a tree that may be misshapen
 * (which open repairs) and may have lost free blocks (a leak), but never reaches a live one.
 *
 * <p>An address index of the same blocks answers the neighbour and overlap questions that coalescing and handle
 * validation ask. Not thread-safe: the allocator's lock guards it.
 */
final class GhostTreeIndex {
    private final BStack stack;
    /** Node of each free block, by offset: the exact fields stored on disk once committed. */
    private final Map<Long, Node> nodes = new HashMap<>();
    /** Free block sizes by offset. */
    private final TreeMap<Long, Long> byOffset = new TreeMap<>();
    private long root;
    private long freeBytes;
    /** What the disk holds for each node touched since the last commit (null: not a node of the tree). */
    private final Map<Long, Node> stored = new LinkedHashMap<>();
    private long storedRoot;

    /** A mirror of the tree stored under {@code root} whose nodes are {@code storedNodes}, as found on disk. */
    GhostTreeIndex(BStack stack, long root, Map<Long, Node> storedNodes) {
        this.stack = stack;
        this.root = root;
        this.storedRoot = root;
        nodes.putAll(storedNodes);
        storedNodes.forEach((offset, node) -> {
            byOffset.put(offset, node.size());
            freeBytes += node.size();
        });
    }

    // ---------------------------------------------------------------- queries

    long freeBytes() {
        return freeBytes;
    }

    int blockCount() {
        return byOffset.size();
    }

    /** The largest free block's size, 0 when there is none: the rightmost node, keys being (size, offset). */
    long largest() {
        long size = 0;
        for (long at = root; at != NULL; at = nodes.get(at).right()) {
            size = nodes.get(at).size();
        }
        return size;
    }

    /** The offset of the smallest free block of at least {@code size} bytes (lowest offset on ties), or 0. */
    long bestFit(long size) {
        long best = NULL;
        long at = root;
        while (at != NULL) {
            Node n = nodes.get(at);
            if (n.size() >= size) {
                best = at;
                at = n.left();
            } else {
                at = n.right();
            }
        }
        return best;
    }

    /** The size of the free block at {@code offset}, or 0 if no free block starts there. */
    long sizeAt(long offset) {
        return byOffset.getOrDefault(offset, 0L);
    }

    /** The offset of the free block that ends exactly at {@code offset}, or 0. */
    long blockEndingAt(long offset) {
        Map.Entry<Long, Long> before = byOffset.lowerEntry(offset);
        return before != null && before.getKey() + before.getValue() == offset ? before.getKey() : NULL;
    }

    /** The offset of a free block sharing a byte with {@code [start, end)}, or 0. */
    long overlapping(long start, long end) {
        Map.Entry<Long, Long> candidate = byOffset.lowerEntry(end);
        return candidate != null && candidate.getKey() + candidate.getValue() > start ? candidate.getKey() : NULL;
    }

    /** Free blocks as {@code offset -> size}, by offset (a live view: do not keep it across changes). */
    Map<Long, Long> blocks() {
        return byOffset;
    }

    long root() {
        return root;
    }

    Node node(long offset) {
        return nodes.get(offset);
    }

    // ---------------------------------------------------------------- changes

    /** Adds the free block {@code [offset, offset + size)}; its bytes past the first 32 must already be zero. */
    void insert(long offset, long size) {
        if (byOffset.put(offset, size) != null) {
            throw new IllegalStateException("free block at " + offset + " inserted twice");
        }
        freeBytes += size;
        root = insert(root, offset, size);
    }

    /** Removes the free block at {@code offset}; returns its size. */
    long remove(long offset) {
        Long size = byOffset.remove(offset);
        if (size == null) {
            throw new IllegalStateException("no free block at " + offset);
        }
        freeBytes -= size;
        root = remove(root, offset, size);
        return size;
    }

    /**
     * Replaces the whole tree by a perfectly balanced one over {@code blocks} ({@code {offset, size}} pairs,
     * disjoint): recovery's rebuild. Written by the next {@link #commit()}.
     */
    void rebuild(List<long[]> blocks) {
        for (Long offset : List.copyOf(nodes.keySet())) {
            touch(offset);
        }
        nodes.clear();
        byOffset.clear();
        freeBytes = 0;
        long[][] byKey = blocks.toArray(long[][]::new);
        Arrays.sort(byKey, (a, b) -> compareKeys(a[1], a[0], b[1], b[0]));
        for (long[] block : byKey) {
            byOffset.put(block[0], block[1]);
            freeBytes += block[1];
        }
        root = build(byKey, 0, byKey.length);
    }

    /** Writes every node whose stored bytes changed since the last commit, then the root if it moved. */
    void commit() throws IOException {
        try {
            for (Map.Entry<Long, Node> touched : stored.entrySet()) {
                Node now = nodes.get(touched.getKey());
                if (now != null && !now.equals(touched.getValue())) {
                    stack.set(touched.getKey(), now.encode());
                }
            }
            if (root != storedRoot) {
                stack.set(ROOT_OFFSET, AbstractAllocator.longBytes(root));
            }
        } finally {
            // On failure the allocator refuses further changes, so the baseline only matters after success.
            stored.clear();
            storedRoot = root;
        }
    }

    // ---------------------------------------------------------------- AVL machinery

    private long build(long[][] byKey, int from, int to) {
        if (from >= to) {
            return NULL;
        }
        int mid = (from + to) >>> 1;
        long left = build(byKey, from, mid);
        long right = build(byKey, mid + 1, to);
        put(byKey[mid][0], byKey[mid][1], left, right);
        return byKey[mid][0];
    }

    private long insert(long at, long offset, long size) {
        if (at == NULL) {
            put(offset, size, NULL, NULL);
            return offset;
        }
        Node n = nodes.get(at);
        if (compareKeys(size, offset, n.size(), at) < 0) {
            return balance(at, n.size(), insert(n.left(), offset, size), n.right());
        }
        return balance(at, n.size(), n.left(), insert(n.right(), offset, size));
    }

    private long remove(long at, long offset, long size) {
        if (at == NULL) {
            throw new IllegalStateException("free block at " + offset + " is missing from the tree");
        }
        Node n = nodes.get(at);
        int c = compareKeys(size, offset, n.size(), at);
        if (c < 0) {
            return balance(at, n.size(), remove(n.left(), offset, size), n.right());
        }
        if (c > 0) {
            return balance(at, n.size(), n.left(), remove(n.right(), offset, size));
        }
        touch(at);
        nodes.remove(at);
        if (n.left() == NULL) {
            return n.right();
        }
        if (n.right() == NULL) {
            return n.left();
        }
        long successor = n.right();
        while (nodes.get(successor).left() != NULL) {
            successor = nodes.get(successor).left();
        }
        long right = removeMin(n.right());
        return balance(successor, nodes.get(successor).size(), n.left(), right);
    }

    /** Unlinks the leftmost node of the subtree at {@code at} (its node stays in the map for reuse). */
    private long removeMin(long at) {
        Node n = nodes.get(at);
        if (n.left() == NULL) {
            return n.right();
        }
        return balance(at, n.size(), removeMin(n.left()), n.right());
    }

    /** Stores {@code at} with the given children, rotating if they differ in height by more than one. */
    private long balance(long at, long size, long left, long right) {
        int skew = height(right) - height(left);
        if (skew < -1) {
            Node l = nodes.get(left);
            if (l.balance() > 0) {
                left = rotateLeft(left, l.size(), l.left(), l.right());
            }
            return rotateRight(at, size, left, right);
        }
        if (skew > 1) {
            Node r = nodes.get(right);
            if (r.balance() < 0) {
                right = rotateRight(right, r.size(), r.left(), r.right());
            }
            return rotateLeft(at, size, left, right);
        }
        put(at, size, left, right);
        return at;
    }

    private long rotateRight(long at, long size, long pivot, long right) {
        Node p = nodes.get(pivot);
        put(at, size, p.right(), right);
        put(pivot, p.size(), p.left(), at);
        return pivot;
    }

    private long rotateLeft(long at, long size, long left, long pivot) {
        Node p = nodes.get(pivot);
        put(at, size, left, p.left());
        put(pivot, p.size(), at, p.right());
        return pivot;
    }

    private void put(long at, long size, long left, long right) {
        int lh = height(left);
        int rh = height(right);
        touch(at);
        nodes.put(at, new Node(size, rh - lh, 1 + Math.max(lh, rh), left, right));
    }

    private int height(long at) {
        return at == NULL ? 0 : nodes.get(at).height();
    }

    private void touch(long at) {
        if (!stored.containsKey(at)) {
            stored.put(at, nodes.get(at));
        }
    }

    /** The tree's order: by size, then by offset. */
    static int compareKeys(long size1, long offset1, long size2, long offset2) {
        int c = Long.compare(size1, size2);
        return c != 0 ? c : Long.compare(offset1, offset2);
    }
}
