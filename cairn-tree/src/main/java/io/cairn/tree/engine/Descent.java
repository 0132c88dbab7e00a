package io.cairn.tree.engine;

import static io.cairn.tree.engine.FrameFormat.*;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The optimistic descent behind every point operation: an exact lookup, the longest stored prefix of a query, or
 * the frame where a writer's key ends. It follows the key from the root frame, crossing Blobs with lock coupling
 * (read the child's version, then validate the parent's), and restarts from the root whenever a validation fails.
 * A reader that sees a version change, an impossible node or an out-of-bounds offset validates: a moved version
 * means a torn read and a restart; a still valid version means the structure really is impossible and a
 * {@link io.cairn.stack.CorruptedStoreException}.
 */
final class Descent {
    private Descent() {}

    /** A frame holds at most this many nodes, so a descent that takes more steps in one frame is in a cycle. */
    static final int MAX_STEPS_PER_FRAME = DEFAULT_FRAME_SIZE / 8;

    /** What an optimistic descent is for: an exact lookup, the longest stored prefix, or a writer's frame. */
    enum Goal { GET, LONGEST_PREFIX, LOCATE }

    /** The outcome of {@link #descend}. */
    static final class Probe {
        /** LOCATE: the frame where the key's path ends, the version seen and the depth of its root. */
        Frame frame;
        long frameVersion;
        int frameDepth;
        /** GET / LONGEST_PREFIX: the matched key length (-1 if none), its value and version. */
        int matched = -1;
        byte[] value;
        long version;

        /**
         * LONGEST_PREFIX: depths where the descent went right at a Split. The key ending at such a depth lives on
         * the left side (possibly in another frame), so it is looked up separately.
         */
        int[] skipped = new int[0];

        void skippedLeft(int depth) {
            skipped = Arrays.copyOf(skipped, skipped.length + 1);
            skipped[skipped.length - 1] = depth;
        }

        void match(Frame f, int leaf, int length) {
            matched = length;
            value = Nodes.leafValue(f, leaf);
            version = Nodes.leafVersion(f, leaf);
        }
    }

    /** The value and version stored under {@code key} as {@code view} sees the tree; {@code matched < 0} if none. */
    static Probe get(FrameView view, byte[] key) {
        return descend(view, key, Goal.GET, null);
    }

    /**
     * The longest stored key of at least {@code minLength} bytes that is a prefix of {@code query} (the query
     * itself included): the probe's {@code matched} is its length, -1 if there is none. A snapshot passes its
     * prefix's length: shorter keys are outside it, and the frames that lead to them need not be the snapshot's.
     */
    static Probe longestPrefix(FrameView view, byte[] query, int minLength) {
        Probe p = descend(view, query, Goal.LONGEST_PREFIX, null);
        for (int i = p.skipped.length - 1; i >= 0 && p.skipped[i] > p.matched && p.skipped[i] >= minLength; i--) {
            Probe left = get(view, Arrays.copyOf(query, p.skipped[i]));
            if (left.matched >= 0) {
                left.matched = p.skipped[i];
                return left;
            }
        }
        if (p.matched < minLength) {
            p.matched = -1;
        }
        return p;
    }

    /**
     * The frame where {@code key}'s path ends, the version it had and its root's key depth. A caller that closed the
     * writer gate and holds latches itself ({@code held}, null for none) passes them: those frames are read without
     * waiting for their version (no other writer can be in the tree; only the cache may latch the others, briefly).
     */
    static Probe locate(FrameView view, byte[] key, Mutation held) {
        return descend(view, key, Goal.LOCATE, held);
    }

    /** Restarts after which a descent pins the frames it reads, so the cache cannot keep evicting them under it. */
    static final int RESTARTS_BEFORE_PINNING = 4;

    /** The version a descent reads {@code f} at: as it is if the caller holds its latch, else a stable one. */
    private static long versionOf(Frame f, Mutation held) {
        return held != null && held.holds(f) ? f.currentVersion() : f.stableVersion();
    }

    private static Probe descend(FrameView view, byte[] key, Goal goal, Mutation held) {
        Frame[] pins = null;
        int pinCount = 0;
        try {
            for (int attempt = 0;; attempt++) {
                for (; pinCount > 0; pinCount--) {
                    pins[pinCount - 1].unpin();
                }
                if (attempt >= RESTARTS_BEFORE_PINNING && pins == null) {
                    pins = new Frame[8];
                }
                Probe p = new Probe();
                Frame f = view.rootFrame();
                long v = versionOf(f, held);
                Frame settled = view.recheck(f);
                if (settled != f) {
                    f = settled;
                    v = versionOf(f, held);
                }
                int d = 0;
                int frameDepth = 0;
                int ref = ROOT_OFFSET;
                int hops = 0;
                int steps = 0;
                String anomaly = null;
                int anomalyAt = 0;
                try {
                    for (;;) {
                        int node = f.target(ref);
                        int type = f.type(node);
                        int next = -1;
                        if (type == T_BLOB) {
                            Frame child = view.frame(f.u64(node + BLOB_FRAME_ID));
                            if (child == null || ++hops > view.frameCount() + 1) {
                                anomaly = "blob to a missing frame or a frame cycle";
                                anomalyAt = node;
                                break;
                            }
                            if (pins != null) {
                                if (pinCount == pins.length) {
                                    pins = Arrays.copyOf(pins, pinCount * 2);
                                }
                                child.pin();
                                pins[pinCount++] = child;
                            }
                            long cv = versionOf(child, held);
                            Frame settledChild = view.recheck(child);
                            if (settledChild != child) {
                                child = settledChild;
                                cv = versionOf(child, held);
                            }
                            if (!f.validate(v)) {
                                break;
                            }
                            f = child;
                            v = cv;
                            frameDepth = d;
                            ref = ROOT_OFFSET;
                            steps = 0;
                            continue;
                        }
                        if (++steps > MAX_STEPS_PER_FRAME) {
                            anomaly = "node cycle";
                            anomalyAt = node;
                            break;
                        }
                        if (type == T_PREFIX) {
                            int n = f.u8(node + PREFIX_LEN);
                            if (n == 0) {
                                anomaly = "empty prefix";
                                anomalyAt = node;
                                break;
                            }
                            if (Edits.prefixMatch(f, node, n, key, d) == n) {
                                d += n;
                                next = node + PREFIX_CHILD;
                            }
                        } else if (type == T_SPLIT) {
                            next = node + (d < key.length && (key[d] & 0xFF) >= f.u8(node + SPLIT_PIVOT)
                                    ? SPLIT_RIGHT : SPLIT_LEFT);
                            if (goal == Goal.LONGEST_PREFIX && next == node + SPLIT_RIGHT) {
                                p.skippedLeft(d);
                            }
                        } else if (Nodes.isInner(type)) {
                            int value = f.target(node + INNER_VALUE);
                            if (value != 0 && f.type(value) != T_LEAF) {
                                anomaly = "value slot does not hold a leaf";
                                anomalyAt = value;
                                break;
                            }
                            if (value != 0 && (goal == Goal.LONGEST_PREFIX || (goal == Goal.GET && d == key.length))) {
                                p.match(f, value, d);
                            }
                            if (d < key.length) {
                                next = Nodes.childField(f, node, key[d] & 0xFF);
                                d = next < 0 ? d : d + 1;
                            }
                        } else if (type == T_LEAF) {
                            int len = Nodes.leafSuffixLength(f, node);
                            boolean whole = goal == Goal.GET ? len == key.length - d : len <= key.length - d;
                            if (goal != Goal.LOCATE && whole && MemorySegment.mismatch(f.seg,
                                    Nodes.leafSuffixStart(f, node), Nodes.leafSuffixStart(f, node) + len,
                                    MemorySegment.ofArray(key), d, d + len) < 0) {
                                p.match(f, node, d + len);
                            }
                        } else if (type != T_EMPTY_ROOT) {
                            anomaly = "invalid node type " + type;
                            anomalyAt = node;
                            break;
                        }
                        if (next < 0) {
                            if (f.validate(v)) {
                                p.frame = f;
                                p.frameVersion = v;
                                p.frameDepth = frameDepth;
                                return p;
                            }
                            break;
                        }
                        ref = next;
                    }
                } catch (IndexOutOfBoundsException | IllegalStateException torn) {
                    f.rethrowIfClosed(torn);
                    anomaly = "offset out of bounds: " + torn.getMessage();
                    anomalyAt = ref;
                }
                if (anomaly != null && f.validate(v)) {
                    throw f.corrupt(anomalyAt, anomaly);
                }
            }
        } finally {
            for (; pinCount > 0; pinCount--) {
                pins[pinCount - 1].unpin();
            }
        }
    }
}
