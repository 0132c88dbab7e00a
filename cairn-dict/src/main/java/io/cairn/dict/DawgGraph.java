package io.cairn.dict;

import static io.cairn.dict.DictionaryImageFormat.NODE_EDGE_SHIFT;
import static io.cairn.dict.DictionaryImageFormat.NODE_FINAL;
import static io.cairn.dict.DictionaryImageFormat.NODE_HAS_VALUE;

import io.cairn.stack.CorruptedStoreException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The engine behind {@link Dawg} and {@link TokenDawg}: a minimal acyclic automaton over 64-bit labels that
 * changes at run time.
 *
 * <p><b>Minimality by hash-consing.</b> Nodes are immutable. A mutation rebuilds the nodes on the path of the
 * term bottom-up; each rebuilt node is looked up in a registry of live nodes by structure (final, value, edges
 * with children by identity, hashed by a 64-bit signature, confirmed structurally) and an equal node is reused.
 * By induction on height, two nodes with the same right language are then the same node, so the graph is the
 * minimal automaton after every mutation. Reference counts (parent edges, plus the root's hold) drop nodes that
 * fall out of the graph from the registry at once, so the registry holds exactly the live nodes.
 *
 * <p><b>Concurrency.</b> Writers serialise on one lock; readers take no lock at all: they read the volatile
 * {@link Snapshot} (root and size) once and walk immutable nodes, so every read sees one consistent version and
 * never blocks a writer. Old versions stay valid for readers still walking them; the garbage collector frees
 * them.
 *
 * <p><b>Bounded registry.</b> With a registry limit, a mutation registers new nodes only while the registry is
 * below the limit; past it, new nodes stay private (correct but unshared), so the graph may stop being minimal.
 * {@link #minimize()} merges private nodes into the registry (lifting the limit for that pass) and
 * {@link #compact()} rebuilds every node into a fresh, right-sized registry.
 */
final class DawgGraph {
    /** The published state: readers read it once per operation. */
    record Snapshot(DawgNode root, long size) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final int registryLimit;
    private volatile Snapshot snapshot = new Snapshot(DawgNode.EMPTY, 0);
    /** Guarded by {@link #lock}, like every field below. */
    private HashMap<DawgNode, DawgNode> registry = new HashMap<>();
    private long liveNodes;
    private long liveEdges;
    private long privateNodes;

    DawgGraph(int registryLimit) {
        if (registryLimit < 0) {
            throw new IllegalArgumentException("registryLimit must be >= 0, got " + registryLimit);
        }
        this.registryLimit = registryLimit;
    }

    Snapshot snapshot() {
        return snapshot;
    }

    /** The node {@code units} lead to from {@code root}, or null. Lock-free. */
    static DawgNode walk(DawgNode root, long[] units) {
        DawgNode node = root;
        for (int i = 0; i < units.length && node != null; i++) {
            node = node.child(units[i]);
        }
        return node;
    }

    boolean contains(long[] units) {
        DawgNode end = walk(snapshot.root(), units);
        return end != null && end.isFinal;
    }

    /** The value of the term, or null if absent or without value. Lock-free. */
    Object value(long[] units) {
        DawgNode end = walk(snapshot.root(), units);
        return end != null && end.isFinal ? end.value : null;
    }

    /** Adds the term without a value; returns whether it was absent. */
    boolean insert(long[] units) {
        lock.lock();
        try {
            DawgNode end = walk(snapshot.root(), units);
            if (end != null && end.isFinal) {
                return false;
            }
            rewrite(units, true, null, 1);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Sets the term's value; returns whether the term was absent. */
    boolean insertWithValue(long[] units, Object value) {
        lock.lock();
        try {
            DawgNode end = walk(snapshot.root(), units);
            boolean present = end != null && end.isFinal;
            if (!present || !Objects.deepEquals(value, end.value)) {
                rewrite(units, true, value, present ? 0 : 1);
            }
            return !present;
        } finally {
            lock.unlock();
        }
    }

    /** Removes the term; returns whether it was present. */
    boolean remove(long[] units) {
        lock.lock();
        try {
            DawgNode end = walk(snapshot.root(), units);
            if (end == null || !end.isFinal) {
                return false;
            }
            rewrite(units, false, null, -1);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Stores {@code updater(current)} or {@code defaultValue}; returns the stored value. */
    Object updateOrInsert(long[] units, Object defaultValue, UnaryOperator<Object> updater) {
        lock.lock();
        try {
            DawgNode end = walk(snapshot.root(), units);
            boolean present = end != null && end.isFinal;
            Object value = present && end.value != null
                    ? Objects.requireNonNull(updater.apply(end.value), "updater result")
                    : defaultValue;
            if (!present || !Objects.deepEquals(value, end.value)) {
                rewrite(units, true, value, present ? 0 : 1);
            }
            return value;
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code action} holding the writer lock, so a batch of mutations publishes no other writer's work between them. */
    <T> T exclusively(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Rebuilds the path of {@code units} bottom-up with its last node final (or not) with {@code value}, reusing
     * registered nodes, dropping edges to dead nodes (non-final, no edges), then publishes the new root.
     */
    private void rewrite(long[] units, boolean makeFinal, Object value, long sizeDelta) {
        Snapshot current = snapshot;
        int n = units.length;
        DawgNode[] path = new DawgNode[n + 1];
        path[0] = current.root();
        for (int i = 0; i < n && path[i] != null; i++) {
            path[i + 1] = path[i].child(units[i]);
        }
        DawgNode end = path[n] == null ? DawgNode.EMPTY : path[n];
        DawgNode node = canonical(makeFinal, makeFinal ? value : null, end.labels, end.children, false);
        for (int i = n - 1; i >= 0; i--) {
            DawgNode parent = path[i] == null ? DawgNode.EMPTY : path[i];
            node = withEdge(parent, units[i], node);
        }
        DawgNode root = node == null ? DawgNode.EMPTY : node;
        acquire(root);
        release(current.root());
        snapshot = new Snapshot(root, current.size() + sizeDelta);
    }

    /** The canonical node equal to {@code parent} with its edge on {@code label} leading to {@code child} (or gone if null). */
    private DawgNode withEdge(DawgNode parent, long label, DawgNode child) {
        int i = parent.indexOf(label);
        long[] labels;
        DawgNode[] children;
        if (i >= 0) {
            if (child == null) {
                labels = new long[parent.labels.length - 1];
                children = new DawgNode[labels.length];
                System.arraycopy(parent.labels, 0, labels, 0, i);
                System.arraycopy(parent.labels, i + 1, labels, i, labels.length - i);
                System.arraycopy(parent.children, 0, children, 0, i);
                System.arraycopy(parent.children, i + 1, children, i, labels.length - i);
            } else {
                labels = parent.labels;
                children = parent.children.clone();
                children[i] = child;
            }
        } else {
            if (child == null) {
                return canonical(parent.isFinal, parent.value, parent.labels, parent.children, false);
            }
            int at = -i - 1;
            labels = new long[parent.labels.length + 1];
            children = new DawgNode[labels.length];
            System.arraycopy(parent.labels, 0, labels, 0, at);
            System.arraycopy(parent.labels, at, labels, at + 1, parent.labels.length - at);
            System.arraycopy(parent.children, 0, children, 0, at);
            System.arraycopy(parent.children, at, children, at + 1, parent.labels.length - at);
            labels[at] = label;
            children[at] = child;
        }
        return canonical(parent.isFinal, parent.value, labels, children, false);
    }

    /**
     * The live node with this structure, created (and registered, within the limit unless {@code unbounded}) if
     * none exists; null for a dead structure (non-final, no edges).
     */
    private DawgNode canonical(boolean isFinal, Object value, long[] labels, DawgNode[] children,
            boolean unbounded) {
        if (!isFinal && labels.length == 0) {
            return null;
        }
        DawgNode candidate = new DawgNode(isFinal, value, labels, children);
        DawgNode existing = registry.get(candidate);
        if (existing != null) {
            return existing;
        }
        if (unbounded || registry.size() < registryLimit) {
            registry.put(candidate, candidate);
            candidate.registered = true;
        } else {
            privateNodes++;
        }
        for (DawgNode child : children) {
            child.refs++;
        }
        liveNodes++;
        liveEdges += labels.length;
        return candidate;
    }

    private static void acquire(DawgNode node) {
        if (node != DawgNode.EMPTY) {
            node.refs++;
        }
    }

    /** Drops one reference; nodes that reach zero leave the registry and release their children. */
    private void release(DawgNode node) {
        if (node == DawgNode.EMPTY) {
            return;
        }
        ArrayDeque<DawgNode> pending = new ArrayDeque<>();
        pending.push(node);
        while (!pending.isEmpty()) {
            DawgNode dropped = pending.pop();
            if (--dropped.refs > 0) {
                continue;
            }
            if (dropped.registered) {
                registry.remove(dropped);
            } else {
                privateNodes--;
            }
            liveNodes--;
            liveEdges -= dropped.labels.length;
            for (DawgNode child : dropped.children) {
                pending.push(child);
            }
        }
    }

    long nodeCount() {
        lock.lock();
        try {
            return liveNodes + (snapshot.root() == DawgNode.EMPTY ? 1 : 0);
        } finally {
            lock.unlock();
        }
    }

    long edgeCount() {
        lock.lock();
        try {
            return liveEdges;
        } finally {
            lock.unlock();
        }
    }

    /** Whether every node is shared through the registry (always, without a registry limit). */
    boolean isMinimal() {
        lock.lock();
        try {
            return privateNodes == 0;
        } finally {
            lock.unlock();
        }
    }

    /** Merges private nodes into the registry; returns how many nodes that saved. */
    long minimize() {
        return rebuild(false);
    }

    /** Rebuilds every node into a fresh registry sized for the graph; returns how many nodes that saved. */
    long compact() {
        return rebuild(true);
    }

    private long rebuild(boolean everything) {
        lock.lock();
        try {
            long before = liveNodes;
            Snapshot current = snapshot;
            if (everything) {
                registry = new HashMap<>((int) Math.min(Integer.MAX_VALUE / 2, liveNodes * 4 / 3 + 16));
                liveNodes = 0;
                liveEdges = 0;
                privateNodes = 0;
            }
            Map<DawgNode, DawgNode> rebuilt = new IdentityHashMap<>();
            for (DawgNode old : postOrder(current.root())) {
                DawgNode[] children = new DawgNode[old.children.length];
                boolean same = true;
                for (int i = 0; i < children.length; i++) {
                    children[i] = rebuilt.get(old.children[i]);
                    same &= children[i] == old.children[i];
                }
                boolean keep = !everything && old.registered && same;
                rebuilt.put(old, keep ? old : canonical(old.isFinal, old.value, old.labels, children, true));
            }
            DawgNode root = current.root() == DawgNode.EMPTY ? DawgNode.EMPTY : rebuilt.get(current.root());
            acquire(root);
            if (!everything) {
                release(current.root());
            }
            snapshot = new Snapshot(root, current.size());
            return before - liveNodes;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@link UnitPaths} along every path: each node collects the set (a bit mask) of path states it is
     * entered in, parents before children (reverse post-order), and every edge and final node must be valid in
     * each of them.
     */
    private static void checkPaths(DawgNode root, Alphabet alphabet, DictionaryImage image)
            throws CorruptedStoreException {
        DawgNode[] order = postOrder(root);
        IdentityHashMap<DawgNode, Integer> masks = new IdentityHashMap<>(order.length * 2);
        masks.put(root, 1 << UnitPaths.START);
        for (int i = order.length - 1; i >= 0; i--) {
            DawgNode node = order[i];
            int mask = masks.get(node);
            for (int state = 0; mask >>> state != 0; state++) {
                if ((mask >>> state & 1) == 0) {
                    continue;
                }
                if (node.isFinal && !UnitPaths.canEnd(alphabet, state)) {
                    throw image.corrupt("a term ends inside a UTF-8 sequence");
                }
                for (int e = 0; e < node.labels.length; e++) {
                    int next = UnitPaths.next(alphabet, state, node.labels[e]);
                    if (next == UnitPaths.INVALID) {
                        throw image.corrupt("label " + node.labels[e] + " cannot follow on a path of " + alphabet);
                    }
                    masks.merge(node.children[e], 1 << next, (a, b) -> a | b);
                }
            }
        }
    }

    /** Every node reachable from {@code root} (EMPTY excluded), children before parents, without recursion. */
    static DawgNode[] postOrder(DawgNode root) {
        if (root == DawgNode.EMPTY) {
            return DawgNode.NO_CHILDREN;
        }
        IdentityHashMap<DawgNode, Boolean> seen = new IdentityHashMap<>();
        DawgNode[] order = new DawgNode[16];
        int count = 0;
        DawgNode[] stack = new DawgNode[16];
        int[] nextChild = new int[16];
        int top = 0;
        stack[0] = root;
        seen.put(root, Boolean.TRUE);
        while (top >= 0) {
            DawgNode node = stack[top];
            if (nextChild[top] < node.children.length) {
                DawgNode child = node.children[nextChild[top]++];
                if (seen.put(child, Boolean.TRUE) == null) {
                    if (++top == stack.length) {
                        stack = Arrays.copyOf(stack, top * 2);
                        nextChild = Arrays.copyOf(nextChild, top * 2);
                    }
                    stack[top] = child;
                    nextChild[top] = 0;
                }
            } else {
                if (count == order.length) {
                    order = Arrays.copyOf(order, count * 2);
                }
                order[count++] = node;
                top--;
            }
        }
        return Arrays.copyOf(order, count);
    }

    /** The DAWG payload of {@link DictionaryImageFormat} (kinds 2 and 3) of the current version. */
    byte[] payload(ValueCodec<Object> codec) {
        Snapshot current = snapshot;
        DawgNode[] order = postOrder(current.root());
        IdentityHashMap<DawgNode, Integer> index = new IdentityHashMap<>(order.length * 2);
        ImageWriter out = new ImageWriter(order.length * 8 + 16);
        boolean emptyRoot = current.root() == DawgNode.EMPTY;
        out.varint(order.length + (emptyRoot ? 1 : 0));
        out.varint(current.size());
        for (int i = 0; i < order.length; i++) {
            DawgNode node = order[i];
            index.put(node, i);
            boolean withValue = codec != null && node.value != null;
            out.varint((long) node.labels.length << NODE_EDGE_SHIFT | (node.isFinal ? NODE_FINAL : 0)
                    | (withValue ? NODE_HAS_VALUE : 0));
            long previous = 0;
            for (int e = 0; e < node.labels.length; e++) {
                out.varint(node.labels[e] - previous);
                previous = node.labels[e];
                out.varint(i - index.get(node.children[e]));
            }
            if (withValue) {
                out.value(codec.encode(node.value));
            }
        }
        if (emptyRoot) {
            out.varint(0);
        }
        return out.toByteArray();
    }

    /**
     * Loads a graph from a DAWG payload, decoding values with {@code codec} (or skipping them if null), and
     * checks its structure: labels ascending and within {@code maxLabel} (unsigned), children before parents,
     * every node but the root referenced, no dead node, and the stored term count.
     */
    static DawgGraph load(DictionaryImage image, ValueCodec<?> codec, Alphabet alphabet, int registryLimit)
            throws CorruptedStoreException {
        long maxLabel = alphabet == null ? -1L : Units.maxUnit(alphabet);
        ImageReader in = new ImageReader(image, image.payload(), 0);
        long nodeCount = in.varint(1, in.remaining(), "node count");
        long termCount = in.varint(0, Long.MAX_VALUE, "term count");
        DawgGraph graph = new DawgGraph(registryLimit);
        DawgNode[] nodes = new DawgNode[(int) nodeCount];
        long[] terms = new long[(int) nodeCount];
        for (int i = 0; i < nodes.length; i++) {
            long header = in.varint(0, Long.MAX_VALUE, "node header");
            boolean isFinal = (header & NODE_FINAL) != 0;
            boolean hasValue = (header & NODE_HAS_VALUE) != 0;
            if (hasValue && (!isFinal || !image.hasValues())) {
                throw image.corrupt("node " + i + " carries a value but is not final or the image has none");
            }
            long edges = header >>> NODE_EDGE_SHIFT;
            if (edges > in.remaining() / 2) {
                throw image.corrupt("node " + i + " claims " + edges + " edges, more than the bytes left");
            }
            long[] labels = new long[(int) edges];
            DawgNode[] children = new DawgNode[(int) edges];
            long paths = isFinal ? 1 : 0;
            for (int e = 0; e < edges; e++) {
                long delta = in.varint();
                long label = e == 0 ? delta : labels[e - 1] + delta;
                if ((e > 0 && (delta == 0 || Long.compareUnsigned(label, labels[e - 1]) <= 0))
                        || Long.compareUnsigned(label, maxLabel) > 0) {
                    throw image.corrupt("edge " + e + " of node " + i + " has label " + Long.toUnsignedString(label)
                            + ", out of order or above " + Long.toUnsignedString(maxLabel));
                }
                labels[e] = label;
                int child = i - (int) in.varint(1, i, "child distance");
                children[e] = nodes[child];
                paths += terms[child];
                if (paths < 0) { // counts are at most Long.MAX_VALUE, so a sum of two wraps to a negative
                    throw image.corrupt("node " + i + " spells more than " + Long.MAX_VALUE
                            + " terms, more than a term count can hold");
                }
            }
            Object value = null;
            if (hasValue) {
                if (codec == null) {
                    in.skipValue();
                } else {
                    value = in.value(codec);
                }
            }
            terms[i] = paths;
            boolean emptyRoot = i == nodes.length - 1 && !isFinal && edges == 0;
            nodes[i] = emptyRoot ? DawgNode.EMPTY : graph.canonical(isFinal, value, labels, children, false);
            if (nodes[i] == null) {
                throw image.corrupt("node " + i + " is neither final nor has edges");
            }
        }
        in.expectEnd();
        DawgNode root = nodes[nodes.length - 1];
        if (terms[nodes.length - 1] != termCount) {
            throw image.corrupt("term count " + termCount + " disagrees with the " + terms[nodes.length - 1]
                    + " terms the graph spells");
        }
        acquire(root);
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i].refs == 0 && nodes[i] != DawgNode.EMPTY) {
                throw image.corrupt("node " + i + " is not reachable from the root");
            }
        }
        if (alphabet != null) {
            checkPaths(root, alphabet, image);
        }
        graph.snapshot = new Snapshot(root, termCount);
        return graph;
    }
}
