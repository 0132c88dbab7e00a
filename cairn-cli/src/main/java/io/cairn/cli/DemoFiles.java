package io.cairn.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * The demo's data directory. The demo wipes it at each run so the run is repeatable, but only a directory the
 * demo created itself: one holding its {@link #MARKER} file. Any other non-empty directory, and anything that is
 * not a directory (a file, a symbolic link), is refused, and the wipe never follows a symbolic link out of it.
 */
final class DemoFiles {
    /** The file the demo writes into a directory it owns. */
    static final String MARKER = ".cairn-demo";

    private DemoFiles() {}

    /** Makes {@code dir} an empty demo directory holding only the marker, or refuses without touching anything. */
    static void prepare(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            throw new IllegalArgumentException("--dir " + dir + " is a symbolic link; the demo only uses a real "
                    + "directory it created (give the link's target, or a new path)");
        }
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException("--dir " + dir + " is a file, not a directory; the demo writes "
                        + "its files into a directory it creates (give a new path)");
            }
            if (!isEmpty(dir)) {
                if (!Files.isRegularFile(dir.resolve(MARKER), LinkOption.NOFOLLOW_LINKS)) {
                    throw new IllegalArgumentException("--dir " + dir + " is not empty and was not created by the "
                            + "demo (it has no " + MARKER + " file), so the demo will not wipe it; give a new or "
                            + "empty directory");
                }
                wipeContents(dir);
            }
        } else {
            Files.createDirectories(dir);
        }
        Files.writeString(dir.resolve(MARKER), "Created by 'cairn demo', which empties this directory at each run.\n",
                StandardCharsets.UTF_8);
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Deletes everything under {@code dir} (not {@code dir} itself); a symbolic link is deleted, never followed. */
    private static void wipeContents(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path sub, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                if (!sub.equals(dir)) {
                    Files.delete(sub);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
