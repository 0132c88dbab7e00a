package io.cairn.tree;

/**
 * What an image export or install has done so far, for a progress bar: called from the working thread every few
 * thousand records and once at the end of each stage, so it must be quick.
 */
@FunctionalInterface
public interface ImageProgress {
    /** Reports nothing. */
    ImageProgress NONE = (stage, done, total) -> {};

    /**
     * {@code done} records of {@code stage} ("exporting", "checking", "installing") are through, of {@code total}
     * ({@code -1} while unknown).
     */
    void update(String stage, long done, long total);
}
