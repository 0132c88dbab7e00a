package io.cairn.tree.engine;

/** The live tree as readers see it: its root frame and the frames of its table, read in place. */
final class LiveFrames implements FrameView {
    private final FrameTable table;
    private final Frame root;

    LiveFrames(FrameTable table, Frame root) {
        this.table = table;
        this.root = root;
    }

    @Override
    public Frame rootFrame() {
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
