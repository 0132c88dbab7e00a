package io.cairn.tree;

/**
 * How far a long operation has got, for a progress bar: an image export or install (records) and the frame walk
 * of {@link Tree#stats(WorkProgress)} and {@link Database#stats(WorkProgress)} (frames). It is called from the
 * working thread, often (every few thousand records and at the end of each stage; after every frame, with the
 * tree's writers held off), so it must be quick.
 */
@FunctionalInterface
public interface WorkProgress {
    /** Reports nothing. */
    WorkProgress NONE = (stage, done, total) -> {};

    /**
     * {@code done} units of {@code stage} ("exporting", "checking", "installing" records; "checking" frames) are
     * through, of {@code total} ({@code -1} while unknown).
     */
    void update(String stage, long done, long total);
}
