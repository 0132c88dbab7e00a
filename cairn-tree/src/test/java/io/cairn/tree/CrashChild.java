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
 * and then prints {@code s <thread> <index>}: every operation of that thread up to the index is durable.
 */
public final class CrashChild {
    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Durability durability = Durability.valueOf(args[1]);
        int threads = Integer.parseInt(args[2]);
        long seed = Long.parseLong(args[3]);
        int trees = Integer.parseInt(args[4]);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        TreeOptions options = TreeOptions.defaults().durability(durability).frameSize(16 << 10);
        Database db = trees > 1 ? Database.open(dir, options) : null;
        Tree tree = db == null ? Tree.open(dir, options) : null;
        if (db != null) {
            CrashWorkload.TREES.subList(0, trees).forEach(db::tree);
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
                if (db != null) {
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
