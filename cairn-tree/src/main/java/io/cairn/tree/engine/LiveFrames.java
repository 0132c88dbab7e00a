package io.cairn.tree.engine;

/** The live tree as readers see it: its root frame and the frames of its table, read in place. */
final class LiveFrames implements FrameView {
    private final FrameTable table;
    private final Frame root;
    /** Why the tree is gone (it was dropped), or null: readers that start from the root fail with it. */
    private volatile String dropped;

    LiveFrames(FrameTable table, Frame root) {
        this.table = table;
        this.root = root;
    }

    /**
     * Every read starts (and restarts) here, so once this is set no read can finish on the dropped tree's frames:
     * a read already past the root is sent back here by the version its frames moved to when they were released.
     */
    void drop(String message) {
        dropped = message;
    }

    @Override
    public Frame rootFrame() {
        String d = dropped;
        if (d != null) {
            throw new IllegalStateException(d);
        }
        return root;
    }

    @Override
    public Frame frame(long id) {
        return table.get(id);
    }

    @Override
    public int frameCount() {
        return table.liveCount();
    }

    @Override
    public Frame recheck(Frame f) {
        return f;
    }
}
