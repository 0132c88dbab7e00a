package io.cairn.dict;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One thread's deterministic mix of durable dictionary changes for the crash tests: inserts, removes, values,
 * counter increments, batches and prefix removals on the thread's own terms ({@code t<thread>/...}), applied to a
 * dictionary and to a model ({@code term -> value in hex, "" for a term without a value}). The same thread and seed
 * give the same sequence, so a test recomputes the model state after any number of operations.
 */
final class DurableWorkload {
    private final String prefix;
    private final SplittableRandom rnd;
    private int index;

    DurableWorkload(int thread, long seed) {
        this.prefix = "t" + thread + "/";
        this.rnd = new SplittableRandom(seed * 1_000_003 + thread);
    }

    /** The prefix of this thread's terms. */
    String prefix() {
        return prefix;
    }

    /** Applies the next operation to {@code dictionary} (unless null) and to {@code model}. */
    void step(DurableDictionary dictionary, TreeMap<String, String> model) {
        int i = index++;
        String word = prefix + "w" + rnd.nextInt(30);
        switch (rnd.nextInt(9)) {
            case 0, 1 -> {
                model.putIfAbsent(word, "");
                if (dictionary != null) {
                    dictionary.insert(word);
                }
            }
            case 2 -> {
                model.remove(word);
                if (dictionary != null) {
                    dictionary.remove(word);
                }
            }
            case 3 -> {
                byte[] value = ("v" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                model.put(word, HexFormat.of().formatHex(value));
                if (dictionary != null) {
                    dictionary.insertWithValue(word, value);
                }
            }
            case 4, 5 -> {
                String counter = prefix + "c" + rnd.nextInt(3);
                int delta = 1 + rnd.nextInt(5);
                String before = model.get(counter);
                long now = (before == null ? 0 : Long.parseLong(before, 16)) + delta;
                model.put(counter, String.format("%016x", now));
                if (dictionary != null) {
                    dictionary.increment(counter, delta);
                }
            }
            case 6, 7 -> {
                List<String> batch = new ArrayList<>();
                for (int k = 0; k < 3; k++) {
                    batch.add(prefix + "b" + rnd.nextInt(20));
                }
                for (String term : batch) {
                    model.putIfAbsent(term, "");
                }
                if (dictionary != null) {
                    dictionary.insertBatch(batch);
                }
            }
            default -> {
                model.keySet().removeIf(t -> t.startsWith(prefix + "b"));
                if (dictionary != null) {
                    dictionary.removePrefix(prefix + "b");
                }
            }
        }
    }

    /** The model after 0, 1, ..., {@code count} operations of {@code thread} (element j: after j operations). */
    static List<TreeMap<String, String>> states(int thread, long seed, int count) {
        DurableWorkload w = new DurableWorkload(thread, seed);
        TreeMap<String, String> model = new TreeMap<>();
        List<TreeMap<String, String>> out = new ArrayList<>();
        out.add(new TreeMap<>(model));
        for (int j = 0; j < count; j++) {
            w.step(null, model);
            out.add(new TreeMap<>(model));
        }
        return out;
    }

    /** What {@code dictionary} holds under {@code prefix}, in the model's terms. */
    static TreeMap<String, String> contents(DurableDictionary dictionary, String prefix) {
        TreeMap<String, String> out = new TreeMap<>();
        dictionary.entries(prefix).forEach(e -> out.put(e.term(),
                e.value() == null ? "" : HexFormat.of().formatHex(e.value())));
        return out;
    }
}
