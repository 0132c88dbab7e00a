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
 *   <li>{@link #bindPort}: the port this member's server listens on when it differs from the one its peer entry
 *       advertises (behind a port forward or a proxy; default 0: the advertised one).</li>
 *   <li>{@link #treeOptions}: the local database's options (frame size, cache, the I/O seam); its durability is
 *       ignored: the Raft log is the durability point, see {@link ReplicatedDatabase}.</li>
 * </ul>
 */
public final class ReplicationOptions implements Cloneable {
    private String groupName = "cairn";
    private Duration electionTimeout = Duration.ofMillis(500);
    private Duration writeTimeout = Duration.ofSeconds(30);
    private long snapshotInterval = 100_000;
    private long logSegmentSize = 8L << 20;
    private int bindPort;
    private TreeOptions treeOptions = TreeOptions.defaults();

    private ReplicationOptions() {}

    public static ReplicationOptions defaults() {
        return new ReplicationOptions();
    }

    /** A copy with {@code change} made to it. */
    private ReplicationOptions with(java.util.function.Consumer<ReplicationOptions> change) {
        ReplicationOptions o;
        try {
            o = (ReplicationOptions) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
        change.accept(o);
        return o;
    }

    /** The group's name: 1 to 64 letters, digits, '.', '_' or '-'. */
    public ReplicationOptions groupName(String name) {
        Objects.requireNonNull(name, "groupName");
        if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("groupName \"" + name
                    + "\" must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        return with(o -> o.groupName = name);
    }

    public String groupName() {
        return groupName;
    }

    /** Between 50 ms and 60 s. */
    public ReplicationOptions electionTimeout(Duration value) {
        Duration checked = bounded("electionTimeout", value, Duration.ofMillis(50), Duration.ofSeconds(60));
        return with(o -> o.electionTimeout = checked);
    }

    public Duration electionTimeout() {
        return electionTimeout;
    }

    /** Between 100 ms and 1 hour. */
    public ReplicationOptions writeTimeout(Duration value) {
        Duration checked = bounded("writeTimeout", value, Duration.ofMillis(100), Duration.ofHours(1));
        return with(o -> o.writeTimeout = checked);
    }

    public Duration writeTimeout() {
        return writeTimeout;
    }

    /** At least 1 entry. */
    public ReplicationOptions snapshotInterval(long entries) {
        if (entries < 1) {
            throw new IllegalArgumentException("snapshotInterval must be at least 1 entry, got " + entries);
        }
        return with(o -> o.snapshotInterval = entries);
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
        return with(o -> o.logSegmentSize = bytes);
    }

    public long logSegmentSize() {
        return logSegmentSize;
    }

    /** 0 (listen on the advertised port) or 1 to 65535. */
    public ReplicationOptions bindPort(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("bindPort must be 0 or a port 1 to 65535, got " + port);
        }
        return with(o -> o.bindPort = port);
    }

    public int bindPort() {
        return bindPort;
    }

    public ReplicationOptions treeOptions(TreeOptions value) {
        Objects.requireNonNull(value, "treeOptions");
        return with(o -> o.treeOptions = value);
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
