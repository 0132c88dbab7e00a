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
 * The child JVM of {@link DurableCrashTest#killedWritersLoseNothingAcknowledged}: opens the durable dictionary in
 * {@code args[0]} with durability {@code args[1]}, runs {@code args[2]} threads of {@link DurableWorkload} (seed
 * {@code args[3]}) and a checkpointing thread until it is killed, as {@link #runUntilKilled} says.
 */
public final class DurableCrashChild {
    private DurableCrashChild() {}

    /** Operation {@code i} of writer thread {@code thread}. */
    interface Step {
        void run(int thread, int i) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Durability durability = Durability.valueOf(args[1]);
        long seed = Long.parseLong(args[3]);
        DurableDictionary dictionary = DurableDictionary.open(Path.of(args[0]),
                TreeOptions.defaults().durability(durability));
        List<DurableWorkload> workloads = new ArrayList<>();
        List<TreeMap<String, String>> models = new ArrayList<>();
        for (int t = 0; t < Integer.parseInt(args[2]); t++) {
            workloads.add(new DurableWorkload(t, seed));
            models.add(new TreeMap<>());
        }
        runUntilKilled(workloads.size(), durability, (thread, i) -> workloads.get(thread).step(dictionary,
                models.get(thread)), dictionary::sync, dictionary::checkpoint);
    }

    /**
     * Prints {@code open}, then runs {@code threads} writer threads and a thread calling {@code checkpoint} every
     * 50 ms until the process is killed. Writer {@code t} runs {@code step(t, i)} for i = 0, 1, ... and prints
     * {@code a <t> <i>} after each returns; under ASYNC it also calls {@code sync} every 32 operations and then
     * prints {@code s <t> <i>} (what {@link io.cairn.stack.testkit.AcknowledgedKill} reads).
     */
    static void runUntilKilled(int threads, Durability durability, Step step, Runnable sync, Runnable checkpoint)
            throws InterruptedException {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        out.println("open");
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            writers.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0;; i++) {
                        step.run(thread, i);
                        out.println("a " + thread + " " + i);
                        if (durability == Durability.ASYNC && i % 32 == 31) {
                            sync.run();
                            out.println("s " + thread + " " + i);
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("writer " + thread + " failed", e);
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
                checkpoint.run();
            }
        });
        for (Thread writer : writers) {
            writer.join();
        }
    }
}
