package io.cairn.bench.alloc;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackOptions;
import io.cairn.stack.Durability;
import io.cairn.stack.alloc.AllocatorReport;
import io.cairn.stack.alloc.GhostTreeAllocator;
import io.cairn.stack.alloc.Slice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Fragmentation of the ghost-tree allocator after a long random trace (not a timing: a size ratio, so a plain
 * program rather than JMH). The reference's mix: 45% alloc, 20% realloc, 15% dealloc, the rest reads; lengths
 * 1..1024. Prints the stack's payload bytes over the live bytes (the lengths callers asked for) and over the live
 * blocks (rounded to 32), and the free space the tree holds.
 *
 * <p>Usage: {@code java -cp ... io.cairn.bench.alloc.GhostTreeFragmentation [operations] [seed]}.
 */
public final class GhostTreeFragmentation {
    private GhostTreeFragmentation() {
    }

    public static void main(String[] args) throws IOException {
        int operations = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 42;
        Path dir = Files.createDirectories(Path.of(System.getProperty("cairn.bench.dir", "target/bench-alloc")));
        Path file = Files.createTempFile(dir, "fragmentation", ".stack");
        Files.delete(file);
        Random random = new Random(seed);
        List<Slice> live = new ArrayList<>();
        try (GhostTreeAllocator alloc = GhostTreeAllocator.open(BStack.open(file,
                BStackOptions.defaults().withDurability(Durability.NONE)))) {
            for (int op = 0; op < operations; op++) {
                int dice = random.nextInt(100);
                if (dice < 45 || live.isEmpty()) {
                    live.add(alloc.alloc(1 + random.nextInt(1024)));
                } else if (dice < 65) {
                    int i = random.nextInt(live.size());
                    live.set(i, alloc.realloc(live.get(i), 1 + random.nextInt(1024)));
                } else if (dice < 80) {
                    alloc.dealloc(live.remove(random.nextInt(live.size())));
                }
            }
            long liveBytes = live.stream().mapToLong(Slice::length).sum();
            long liveBlocks = live.stream().mapToLong(s -> Math.max(32, (s.length() + 31) & -32)).sum();
            AllocatorReport report = alloc.verify();
            long payload = alloc.stack().length();
            System.out.printf("operations %d, seed %d, live allocations %d%n", operations, seed, live.size());
            System.out.printf("payload bytes %d, live bytes %d, live blocks %d, free in tree %d (largest %d)%n",
                    payload, liveBytes, liveBlocks, report.freeBytes(), report.largestFreeBlock());
            System.out.printf("payload / live bytes = %.3f, payload / live blocks = %.3f, structure %s%n",
                    (double) payload / liveBytes, (double) payload / liveBlocks,
                    report.structureValid() ? "valid" : "INVALID " + report.problems());
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
