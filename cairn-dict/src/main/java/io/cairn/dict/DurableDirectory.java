package io.cairn.dict;

import io.cairn.dict.DurableFormat.Kind;
import io.cairn.tree.Tree;
import io.cairn.tree.TreeOptions;
import io.cairn.tree.TreeStats;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Opens the tree in a directory as a durable dictionary or vocabulary: checks (or, for a new tree, writes) the
 * {@link DurableFormat} marker, and measures the open for the {@link RecoveryReport}.
 */
final class DurableDirectory {
    private DurableDirectory() {}

    /** An opened tree and what the open found. */
    record Opened(Tree tree, RecoveryReport report) {}

    /**
     * Opens {@code directory} (creating it unless {@code readOnly}) as {@code kind}.
     *
     * @throws IllegalArgumentException if it holds another kind, or a tree that is not a durable dictionary
     */
    static Opened open(Path directory, TreeOptions options, Kind kind, boolean readOnly) throws IOException {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(options, "options");
        long started = System.nanoTime();
        Tree tree = readOnly ? Tree.openReadOnly(directory) : Tree.open(directory, options);
        try {
            boolean created = false;
            byte[] marker = tree.get(DurableFormat.MARKER_KEY);
            if (marker != null) {
                Kind found = DurableFormat.kind(marker, directory);
                if (found != kind) {
                    throw new IllegalArgumentException(directory + " holds " + found.description + ", not "
                            + kind.description);
                }
            } else if (!tree.isPrefixEmpty(new byte[0])) {
                throw new IllegalArgumentException(directory + " holds a tree that is not " + kind.description
                        + " (it has no marker key)");
            } else if (!readOnly) { // a new tree, or one whose creation a crash cut short before the marker
                tree.put(DurableFormat.MARKER_KEY, DurableFormat.marker(kind));
                created = true;
            }
            TreeStats.Recovery r = tree.recovery();
            return new Opened(tree, new RecoveryReport(created, r.replayedRecords(), r.walBytesCut(),
                    Duration.ofNanos(System.nanoTime() - started)));
        } catch (IOException | RuntimeException e) {
            tree.close();
            throw e;
        }
    }
}
