package io.cairn.dict;

import java.time.Duration;
import java.util.Objects;

/**
 * What opening a {@link DurableDictionary} or {@link DurableVocabulary} found and did.
 *
 * @param created         the directory held none yet: a new, empty one was made
 * @param replayedRecords log records written after the last checkpoint, replayed into the tree
 * @param walBytesCut     bytes of a torn log tail (a write a crash interrupted, never acknowledged) that were cut off;
 *                        a read-only open ignores them instead
 * @param time            how long the open took
 */
public record RecoveryReport(boolean created, long replayedRecords, long walBytesCut, Duration time) {
    public RecoveryReport {
        Objects.requireNonNull(time, "time");
    }

    /** Whether the open repaired anything on disk or in memory (so far: a torn log tail cut off). */
    public boolean repaired() {
        return walBytesCut > 0;
    }

    @Override
    public String toString() {
        return (created ? "created" : "opened") + " in " + time.toMillis() + " ms, " + replayedRecords
                + " log records replayed" + (repaired() ? ", a torn log tail of " + walBytesCut + " bytes cut" : "");
    }
}
