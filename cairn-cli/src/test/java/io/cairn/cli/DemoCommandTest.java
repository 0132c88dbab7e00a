package io.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn demo --dir}: only a directory the demo created is ever wiped. */
class DemoCommandTest {
    @TempDir
    Path dir;

    private static Cli.Result demo(Path target) {
        return Cli.run("demo", "--dir", target.toString());
    }

    @Test
    void aNewDirectoryIsCreatedAndWipedOnTheNextRun() throws IOException {
        Path data = dir.resolve("demo");
        Cli.Result r = demo(data);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("Demo finished"), r.toString());
        assertTrue(Files.isRegularFile(data.resolve(DemoFiles.MARKER)));
        Files.writeString(data.resolve("left-over"), "x");
        DemoFiles.prepare(data);
        assertFalse(Files.exists(data.resolve("left-over")), "an earlier demo's directory is emptied");
        try (var entries = Files.list(data)) {
            assertEquals(1, entries.count(), "only the marker is left");
        }
    }

    @Test
    void aNonEmptyDirectoryTheDemoDidNotCreateIsRefusedUntouched() throws IOException {
        Path mine = Files.createDirectory(dir.resolve("mine"));
        Files.writeString(mine.resolve("precious.txt"), "keep me");
        Cli.Result r = demo(mine);
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("is not empty and was not created by the demo"), r.toString());
        assertEquals("keep me", Files.readString(mine.resolve("precious.txt")));
        assertFalse(Files.exists(mine.resolve(DemoFiles.MARKER)));
    }

    @Test
    void theWorkingDirectoryIsRefusedUntouchedByTheRealCommand() throws Exception {
        Files.writeString(dir.resolve("precious.txt"), "keep me");
        Cli.Result r = Cli.process(dir, "64m", "cairn demo --dir=.");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().startsWith("cairn: --dir " + dir.toRealPath() + "/. is not empty and was not created by "
                + "the demo"), r.toString());
        assertEquals("keep me", Files.readString(dir.resolve("precious.txt")));
        try (var entries = Files.list(dir)) {
            assertEquals(List.of("cairn.stderr", "precious.txt"),
                    entries.map(p -> p.getFileName().toString()).sorted().toList(), "nothing added but the test's own");
        }
    }

    @Test
    void aFileIsRefusedUntouched() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "keep me");
        Cli.Result r = demo(file);
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("is a file, not a directory"), r.toString());
        assertEquals("keep me", Files.readString(file));
    }

    @Test
    void aSymbolicLinkIsRefusedAndTheWipeNeverFollowsOne() throws IOException {
        Path outside = Files.createDirectory(dir.resolve("outside"));
        Files.writeString(outside.resolve("precious.txt"), "keep me");
        Cli.Result r = demo(Files.createSymbolicLink(dir.resolve("link"), outside));
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("is a symbolic link"), r.toString());

        Path data = dir.resolve("demo");
        DemoFiles.prepare(data);
        Files.createSymbolicLink(data.resolve("escape"), outside);
        Files.createSymbolicLink(data.resolve("file-link"), outside.resolve("precious.txt"));
        DemoFiles.prepare(data);
        assertFalse(Files.exists(data.resolve("escape"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("keep me", Files.readString(outside.resolve("precious.txt")));
    }

    @Test
    void anEmptyDirectoryIsTakenAndMarked() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        DemoFiles.prepare(empty);
        assertTrue(Files.isRegularFile(empty.resolve(DemoFiles.MARKER)));
    }
}
