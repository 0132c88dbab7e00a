package io.cairn.cli;

import io.cairn.stack.BStack;
import io.cairn.stack.alloc.Allocator;
import io.cairn.stack.alloc.AllocatorReport;
import io.cairn.stack.alloc.Allocators;
import io.cairn.stack.alloc.CheckedSlabAllocator;
import io.cairn.stack.alloc.SlabAllocator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code cairn alloc}: inspect the allocator inside a {@link BStack} file, found by {@link Allocators#open} from
 * its magic; a stack with none is refused, saying what it holds (a linear allocator has no metadata to check).
 * The stack is opened read-only, so nothing is recovered or changed: the report shows what the next writable open
 * would repair.
 */
@Command(name = "alloc", mixinStandardHelpOptions = true,
        description = "Inspect the persistent allocator inside a stack file.",
        subcommands = {AllocCommand.Verify.class, AllocCommand.Stats.class})
final class AllocCommand extends CommandGroup {
    /** Exit code of {@code verify} when the structure is valid but bytes are unaccounted for (leaked). */
    static final int LEAKS = 3;

    /** Opens the allocator found in {@code file}, read-only, through the front door. */
    static Allocator openDetected(Path file) throws IOException {
        BStack stack = InputFiles.openExisting(file, InputFiles.Kind.STACK, BStack::openReadOnly);
        try {
            return Allocators.open(stack);
        } catch (IOException | RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /** The JSON fields of an allocator report ({@code verify} and {@code stats}). */
    static final String REPORT_JSON = "  allocator         the allocator kind: linear, first-fit, slab, checked-slab, "
            + "ghost-tree%n"
            + "  stackBytes        the stack's payload length%n"
            + "  freeBytes         bytes free for allocation%n"
            + "  largestFreeBlock  the largest allocation served without growing the stack%n"
            + "  liveBytes         bytes of live allocations, or null where the structure cannot tell%n"
            + "  unaccounted       bytes neither free nor live (leaked by a crash), or null where it cannot tell%n"
            + "  structureValid    false when problems were found%n"
            + "  problems          the structural problems found, in words";

    /** Writes {@code report}'s fields into the open JSON object. */
    static void reportJson(JsonWriter json, AllocatorReport report) {
        json.field("allocator", report.kind()).field("stackBytes", report.stackBytes())
                .field("freeBytes", report.freeBytes()).field("largestFreeBlock", report.largestFreeBlock())
                .field("liveBytes", report.liveBytes()).field("unaccounted", report.unaccounted())
                .field("structureValid", report.structureValid()).name("problems").beginArray();
        for (String problem : report.problems()) {
            json.value(problem);
        }
        json.endArray();
    }

    /** The allocator's full check, with an indefinite progress bar (on a terminal) while it walks a large file. */
    static AllocatorReport verifyWithProgress(Allocator allocator, Path file) throws IOException {
        try (Progress progress = Progress.start("checking " + file.getFileName(), -1, "", 1)) {
            return allocator.verify();
        }
    }

    /** {@code cairn alloc verify FILE}: the full consistency check; non-zero exit on any problem. */
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check the allocator's structure. Exit 0 if clean, 1 on structural problems or "
                    + "corruption, " + LEAKS + " if only leaked bytes were found.",
            footerHeading = "%nJSON fields (--json):%n", footer = REPORT_JSON)
    static final class Verify implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "The stack file.")
        Path file;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() throws IOException {
            try (Allocator allocator = openDetected(file)) {
                AllocatorReport report = verifyWithProgress(allocator, file);
                if (json.enabled) {
                    JsonWriter w = json.writer(System.out).beginObject();
                    reportJson(w, report);
                    w.endObject().end();
                    return !report.structureValid() ? 1 : report.isClean() ? 0 : LEAKS;
                }
                System.out.print(report);
                if (!report.structureValid()) {
                    return 1;
                }
                return report.isClean() ? 0 : LEAKS;
            }
        }
    }

    /** {@code cairn alloc stats FILE}: space usage and the allocator's parameters. */
    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Show the allocator's space usage and parameters.",
            footerHeading = "%nJSON fields (--json):%n",
            footer = {REPORT_JSON, "  blockSize         a slab's block size, or null for other allocators"})
    static final class Stats implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "The stack file.")
        Path file;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() throws IOException {
            try (Allocator allocator = openDetected(file)) {
                AllocatorReport report = verifyWithProgress(allocator, file);
                PrintStream out = System.out;
                if (json.enabled) {
                    JsonWriter w = json.writer(out).beginObject();
                    reportJson(w, report);
                    w.field("blockSize", switch (allocator) {
                        case SlabAllocator slab -> OptionalLong.of(slab.blockSize());
                        case CheckedSlabAllocator slab -> OptionalLong.of(slab.blockSize());
                        default -> OptionalLong.empty();
                    }).endObject().end();
                    return 0;
                }
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
