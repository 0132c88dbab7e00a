package io.cairn.cli;

import io.cairn.tree.Tree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A file found by {@code cairn tree import --from-dir}: its key (the path relative to the walked directory, after
 * a prefix) and where its value comes from. The whole walk is checked before the tree is opened, so a name too
 * long or a file too big for a value is reported before anything changes.
 */
record DirectoryEntry(byte[] key, Path relative, byte[] metadata) {
    /**
     * Every non-directory under {@code root} (symbolic links not followed), in key order. Values are the files'
     * metadata, or their bytes when {@code contents}: then every file must fit in a value.
     */
    static List<DirectoryEntry> walk(Path root, String prefix, boolean contents) throws IOException {
        InputFiles.directory(root, "directory to import (--from-dir)", false);
        List<DirectoryEntry> entries = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path path, BasicFileAttributes attrs) {
                Path relative = root.relativize(path);
                byte[] key = (prefix + String.join("/", names(relative))).getBytes(StandardCharsets.UTF_8);
                if (key.length > Tree.MAX_KEY_BYTES) {
                    throw new IllegalArgumentException(path + ": its key is " + key.length
                            + " bytes, over the tree's limit of " + Tree.MAX_KEY_BYTES);
                }
                if (contents && !attrs.isRegularFile()) {
                    throw new IllegalArgumentException(path + " is not a regular file: --contents imports only "
                            + "regular files");
                }
                if (contents && attrs.size() > Tree.MAX_VALUE_BYTES) {
                    throw new IllegalArgumentException(path + " holds " + attrs.size()
                            + " bytes, over the tree's value limit of " + Tree.MAX_VALUE_BYTES
                            + " (import its metadata instead: drop --contents)");
                }
                String kind = attrs.isSymbolicLink() ? "link" : attrs.isRegularFile() ? "file" : "other";
                byte[] metadata = (kind + " " + attrs.size() + " " + attrs.lastModifiedTime())
                        .getBytes(StandardCharsets.UTF_8);
                entries.add(new DirectoryEntry(key, relative, contents ? null : metadata));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path path, IOException e) throws IOException {
                throw e;
            }
        });
        entries.sort((a, b) -> Arrays.compareUnsigned(a.key, b.key));
        return entries;
    }

    private static List<String> names(Path relative) {
        List<String> names = new ArrayList<>();
        relative.forEach(name -> names.add(name.toString()));
        return names;
    }

    /** The value to store: the metadata, or the file's bytes read now (refused if it grew past a value's limit). */
    byte[] value(Path root) throws IOException {
        if (metadata != null) {
            return metadata;
        }
        Path path = root.resolve(relative);
        byte[] bytes = Files.readAllBytes(path);
        if (bytes.length > Tree.MAX_VALUE_BYTES) {
            throw new IllegalArgumentException(path + " grew to " + bytes.length
                    + " bytes during the import, over the tree's value limit of " + Tree.MAX_VALUE_BYTES);
        }
        return bytes;
    }
}
