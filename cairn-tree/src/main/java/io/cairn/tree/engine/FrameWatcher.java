package io.cairn.tree.engine;

/**
 * Something that must see a frame as it is now even after later writes: a snapshot. A watcher registered on a
 * frame ({@link Frame#watch}) is handed the frame, latched and still unchanged, by the first writer that latches
 * it afterwards; it copies what it needs before the writer changes anything.
 */
interface FrameWatcher {

    /** Keeps what this watcher needs of {@code live}, which the calling writer holds latched and has not changed. */
    void preserve(Frame live);
}
