package io.cairn.cli;

import io.cairn.stack.BStack;
import io.cairn.stack.alloc.Allocator;
import io.cairn.stack.alloc.AllocatorReport;
import io.cairn.stack.alloc.CheckedSlabAllocator;
import io.cairn.stack.alloc.FirstFitAllocator;
import io.cairn.stack.alloc.GhostTreeAllocator;
import io.cairn.stack.alloc.LinearAllocator;
import io.cairn.stack.alloc.SlabAllocator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn alloc}: inspect the allocator inside a {@link BStack} file. The allocator is detected from its
 * magic in the payload ({@code ALFF} at 16, {@code ALSL} or {@code ALCK} at 24, {@code ALGT} at 32); a stack
 * with none is reported as linear (it has no metadata to check). The stack is opened read-only, so nothing is
 * recovered or changed: the report shows what the next writable open would repair.
 */
@Command(name = "alloc", mixinStandardHelpOptions = true,
        description = "Inspect the persistent allocator inside a stack file.",
        subcommands = {AllocCommand.Verify.class, AllocCommand.Stats.class})
final class AllocCommand extends CommandGroup {
    /** Exit code of {@code verify} when the structure is valid but bytes are unaccounted for (leaked). */
    static final int LEAKS = 3;

    /** Opens the allocator found in {@code file}, read-only. */
    static Allocator openDetected(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        BStack stack = BStack.openReadOnly(file);
        try {
            return switch (detect(stack)) {
                case "first-fit" -> FirstFitAllocator.open(stack);
                case "slab" -> SlabAllocator.open(stack);
                case "checked-slab" -> CheckedSlabAllocator.open(stack);
                case "ghost-tree" -> GhostTreeAllocator.open(stack);
                default -> LinearAllocator.open(stack);
            };
        } catch (IOException | RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /** The allocator kind whose magic the payload carries, or {@code "linear"}. */
    static String detect(BStack stack) throws IOException {
        byte[] head = stack.get(0, Math.min(stack.length(), 40));
        if (magicAt(head, 16, "ALFF\0\1")) {
            return "first-fit";
        }
        if (magicAt(head, 24, "ALSL\0")) {
            return "slab";
        }
        if (magicAt(head, 24, "ALCK\0\1")) {
            return "checked-slab";
        }
        if (magicAt(head, 32, "ALGT\0\1")) {
            return "ghost-tree";
        }
        return "linear";
    }

    private static boolean magicAt(byte[] head, int offset, String magic) {
        byte[] expected = magic.getBytes(StandardCharsets.ISO_8859_1);
        return head.length >= offset + expected.length
                && Arrays.equals(head, offset, offset + expected.length, expected, 0, expected.length);
    }

    /** {@code cairn alloc verify FILE}: the full consistency check; non-zero exit on any problem. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check the allocator's structure. Exit 0 if clean, 1 on structural problems or "
                    + "corruption, " + LEAKS + " if only leaked bytes were found.")
    static final class Verify implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "The stack file.")
        Path file;

        @Override
        public Integer call() throws IOException {
            try (Allocator allocator = openDetected(file)) {
                AllocatorReport report = allocator.verify();
                System.out.print(report);
                if (report.liveBytes().isEmpty() && report.kind().equals("linear")) {
                    System.out.println("(no allocator magic found: a linear stack has no metadata to check)");
                }
                if (!report.structureValid()) {
                    return 1;
                }
                return report.isClean() ? 0 : LEAKS;
            }
        }
    }

    /** {@code cairn alloc stats FILE}: space usage and the allocator's parameters. */
    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Show the allocator's space usage and parameters.")
    static final class Stats implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "The stack file.")
        Path file;

        @Override
        public Integer call() throws IOException {
            try (Allocator allocator = openDetected(file)) {
                AllocatorReport report = allocator.verify();
                PrintStream out = System.out;
                out.printf("allocator:          %s%n", report.kind());
                switch (allocator) {
                    case SlabAllocator slab -> out.printf("block size:         %d (alignment %d, arena at %d)%n",
                            slab.blockSize(), slab.alignment(), slab.arenaStart());
                    case CheckedSlabAllocator slab -> out.printf("block size:         %d%n", slab.blockSize());
                    default -> { }
                }
                out.printf("stack bytes:        %d%n", report.stackBytes());
                out.printf("free bytes:         %d (%.1f%%)%n", report.freeBytes(),
                        percent(report.freeBytes(), report.stackBytes()));
                out.printf("largest free block: %d%n", report.largestFreeBlock());
                if (report.liveBytes().isPresent() && report.liveBytes().getAsLong() > 0) {
                    long live = report.liveBytes().getAsLong();
                    out.printf("live bytes:         %d (file / live = %.2f)%n", live,
                            (double) report.stackBytes() / live);
                } else {
                    out.printf("live bytes:         %s%n", report.liveBytes().isPresent() ? "0" : "unknown");
                }
                out.printf("structure:          %s%n", report.structureValid() ? "valid"
                        : "INVALID (" + report.problems().size() + " problems; run verify)");
                return 0;
            }
        }

        private static double percent(long part, long whole) {
            return whole == 0 ? 0 : 100.0 * part / whole;
        }
    }
}
