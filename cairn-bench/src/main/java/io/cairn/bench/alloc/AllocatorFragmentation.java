package io.cairn.bench.alloc;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackOptions;
import io.cairn.stack.Durability;
import io.cairn.stack.alloc.Allocator;
import io.cairn.stack.alloc.AllocatorReport;
import io.cairn.stack.alloc.Slice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Fragmentation of every allocator after the same long random trace (a size ratio, not a timing, so a plain
 * program rather than JMH): the reference mix of 45% alloc, 20% realloc, 15% dealloc (the rest reads), lengths
 * 1..1024. Prints the stack's payload bytes over the live bytes callers asked for. The linear allocator resizes
 * only its tail, so its other reallocs are skipped.
 *
 * <p>Usage: {@code java -cp ... io.cairn.bench.alloc.AllocatorFragmentation [operations] [seed] [KIND,KIND...]}
 * (all kinds by default). First fit walks its free list from the head on every allocation, so its time grows with
 * the list: a 200,000-operation trace takes it tens of minutes.
 */
public final class AllocatorFragmentation {
    private AllocatorFragmentation() {
    }

    public static void main(String[] args) throws IOException {
        int operations = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42;
        Path dir = Files.createDirectories(Path.of(System.getProperty("cairn.bench.dir", "target/bench-alloc")));
        System.out.printf("operations %d, seed %d, lengths 1..1024, Durability.NONE%n", operations, seed);
        System.out.printf("%-13s %8s %14s %12s %10s %14s%n", "allocator", "live", "payload bytes", "live bytes",
                "ratio", "free (report)");
        List<AllocatorKind> kinds = args.length > 2
                ? Arrays.stream(args[2].split(",")).map(AllocatorKind::valueOf).toList()
                : List.of(AllocatorKind.values());
        for (AllocatorKind kind : kinds) {
            Path file = Files.createTempFile(dir, "fragmentation", ".stack");
            Files.delete(file);
            try (Allocator allocator = kind.create(BStack.open(file,
                    BStackOptions.defaults().withDurability(Durability.NONE)))) {
                List<Slice> live = trace(allocator, operations, new Random(seed));
                long liveBytes = live.stream().mapToLong(Slice::length).sum();
                long payload = allocator.stack().length();
                AllocatorReport report = allocator.verify();
                System.out.printf("%-13s %8d %14d %12d %10.3f %14d%s%n", kind, live.size(), payload, liveBytes,
                        (double) payload / liveBytes, report.freeBytes(),
                        report.structureValid() ? "" : "  INVALID " + report.problems());
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }

    private static List<Slice> trace(Allocator allocator, int operations, Random random) throws IOException {
        List<Slice> live = new ArrayList<>();
        for (int op = 0; op < operations; op++) {
            int dice = random.nextInt(100);
            if (dice < 45 || live.isEmpty()) {
                live.add(allocator.alloc(1 + random.nextInt(1024)));
            } else if (dice < 65) {
                int i = random.nextInt(live.size());
                int length = 1 + random.nextInt(1024);
                try {
                    live.set(i, allocator.realloc(live.get(i), length));
                } catch (UnsupportedOperationException linearNotAtTail) {
                    // The linear allocator resizes only its tail allocation.
                }
            } else if (dice < 80) {
                allocator.dealloc(live.remove(random.nextInt(live.size())));
            }
        }
        return live;
    }
}
