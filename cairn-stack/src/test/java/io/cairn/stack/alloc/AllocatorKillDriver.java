package io.cairn.stack.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.BStack;
import io.cairn.stack.BStackOptions;
import io.cairn.stack.StackFormat;
import io.cairn.stack.testkit.ChildJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Real crashes: a child JVM ({@link AllocatorCrashChild}) works on a durable stack and acknowledges each
 * operation; the test kills it with SIGKILL after a random number of acknowledgements, reopens the file and
 * checks that the structure is valid and every acknowledged live allocation is intact. Rounds continue on the
 * same file, so later sessions must also leave earlier allocations alone.
 */
final class AllocatorKillDriver {
    private static final Duration LINE_TIMEOUT = Duration.ofSeconds(60);

    private final AllocatorFactory factory;
    private final Path file;
    private final StackFormat format;
    private final long seed;

    AllocatorKillDriver(AllocatorFactory factory, Path file, StackFormat format, long seed) {
        this.factory = factory;
        this.file = file;
        this.format = format;
        this.seed = seed;
    }

    /** Runs {@code rounds} kill-and-check rounds; returns the number of acknowledged operations. */
    int run(int rounds) throws IOException, InterruptedException {
        BStack.open(file, BStackOptions.defaults().withFormat(format)).close(); // the child keeps this format
        Random random = new Random(seed);
        Map<String, Long> acknowledged = new HashMap<>(); // "offset length" -> crc
        int acks = 0;
        for (int round = 0; round < rounds; round++) {
            String what = factory.name() + " on " + format + " kill round " + round + " (seed " + seed + ")";
            int target = 20 + random.nextInt(150);
            try (ChildJvm child = ChildJvm.start(AllocatorCrashChild.class, factory.getClass().getName(),
                    file.toString(), Long.toString(random.nextLong()), round == 0 ? "create" : "open")) {
                assertEquals("READY", child.nextLine(LINE_TIMEOUT), what);
                String inFlight = null;
                for (int seen = 0; ; ) {
                    String line = seen < target ? child.nextLine(LINE_TIMEOUT) : null;
                    if (line == null) {
                        break;
                    }
                    inFlight = apply(line, acknowledged, inFlight);
                    seen++;
                    acks++;
                }
                child.kill();
                for (String line = child.nextLine(LINE_TIMEOUT); line != null; line = child.nextLine(LINE_TIMEOUT)) {
                    inFlight = apply(line, acknowledged, inFlight);
                }
            }
            check(what, acknowledged);
        }
        return acks;
    }

    /** Applies one acknowledgement; returns the allocation now in flight (or null). */
    private static String apply(String line, Map<String, Long> acknowledged, String inFlight) {
        String[] f = line.split(" ");
        switch (f[0]) {
            case "A" -> acknowledged.put(f[1] + " " + f[2], Long.parseLong(f[3]));
            case "B" -> {
                acknowledged.remove(f[1] + " " + f[2]);
                return f[1] + " " + f[2];
            }
            case "R" -> acknowledged.put(f[1] + " " + f[2], Long.parseLong(f[3]));
            case "F" -> { }
            default -> throw new AssertionError("unexpected child line: " + line);
        }
        return null;
    }

    private void check(String what, Map<String, Long> acknowledged) throws IOException {
        try (Allocator allocator = factory.open(BStack.open(file))) {
            AllocatorReport report = allocator.verify();
            assertTrue(report.structureValid(), () -> what + ": " + report);
            for (Map.Entry<String, Long> e : acknowledged.entrySet()) {
                String[] f = e.getKey().split(" ");
                Slice slice;
                try {
                    slice = allocator.slice(Long.parseLong(f[0]), Long.parseLong(f[1]));
                } catch (IllegalArgumentException lost) {
                    throw new AssertionError(what + ": acknowledged allocation " + e.getKey() + " is not live: "
                            + lost.getMessage(), lost);
                }
                assertEquals(e.getValue(), AllocatorCrashChild.crc(slice.read()),
                        () -> what + ": acknowledged " + slice + " damaged");
            }
        }
    }
}
