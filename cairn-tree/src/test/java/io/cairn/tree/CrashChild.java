package io.cairn.tree;

import io.cairn.stack.Durability;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVM of {@link ProcessCrashTest}: opens the tree in {@code args[0]} with durability {@code args[1]} (or,
 * if {@code args[4]} is above 1, a database of that many trees), runs {@code args[2]} threads of
 * {@link CrashWorkload} (seed {@code args[3]}) and a checkpointing thread until it is killed. After each operation
 * returns it prints {@code a <thread> <index>}; under ASYNC each thread also calls {@code sync()} every 64 operations
 * and then prints {@code s <thread> <index>}: every operation of that thread up to the index is durable. With
 * {@code args[5]} = {@code maintain} (a database only) the trees first get {@link #BALLAST} keys each, every other
 * one deleted again (frames left half empty), the cache is 8 frames, and the background thread compacts, collects
 * garbage and vacuums in turn instead of checkpointing.
 */
public final class CrashChild {
    private CrashChild() {}

    /** Keys of ballast per tree in the {@code maintain} mode, under {@code ballast/}; the odd ones are deleted. */
    static final int BALLAST = 2_000;

    /** The ballast key {@code i}, and its value. */
    static String ballast(int i) {
        return "ballast/" + (i % 7) + "/object-" + i;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Durability durability = Durability.valueOf(args[1]);
        int threads = Integer.parseInt(args[2]);
        long seed = Long.parseLong(args[3]);
        int trees = Integer.parseInt(args[4]);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        boolean maintain = args.length > 5 && args[5].equals("maintain");
        TreeOptions options = TreeOptions.defaults().durability(durability).frameSize(16 << 10);
        if (maintain) {
            options = options.cacheBytes(8 * (16 << 10));
        }
        Database db = trees > 1 ? Database.open(dir, options) : null;
        Tree tree = db == null ? Tree.open(dir, options) : null;
        if (db != null) {
            CrashWorkload.TREES.subList(0, trees).forEach(db::tree);
            if (maintain) {
                for (String name : CrashWorkload.TREES.subList(0, trees)) {
                    db.atomic(x -> {
                        for (int i = 0; i < BALLAST; i++) {
                            x.tree(name).put(CrashWorkload.bytes(ballast(i)), new byte[40]);
                        }
                    });
                    db.atomic(x -> {
                        for (int i = 1; i < BALLAST; i += 2) {
                            x.tree(name).delete(CrashWorkload.bytes(ballast(i)));
                        }
                    });
                }
                db.sync();
            }
        }
        out.println("open");
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers.add(Thread.ofPlatform().start(() -> {
                CrashWorkload w = new CrashWorkload(thread, seed, trees);
                java.util.TreeMap<String, String> model = new java.util.TreeMap<>();
                for (int i = 0;; i++) {
                    if (db != null) {
                        w.step(i, db, model);
                    } else {
                        w.step(i, tree, model);
                    }
                    out.println("a " + thread + " " + i);
                    if (durability == Durability.ASYNC && i % 64 == 63) {
                        if (db != null) {
                            db.sync();
                        } else {
                            tree.sync();
                        }
                        out.println("s " + thread + " " + i);
                    }
                }
            }));
        }
        Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                try {
                    Thread.sleep(40);
                } catch (InterruptedException e) {
                    return;
                }
                if (maintain) {
                    db.compact();
                    db.gc();
                    db.vacuum();
                } else if (db != null) {
                    db.checkpoint();
                } else {
                    tree.checkpoint();
                }
            }
        });
        for (Thread w : workers) {
            w.join();
        }
    }
}
