package io.cairn.cli;

import io.cairn.tree.PrefixRecord;
import io.cairn.tree.Record;
import io.cairn.tree.ScanEntry;
import io.cairn.tree.Snapshot;
import io.cairn.tree.Tree;
import io.cairn.tree.TreeStats;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The tree layer in the demo: every path under {@code /usr} becomes a key ({@code usr/share/doc/...}, value: the
 * file's kind and size) in an in-memory tree; then {@code ls}-style delimiter listings, a longest-prefix lookup, an
 * atomic guarded rename seen from a snapshot taken before it, and the tree's statistics.
 */
final class TreeDemo implements DemoSection {
    private static final Path USR = Path.of("/usr");
    private static final byte SLASH = '/';
    private static final int LISTED = 10;

    @Override
    public String title() {
        return "tree: every path under /usr in an in-memory radix tree";
    }

    @Override
    public void run(Context context) throws IOException {
        PrintStream out = context.out();
        long started = System.nanoTime();
        List<Entry> files = Files.isDirectory(USR) ? filesUnder(USR) : List.of();
        if (files.isEmpty()) {
            out.println("  (no readable files under /usr on this machine: nothing to load)");
            return;
        }
        out.printf("  walked /usr: %,d paths (directories not stored as keys) in %d ms%n", files.size(),
                millisSince(started));
        try (Tree tree = Tree.inMemory()) {
            load(tree, files, out);
            list(tree, "usr/", out);
            list(tree, "usr/share/", out);
            byte[] file = firstFileUnder(tree, "usr/share/doc/");
            if (file == null) {
                file = firstFileUnder(tree, "usr/");
            }
            longestPrefix(tree, text(file) + ".d/part/7", out);
            longestPrefix(tree, "usr/share/", out);
            atomicRename(tree, file, out);
            stats(tree, out);
        }
    }

    /** A path's key ({@code usr/...}) and value (its kind and size). */
    private record Entry(byte[] key, byte[] value) {}

    /** Regular files, symlinks (not followed) and other non-directories; unreadable entries are skipped. */
    private static List<Entry> filesUnder(Path root) throws IOException {
        List<Entry> files = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path path, BasicFileAttributes attrs) {
                String kind = attrs.isSymbolicLink() ? "link" : attrs.isRegularFile() ? "file" : "other";
                files.add(new Entry(bytes(path.toString().substring(1)), bytes(kind + " " + attrs.size())));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path path, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return files;
    }

    private static void load(Tree tree, List<Entry> files, PrintStream out) {
        long started = System.nanoTime();
        try (Progress progress = Progress.start("  loading", files.size(), "", 1)) {
            for (Entry file : files) {
                tree.put(file.key(), file.value());
                progress.stepBy(1);
            }
        }
        long millis = millisSince(started);
        out.printf("  loaded %,d keys in %d ms (%,d keys/s, in a cold JVM: most of it is JIT warm-up)%n",
                tree.stats().keys(), millis, tree.stats().keys() * 1000 / Math.max(1, millis));
    }

    /** Like {@code ls}: the first entries under a directory, subdirectories rolled up into one entry each. */
    private static void list(Tree tree, String directory, PrintStream out) {
        List<ScanEntry> entries = tree.scan(bytes(directory)).delimiter(SLASH).limit(LISTED + 1).toList();
        out.printf("%n  $ ls %s        (%,d keys below; delimiter '/', limit %d)%n", directory,
                tree.prefixCount(bytes(directory), Long.MAX_VALUE), LISTED);
        for (ScanEntry entry : entries.subList(0, Math.min(LISTED, entries.size()))) {
            String name = entry.keyString().substring(directory.length());
            out.printf("    %-36s %s%n", name, entry.isCommonPrefix() ? "(directory, rolled up)" : text(entry.value()));
        }
        if (entries.size() > LISTED) {
            out.println("    …");
        }
    }

    private static byte[] firstFileUnder(Tree tree, String prefix) {
        for (ScanEntry entry : tree.scan(bytes(prefix)).keysOnly().limit(1)) {
            return entry.key();
        }
        return null;
    }

    private static void longestPrefix(Tree tree, String query, PrintStream out) {
        PrefixRecord found = tree.longestPrefix(bytes(query));
        out.printf("%n  longestPrefix(\"%s\")%n    -> %s%n", query, found == null
                ? "none (directories are not keys, so no stored key is a prefix of it)"
                : "\"" + text(found.key()) + "\" (" + text(found.value()) + ", version " + found.version() + ")");
    }

    /**
     * A guarded rename in one atomic batch, then the same batch again with its now stale guard; a snapshot of the
     * file's directory, taken before, keeps seeing the old name.
     */
    private static void atomicRename(Tree tree, byte[] source, PrintStream out) {
        byte[] target = bytes(text(source) + ".renamed");
        Record before = tree.getRecord(source);
        String name = text(source);
        byte[] directory = bytes(name.substring(0, name.lastIndexOf('/') + 1));
        try (Snapshot snapshot = tree.snapshot(directory)) {
            boolean applied = tree.atomic(batch -> batch.assertVersion(source, before.version())
                    .assertAbsent(target).rename(source, target, false));
            out.printf("%n  atomic { assertVersion(%s, %d); assertAbsent(%s); rename } -> %s%n", text(source),
                    before.version(), text(target), applied);
            out.printf("    now: %s is %s, %s has version %d%n", text(source),
                    tree.get(source) == null ? "gone" : "still there", text(target),
                    tree.getRecord(target).version());
            out.printf("    a snapshot of %s taken before: %s is %s, %s is %s (it holds %,d KiB of frame copies)%n",
                    text(directory), text(source), snapshot.get(source) == null ? "absent" : "present",
                    text(target), snapshot.get(target) == null ? "absent" : "present",
                    snapshot.retainedBytes() / 1024);
        }
        byte[] other = bytes(text(source) + ".again");
        boolean replayed = tree.atomic(batch -> batch.assertVersion(source, before.version())
                .rename(source, other, false));
        out.printf("  the same batch again (stale guard) -> %s; nothing changed: %s is %s%n", replayed, text(other),
                tree.get(other) == null ? "absent" : "present");
    }

    private static void stats(Tree tree, PrintStream out) {
        TreeStats stats = tree.stats();
        out.printf("%n  stats: %,d keys in %,d frames of 512 KiB; depth max %d / avg %.1f nodes, at most %d frames"
                + " deep%n", stats.keys(), stats.frames(), stats.maxDepth(), stats.avgDepth(), stats.maxFrameDepth());
        out.printf("         fill %.0f%%, %,d dead bytes, %,.1f MiB off-heap (%.0f bytes per key)%n",
                stats.fill() * 100, stats.deadBytes(), stats.memoryBytes() / 1048576.0,
                (double) stats.memoryBytes() / Math.max(1, stats.keys()));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
