package io.cairn.tree.engine;

import java.util.ArrayList;

/** A write in progress: the frames it latched, released together, and where the write resumes after a spill. */
final class Mutation {
    private final ArrayList<Frame> held = new ArrayList<>(4);
    /** Set once the write changed a frame: the frames it holds are then dirty (to be written by a checkpoint). */
    boolean changed;
    /** Set when keys were located in frames latched up front: spills must not re-route them via a parent. */
    boolean localSpillsOnly;
    /**
     * Set once a multi-key write has passed its headroom check and started changing the tree: its spills may go
     * past the frame budget ({@link FrameTable#ensureHeadroom}), so it is never left half applied.
     */
    boolean pastBudget;
    /**
     * Set when making room changed a latched frame above the one the write stopped in (a range moved to a sibling
     * through the parent, or routing lifted into it): the write continues from there, at that frame root's key
     * depth.
     */
    Frame resumeFrame;
    int resumeDepth;

    /** Whether this write holds {@code f}'s latch. */
    boolean holds(Frame f) {
        for (Frame h : held) {
            if (h == f) {
                return true;
            }
        }
        return false;
    }

    /** Latches {@code f}, waiting for its current holder, unless this write holds it already. */
    void hold(Frame f) {
        if (holds(f)) {
            return;
        }
        f.lock();
        held.add(f);
    }

    /** Records where the write continues; a later call (a frame higher up) overrides an earlier one. */
    void resumeAt(Frame f, int depth) {
        resumeFrame = f;
        resumeDepth = depth;
    }

    /** Latches {@code f} if that needs no waiting (or it is held already). */
    boolean tryHold(Frame f) {
        if (holds(f)) {
            return true;
        }
        if (!f.tryLockNow()) {
            return false;
        }
        held.add(f);
        return true;
    }

    /** Takes over a frame the caller latched itself (a fresh frame, or one latched by version). */
    void adopt(Frame latched) {
        held.add(latched);
    }

    /** Releases every latch, marking the frames dirty first if the write changed anything. */
    void releaseAll() {
        for (Frame f : held) {
            if (changed) {
                f.markDirty();
            }
            f.unlock();
        }
        held.clear();
        changed = false;
    }
}
