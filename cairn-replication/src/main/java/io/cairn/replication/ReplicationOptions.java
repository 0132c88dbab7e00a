package io.cairn.replication;

import io.cairn.tree.TreeOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * Options of a replica. Immutable; each setter returns a changed copy.
 *
 * <ul>
 *   <li>{@link #groupName}: the replication group (all members use the same; default {@code cairn}).</li>
 *   <li>{@link #electionTimeout}: a follower that hears nothing from the leader for a random time between this
 *       and twice this starts an election (default 500 ms): the time to notice a dead leader.</li>
 *   <li>{@link #writeTimeout}: how long a write waits for the group before it fails with
 *       {@link UnknownOutcomeException} (default 30 s).</li>
 *   <li>{@link #snapshotInterval}: a replica takes a snapshot (a checkpoint and an image of its database) after
 *       this many log entries (default 100,000); the closed log segments it covers are then purged, and a member
 *       that needs them installs the snapshot instead.</li>
 *   <li>{@link #logSegmentSize}: the size at which a Raft log segment is closed (default 8 MiB); only closed
 *       segments are purged.</li>
 *   <li>{@link #treeOptions}: the local database's options (frame size, cache, the I/O seam); its durability is
 *       ignored: the Raft log is the durability point, see {@link ReplicatedDatabase}.</li>
 * </ul>
 */
public final class ReplicationOptions {
    private final String groupName;
    private final Duration electionTimeout;
    private final Duration writeTimeout;
    private final long snapshotInterval;
    private final long logSegmentSize;
    private final TreeOptions treeOptions;

    private ReplicationOptions(String groupName, Duration electionTimeout, Duration writeTimeout,
            long snapshotInterval, long logSegmentSize, TreeOptions treeOptions) {
        this.groupName = groupName;
        this.electionTimeout = electionTimeout;
        this.writeTimeout = writeTimeout;
        this.snapshotInterval = snapshotInterval;
        this.logSegmentSize = logSegmentSize;
        this.treeOptions = treeOptions;
    }

    public static ReplicationOptions defaults() {
        return new ReplicationOptions("cairn", Duration.ofMillis(500), Duration.ofSeconds(30), 100_000,
                8L << 20, TreeOptions.defaults());
    }

    /** The group's name: 1 to 64 letters, digits, '.', '_' or '-'. */
    public ReplicationOptions groupName(String name) {
        Objects.requireNonNull(name, "groupName");
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("groupName \"" + name
                    + "\" must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return new ReplicationOptions(name, electionTimeout, writeTimeout, snapshotInterval, logSegmentSize, treeOptions);
    }

    public String groupName() {
        return groupName;
    }

    /** Between 50 ms and 60 s. */
    public ReplicationOptions electionTimeout(Duration value) {
        return new ReplicationOptions(groupName, bounded("electionTimeout", value, Duration.ofMillis(50),
                Duration.ofSeconds(60)), writeTimeout, snapshotInterval, logSegmentSize, treeOptions);
    }

    public Duration electionTimeout() {
        return electionTimeout;
    }

    /** Between 100 ms and 1 hour. */
    public ReplicationOptions writeTimeout(Duration value) {
        return new ReplicationOptions(groupName, electionTimeout, bounded("writeTimeout", value,
                Duration.ofMillis(100), Duration.ofHours(1)), snapshotInterval, logSegmentSize, treeOptions);
    }

    public Duration writeTimeout() {
        return writeTimeout;
    }

    /** At least 1 entry. */
    public ReplicationOptions snapshotInterval(long entries) {
        if (entries < 1) {
            throw new IllegalArgumentException("snapshotInterval must be at least 1 entry, got " + entries);
        }
        return new ReplicationOptions(groupName, electionTimeout, writeTimeout, entries, logSegmentSize, treeOptions);
    }

    public long snapshotInterval() {
        return snapshotInterval;
    }

    /** Between 16 KiB and 1 GiB. */
    public ReplicationOptions logSegmentSize(long bytes) {
        if (bytes < (16L << 10) || bytes > (1L << 30)) {
            throw new IllegalArgumentException("logSegmentSize must be between 16384 and 1073741824 bytes, got "
                    + bytes);
        }
        return new ReplicationOptions(groupName, electionTimeout, writeTimeout, snapshotInterval, bytes, treeOptions);
    }

    public long logSegmentSize() {
        return logSegmentSize;
    }

    public ReplicationOptions treeOptions(TreeOptions value) {
        return new ReplicationOptions(groupName, electionTimeout, writeTimeout, snapshotInterval, logSegmentSize,
                Objects.requireNonNull(value, "treeOptions"));
    }

    public TreeOptions treeOptions() {
        return treeOptions;
    }

    private static Duration bounded(String name, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, name);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }
}
