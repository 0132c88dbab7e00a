package io.cairn.dict;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable node of a {@link DawgGraph}: final flag, optional value, edges sorted by unsigned label.
 *
 * <p>Equality is structural with children compared by identity, and {@link #signature} is a 64-bit hash of the
 * same (final, value, sorted (label, child signature)); since the graph keeps one node per structure, equal
 * structure means equal right language, which is what makes the graph minimal. The signature only speeds the
 * registry up: {@link #equals} always confirms it structurally, so a hash collision can never merge two nodes.
 *
 * <p>{@link #refs} and {@link #registered} belong to the graph's writer and are only touched under its lock;
 * readers never look at them.
 */
final class DawgNode implements Node, TokenNode {
    static final long[] NO_LABELS = {};
    static final DawgNode[] NO_CHILDREN = {};
    /** The empty, non-final node: the root of an empty graph. Shared, never registered or counted. */
    static final DawgNode EMPTY = new DawgNode(false, null, NO_LABELS, NO_CHILDREN);

    final boolean isFinal;
    /** The value of the term ending here, or null. */
    final Object value;
    final long[] labels;
    final DawgNode[] children;
    final long signature;
    /** Number of parent edges from live nodes, plus one while this is the root. */
    int refs;
    /** Whether this node is the registry's representative of its structure. */
    boolean registered;

    DawgNode(boolean isFinal, Object value, long[] labels, DawgNode[] children) {
        this.isFinal = isFinal;
        this.value = value;
        this.labels = labels;
        this.children = children;
        // deepHashCode / deepEquals: equal array values (byte[] from ValueCodec.bytes()) are equal right languages
        long h = mix((isFinal ? 0x9E3779B97F4A7C15L : 0x632BE59BD9B4E019L) ^ Arrays.deepHashCode(new Object[] {value}));
        for (int i = 0; i < labels.length; i++) {
            h = mix(h * 31 + labels[i]);
            h = mix(h ^ children[i].signature);
        }
        this.signature = h;
    }

    /** The murmur3 64-bit finaliser. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ h >>> 33;
    }

    /** Index of {@code label}, or (-(insertion point) - 1), in unsigned order. */
    int indexOf(long label) {
        long[] l = labels;
        if (l.length <= 8) {
            for (int i = 0; i < l.length; i++) {
                int c = Long.compareUnsigned(l[i], label);
                if (c >= 0) {
                    return c == 0 ? i : -i - 1;
                }
            }
            return -l.length - 1;
        }
        int lo = 0;
        int hi = l.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Long.compareUnsigned(l[mid], label);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -lo - 1;
    }

    DawgNode child(long label) {
        int i = indexOf(label);
        return i < 0 ? null : children[i];
    }

    @Override
    public boolean isFinal() {
        return isFinal;
    }

    @Override
    public DawgNode transition(int unit) {
        return unit < 0 ? null : child(unit);
    }

    @Override
    public DawgNode transition(long token) {
        return child(token);
    }

    @Override
    public int edgeCount() {
        return labels.length;
    }

    @Override
    public void forEachEdge(EdgeVisitor visitor) {
        for (int i = 0; i < labels.length; i++) {
            visitor.edge((int) labels[i], children[i]);
        }
    }

    @Override
    public void forEachEdge(TokenEdgeVisitor visitor) {
        for (int i = 0; i < labels.length; i++) {
            visitor.edge(labels[i], children[i]);
        }
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof DawgNode that) || signature != that.signature || isFinal != that.isFinal
                || !Objects.deepEquals(value, that.value) || !Arrays.equals(labels, that.labels)) {
            return false;
        }
        for (int i = 0; i < children.length; i++) {
            if (children[i] != that.children[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(signature);
    }

    @Override
    public String toString() {
        return "DawgNode[final=" + isFinal + ", edges=" + labels.length + "]";
    }
}
