package io.cairn.bench.tree;

import io.cairn.bench.Directories;
import io.cairn.stack.Durability;
import io.cairn.tree.ChangeBatch;
import io.cairn.tree.ChangeRetention;
import io.cairn.tree.CompactReport;
import io.cairn.tree.Database;
import io.cairn.tree.ImageInfo;
import io.cairn.tree.TreeOptions;
import io.cairn.tree.VacuumReport;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Issue 15's database benchmarks, in one process: four trees of objstore keys in one {@link Database} against
 * RocksDB with four column families — a batch of four puts, one per tree, committed atomically (SYNC and ASYNC,
 * batches per second) — then the change feed (records per second read by {@code changesAfter} and applied by a
 * follower), image export and install (MB/s), {@code vacuum} after dropping half the trees (share of the frame
 * file returned), and after deleting half the keys of the others, alone and after {@code compact}. Single-threaded, one pass: a smoke measurement; run it on a quiet machine for numbers.
 *
 * <p>Run: {@code java -cp 'cairn-bench/target/cairn-bench.jar:cairn-bench/target/lib/*'
 * io.cairn.bench.tree.DatabaseBench DIR [SYNC_BATCHES [ASYNC_BATCHES [FEED_KEYS]]]} (defaults 2,000, 50,000,
 * 200,000). DIR must not exist; it is deleted at the end.
 */
public final class DatabaseBench {
    private static final List<String> TREES = List.of("objects", "versions", "tags", "acl");

    private final Path dir;
    private final PrintStream out;

    DatabaseBench(Path dir, PrintStream out) {
        this.dir = dir;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: DatabaseBench DIR [SYNC_BATCHES [ASYNC_BATCHES [FEED_KEYS]]]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        if (Files.exists(dir)) {
            throw new IllegalArgumentException("DIR: " + dir + " exists; give a path to create");
        }
        int syncBatches = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        int asyncBatches = args.length > 2 ? Integer.parseInt(args[2]) : 50_000;
        int feedKeys = args.length > 3 ? Integer.parseInt(args[3]) : 200_000;
        try {
            new DatabaseBench(Files.createDirectories(dir), System.out).run(syncBatches, asyncBatches, feedKeys);
        } finally {
            Directories.deleteRecursively(dir);
        }
    }

    void run(int syncBatches, int asyncBatches, int feedKeys) throws Exception {
        out.println("| measurement | Cairn | RocksDB |");
        out.println("|---|---:|---:|");
        for (Durability d : List.of(Durability.SYNC, Durability.ASYNC)) {
            int n = d == Durability.SYNC ? syncBatches : asyncBatches;
            double cairn = cairnBatches(d, n);
            double rocks = rocksBatches(d, n);
            out.printf(Locale.ROOT, "| atomic batch of 4 puts across 4 trees, %s (batches/s) | %,.0f | %,.0f |%n", d,
                    cairn, rocks);
        }
        feedImagesAndVacuum(feedKeys);
    }

    /** An objstore key (32 buckets); each tree is its own namespace, so the trees share the key set. */
    private static byte[] key(long i) {
        return String.format(Locale.ROOT, "bucket-%02d/path/sub/file-%08d.bin", i % 32, i)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] value(long i) {
        return ("{\"size\":" + i + ",\"etag\":\"" + Long.toHexString(i * 0x9E3779B97F4A7C15L) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private double cairnBatches(Durability durability, int batches) throws Exception {
        Path where = dir.resolve("cairn-" + durability);
        try (Database db = Database.open(where, TreeOptions.defaults().durability(durability))) {
            TREES.forEach(db::createTree);
            long forces = db.stats().durable().walForces();
            long started = System.nanoTime();
            for (int i = 0; i < batches; i++) {
                long n = i;
                db.atomic(x -> TREES.forEach(t -> x.tree(t).put(key(n), value(n))));
            }
            db.sync();
            double rate = batches / ((System.nanoTime() - started) / 1e9);
            if (durability == Durability.SYNC) {
                out.printf(Locale.ROOT, "| (Cairn log forces per SYNC batch) | %.2f | |%n",
                        (double) (db.stats().durable().walForces() - forces) / batches);
            }
            return rate;
        } finally {
            Directories.deleteRecursively(where);
        }
    }

    private double rocksBatches(Durability durability, int batches) throws Exception {
        RocksDB.loadLibrary();
        Path where = Files.createDirectories(dir.resolve("rocksdb-" + durability));
        List<ColumnFamilyDescriptor> families = new ArrayList<>();
        families.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY));
        TREES.forEach(t -> families.add(new ColumnFamilyDescriptor(t.getBytes(StandardCharsets.UTF_8))));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        try (DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
                WriteOptions write = new WriteOptions().setSync(durability == Durability.SYNC);
                RocksDB db = RocksDB.open(options, where.toString(), families, handles)) {
            try {
                long started = System.nanoTime();
                for (int i = 0; i < batches; i++) {
                    try (WriteBatch batch = new WriteBatch()) {
                        for (int t = 0; t < TREES.size(); t++) {
                            batch.put(handles.get(t + 1), key(i), value(i));
                        }
                        db.write(write, batch);
                    }
                }
                db.syncWal();
                return batches / ((System.nanoTime() - started) / 1e9);
            } finally {
                handles.forEach(ColumnFamilyHandle::close);
            }
        } finally {
            Directories.deleteRecursively(where);
        }
    }

    private void feedImagesAndVacuum(int keys) throws Exception {
        TreeOptions async = TreeOptions.defaults().durability(Durability.ASYNC)
                .changeRetention(ChangeRetention.records(Long.MAX_VALUE / 2));
        Path leaderDir = dir.resolve("leader");
        Path followerDir = dir.resolve("follower");
        try (Database leader = Database.open(leaderDir, async);
                Database follower = Database.open(followerDir, async)) {
            TREES.forEach(leader::createTree);
            for (int start = 0; start < keys; start += 1_000) {
                int from = start;
                leader.atomic(x -> {
                    for (int i = from; i < Math.min(keys, from + 1_000); i++) {
                        String t = TREES.get(i % TREES.size());
                        x.tree(t).put(key(i), value(i));
                    }
                });
            }
            for (int i = 0; i < keys; i++) {
                String t = TREES.get(i % TREES.size());
                leader.openTree(t).put(key(i), value(i + 1)); // one record per put: the feed's usual grain
            }
            leader.sync();
            long read = 0;
            long readNanos = 0;
            long applyNanos = 0;
            for (long at = 0; at < leader.lastSequence();) {
                long t0 = System.nanoTime();
                ChangeBatch batch = leader.changesAfter(at, 10_000, 16 << 20);
                long t1 = System.nanoTime();
                at = follower.apply(batch);
                applyNanos += System.nanoTime() - t1;
                readNanos += t1 - t0;
                read += batch.size();
            }
            follower.sync();
            out.printf(Locale.ROOT, "| change feed read by changesAfter (records/s) | %,.0f | |%n",
                    read / (readNanos / 1e9));
            out.printf(Locale.ROOT, "| change feed applied by a follower (records/s) | %,.0f | |%n",
                    read / (applyNanos / 1e9));

            Path image = dir.resolve("leader.image");
            long t0 = System.nanoTime();
            ImageInfo info = leader.exportImage(image);
            double exportSeconds = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            Database.installImage(image, dir.resolve("installed"), async);
            double installSeconds = (System.nanoTime() - t0) / 1e9;
            double mb = info.bytes() / 1e6;
            out.printf(Locale.ROOT, "| image export, %,.1f MB (MB/s) | %,.1f | |%n", mb, mb / exportSeconds);
            out.printf(Locale.ROOT, "| image install, %,.1f MB (MB/s) | %,.1f | |%n", mb, mb / installSeconds);

            leader.checkpoint();
            leader.dropTree(TREES.get(0));
            leader.dropTree(TREES.get(2));
            VacuumReport v = leader.vacuum();
            out.printf(Locale.ROOT, "| vacuum after dropping half the trees (frame file returned) | %.0f%% | |%n",
                    100.0 * v.bytesReturned() / v.fileBytesBefore());
            compactAfterDeletes(leader, keys);
        }
    }

    /**
     * Deletes every other key of the trees left, then reports what a vacuum returns alone, and then after a
     * compaction (both as a share of the frame file after the deletes' checkpoint).
     */
    private void compactAfterDeletes(Database db, int keys) {
        List<String> left = db.treeNames();
        for (int start = 0; start < keys; start += 1_000) {
            int from = start;
            db.atomic(x -> {
                for (int i = from; i < Math.min(keys, from + 1_000); i++) {
                    String t = TREES.get(i % TREES.size());
                    if (left.contains(t) && (i / TREES.size()) % 2 == 1) {
                        x.tree(t).delete(key(i));
                    }
                }
            });
        }
        VacuumReport alone = db.vacuum();
        long t0 = System.nanoTime();
        CompactReport c = db.compact();
        double compactSeconds = (System.nanoTime() - t0) / 1e9;
        VacuumReport after = db.vacuum();
        out.printf(Locale.ROOT, "| vacuum after deleting half the keys (frame file returned) | %.0f%% | |%n",
                100.0 * alone.bytesReturned() / alone.fileBytesBefore());
        out.printf(Locale.ROOT, "| compact + vacuum after deleting half the keys (frame file returned) | %.0f%% | |%n",
                100.0 * (alone.fileBytesBefore() - after.fileBytesAfter()) / alone.fileBytesBefore());
        out.printf(Locale.ROOT, "| compact: frames %,d -> %,d (seconds) | %.2f | |%n", c.framesBefore(),
                c.framesAfter(), compactSeconds);
    }
}
