package io.cairn.tree.engine;

import java.util.BitSet;
import java.util.List;

/**
 * Frames in use that no tree reaches: a database's {@code gc}. A store only ever names such frames in a manifest when
 * a crash interrupted a compaction after one of its checkpoints had published the half-built copy of a tree (the
 * copy is no tree of the catalog); they hold no data anyone can read, so they are released and the next checkpoint
 * frees their slots. Reachability is decided by walking every tree's nodes and Blobs (not by the frames' parent
 * links, which are only hints), so a frame a tree reaches is never released.
 */
final class Orphans {
    private Orphans() {}

    /**
     * Releases the frames of {@code table} that none of the trees rooted at {@code roots} reaches; the caller has
     * closed every tree's writer gate and holds off anything else that allocates frames. Returns how many.
     */
    static int release(FrameTable table, List<Frame> roots) {
        BitSet reached = new BitSet();
        for (Frame root : roots) {
            for (Frame f : SnapshotFrames.reachable(table, root, new byte[0], false)) {
                reached.set(f.id);
            }
        }
        int released = 0;
        for (int[] inUse : table.framesInUse()) {
            if (!reached.get(inUse[0])) {
                Frame f = table.get(inUse[0]);
                Mutation m = new Mutation();
                m.hold(f); // waits out a reader's load; no writer can hold it (nothing links to it)
                m.releaseAll();
                f.keepResident = false;
                f.parent = -1;
                table.release(f);
                released++;
            }
        }
        return released;
    }
}
