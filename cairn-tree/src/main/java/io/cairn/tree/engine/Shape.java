package io.cairn.tree.engine;

import static io.cairn.tree.engine.FrameFormat.*;

import java.util.ArrayList;
import java.util.function.IntConsumer;

/**
 * The shape of one tree, counted over all its frames with writers shut out (the caller closes the gate), and
 * checked against the frame headers' own counts.
 *
 * @param keys          stored keys
 * @param frames        frames of the tree
 * @param maxDepth      the most nodes on a path from the root to a key
 * @param avgDepth      the mean of that over all keys
 * @param maxFrameDepth the most frames a lookup crosses
 * @param fill          live node bytes / data capacity of the frames
 * @param deadBytes     bytes of replaced nodes not yet reclaimed by compaction
 */
public record Shape(long keys, long frames, int maxDepth, double avgDepth, int maxFrameDepth, double fill,
        long deadBytes) {

    /**
     * Counts the tree under {@code root}; its Blobs lead to frames of {@code table}. {@code walked} is told the
     * frames counted so far after each one.
     */
    static Shape of(FrameTable table, Frame root, IntConsumer walked) {
        Counter shape = new Counter(table, walked);
        shape.walk(root);
        if (shape.headerLeaves != shape.keys || shape.headerBlobs != shape.frames - 1) {
            throw root.corrupt(0, "frame headers count " + shape.headerLeaves + " leaves and "
                    + shape.headerBlobs + " blobs, the frames hold " + shape.keys + " and " + (shape.frames - 1));
        }
        return new Shape(shape.keys, shape.frames, shape.maxDepth,
                shape.keys == 0 ? 0 : (double) shape.depthSum / shape.keys, shape.maxFrameDepth,
                shape.frames == 0 ? 0 : (double) shape.liveBytes / ((long) shape.frames * root.dataCapacity()),
                shape.deadBytes);
    }

    private record Visit(Frame frame, int node, int depth, int frameDepth) {}

    /**
     * Depth-first count over all frames, one frame at a time (explicit stacks): a frame is pinned while its nodes
     * are counted, so a file-backed store's cache needs only that one resident for the walk.
     */
    private static final class Counter {
        private final FrameTable table;
        private final IntConsumer walked;
        long keys;
        long depthSum;
        int maxDepth;
        int frames;
        int maxFrameDepth;
        long liveBytes;
        long deadBytes;
        long headerLeaves;
        long headerBlobs;

        Counter(FrameTable table, IntConsumer walked) {
            this.table = table;
            this.walked = walked;
        }

        void walk(Frame top) {
            ArrayList<Visit> frameStack = new ArrayList<>();
            frameStack.add(new Visit(top, 0, 0, 1));
            ArrayList<Visit> stack = new ArrayList<>();
            long budget = (long) (table.liveCount() + 1) * Descent.MAX_STEPS_PER_FRAME;
            while (!frameStack.isEmpty()) {
                Visit entered = frameStack.remove(frameStack.size() - 1);
                Frame f = entered.frame();
                int frameDepth = entered.frameDepth();
                FrameCache.pin(f);
                try {
                    countFrame(f, frameDepth);
                    stack.add(new Visit(f, f.root(), entered.depth(), frameDepth));
                    while (!stack.isEmpty()) {
                        if (--budget < 0) {
                            throw top.corrupt(0, "more nodes reachable than the frames can hold: a cycle");
                        }
                        Visit e = stack.remove(stack.size() - 1);
                        int node = e.node();
                        int depth = e.depth();
                        int type = f.type(node);
                        if (type == T_LEAF) {
                            keys++;
                            depthSum += depth + 1;
                            maxDepth = Math.max(maxDepth, depth + 1);
                        } else if (type == T_PREFIX) {
                            stack.add(new Visit(f, f.target(node + PREFIX_CHILD), depth + 1, frameDepth));
                        } else if (type == T_SPLIT) {
                            stack.add(new Visit(f, f.target(node + SPLIT_LEFT), depth + 1, frameDepth));
                            stack.add(new Visit(f, f.target(node + SPLIT_RIGHT), depth + 1, frameDepth));
                        } else if (Nodes.isInner(type)) {
                            int value = f.target(node + INNER_VALUE);
                            if (value != 0) {
                                stack.add(new Visit(f, value, depth + 1, frameDepth));
                            }
                            for (long c = Nodes.nextChild(f, node, 0); c >= 0;
                                    c = Nodes.nextChild(f, node, (int) (c >>> 32) + 1)) {
                                stack.add(new Visit(f, f.target((int) c), depth + 1, frameDepth));
                            }
                        } else if (type == T_BLOB) {
                            Frame child = table.get(f.u64(node + BLOB_FRAME_ID));
                            if (child == null) {
                                throw f.corrupt(node, "blob to a missing frame");
                            }
                            frameStack.add(new Visit(child, 0, depth + 1, frameDepth + 1));
                        } else if (type != T_EMPTY_ROOT) {
                            throw f.corrupt(node, "invalid node type " + type);
                        }
                    }
                } finally {
                    f.unpin();
                }
                walked.accept(frames);
            }
        }

        private void countFrame(Frame f, int frameDepth) {
            frames++;
            maxFrameDepth = Math.max(maxFrameDepth, frameDepth);
            liveBytes += f.liveBytes();
            deadBytes += f.deadBytes();
            headerLeaves += f.leafCount();
            headerBlobs += f.blobCount();
        }
    }
}
