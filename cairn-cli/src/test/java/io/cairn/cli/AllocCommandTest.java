package io.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.BStack;
import io.cairn.stack.alloc.CheckedSlabAllocator;
import io.cairn.stack.alloc.FirstFitAllocator;
import io.cairn.stack.alloc.GhostTreeAllocator;
import io.cairn.stack.alloc.SegregatedAllocator;
import io.cairn.stack.alloc.SlabAllocator;
import io.cairn.stack.alloc.Slice;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn alloc verify|stats} through {@link CairnCli#execute}, with standard streams captured. */
class AllocCommandTest {
    @TempDir
    Path dir;

    private final PrintStream realOut = System.out;
    private final PrintStream realErr = System.err;
    private ByteArrayOutputStream out;
    private ByteArrayOutputStream err;

    @BeforeEach
    void capture() {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(realOut);
        System.setErr(realErr);
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return CairnCli.execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void verifyDetectsEachAllocatorFromItsMagic() throws IOException {
        Path ff = dir.resolve("ff.stack");
        try (FirstFitAllocator a = FirstFitAllocator.open(BStack.open(ff))) {
            a.alloc(10);
        }
        Path slab = dir.resolve("slab.stack");
        try (SlabAllocator a = SlabAllocator.create(BStack.open(slab), 4096, 4096)) {
            a.alloc(10);
        }
        Path checked = dir.resolve("checked.stack");
        try (CheckedSlabAllocator a = CheckedSlabAllocator.create(BStack.open(checked), 64)) {
            a.alloc(10);
        }
        Path ghost = dir.resolve("ghost.stack");
        try (GhostTreeAllocator a = GhostTreeAllocator.open(BStack.open(ghost))) {
            a.alloc(10);
        }
        Path segregated = dir.resolve("segregated.stack");
        try (SegregatedAllocator a = SegregatedAllocator.open(BStack.open(segregated))) {
            a.alloc(10);
        }
        String[][] cases = {{ff.toString(), "first-fit"}, {slab.toString(), "slab"},
            {checked.toString(), "checked-slab"}, {ghost.toString(), "ghost-tree"},
            {segregated.toString(), "segregated"}};
        for (String[] c : cases) {
            assertEquals(0, run("alloc", "verify", c[0]), () -> c[1] + ": " + out() + err);
            assertTrue(out().contains("allocator:          " + c[1]), out());
            assertTrue(out().contains("structure:          valid"), out());
        }
    }

    @Test
    void aStackWithoutAnAllocatorIsRefusedSayingWhatItHolds() throws IOException {
        Path plain = dir.resolve("plain.stack");
        try (BStack s = BStack.open(plain)) {
            s.push("just records".getBytes(StandardCharsets.UTF_8));
        }
        for (String command : new String[] {"verify", "stats"}) {
            assertEquals(1, run("alloc", command, plain.toString()));
            String error = err.toString(StandardCharsets.UTF_8);
            assertTrue(error.contains("holds no allocator: 12 bytes starting \"just records\""), error);
            assertTrue(!error.contains("\tat "), "no stack trace: " + error);
        }
    }

    @Test
    void verifyFailsOnACorruptStructure() throws IOException {
        Path file = dir.resolve("cycle.stack");
        try (SlabAllocator a = SlabAllocator.create(BStack.open(file), 16)) {
            Slice s = a.alloc(8);
            a.alloc(8);
            a.dealloc(s);
            byte[] self = new byte[8];
            java.nio.ByteBuffer.wrap(self).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(s.offset());
            a.stack().set(s.offset(), self);
        }
        assertEquals(1, run("alloc", "verify", file.toString()));
        assertTrue(out().contains("cycles"), out());
    }

    @Test
    void verifyReportsLeaksWithItsOwnExitCodeAndChangesNothing() throws IOException {
        Path file = dir.resolve("leak.stack");
        try (CheckedSlabAllocator a = CheckedSlabAllocator.create(BStack.open(file), 64)) {
            Slice s = a.alloc(8);
            a.alloc(8);
            a.dealloc(s);
            a.stack().set(40, new byte[8]); // freeHead lost, as a crash before its write would leave it
        }
        byte[] before = Files.readAllBytes(file);
        assertEquals(AllocCommand.LEAKS, run("alloc", "verify", file.toString()), out());
        assertTrue(out().contains("unaccounted bytes:  64"), out());
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(Files.readAllBytes(file)),
                "verify opens read-only");
    }

    @Test
    void verifyOfAForeignFileIsACorruptionError() throws IOException {
        Path file = dir.resolve("junk.stack");
        Files.write(file, new byte[] {'N', 'O', 'T', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14});
        assertEquals(1, run("alloc", "verify", file.toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("corrupt"), err.toString(StandardCharsets.UTF_8));
        assertEquals(1, run("alloc", "verify", dir.resolve("missing.stack").toString()));
    }

    @Test
    void statsShowsSpaceUsageAndParameters() throws IOException {
        Path file = dir.resolve("stats.stack");
        try (SlabAllocator a = SlabAllocator.create(BStack.open(file), 8192, 4096)) {
            Slice s = a.alloc(100);
            a.alloc(100);
            a.dealloc(s);
        }
        assertEquals(0, run("alloc", "stats", file.toString()));
        assertTrue(out().contains("block size:         8192 (alignment 4096"), out());
        assertTrue(out().contains("free bytes:         8192"), out());
    }
}
