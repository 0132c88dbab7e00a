package io.cairn.bench.replication;

import io.cairn.bench.Directories;
import io.cairn.bench.replication.ReplicationBenchOptions.GroupOp;
import io.cairn.bench.tree.Dataset;
import io.cairn.bench.tree.DurableHarness;
import io.cairn.bench.tree.Rounds;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Issue 18's benchmark: durable writes through a three-member Cairn group on loopback ({@link CairnGroup}; the driving member leading, and following) against a
 * three-member etcd cluster on loopback ({@link EtcdCluster}) and against one Cairn tree forcing every write
 * ({@link CairnSingle}: the cost of replication), plus reads served by a group member against the single node.
 *
 * <p>Each contender in turn, in a fresh directory removed after: start it, load the data set (the same keys and
 * values for all: the tree harness's key shapes), check the last key reads back, then for each op and thread count
 * run warmup and measured rounds ({@link Rounds}): a put overwrites a random key of the data set with a value from
 * a fixed pool, a get reads a random key. Throughput is the median round's; p50/p99 cover every measured op. The
 * report ({@link ReplicationReport}) gives the ratios of the group to the others in the same run and judges the
 * issue's targets.
 *
 * <p>Run: {@code java -cp 'cairn-bench/target/cairn-bench.jar:cairn-bench/target/lib/*'
 * io.cairn.bench.replication.ReplicationHarness [options]} (options: {@link ReplicationBenchOptions#USAGE}). With
 * etcd among the contenders and no etcd binary, it says so in one line and exits with status 2.
 */
public final class ReplicationHarness {
    private final ReplicationBenchOptions options;
    private final Path etcd;
    private final String pid = Long.toString(ProcessHandle.current().pid());

    ReplicationHarness(ReplicationBenchOptions options, Path etcd) {
        this.options = options;
        this.etcd = etcd;
    }

    public static void main(String[] args) throws Exception {
        int status = run(List.of(args), System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Parses the options, finds etcd when it is a contender, runs and writes the reports; returns the exit status (2
     * for bad options or a missing etcd, said in one line on {@code err}).
     */
    static int run(List<String> args, PrintStream err) throws Exception {
        if (args.contains("--help")) {
            System.out.println("usage: ReplicationHarness [options]\n" + ReplicationBenchOptions.USAGE);
            return 0;
        }
        ReplicationBenchOptions options;
        try {
            options = ReplicationBenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        Path etcd = null;
        if (options.contenders().contains(EtcdCluster.NAME)) {
            etcd = EtcdCluster.locate(options.etcd());
            if (etcd == null) {
                err.println(EtcdCluster.missing(options.etcd()));
                return 2;
            }
        }
        ReplicationReport report = new ReplicationHarness(options, etcd).measure(String.join(" ", args));
        System.out.println(report.markdown());
        write(options.out(), report.markdown());
        write(options.json(), report.json());
        err.println("[replication] report written to " + options.out().toAbsolutePath() + " and "
                + options.json().toAbsolutePath());
        return 0;
    }

    private static void write(Path file, String text) throws Exception {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(file, text);
    }

    /** Times every contender in turn and returns the report. */
    ReplicationReport measure(String commandLine) throws Exception {
        Files.createDirectories(options.workDir());
        ReplicationReport report = new ReplicationReport(Instant.now().toString(), commandLine,
                DurableHarness.requireDisk(options.workDir()), options.dataset().toString(),
                DurableHarness.loadAverage());
        Dataset data = new Dataset(options.dataset().shape(), options.dataset().size(), options.seed());
        byte[][] values = new byte[data.keys.length][];
        Arrays.setAll(values, data::loadedValue);
        for (String name : options.contenders()) {
            Path dir = options.workDir().resolve(name + "-" + pid);
            Directories.deleteRecursively(dir);
            Files.createDirectories(dir);
            try (Contender contender = start(name, dir)) {
                System.err.printf("[replication] %s: loading %s ...%n", name, options.dataset());
                contender.load(data.keys, values);
                int last = data.keys.length - 1;
                if (!Arrays.equals(contender.get(data.keys[last]), values[last])) {
                    throw new IllegalStateException(name + ": the last loaded key does not read back");
                }
                for (GroupOp op : options.ops()) {
                    for (int threads : options.threads()) {
                        System.err.printf("[replication] %s: %s at %d thread(s) ...%n", name, op.label, threads);
                        report.add(name, op, threads, time(contender, op, threads, data));
                    }
                }
                report.facts(name, contender.facts());
            } finally {
                Directories.deleteRecursively(dir);
            }
        }
        report.finish(DurableHarness.loadAverage());
        return report;
    }

    private Contender start(String name, Path dir) throws Exception {
        return switch (name) {
            case CairnGroup.NAME -> CairnGroup.start(dir, options.memberHeap(), true);
            case CairnGroup.FOLLOWER_NAME -> CairnGroup.start(dir, options.memberHeap(), false);
            case CairnSingle.NAME -> new CairnSingle(dir);
            case EtcdCluster.NAME -> EtcdCluster.start(etcd, dir);
            default -> throw new IllegalArgumentException("unknown contender " + name);
        };
    }

    /** One client thread's choices: its random stream, and the bytes it read (so no read is optimised away). */
    private static final class ClientThread {
        final SplittableRandom random;
        long readBytes;

        ClientThread(long seed) {
            this.random = new SplittableRandom(seed);
        }
    }

    private Rounds.Measured time(Contender contender, GroupOp op, int threads, Dataset data) throws Exception {
        List<ClientThread> clients = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            clients.add(new ClientThread(options.seed() * 1_000 + t));
        }
        byte[][] keys = data.keys;
        byte[][] pool = data.valuePool;
        Rounds.Action<ClientThread> action = switch (op) {
            case PUT -> client -> contender.put(keys[client.random.nextInt(keys.length)],
                    pool[client.random.nextInt(pool.length)]);
            case GET -> client -> {
                byte[] key = keys[client.random.nextInt(keys.length)];
                byte[] value = contender.get(key);
                if (value == null) {
                    throw new IllegalStateException("a loaded key is missing: " + new String(key,
                            java.nio.charset.StandardCharsets.UTF_8));
                }
                client.readBytes += value.length;
            };
        };
        return Rounds.measure(clients, action, options.warmupRounds(), options.rounds(), options.roundMillis(), true);
    }
}
