package io.cairn.tree.storage;

/**
 * How much write-ahead log a checkpoint keeps for the change feed beyond what it covers, as the manifest records it
 * (the API's {@code ChangeRetention}).
 *
 * @param records keep at least the last this many records (0: no rule by records)
 * @param bytes   keep at least the last this many bytes of log, in whole segments (0: no rule by bytes)
 */
public record Retention(long records, long bytes) {
    /** Keep nothing beyond the checkpoint. */
    public static final Retention NONE = new Retention(0, 0);

    public Retention {
        if (records < 0 || bytes < 0) {
            throw new IllegalArgumentException("retention must not be negative, got " + records + " records, "
                    + bytes + " bytes");
        }
    }
}
