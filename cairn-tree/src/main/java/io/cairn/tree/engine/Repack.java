package io.cairn.tree.engine;

import java.util.List;

/**
 * Puts a tree's records into fewer, fuller frames: the tree takes over the frames of a copy that was built by
 * inserting its records in key order into an empty tree of the same table (a {@code compact} of a database), and
 * its own frames are released. Deletes leave frames partly empty (a frame is merged back only below 1/8 full), and
 * only this gathers the survivors again.
 *
 * <p>The tree keeps its root frame (every handle, reader and snapshot reaches the tree through it): the copy's root
 * frame is copied into it and the copy's child frames are linked under it. The caller has closed the tree's writer
 * gate, so no writer holds a frame of it; readers carry on: every old frame is latched and released (its version
 * moves), so a reader inside the old layout fails its validation and restarts from the root, which already leads
 * into the new one. Snapshots that cover old frames get their copies when those are latched, as on a drop.
 */
final class Repack {
    private Repack() {}

    /**
     * Replaces the frames of the tree rooted at {@code root} by those of the tree rooted at {@code copyRoot} (same
     * table, same records), releasing the old frames and the copy's root frame — if the copy has fewer frames;
     * otherwise (the tree was as full as a bulk load makes it) nothing changes and false is returned.
     */
    static boolean adopt(FrameTable table, FrameSpace space, Frame root, Frame copyRoot) {
        List<Frame> old = SnapshotFrames.reachable(table, root, new byte[0], true);
        if (SnapshotFrames.reachable(table, copyRoot, new byte[0], true).size() >= old.size()) {
            return false;
        }
        Mutation releasing = new Mutation();
        for (Frame f : old) {
            if (f != root) {
                releasing.hold(f); // a snapshot covering the frame copies it now; the version moves on release
            }
        }
        Mutation rewriting = new Mutation();
        rewriting.hold(root);
        rewriting.hold(copyRoot);
        rewriting.changed = true;
        root.format();
        if (copyRoot.root() != FrameFormat.DATA_START) {
            root.link(FrameFormat.ROOT_OFFSET, space.copySubtree(copyRoot, copyRoot.root(), root)); // relinks children
        }
        rewriting.releaseAll();
        releasing.releaseAll();
        space.dropMergeQueue(); // (it may name old frames)
        for (Frame f : old) {
            if (f != root) {
                f.parent = -1;
                table.release(f);
            }
        }
        copyRoot.keepResident = false;
        copyRoot.parent = -1;
        table.release(copyRoot);
        return true;
    }
}
