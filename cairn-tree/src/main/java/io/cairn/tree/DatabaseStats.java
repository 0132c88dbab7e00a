package io.cairn.tree;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A database at one moment ({@link Database#stats}): each tree's shape, and what the store they share holds and did.
 *
 * @param trees       each tree's shape by name, sorted (their {@code durable} figures are the store's, as below)
 * @param memoryBytes off-heap bytes held by the store's frames
 * @param durable     log, checkpoint and recovery figures of the store
 * @param feed        what the change feed serves
 * @param disk        bytes the store's files take
 */
public record DatabaseStats(Map<String, TreeStats> trees, long memoryBytes, TreeStats.Durable durable, Feed feed,
        Disk disk) {

    public DatabaseStats {
        trees = Collections.unmodifiableSortedMap(new TreeMap<>(trees));
    }

    /**
     * The change feed's reach.
     *
     * @param lastSequence    the last record's sequence
     * @param oldestPosition  the oldest position {@link Database#changesAfter} still serves
     * @param retainedRecords records retained for followers ({@code lastSequence - oldestPosition})
     */
    public record Feed(long lastSequence, long oldestPosition, long retainedRecords) {}

    /**
     * Sizes on disk.
     *
     * @param frameFileBytes the frame file ({@code frames.stack})
     * @param manifestBytes  the manifest ({@code manifest.stack})
     * @param walBytes       the retained write-ahead log segments
     */
    public record Disk(long frameFileBytes, long manifestBytes, long walBytes) {
        public long totalBytes() {
            return frameFileBytes + manifestBytes + walBytes;
        }
    }
}
