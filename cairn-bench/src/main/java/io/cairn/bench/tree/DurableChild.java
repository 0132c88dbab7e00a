package io.cairn.bench.tree;

import io.cairn.bench.Directories;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * What one child JVM of the durable harness does ({@link DurableTask.Flow}); it reports on stdout in '@' lines
 * ({@link ChildReport}). Every flow works in the task's directory, which the parent made for it and removes after.
 */
final class DurableChild {
    /** The raw line's record: 100 bytes, as issue 14 puts it. */
    static final int RAW_RECORD_BYTES = 100;

    private final DurableOptions options;
    private final DurableTask task;

    DurableChild(DurableOptions options, DurableTask task) {
        this.options = options;
        this.task = task;
    }

    void run() throws Exception {
        switch (task.flow()) {
            case WORKLOAD -> workload();
            case RAW -> raw();
            case RECOVERY_LOAD -> recoveryLoad();
            case RECOVERY_OPEN -> recoveryOpen();
        }
    }

    private DurableEngine open() throws Exception {
        return DurableEngine.open(task.engine(), task.dir(), task.settings());
    }

    /**
     * Loads the data set, checkpoints it (file bytes), closes and reopens it (the open time of a clean store, up to
     * the first get), answers the correctness checks on the reopened store, then times every op.
     */
    private void workload() throws Exception {
        Dataset data = new Dataset(task.dataset().shape(), task.dataset().size(), options.seed());
        int n = data.keys.length;
        long started = System.nanoTime();
        long dataBytes = 0;
        try (DurableEngine engine = DurableEngine.open(task.engine(), task.dir(), task.loadSettings())) {
            byte[][] values = new byte[n][];
            for (int i = 0; i < n; i++) {
                values[i] = data.loadedValue(i);
                dataBytes += data.keys[i].length + values[i].length;
            }
            engine.load(data.keys, values);
            engine.checkpoint();
        }
        fact("loadMs", (System.nanoTime() - started) / 1_000_000);
        fact("dataBytes", dataBytes);
        fact("fileBytes", fileBytes(task.dir()));
        started = System.nanoTime();
        try (DurableEngine engine = open()) {
            if (engine.get(data.keys[n - 1]) == null) {
                throw new IllegalStateException(task.engine() + ": the last loaded key is missing after the reopen");
            }
            fact("openMs", (System.nanoTime() - started) / 1_000_000);
            for (String line : ChildRun.checks(engine, data)) {
                System.out.println(line);
            }
            for (Operation op : task.ops()) { // the JIT compiles every path before anything is timed
                Rounds.measure(ChildRun.workers(data, op, 1, options.seed()), worker -> op.run(engine, worker),
                        options.warmupRounds(), 0, options.roundMillis(), false);
            }
            for (int threads : options.threads()) {
                for (Operation op : task.ops()) {
                    List<Worker> workers = ChildRun.workers(data, op, threads, options.seed());
                    measure(threads, op, workers, worker -> op.run(engine, worker));
                    ChildRun.consume(workers);
                }
            }
            memoryFacts(engine.reportedMemoryBytes());
        }
    }

    /**
     * Appends {@link #RAW_RECORD_BYTES} bytes to one file and forces it with {@code force(false)} (fdatasync), on
     * every thread: what one durable write costs on this machine with nothing else around it.
     */
    private void raw() throws Exception {
        Path file = task.dir().resolve("raw.log");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            for (int threads : options.threads()) {
                for (Operation op : task.ops()) {
                    List<ByteBuffer> records = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        byte[] record = new byte[RAW_RECORD_BYTES];
                        Arrays.fill(record, (byte) ('a' + t));
                        records.add(ByteBuffer.wrap(record));
                    }
                    measure(threads, op, records, record -> {
                        channel.write(record.clear());
                        channel.force(false);
                    });
                }
            }
        }
        fact("fileBytes", fileBytes(task.dir()));
        memoryFacts(-1);
    }

    /**
     * Writes the records one put each (ASYNC), syncs, reports the bytes on disk (the held log shows there), says how
     * many records are acknowledged, then waits for SIGKILL.
     */
    private void recoveryLoad() throws Exception {
        Dataset data = new Dataset(task.dataset().shape(), task.dataset().size(), options.seed());
        DurableEngine engine = open();
        for (int i = 0; i < data.keys.length; i++) {
            engine.put(data.keys[i], data.loadedValue(i));
        }
        engine.sync();
        fact("killedFileBytes", fileBytes(task.dir()));
        fact("ackedRecords", data.keys.length);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // the parent kills this JVM now; the engine is never closed
    }

    /**
     * Reopens what the killed loader left, up to the first get of its last record (timed), then checks every one.
     * An empty store in a scratch directory is opened and closed first, so the time is the recovery's and not the
     * loading of the engine's classes and native library (lmdbjava generates its bindings at first use).
     */
    private void recoveryOpen() throws Exception {
        Dataset data = new Dataset(task.dataset().shape(), task.dataset().size(), options.seed());
        int n = data.keys.length;
        Path scratch = Files.createTempDirectory(task.dir().getParent(), "scratch-" + task.engine());
        try (DurableEngine engine = DurableEngine.open(task.engine(), scratch, task.settings())) {
            engine.get(data.keys[0]);
        } finally {
            Directories.deleteRecursively(scratch);
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuStarted = os.getProcessCpuTime();
        long started = System.nanoTime();
        try (DurableEngine engine = open()) {
            byte[] last = engine.get(data.keys[n - 1]);
            fact("recoveryMs", (System.nanoTime() - started) / 1_000_000);
            // every thread's CPU (the JIT's and the collector's too): what a loaded machine's wall time inflates
            fact("recoveryCpuMs", (os.getProcessCpuTime() - cpuStarted) / 1_000_000);
            long lost = last != null && Arrays.equals(last, data.loadedValue(n - 1)) ? 0 : 1;
            for (int i = 0; i < n - 1; i++) {
                if (!Arrays.equals(engine.get(data.keys[i]), data.loadedValue(i))) {
                    lost++;
                }
            }
            fact("verifiedRecords", n - lost);
            fact("lostRecords", lost);
            fact("fileBytes", fileBytes(task.dir()));
            memoryFacts(engine.reportedMemoryBytes());
        }
    }

    /**
     * Times {@code action} on one thread per state (warmup and measured rounds, per-op latencies) while
     * {@link ForceCounter} counts the force system calls of all those rounds, and reports both.
     */
    private <S> void measure(int threads, Operation op, List<S> states, Rounds.Action<S> action) throws Exception {
        ForceCounter counter = ForceCounter.start(task.dir().getParent());
        Rounds.Measured measured;
        long forces;
        try {
            measured = Rounds.measure(states, action, options.warmupRounds(), options.rounds(), options.roundMillis(),
                    true);
        } finally {
            forces = counter == null ? -1 : counter.stop();
        }
        System.out.println(ChildReport.resultLine(threads, op, measured.nsPerOp()));
        System.out.println(ChildReport.latencyLine(threads, op, measured.latency()));
        System.out.println(ChildReport.forcesLine(threads, op, new ChildReport.Forces(measured.allOps(), forces)));
        System.out.flush();
    }

    /** Resident memory of the whole process and its parts, the Java heap after a collection, the engine's account. */
    private static void memoryFacts(long engineBytes) throws InterruptedException {
        long heapUsed = ChildRun.settledHeapUsed();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        ResidentMemory resident = ResidentMemory.ofThisProcess();
        fact("rssBytes", resident.total());
        fact("rssAnonBytes", resident.anonymous());
        fact("rssFileBytes", resident.fileBacked());
        fact("heapUsedBytes", heapUsed);
        fact("heapCommittedBytes", heap.getCommitted());
        fact("engineMemoryBytes", engineBytes);
    }

    private static void fact(String name, long value) {
        System.out.println(ChildReport.factLine(name, value));
        System.out.flush();
    }

    /** Bytes of every regular file under {@code dir}. */
    static long fileBytes(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            long total = 0;
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                total += Files.size(path);
            }
            return total;
        }
    }
}
