package io.cairn.bench.tree;

import io.cairn.bench.Directories;
import io.cairn.bench.tree.DurableOptions.Scenario;
import io.cairn.bench.tree.HarnessOptions.DatasetSpec;
import io.cairn.stack.Durability;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The durable peer harness (issue 14's benchmarks): file-backed engines in their forcing (SYNC) and no-sync (ASYNC)
 * modes, plus the raw "append 100 B + fdatasync" line, on a data set in files on a disk (refused on tmpfs).
 *
 * <p>Scenarios ({@link Scenario}): <b>workloads</b>: for each of {@code --forks} rounds, every engine in a rotated
 * order, once per durability, in a child JVM of its own ({@link ChildLauncher}); the child loads the data set,
 * checkpoints it, reopens it (timed), answers the correctness queries (compared across every engine and durability;
 * a difference fails that engine's cell), and times each op at each thread count with per-op latencies and the forces the
 * engine and the device counted ({@link DurableChild}); rounds and latencies pool over the forks. <b>recovery</b>:
 * a loader child writes records one put at a time with the log held (no checkpoint or memtable flush), syncs, says
 * so, and is killed with SIGKILL; a second child reopens the files (timed up to the first get) and verifies every
 * acknowledged record. <b>big</b>: the workload child on a data set far larger than a small cache, reads only.
 * The parent writes a markdown report and machine-readable results ({@link DurableReport}).
 *
 * <p>A child that fails (an exception, an unexpected exit status, answers that differ from the others') fails its
 * own cell only — one engine in one durability in one scenario: the report lists it with the reason, keeps what the
 * child measured before it failed (unless its answers were wrong), and the run goes on; the harness then exits with
 * status 1.
 *
 * <p>Run: {@code java -cp 'cairn-bench/target/cairn-bench.jar:cairn-bench/target/lib/*'
 * io.cairn.bench.tree.DurableHarness [options]} (options: {@link DurableOptions#USAGE}).
 */
public final class DurableHarness {
    /** File systems that live in memory: a durable benchmark there measures nothing of the disk. */
    private static final Set<String> MEMORY_FILE_SYSTEMS = Set.of("tmpfs", "ramfs", "devtmpfs");

    private final DurableOptions options;
    private final ChildLauncher launcher;
    private final String pid = Long.toString(ProcessHandle.current().pid());

    DurableHarness(DurableOptions options, ChildLauncher launcher) {
        this.options = options;
        this.launcher = launcher;
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = List.of(args);
        if (arguments.contains("--help")) {
            System.out.println("usage: DurableHarness [options]\n" + DurableOptions.USAGE);
            return;
        }
        if (!arguments.isEmpty() && arguments.getFirst().equals(DurableTask.FLAG)) {
            DurableTask task = DurableTask.parse(arguments);
            try {
                new DurableChild(DurableOptions.parse(arguments.subList(DurableTask.ARGUMENTS, arguments.size())),
                        task).run();
            } catch (Exception | Error e) {
                System.out.println(ChildReport.failedLine(e)); // the reason the parent records; the trace goes to stderr
                System.out.flush();
                throw e;
            }
            return;
        }
        DurableOptions options = DurableOptions.parse(arguments);
        int failed = new DurableHarness(options, ChildLauncher.forThisBuild(options.heap(), options.jvmArgs()))
                .run(String.join(" ", args));
        if (failed > 0) {
            System.exit(1);
        }
    }

    /** Refuses a directory on a memory file system; returns the file system's type for the report. */
    public static String requireDisk(Path dir) throws IOException {
        FileStore store = Files.getFileStore(dir);
        if (MEMORY_FILE_SYSTEMS.contains(store.type())) {
            throw new IllegalArgumentException("--work-dir: " + dir.toAbsolutePath() + " is on " + store.type()
                    + " (" + store.name() + "), in memory; a durable benchmark needs a disk");
        }
        return store.type() + " (" + store.name() + ")";
    }

    /** Runs every scenario, writes the reports, and returns how many cells failed. */
    int run(String commandLine) throws Exception {
        Files.createDirectories(options.workDir());
        DurableReport.Run run = new DurableReport.Run(Instant.now().toString(), commandLine,
                requireDisk(options.workDir()), loadAverage(), String.join(" ", launcher.commonFlags()));
        DurableReport report = new DurableReport(options, run);
        for (Scenario scenario : options.scenarios()) {
            switch (scenario) {
                case WORKLOADS -> report.workloads(options.dataset(), workloads(report, options.engines(),
                        options.dataset(), options.cacheMiB(), options.forks(), Scenario.WORKLOADS));
                case RECOVERY -> report.recovery(recovery(report));
                case BIG -> report.big(options.bigDataset(), workloads(report, options.bigEngines(),
                        options.bigDataset(), options.bigCacheMiB(), 1, Scenario.BIG));
            }
        }
        report.finish(loadAverage());
        System.out.println(report.markdown());
        Files.createDirectories(options.out().toAbsolutePath().getParent());
        Files.writeString(options.out(), report.markdown());
        Files.createDirectories(options.json().toAbsolutePath().getParent());
        Files.writeString(options.json(), report.json());
        System.err.println("[durable] report written to " + options.out().toAbsolutePath() + " and "
                + options.json().toAbsolutePath());
        if (report.failures() > 0) {
            System.err.println("[durable] " + report.failures() + " cell(s) failed; the report lists them");
        }
        return report.failures();
    }

    /** Records a failed cell in the report and says so at once. */
    private static void failed(DurableReport report, DurableReport.Failure failure) {
        System.err.println("[durable] FAILED " + failure.scenario() + ", " + failure.key() + " on " + failure.dataset()
                + ": " + failure.reason());
        report.failed(failure);
    }

    /** The system load average of the last minute (the machine is shared: every report says how loaded it was). */
    public static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** The children of one engine in one fork: the raw line runs SYNC only, the engines once per durability. */
    private List<DurableTask> tasks(String engine, DatasetSpec dataset, int cacheMiB, Scenario scenario, Path dir) {
        List<DurableTask> tasks = new ArrayList<>();
        if (scenario == Scenario.BIG) {
            tasks.add(new DurableTask(DurableTask.Flow.WORKLOAD, engine, Durability.ASYNC, dataset, cacheMiB,
                    options.bigLoadCacheMiB(), options.bigOps(), dir));
        } else if (engine.equals(DurableOptions.RAW)) {
            if (options.syncOps().contains(Operation.PUT)) {
                tasks.add(new DurableTask(DurableTask.Flow.RAW, engine, Durability.SYNC, dataset, cacheMiB,
                        cacheMiB, List.of(Operation.PUT), dir));
            }
        } else {
            if (!options.syncOps().isEmpty()) {
                tasks.add(new DurableTask(DurableTask.Flow.WORKLOAD, engine, Durability.SYNC, dataset, cacheMiB,
                        cacheMiB, options.syncOps(), dir));
            }
            if (!options.asyncOps().isEmpty()) {
                tasks.add(new DurableTask(DurableTask.Flow.WORKLOAD, engine, Durability.ASYNC, dataset, cacheMiB,
                        cacheMiB, options.asyncOps(), dir));
            }
        }
        return tasks;
    }

    /**
     * Runs every engine's children for {@code forks} rounds and pools their reports; a failed child is recorded in
     * {@code report}, and what it measured before it failed is pooled unless its answers were wrong.
     */
    private Map<DurableReport.Key, ChildReport> workloads(DurableReport report, List<String> engines,
            DatasetSpec dataset, int cacheMiB, int forks, Scenario scenario) throws Exception {
        Map<DurableReport.Key, ChildReport> reports = new LinkedHashMap<>();
        for (int fork = 0; fork < forks; fork++) {
            for (String engine : PeerHarness.rotated(engines, fork)) {
                Path dir = options.workDir().resolve(scenario.label + "-" + engine + "-" + pid);
                for (DurableTask task : tasks(engine, dataset, cacheMiB, scenario, dir)) {
                    DurableReport.Key key = new DurableReport.Key(engine, task.durability());
                    System.err.printf("[durable] %s: %s on %s, fork %d of %d ...%n", scenario.label, key, dataset,
                            fork + 1, forks);
                    AtomicReference<String> wrongAnswer = new AtomicReference<>();
                    ChildReport child = runChild(task, key.toString(), (line, soFar, process) -> {
                        if (task.flow() == DurableTask.Flow.WORKLOAD && soFar.rounds.isEmpty()
                                && line.startsWith(ChildReport.MARK + "RESULT")) {
                            wrongAnswer.set(PeerHarness.differingAnswer(dataset.toString(), key.toString(), soFar,
                                    answered(reports)));
                            if (wrongAnswer.get() != null) {
                                process.toHandle().destroyForcibly();
                            }
                        }
                    }, 0);
                    if (wrongAnswer.get() != null) {
                        failed(report, new DurableReport.Failure(scenario.label, dataset, key, wrongAnswer.get()));
                        continue;
                    }
                    if (child.failure() != null) {
                        failed(report, new DurableReport.Failure(scenario.label, dataset, key, child.failure()));
                    }
                    reports.merge(key, child, (first, later) -> {
                        first.pool(later);
                        return first;
                    });
                }
            }
        }
        return reports;
    }

    /** The reports that answered the correctness queries (the raw line answers none), by label. */
    private static Map<String, ChildReport> answered(Map<DurableReport.Key, ChildReport> reports) {
        Map<String, ChildReport> answered = new LinkedHashMap<>();
        reports.forEach((key, report) -> {
            if (!report.checks.isEmpty()) {
                answered.put(key.toString(), report);
            }
        });
        return answered;
    }

    /**
     * Per engine: a loader child writes the records and is killed with SIGKILL once it has said they are
     * acknowledged; then a reopen child times the recovery and verifies every record.
     */
    private Map<String, ChildReport> recovery(DurableReport report) throws Exception {
        Map<String, ChildReport> reports = new LinkedHashMap<>();
        DatasetSpec records = new DatasetSpec(options.dataset().shape(), options.recoveryRecords());
        String acked = ChildReport.MARK + "FACT ackedRecords ";
        for (String engine : options.engines()) {
            if (engine.equals(DurableOptions.RAW)) {
                continue;
            }
            Path dir = options.workDir().resolve("recovery-" + engine + "-" + pid);
            resetDirectory(dir);
            try {
                System.err.printf("[durable] recovery: %s writes %,d records, then SIGKILL ...%n", engine,
                        records.size());
                ChildReport loader = launch(new DurableTask(DurableTask.Flow.RECOVERY_LOAD, engine, Durability.ASYNC,
                        records, options.cacheMiB(), options.cacheMiB(), List.of(), dir), engine + " loader", (line, soFar, process) -> {
                            if (line.startsWith(acked)) {
                                // SIGKILL through the handle (no shutdown hook, no close), which, unlike
                                // Process.destroyForcibly, leaves the pipe open so the output is read to its end
                                process.toHandle().destroyForcibly();
                            }
                        }, 137);
                DurableReport.Key key = new DurableReport.Key(engine, Durability.ASYNC);
                if (loader.failure() == null && loader.fact("ackedRecords") != records.size()) {
                    loader.fail("the loader acknowledged " + loader.fact("ackedRecords") + " of " + records.size()
                            + " records");
                }
                if (loader.failure() != null) {
                    failed(report, new DurableReport.Failure(Scenario.RECOVERY.label, records, key,
                            "loader: " + loader.failure()));
                    continue;
                }
                ChildReport reopened = launch(new DurableTask(DurableTask.Flow.RECOVERY_OPEN, engine,
                        Durability.ASYNC, records, options.cacheMiB(), options.cacheMiB(), List.of(), dir),
                        engine + " reopen",
                        (line, soFar, process) -> {}, 0);
                if (reopened.failure() != null) {
                    failed(report, new DurableReport.Failure(Scenario.RECOVERY.label, records, key,
                            "reopen: " + reopened.failure()));
                    continue;
                }
                reopened.facts.put("killedFileBytes", loader.fact("killedFileBytes"));
                reports.put(engine, reopened);
            } finally {
                Directories.deleteRecursively(dir);
            }
        }
        return reports;
    }

    /** Runs a child in a fresh directory, which is removed after. */
    private ChildReport runChild(DurableTask task, String label, ChildLauncher.LineListener listener, int exitCode)
            throws Exception {
        resetDirectory(task.dir());
        try {
            return launch(task, label, listener, exitCode);
        } finally {
            Directories.deleteRecursively(task.dir());
        }
    }

    /**
     * Runs a child to its end and returns its report, failed (with the reason the child gave, else its exit status)
     * when it exited with another status than {@code exitCode}.
     */
    private ChildReport launch(DurableTask task, String label, ChildLauncher.LineListener listener, int exitCode)
            throws Exception {
        List<String> args = new ArrayList<>(task.toArgs());
        args.addAll(options.toArgs());
        ChildLauncher.Outcome outcome = launcher.run(task.engine(), label, DurableHarness.class.getName(), args,
                listener);
        if (outcome.exitCode() != exitCode) {
            outcome.report().fail(String.format(Locale.ROOT, "child JVM %s (%s) exited with %d, expected %d",
                    label, task.flow(), outcome.exitCode(), exitCode));
        }
        return outcome.report();
    }

    private static void resetDirectory(Path dir) throws IOException {
        Directories.deleteRecursively(dir);
        Files.createDirectories(dir);
    }
}
