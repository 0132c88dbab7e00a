package io.cairn.bench.tree;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Counts the force system calls ({@code fsync}, {@code fdatasync}, {@code msync}, {@code sync_file_range}) of this
 * whole JVM, native libraries and background threads included, with {@code perf stat} on the syscall tracepoints:
 * counting in the kernel, so the timed rounds run at full speed while it counts. Threads started after the count
 * began are counted too (perf's counters are inherited). Needs {@code perf} on the PATH and permission to trace
 * this process (root, or {@code perf_event_paranoid} low enough); {@link #start} says when it cannot count.
 *
 * <p>perf gives no sign of when its counters are live, and on a loaded machine it may open them well before it
 * enables them. So once perf has opened them, the counter makes {@link #MARKERS} {@code chmod} calls, which perf
 * counts beside the forces; a count that did not see every marker began too late and is reported as not counted.
 */
final class ForceCounter {
    static final List<String> FORCE_CALLS = List.of("fsync", "fdatasync", "msync", "sync_file_range");
    static final List<String> MARKER_CALLS = List.of("chmod", "fchmodat");
    static final int MARKERS = 8;
    private static final String EVENT_PREFIX = "syscalls:sys_enter_";
    private static final long TIMEOUT_MILLIS = 10_000;
    private static final int STABLE_POLLS = 5;
    private static final long SETTLE_MILLIS = 200;

    /** What perf counted: force calls and marker calls, or -1 for a kind it did not count. */
    record Counts(long forces, long markers) {}

    private final Process perf;
    private final Path output;

    private ForceCounter(Process perf, Path output) {
        this.perf = perf;
        this.output = output;
    }

    /**
     * Starts counting and makes the markers; null when perf is missing or cannot attach (the report then says "not
     * counted").
     */
    static ForceCounter start(Path scratchDir) throws IOException, InterruptedException {
        Path output = Files.createTempFile(scratchDir, "perf-", ".csv");
        List<String> events = java.util.stream.Stream.concat(FORCE_CALLS.stream(), MARKER_CALLS.stream())
                .map(call -> EVENT_PREFIX + call).toList();
        Process perf;
        try {
            perf = new ProcessBuilder("perf", "stat", "-x,", "-o", output.toString(), "-e", String.join(",", events),
                    "-p", Long.toString(ProcessHandle.current().pid()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException noPerf) {
            Files.delete(output);
            return null;
        }
        if (!opened(perf, events.size())) {
            perf.destroyForcibly().waitFor();
            Files.delete(output);
            return null;
        }
        Thread.sleep(SETTLE_MILLIS);
        for (int i = 0; i < MARKERS; i++) {
            Files.setPosixFilePermissions(output, PosixFilePermissions.fromString(i % 2 == 0 ? "rw-r-----" : "rw-------"));
        }
        return new ForceCounter(perf, output);
    }

    /**
     * Waits until perf has opened its counters on this process's threads: its perf_event descriptors, at least one
     * per event, have stopped growing for {@link #STABLE_POLLS} polls. (Threads started later inherit counters and
     * open none of their own.)
     */
    private static boolean opened(Process perf, int events) throws InterruptedException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        Path fds = Path.of("/proc", Long.toString(perf.pid()), "fd");
        long seen = 0;
        int stable = 0;
        while (perf.isAlive() && System.currentTimeMillis() < deadline) {
            long now = perfEvents(fds);
            stable = now >= events && now == seen ? stable + 1 : 0;
            if (stable == STABLE_POLLS) {
                return true;
            }
            seen = now;
            Thread.sleep(20);
        }
        return false;
    }

    private static long perfEvents(Path fds) {
        try (var links = Files.list(fds)) {
            return links.filter(link -> {
                try {
                    return Files.readSymbolicLink(link).toString().contains("perf_event");
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        } catch (IOException notYet) {
            return 0;
        }
    }

    /**
     * Stops counting (SIGINT, on which perf writes its counts) and returns the force calls counted since the markers,
     * or -1 when perf did not count them all (or missed a marker, so it started counting too late).
     */
    long stop() throws IOException, InterruptedException {
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(perf.pid())).start().waitFor();
            if (!perf.waitFor(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                perf.destroyForcibly().waitFor();
                return -1;
            }
            Counts counts = parse(Files.readAllLines(output));
            return counts.markers() >= MARKERS ? counts.forces() : -1;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Sums perf's CSV lines ({@code count,unit,event,...}) by kind of call; a kind not counted is -1. */
    static Counts parse(List<String> csv) {
        return new Counts(sum(csv, FORCE_CALLS), sum(csv, MARKER_CALLS));
    }

    private static long sum(List<String> csv, List<String> calls) {
        long total = 0;
        int events = 0;
        for (String line : csv) {
            String[] fields = line.split(",", -1);
            if (fields.length < 3 || !fields[2].startsWith(EVENT_PREFIX)
                    || !calls.contains(fields[2].substring(EVENT_PREFIX.length()))) {
                continue;
            }
            events++;
            try {
                total += Long.parseLong(fields[0].trim());
            } catch (NumberFormatException notCounted) {
                return -1;
            }
        }
        return events == calls.size() ? total : -1;
    }
}
