package io.cairn.tree.wal;

/**
 * A snapshot of a log's figures. Counters cover this handle's life (since open).
 *
 * @param lastSequence        the last sequence appended (0: none ever)
 * @param durableSequence     every record up to here is forced (or, under {@code NONE}, handed to the OS)
 * @param segments            segment files retained
 * @param retainedBytes       their payload bytes
 * @param appendedRecords     records appended since open
 * @param appendedBytes       their encoded bytes
 * @param groupWrites         group commits written (one segment append each, two across a roll)
 * @param forces              fdatasyncs of segment data
 * @param tornBytesCut        bytes of a torn tail the open cut (or, read-only, ignored)
 * @param groupSizes          records per group commit, by power-of-two bucket ({@code [0]}: empty groups, i.e.
 *                            a force alone; {@code [i]}: {@code [2^(i-1), 2^i)} records)
 * @param flushMicros         latency of each group commit's write and force, microseconds, same buckets
 * @param flushNanosTotal     total time spent in group commits
 * @param flushNanosMax       the slowest group commit
 * @param gathers             group commits whose leader waited for other writers' records first
 * @param gatherNanosTotal    total time those leaders waited
 */
public record WalStats(long lastSequence, long durableSequence, int segments, long retainedBytes,
        long appendedRecords, long appendedBytes, long groupWrites, long forces, long tornBytesCut,
        long[] groupSizes, long[] flushMicros, long flushNanosTotal, long flushNanosMax, long gathers,
        long gatherNanosTotal) {

    /** Forces per appended record: 1 without group commit, less when writers share forces. */
    public double forcesPerRecord() {
        return appendedRecords == 0 ? 0 : (double) forces / appendedRecords;
    }
}
