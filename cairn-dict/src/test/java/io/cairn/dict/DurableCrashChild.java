package io.cairn.dict;

import io.cairn.stack.Durability;
import io.cairn.tree.TreeOptions;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The child JVM of {@link DurableCrashTest}: opens the durable dictionary in {@code args[0]} with durability
 * {@code args[1]}, runs {@code args[2]} threads of {@link DurableWorkload} (seed {@code args[3]}) and a
 * checkpointing thread until it is killed. After each change returns it prints {@code a <thread> <index>}; under
 * ASYNC each thread also calls {@code sync()} every 32 changes and then prints {@code s <thread> <index>}.
 */
public final class DurableCrashChild {
    private DurableCrashChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Durability durability = Durability.valueOf(args[1]);
        int threads = Integer.parseInt(args[2]);
        long seed = Long.parseLong(args[3]);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        DurableDictionary dictionary = DurableDictionary.open(dir, TreeOptions.defaults().durability(durability));
        out.println("open");
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers.add(Thread.ofPlatform().start(() -> {
                DurableWorkload w = new DurableWorkload(thread, seed);
                TreeMap<String, String> model = new TreeMap<>();
                for (int i = 0;; i++) {
                    w.step(dictionary, model);
                    out.println("a " + thread + " " + i);
                    if (durability == Durability.ASYNC && i % 32 == 31) {
                        dictionary.sync();
                        out.println("s " + thread + " " + i);
                    }
                }
            }));
        }
        Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
                dictionary.checkpoint();
            }
        });
        for (Thread w : workers) {
            w.join();
        }
    }
}
