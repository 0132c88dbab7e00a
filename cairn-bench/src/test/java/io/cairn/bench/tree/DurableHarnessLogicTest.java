package io.cairn.bench.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cairn.bench.tree.HarnessOptions.DatasetSpec;
import io.cairn.stack.Durability;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable harness's plumbing: options and tasks survive the trip to a child, class paths, memory, disks. */
class DurableHarnessLogicTest {

    @TempDir
    Path dir;

    @Test
    void optionsRoundTripToAChildAndKeepTheirDefaults() {
        DurableOptions defaults = DurableOptions.parse(List.of());
        assertEquals(List.of("raw", "cairn", "cairn-64k", "rocksdb", "lmdb", "sqlite", "mvstore", "xodus"),
                defaults.engines());
        assertArrayEquals(new int[] {1, 8}, defaults.threads());
        assertEquals(new DatasetSpec(KeyShape.OBJSTORE_STRESS, 2_000_000), defaults.dataset());
        assertEquals(new DatasetSpec(KeyShape.OBJSTORE_STRESS, 20_000_000), defaults.bigDataset());
        assertEquals(List.of(Operation.PUT), defaults.syncOps());
        assertEquals(64, defaults.bigCacheMiB());
        assertEquals(512, defaults.bigLoadCacheMiB());
        assertEquals(1_000_000, defaults.recoveryRecords());
        DurableOptions changed = DurableOptions.parse(List.of("--engines", "raw,lmdb", "--threads", "2",
                "--scenarios", "recovery", "--async-ops", "get,list", "--jvm-args", "-Xss2m -Dx=1",
                "--big-dataset", "fs-stress:1000", "--cache-mib", "8"));
        DurableOptions again = DurableOptions.parse(changed.toArgs());
        assertEquals(changed.engines(), again.engines());
        assertEquals(List.of(DurableOptions.Scenario.RECOVERY), again.scenarios());
        assertEquals(List.of(Operation.GET, Operation.LIST), again.asyncOps());
        assertEquals(List.of("-Xss2m", "-Dx=1"), again.jvmArgs());
        assertEquals(new DatasetSpec(KeyShape.FS_STRESS, 1000), again.bigDataset());
        assertEquals(8, again.cacheMiB());
        assertArrayEquals(new int[] {2}, again.threads());
    }

    @Test
    void badOptionsAreRejectedNamingTheOption() {
        assertMessage("--engines: unknown engine 'leveldb'", () -> DurableOptions.parse(List.of("--engines", "leveldb")));
        assertMessage("--big-engines: unknown engine 'raw'", () -> DurableOptions.parse(List.of("--big-engines", "raw")));
        assertMessage("--scenarios: unknown 'fast'", () -> DurableOptions.parse(List.of("--scenarios", "fast")));
        assertMessage("--dataset: at least 64 keys", () -> DurableOptions.parse(List.of("--dataset", "objstore:10")));
        assertMessage("--cache-mib: must be positive", () -> DurableOptions.parse(List.of("--cache-mib", "0")));
        assertMessage("unknown option '--nope'", () -> DurableOptions.parse(List.of("--nope", "1")));
    }

    @Test
    void aTaskRoundTripsThroughTheChildsCommandLine() {
        DurableTask task = new DurableTask(DurableTask.Flow.WORKLOAD, "lmdb", Durability.SYNC,
                new DatasetSpec(KeyShape.OBJSTORE_STRESS, 5000), 16, 48, List.of(Operation.PUT, Operation.LIST_DIR),
                dir.resolve("w"));
        List<String> args = task.toArgs();
        assertEquals(DurableTask.ARGUMENTS, args.size());
        assertEquals(task, DurableTask.parse(args));
        DurableTask loader = new DurableTask(DurableTask.Flow.RECOVERY_LOAD, "rocksdb", Durability.ASYNC,
                new DatasetSpec(KeyShape.OBJSTORE_STRESS, 100), 8, 8, List.of(), dir);
        assertEquals(loader, DurableTask.parse(loader.toArgs()));
        assertTrue(loader.settings().holdLog(), "the recovery flows hold the log");
        assertTrue(!task.settings().holdLog(), "the workload lets the engine checkpoint");
        assertEquals(16L << 20, task.settings().cacheBytes());
        assertEquals(48L << 20, task.loadSettings().cacheBytes(), "the load has its own cache");
        assertTrue(loader.loadSettings().holdLog(), "the recovery flows hold the log while loading too");
        assertMessage("a WORKLOAD child needs at least one op", () -> new DurableTask(DurableTask.Flow.WORKLOAD,
                "lmdb", Durability.SYNC, task.dataset(), 1, 1, List.of(), dir));
        assertMessage("expected --child", () -> DurableTask.parse(List.of("--child", "RAW")));
    }

    @Test
    void aPeersChildSeesItsOwnJarsAndNoOtherPeers() throws Exception {
        Path peers = dir.resolve("peers");
        Files.createDirectories(peers.resolve("lmdb"));
        Files.createDirectories(peers.resolve("xodus"));
        Files.writeString(peers.resolve("lmdb/lmdbjava-0.9.1.jar"), "");
        Files.writeString(peers.resolve("lmdb/asm-9.7.1.jar"), "");
        Files.writeString(peers.resolve("xodus/slf4j-api-1.7.30.jar"), "");
        List<String> parent = List.of("/b/cairn-bench.jar", "/b/lib/cairn-tree.jar", "/b/lib/lmdbjava-0.9.1.jar",
                "/b/lib/asm-9.7.1.jar", "/b/lib/slf4j-api-1.7.30.jar", "/b/lib/HdrHistogram-2.2.2.jar");
        String common = "/b/cairn-bench.jar" + File.pathSeparator + "/b/lib/cairn-tree.jar" + File.pathSeparator
                + "/b/lib/HdrHistogram-2.2.2.jar";
        assertEquals(common + File.pathSeparator + peers.resolve("lmdb/asm-9.7.1.jar") + File.pathSeparator
                + peers.resolve("lmdb/lmdbjava-0.9.1.jar"), ChildLauncher.classPath(parent, peers, "lmdb"));
        assertEquals(common + File.pathSeparator + peers.resolve("xodus/slf4j-api-1.7.30.jar"),
                ChildLauncher.classPath(parent, peers, "xodus"));
        assertEquals(common, ChildLauncher.classPath(parent, peers, "raw"), "no peer: no peer's jars");
    }

    @Test
    void lmdbsChildGetsItsJvmFlagsAndEveryChildTheCommonOnes() throws Exception {
        Files.createDirectories(dir.resolve("lmdb"));
        ChildLauncher launcher = new ChildLauncher("2g", List.of("-Dextra=1"), dir);
        List<String> lmdb = launcher.command("lmdb", "Main", List.of("a"));
        assertTrue(lmdb.containsAll(List.of("--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "-Xmx2g", "--enable-native-access=ALL-UNNAMED",
                "-Dextra=1")), lmdb.toString());
        assertEquals(List.of("Main", "a"), lmdb.subList(lmdb.size() - 2, lmdb.size()));
        assertTrue(launcher.command("rocksdb", "Main", List.of()).stream().noneMatch(a -> a.startsWith("--add-")));
    }

    @Test
    void residentMemoryComesFromTheStatusLinesInBytes() {
        ResidentMemory memory = ResidentMemory.parse(List.of("Name:\tjava", "VmRSS:\t  204800 kB",
                "RssAnon:\t  102400 kB", "RssFile:\t   51200 kB", "RssShmem:\t       0 kB"));
        assertEquals(new ResidentMemory(200L << 20, 100L << 20, 50L << 20), memory);
        assertEquals(new ResidentMemory(-1, -1, -1), ResidentMemory.parse(List.of("Name:\tjava")));
        assertTrue(ResidentMemory.ofThisProcess().total() != 0);
    }

    @Test
    void aMemoryFileSystemIsRefused() throws Exception {
        assertTrue(DurableHarness.requireDisk(dir).length() > 0);
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.getFileStore(shm).type().equals("tmpfs"), "no tmpfs at /dev/shm");
        assertMessage("is on tmpfs", () -> DurableHarness.requireDisk(shm));
    }

    @Test
    void roundsTimeEveryActionAndCountTheWarmupInAllOps() throws Exception {
        AtomicLong runs = new AtomicLong();
        Rounds.Measured measured = Rounds.measure(List.of("a", "b"), state -> runs.incrementAndGet(), 1, 2, 20, true);
        assertEquals(runs.get(), measured.allOps(), "every action run, warmup included");
        assertTrue(measured.latency().getTotalCount() > 0 && measured.latency().getTotalCount() < runs.get(),
                "latencies of the measured rounds only: " + measured.latency().getTotalCount() + " of " + runs.get());
        assertEquals(2, measured.nsPerOp()[Metric.WALL.ordinal()].length);
        Rounds.Measured plain = Rounds.measure(List.of("a"), state -> runs.incrementAndGet(), 0, 1, 5, false);
        assertEquals(null, plain.latency());
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
