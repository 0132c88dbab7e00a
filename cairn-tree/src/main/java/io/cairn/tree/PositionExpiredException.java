package io.cairn.tree;

import java.io.IOException;

/**
 * A change-feed position older than the log a database still keeps ({@link Database#changesAfter}): the records
 * after it were retired by a checkpoint. The follower cannot catch up from the feed; it installs an image
 * ({@link Database#exportImage}, {@link Database#installImage}) and continues from the image's sequence.
 * {@link TreeOptions#changeRetention} keeps more log on the leader.
 */
public final class PositionExpiredException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long position;
    private final long oldestPosition;

    PositionExpiredException(java.nio.file.Path directory, long position, long oldestPosition) {
        super("change feed position " + position + " of " + directory + " has expired: the log kept starts after "
                + oldestPosition + "; install an image and continue from its sequence");
        this.position = position;
        this.oldestPosition = oldestPosition;
    }

    /** The position asked for. */
    public long position() {
        return position;
    }

    /** The oldest position the database still serves. */
    public long oldestPosition() {
        return oldestPosition;
    }
}
