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
 * Replays one allocator trace against several allocators and reports each one's trace operations per second and
 * durable syncs per operation, paired in one run: the question is how the costs compare, and whether first fit's
 * list walk (which grows with the free list) keeps it from finishing. A trace replay of minutes is a macro
 * measurement, not a JMH microbenchmark; rounds alternate the allocators' order and the table shows medians.
 *
 * <p><b>The trace</b> (seeded, the same for every allocator): 45% alloc, 20% realloc, 15% dealloc and 20% read
 * of a random live allocation (the reference fuzz mix), lengths uniform in 16..4096 bytes.
 *
 * <p><b>Syncs.</b> The stacks run under {@link Durability#SYNC} on a seam that counts each force and skips it
 * ({@link CountingStorageIo#skippingForces()}), so the time is CPU and page cache only while the count is what a
 * durable run issues; {@code --fsync} forces for real (one fdatasync costs ~0.2 ms on the reference machine).
 * Each allocator gets a time budget; one that runs out is reported with the operations it completed, so its
 * rate is measured on the easier start of the trace and overstates its full-trace rate.
 *
 * <p>Usage: {@code java --enable-native-access=ALL-UNNAMED -cp ... io.cairn.bench.alloc.AllocatorTrace [--ops N]
 * [--budget SECONDS] [--rounds N] [--seed N] [--kinds KIND,KIND...] [--fsync]} (defaults: 200,000 operations,
 * 60 s, 3 rounds, seed 42, SEGREGATED,FIRST_FIT,GHOST_TREE).
 */
public final class AllocatorTrace {
    private static final int MIN_LENGTH = 16;
    private static final int MAX_LENGTH = 4096;

    private AllocatorTrace() {
    }

    /** One replay: operations completed in the budget, nanoseconds, forces, and the end state. */
    private record Run(long operations, boolean completed, long nanos, long syncs, long stackBytes, boolean valid) {
        double opsPerSecond() {
            return operations * 1e9 / nanos;
        }

        double syncsPerOp() {
            return (double) syncs / operations;
        }
    }

    public static void main(String[] args) throws IOException {
        int ops = 200_000;
        long budgetSeconds = 60;
        int rounds = 3;
        long seed = 42;
        boolean fsync = false;
        List<AllocatorKind> kinds = List.of(AllocatorKind.SEGREGATED, AllocatorKind.FIRST_FIT,
                AllocatorKind.GHOST_TREE);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--ops" -> ops = Integer.parseInt(args[++i]);
                case "--budget" -> budgetSeconds = Long.parseLong(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--kinds" -> kinds = Arrays.stream(args[++i].split(",")).map(AllocatorKind::valueOf).toList();
                case "--fsync" -> fsync = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --ops, --budget, --rounds, --seed, --kinds, --fsync)");
            }
        }
        Path dir = Files.createDirectories(Path.of(System.getProperty("cairn.bench.dir", "target/bench-alloc")));
        System.out.printf("trace: %d operations (45%% alloc, 20%% realloc, 15%% dealloc, 20%% read), lengths %d..%d,"
                + " seed %d; Durability.SYNC, forces %s; budget %d s per run; %d rounds%n", ops, MIN_LENGTH,
                MAX_LENGTH, seed, fsync ? "real" : "counted and skipped", budgetSeconds, rounds);
        List<List<Run>> runs = new ArrayList<>();
        kinds.forEach(kind -> runs.add(new ArrayList<>()));
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < kinds.size(); k++) {
                int index = (k + round) % kinds.size(); // alternate who goes first
                Run run = replay(kinds.get(index), dir, ops, seed, budgetSeconds * 1_000_000_000L, fsync);
                runs.get(index).add(run);
                System.out.printf("  round %d %-11s %8d ops%s %8.1f s %10.0f ops/s %6.2f syncs/op%n", round + 1,
                        kinds.get(index), run.operations(), run.completed() ? "" : " (budget out)",
                        run.nanos() / 1e9, run.opsPerSecond(), run.syncsPerOp());
            }
        }
        System.out.printf("%n%-11s %9s %10s %12s %10s %12s %s%n", "allocator", "completed", "median s",
                "median ops/s", "syncs/op", "stack MiB", "verify");
        double[] medians = new double[kinds.size()];
        for (int k = 0; k < kinds.size(); k++) {
            List<Run> mine = runs.get(k);
            Run median = mine.stream().sorted((a, b) -> Double.compare(a.opsPerSecond(), b.opsPerSecond()))
                    .toList().get(mine.size() / 2);
            medians[k] = median.opsPerSecond();
            long completed = mine.stream().filter(Run::completed).count();
            System.out.printf("%-11s %6d/%-2d %10.1f %12.0f %10.2f %12.1f %s%n", kinds.get(k), completed,
                    mine.size(), median.nanos() / 1e9, median.opsPerSecond(), median.syncsPerOp(),
                    median.stackBytes() / 1048576.0, mine.stream().allMatch(Run::valid) ? "valid" : "INVALID");
        }
        for (int k = 1; k < kinds.size(); k++) {
            System.out.printf("%s / %s ops/s: %.1fx%n", kinds.getFirst(), kinds.get(k), medians[0] / medians[k]);
        }
    }

    /** Replays the trace on a fresh stack until it ends or the budget runs out. */
    private static Run replay(AllocatorKind kind, Path dir, int ops, long seed, long budgetNanos, boolean fsync)
            throws IOException {
        Path file = Files.createTempFile(dir, "trace-" + kind.name().toLowerCase(), ".stack");
        Files.delete(file);
        CountingStorageIo io = fsync ? new CountingStorageIo() : CountingStorageIo.skippingForces();
        Random random = new Random(seed);
        List<Slice> live = new ArrayList<>();
        try (Allocator allocator = kind.create(BStack.open(file, BStackOptions.defaults()
                .withDurability(Durability.SYNC).withIo(io)))) {
            long syncsBefore = io.forces();
            long start = System.nanoTime();
            long deadline = start + budgetNanos;
            int done = 0;
            while (done < ops && ((done & 255) != 0 || System.nanoTime() < deadline)) {
                step(allocator, live, random);
                done++;
            }
            long nanos = System.nanoTime() - start;
            long syncs = io.forces() - syncsBefore;
            long bytes = allocator.stack().length();
            AllocatorReport report = allocator.verify();
            return new Run(done, done == ops, nanos, syncs, bytes, report.structureValid());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void step(Allocator allocator, List<Slice> live, Random random) throws IOException {
        int dice = random.nextInt(100);
        int length = MIN_LENGTH + random.nextInt(MAX_LENGTH - MIN_LENGTH + 1);
        if (dice < 45 || live.isEmpty()) {
            live.add(allocator.alloc(length));
        } else if (dice < 65) {
            int i = random.nextInt(live.size());
            live.set(i, allocator.realloc(live.get(i), length));
        } else if (dice < 80) {
            int i = random.nextInt(live.size());
            Slice gone = live.get(i);
            live.set(i, live.getLast());
            live.removeLast();
            allocator.dealloc(gone);
        } else {
            live.get(random.nextInt(live.size())).read();
        }
    }
}
