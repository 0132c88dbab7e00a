package io.cairn.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real data: every path under {@code /usr} (files, symlinks and other non-directories as keys such as
 * {@code usr/share/doc/x}, directories not followed through symlinks, unreadable ones skipped) is loaded into an
 * in-memory tree, and the tree's answers are checked against the file system walk itself, not against another
 * ordered map: a directory's delimiter listing must be exactly its children as the walk saw them.
 *
 * <p>A directory with no file anywhere below it holds no key, so it cannot appear as a common prefix; the walk
 * knows which subdirectories are empty in that sense and expects only the others.
 */
class UsrPathsTest {
    private static final Path ROOT = Path.of("/usr");
    private static final byte SLASH = '/';
    private static final Comparator<byte[]> UNSIGNED = Arrays::compareUnsigned;

    private static Walk walk;
    private static Tree tree;

    /** What the walk saw: keys with their values, and per directory its children and its subtree's key count. */
    private static final class Walk extends SimpleFileVisitor<Path> {
        final Map<String, byte[]> values = new LinkedHashMap<>();
        /** Directory key (ending in '/') → expected listing entries: file keys and non-empty "name/" subdirectories. */
        final Map<String, List<String>> children = new HashMap<>();
        final Map<String, Long> subtreeKeys = new HashMap<>();
        private final Deque<String> open = new ArrayDeque<>();
        private final Deque<long[]> counts = new ArrayDeque<>();

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            String key = keyOf(dir) + "/";
            open.push(key);
            counts.push(new long[1]);
            children.put(key, new ArrayList<>());
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            String key = keyOf(file);
            byte[] value = ((attrs.isSymbolicLink() ? "link " : attrs.isRegularFile() ? "file " : "other ")
                    + attrs.size()).getBytes(StandardCharsets.UTF_8);
            if (values.put(key, value) == null) { // two undecodable names could map to one key: count it once
                children.get(open.peek()).add(key);
                counts.peek()[0]++;
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE; // unreadable: skipped, as if absent
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
            String key = open.pop();
            long keys = counts.pop()[0];
            subtreeKeys.put(key, keys);
            if (!open.isEmpty()) {
                counts.peek()[0] += keys;
                if (keys > 0) {
                    children.get(open.peek()).add(key);
                }
            }
            return FileVisitResult.CONTINUE;
        }

        private static String keyOf(Path path) {
            return path.toString().substring(1); // "/usr/x" -> "usr/x"
        }
    }

    @BeforeAll
    static void loadUsr() throws IOException {
        assumeTrue(Files.isDirectory(ROOT), "/usr is not a directory on this machine");
        walk = new Walk();
        Files.walkFileTree(ROOT, walk);
        tree = Tree.inMemory();
        for (Map.Entry<String, byte[]> entry : walk.values.entrySet()) {
            tree.put(bytes(entry.getKey()), entry.getValue());
        }
    }

    @AfterAll
    static void closeTree() {
        if (tree != null) {
            tree.close();
        }
    }

    @Test
    void everyPathUnderUsrIsStoredOnce() {
        assertTrue(walk.values.size() > 1_000, "expected a populated /usr, found " + walk.values.size() + " paths");
        assertEquals(walk.values.size(), tree.stats().keys());
        assertEquals(walk.values.size(), tree.prefixCount(new byte[0], Long.MAX_VALUE));
    }

    @Test
    void delimiterListingOfEveryDirectoryEqualsItsChildren() {
        for (Map.Entry<String, List<String>> directory : walk.children.entrySet()) {
            List<byte[]> expected = new ArrayList<>(directory.getValue().stream().map(UsrPathsTest::bytes).toList());
            expected.sort(UNSIGNED);
            List<ScanEntry> listed = new ArrayList<>();
            tree.scan(bytes(directory.getKey())).delimiter(SLASH).forEach(listed::add);
            assertEquals(expected.size(), listed.size(), () -> "entries listed under " + directory.getKey());
            for (int i = 0; i < expected.size(); i++) {
                String want = new String(expected.get(i), StandardCharsets.UTF_8);
                ScanEntry got = listed.get(i);
                assertArrayEquals(expected.get(i), got.key(), "entry " + i + " under " + directory.getKey());
                assertEquals(want.endsWith("/"), got.isCommonPrefix(), () -> "rolled up or not: " + want);
                if (!got.isCommonPrefix()) {
                    assertArrayEquals(walk.values.get(want), got.value(), () -> "value of " + want);
                }
            }
        }
    }

    @Test
    void theRootListsOnlyUsr() {
        List<ScanEntry> listed = new ArrayList<>();
        tree.scan(new byte[0]).delimiter(SLASH).forEach(listed::add);
        assertEquals(1, listed.size());
        assertTrue(listed.getFirst().isCommonPrefix());
        assertEquals("usr/", listed.getFirst().keyString());
    }

    @Test
    void prefixCountOfSampledSubtreesMatchesTheWalk() {
        List<String> directories = walk.subtreeKeys.keySet().stream().sorted().toList();
        for (int i = 0; i < directories.size(); i += Math.max(1, directories.size() / 400)) {
            String directory = directories.get(i);
            long expected = walk.subtreeKeys.get(directory);
            assertEquals(expected, tree.prefixCount(bytes(directory), Long.MAX_VALUE), directory);
            assertEquals(Math.min(expected, 5), tree.prefixCount(bytes(directory), 5), directory + " limited to 5");
            assertEquals(expected == 0, tree.isPrefixEmpty(bytes(directory)), directory);
        }
        assertTrue(tree.isPrefixEmpty(bytes("usr/no such directory/")));
    }

    @Test
    void longestPrefixFindsTheLongestStoredKeyOnTheQuery() {
        List<String> deepest = walk.values.keySet().stream()
                .sorted(Comparator.comparingLong((String k) -> k.chars().filter(c -> c == '/').count()).reversed())
                .limit(25).toList();
        Set<String> queries = new HashSet<>();
        for (String key : deepest) {
            queries.add(key);                               // the key itself
            queries.add(key + "/below/the/file");           // a file's key is the longest prefix of paths below it
            queries.add(key.substring(0, key.lastIndexOf('/') + 1) + "no such entry");
        }
        queries.add("usr/");
        for (String query : queries) {
            String expected = null;
            for (int end = query.length(); end >= 0 && expected == null; end--) {
                if (walk.values.containsKey(query.substring(0, end))) {
                    expected = query.substring(0, end);
                }
            }
            PrefixRecord found = tree.longestPrefix(bytes(query));
            if (expected == null) {
                assertNull(found, () -> "no stored key is a prefix of " + query);
            } else {
                assertNotNull(found, "longest prefix of " + query);
                assertEquals(expected, new String(found.key(), StandardCharsets.UTF_8), query);
                assertArrayEquals(walk.values.get(expected), found.value(), query);
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
