package io.cairn.tree;

/**
 * How much write-ahead log a database keeps for its change feed beyond what recovery needs
 * ({@link TreeOptions#changeRetention}). A checkpoint retires the log it covers unless this says otherwise; a
 * follower asking for changes older than the retained log gets a {@link PositionExpiredException} and must install
 * an image. The log is retired in whole segments (one per checkpoint), so at least this much is kept, often more.
 * The database records the retention in force (its manifest), so an open that does not name one keeps it.
 *
 * @param records keep at least the last this many records (0: no rule by records)
 * @param bytes   keep at least the last this many bytes of log (0: no rule by bytes)
 */
public record ChangeRetention(long records, long bytes) {

    public ChangeRetention {
        if (records < 0) {
            throw new IllegalArgumentException("records must not be negative, got " + records);
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative, got " + bytes);
        }
    }

    /** Keep nothing beyond the last checkpoint (what a new database keeps unless told otherwise). */
    public static ChangeRetention none() {
        return new ChangeRetention(0, 0);
    }

    /** Keep at least the last {@code records} records. */
    public static ChangeRetention records(long records) {
        return new ChangeRetention(records, 0);
    }

    /** Keep at least the last {@code bytes} bytes of log. */
    public static ChangeRetention bytes(long bytes) {
        return new ChangeRetention(0, bytes);
    }
}
