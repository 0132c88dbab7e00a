package io.cairn.bench.tree;

import io.cairn.bench.Directories;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * What one child JVM does for one engine and one data set: load it once, answer the correctness queries, report
 * memory, then time every operation at every thread count. It reports on stdout in lines starting with '@' that
 * the parent parses ({@link ChildReport}).
 */
final class ChildRun {
    /** Where the workers' folded reads end up, so the JIT cannot drop them. */
    static volatile long blackhole;

    private final HarnessOptions options;
    private final String engineName;
    private final KeyShape shape;
    private final int size;

    ChildRun(HarnessOptions options, String engineName, KeyShape shape, int size) {
        this.options = options;
        this.engineName = engineName;
        this.shape = shape;
        this.size = size;
    }

    void run() throws Exception {
        Dataset data = new Dataset(shape, size, options.seed());
        Path workDir = options.workDir().resolve(engineName + "-" + shape.label + "-" + ProcessHandle.current().pid());
        Directories.deleteRecursively(workDir);
        Files.createDirectories(workDir);
        try (Engine engine = Engine.open(engineName, workDir)) {
            long heapBefore = settledHeapUsed();
            long started = System.nanoTime();
            byte[][] values = new byte[size][];
            for (int i = 0; i < size; i++) {
                values[i] = data.loadedValue(i);
            }
            engine.load(data.keys, values);
            values = null; // from here on only the engine holds the values
            long loadMillis = (System.nanoTime() - started) / 1_000_000;
            long heapDelta = settledHeapUsed() - heapBefore;
            long reported = engine.reportedMemoryBytes();
            System.out.println(ChildReport.memoryLine(reported >= 0 ? reported : heapDelta, reported >= 0, loadMillis));
            for (String line : checks(engine, data)) {
                System.out.println(line);
            }
            prewarm(engine, data);
            for (int threads : options.threads()) {
                for (Operation op : options.operations()) {
                    double[][] rounds = measure(engine, data, op, threads, options.warmupRounds(), options.rounds());
                    System.out.println(ChildReport.resultLine(threads, op, rounds));
                    System.out.flush();
                }
            }
        } finally {
            Directories.deleteRecursively(workDir);
        }
    }

    /** The same queries in every engine; the parent compares the digests across engines before trusting any timing. */
    static List<String> checks(Engine engine, Dataset data) throws Exception {
        KeyShape shape = data.shape;
        int n = data.keys.length;
        List<String> lines = new ArrayList<>();
        Digest points = new Digest();
        for (byte[] key : List.of(data.keys[0], data.keys[n / 2], data.keys[n - 1], shape.key(n, data.seed))) {
            points.value(engine.get(key));
        }
        lines.add(ChildReport.checkLine("get first/middle/last/absent", points));
        byte[] firstDir = shape.directoryPrefix(0);
        byte[] lastDir = shape.directoryPrefix(shape.directories - 1);
        byte[] parent = shape.parentPrefix(0);
        lines.add(check("list " + Bytes.show(firstDir) + " limit 100", d -> engine.list(firstDir, 100, d)));
        lines.add(check("list " + Bytes.show(lastDir) + " limit 100", d -> engine.list(lastDir, 100, d)));
        lines.add(check("list_dir " + Bytes.show(parent) + " limit 8", d -> engine.listDir(parent, (byte) '/', 8, d)));
        lines.add(check("list_dir " + Bytes.show(parent) + " limit 1000",
                d -> engine.listDir(parent, (byte) '/', 1000, d)));
        lines.add(check("list_dir " + Bytes.show(firstDir) + " limit 8",
                d -> engine.listDir(firstDir, (byte) '/', 8, d)));
        lines.add(check("list_dir <empty> limit 50", d -> engine.listDir(new byte[0], (byte) '/', 50, d)));
        return lines;
    }

    private interface Query {
        void run(Digest digest) throws Exception;
    }

    private static String check(String label, Query query) throws Exception {
        Digest digest = new Digest();
        query.run(digest);
        return ChildReport.checkLine(label, digest);
    }

    /**
     * Runs warmup rounds, then measured rounds of {@code op} on {@code threads} workers ({@link Rounds}); returns ns/op
     * per measured round indexed by [{@link Metric#ordinal()}][round].
     */
    private double[][] measure(Engine engine, Dataset data, Operation op, int threads, int warmupRounds, int rounds)
            throws Exception {
        List<Worker> workers = workers(data, op, threads, options.seed());
        Rounds.Measured measured = Rounds.measure(workers, worker -> op.run(engine, worker), warmupRounds, rounds,
                options.roundMillis(), false);
        consume(workers);
        return measured.nsPerOp();
    }

    /** One worker per thread, each with its own seeded random stream for {@code op}. */
    static List<Worker> workers(Dataset data, Operation op, int threads, long seed) {
        List<Worker> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(new Worker(data, t, threads, seed * 1_000_003L + op.ordinal() * 101L + t));
        }
        return workers;
    }

    /** Folds what the workers read into {@link #blackhole}, so no read can be optimised away. */
    static void consume(List<Worker> workers) {
        for (Worker worker : workers) {
            blackhole += worker.consumed();
        }
    }

    /**
     * Runs every operation's warmup rounds once on one thread before anything is timed. Without it the first
     * measured operations (the 1-thread rows) ran while the JIT was still compiling the paths of later operations;
     * on this busy 2-core machine, where compiler threads wait for a core too, that made early rows several times
     * slower than the same operation measured a minute later.
     */
    private void prewarm(Engine engine, Dataset data) throws Exception {
        for (Operation op : options.operations()) {
            measure(engine, data, op, 1, options.warmupRounds(), 0);
        }
    }

    static long settledHeapUsed() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** An order-sensitive CRC32C of a listing's entries plus their count. */
    static final class Digest implements ScanSink {
        private final CRC32C crc = new CRC32C();
        private int entries;

        void value(byte[] value) {
            entries++;
            if (value == null) {
                crc.update(0xFF);
            } else {
                crc.update(value.length);
                crc.update(value);
            }
        }

        @Override
        public void key(byte[] key, byte[] value) {
            entries++;
            crc.update('K');
            crc.update(key.length);
            crc.update(key);
            crc.update(value.length);
            crc.update(value);
        }

        @Override
        public void commonPrefix(byte[] prefix) {
            entries++;
            crc.update('P');
            crc.update(prefix.length);
            crc.update(prefix);
        }

        int entries() {
            return entries;
        }

        long crc() {
            return crc.getValue();
        }

        @Override
        public String toString() {
            return entries + " entries, crc " + Long.toHexString(crc());
        }
    }
}
