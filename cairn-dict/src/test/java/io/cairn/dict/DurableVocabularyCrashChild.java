package io.cairn.dict;

import io.cairn.stack.Durability;
import io.cairn.tree.TreeOptions;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The child JVM of {@link DurableCrashTest#killedVocabularyAddersLoseNoReturnedId}: opens the durable vocabulary in
 * {@code args[0]} with durability {@code args[1]} and runs {@code args[2]} adding threads as
 * {@link DurableCrashChild#runUntilKilled} says. Operation {@code i} of thread {@code t} adds the terms
 * {@link #terms(long, int, int)} (seed {@code args[3]}); once the add returns, the thread appends
 * {@code <t> <i> <first id>} to {@link #idFile} (straight to the kernel, so a SIGKILL keeps it) before its
 * acknowledgement.
 */
public final class DurableVocabularyCrashChild {
    private DurableVocabularyCrashChild() {}

    /** Where the child notes the ids its adds returned: beside the vocabulary's directory. */
    static Path idFile(Path store) {
        return store.resolveSibling(store.getFileName() + ".ids");
    }

    /** The terms operation {@code i} of thread {@code t} adds: one, or (3 times in 16) a batch of two to four. */
    static List<String> terms(long seed, int t, int i) {
        String term = "t" + t + "/" + i;
        int batch = Math.floorMod(Long.hashCode(seed * 31 + t) * 31 + i, 16);
        return batch < 13 ? List.of(term) : List.of(term + "a", term + "b", term + "c", term + "d")
                .subList(0, batch - 11);
    }

    public static void main(String[] args) throws Exception {
        Path store = Path.of(args[0]);
        Durability durability = Durability.valueOf(args[1]);
        long seed = Long.parseLong(args[3]);
        PrintStream ids = new PrintStream(new FileOutputStream(idFile(store).toFile(), true), true);
        DurableVocabulary vocabulary = DurableVocabulary.open(store, TreeOptions.defaults().durability(durability));
        DurableCrashChild.runUntilKilled(Integer.parseInt(args[2]), durability, (thread, i) -> {
            List<String> terms = terms(seed, thread, i);
            long id = terms.size() == 1 ? vocabulary.add(terms.getFirst()) : vocabulary.addAll(terms);
            ids.println(thread + " " + i + " " + id);
        }, vocabulary::sync, vocabulary::checkpoint);
    }
}
