package io.cairn.dict;

import io.cairn.stack.Durability;
import io.cairn.tree.TreeOptions;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVM of {@link DurableVocabularyCrashTest}: opens the durable vocabulary in {@code args[0]} with
 * durability {@code args[1]} and runs {@code args[2]} adding threads and a checkpointing thread until it is killed.
 * Operation {@code i} of thread {@code t} adds the terms {@link #terms(int, int)}; after it returns the thread appends
 * {@code <t> <i> <first id>} to the file {@code args[3]} (written straight to the kernel, so a SIGKILL keeps it), then
 * prints {@code a <t> <i>}. Under ASYNC each thread also calls {@code sync()} every 32 operations and then prints
 * {@code s <t> <i>}.
 */
public final class DurableVocabularyCrashChild {
    private DurableVocabularyCrashChild() {}

    /** The terms operation {@code i} of thread {@code t} adds: one, or every fifth time a batch of three. */
    static List<String> terms(int t, int i) {
        String term = "t" + t + "/" + i;
        return i % 5 == 4 ? List.of(term + "a", term + "b", term + "c") : List.of(term);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Durability durability = Durability.valueOf(args[1]);
        int threads = Integer.parseInt(args[2]);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true);
        PrintStream ids = new PrintStream(new FileOutputStream(args[3], true), true);
        DurableVocabulary vocabulary = DurableVocabulary.open(dir, TreeOptions.defaults().durability(durability));
        out.println("open");
        List<Thread> adders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            adders.add(Thread.ofPlatform().start(() -> {
                for (int i = 0;; i++) {
                    List<String> terms = terms(thread, i);
                    long id = terms.size() == 1 ? vocabulary.add(terms.getFirst()) : vocabulary.addAll(terms);
                    ids.println(thread + " " + i + " " + id);
                    out.println("a " + thread + " " + i);
                    if (durability == Durability.ASYNC && i % 32 == 31) {
                        vocabulary.sync();
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
                vocabulary.checkpoint();
            }
        });
        for (Thread adder : adders) {
            adder.join();
        }
    }
}
