package io.cairn.tree;

import io.cairn.stack.testkit.UnsyncedStorageIo;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.cairn.stack.CorruptedStoreException;
import io.cairn.stack.FormatVersionException;
import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged files of a store: bytes of the frame file, the manifest and the WAL segments flipped, zeroed or cut off.
 * Opening (writable and read-only) must fail with a {@link CorruptedStoreException} that names the damaged file (or,
 * when the damage hits a format version field, a {@link FormatVersionException} naming it), or
 * succeed with exactly the data written — never wrong data, a hang or an out-of-memory error. The one exception is
 * damage to the WAL's tail, which the log cannot tell from a write torn by a crash: there the tree must hold a whole
 * prefix of the acknowledged operations (the WAL's own rule, see io.cairn.tree.wal).
 */
class CorruptedStoreTest {
    @TempDir
    Path dir;

    /** The states after each acknowledged operation, the last being the full state. */
    private final List<TreeMap<String, String>> history = new ArrayList<>();

    private Path pristine() throws IOException {
        Path store = dir.resolve("pristine");
        FaultyStorageIo io = new FaultyStorageIo(new UnsyncedStorageIo());
        Tree t = Tree.open(store, TreeOptions.defaults().io(io).frameSize(8192));
        TreeMap<String, String> model = new TreeMap<>();
        history.add(new TreeMap<>(model));
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 700; i++) {
            String k = "dir-" + rnd.nextInt(9) + "/file-" + rnd.nextInt(300);
            if (rnd.nextInt(5) == 0) {
                t.delete(k.getBytes(UTF_8));
                model.remove(k);
            } else {
                t.put(k.getBytes(UTF_8), ("value-" + i).getBytes(UTF_8));
                model.put(k, "value-" + i);
            }
            history.add(new TreeMap<>(model));
            if (i == 400) {
                t.checkpoint();
            }
        }
        io.crash(); // leave the WAL records after the checkpoint in place
        return store;
    }

    @Test
    void damagedFilesAreReportedOrReadExactly() throws IOException {
        Path store = pristine();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(store)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        SplittableRandom rnd = new SplittableRandom(17);
        int cases = 0;
        int reported = 0;
        for (Path file : files) {
            long size = Files.size(file);
            List<Long> positions = new ArrayList<>(List.of(0L, 5L, 8L, 15L, 16L, 20L, 24L, 40L, size - 1));
            for (int i = 0; i < 14; i++) {
                positions.add(rnd.nextLong(size));
            }
            for (long at : positions) {
                if (at < 0 || at >= size) {
                    continue;
                }
                for (String damage : List.of("flip", "zero", "cut")) {
                    Path copy = copyOf(store, "case-" + cases++);
                    Path target = copy.resolve(store.relativize(file));
                    switch (damage) {
                        case "flip" -> FaultyStorageIo.flipByte(target, at);
                        case "zero" -> FaultyStorageIo.zeroRange(target, at, (int) Math.min(8, size - at));
                        default -> FaultyStorageIo.truncateFile(target, at);
                    }
                    String what = damage + " at " + at + " of " + store.relativize(file);
                    boolean walTail = store.relativize(file).startsWith("wal");
                    reported += openAndCheck(copy, what, target, walTail, true) ? 1 : 0;
                    reported += openAndCheck(copy, what, target, walTail, false) ? 1 : 0;
                }
            }
        }
        System.out.println(cases + " damaged copies, " + reported + " opens reported corruption");
        assertTrue(reported > cases / 2, "most damage must be detected: " + reported + " of " + 2 * cases);
    }

    /** Opens the damaged copy; returns true if it reported corruption, checks the data if it opened. */
    private boolean openAndCheck(Path copy, String what, Path damaged, boolean walFile, boolean readOnly) {
        return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (Tree t = readOnly ? Tree.openReadOnly(copy)
                    : Tree.open(copy, TreeOptions.defaults().io(new UnsyncedStorageIo()))) {
                TreeMap<String, String> actual = new TreeMap<>();
                for (ScanEntry e : t.scan(new byte[0])) {
                    actual.put(e.keyString(), new String(e.value(), UTF_8));
                }
                if (actual.equals(history.getLast())) {
                    return false;
                }
                if (walFile && history.contains(actual)) {
                    return false; // a damaged WAL tail reads as a torn one: a whole prefix survives
                }
                fail(what + (readOnly ? " (read-only)" : "") + ": opened with wrong data: " + actual.size() + " keys");
                return false;
            } catch (CorruptedStoreException | FormatVersionException e) {
                // a damaged version field reads as a file from another format version: refused, naming the file
                assertTrue(String.valueOf(e.getMessage()).contains(damaged.getFileName().toString()),
                        what + ": the exception must name " + damaged + ": " + e.getMessage());
                return true;
            } catch (UncheckedIOException e) {
                if (e.getCause() instanceof CorruptedStoreException c) {
                    assertFalse(c.getMessage() == null, what);
                    return true;
                }
                throw e;
            }
        }, what);
    }

    private Path copyOf(Path store, String name) throws IOException {
        Path copy = dir.resolve(name);
        try (Stream<Path> walk = Files.walk(store)) {
            for (Path p : walk.toList()) {
                Path to = copy.resolve(store.relativize(p));
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return copy;
    }
}
