package io.cairn.bench.tree;

import io.cairn.bench.tree.HarnessOptions.DatasetSpec;
import io.cairn.stack.Durability;
import java.nio.file.Path;
import java.util.List;

/**
 * What one child JVM of the durable harness does, as the parent passes it on the child's command line:
 * {@code --child FLOW ENGINE DURABILITY SHAPE:KEYS CACHE_MIB LOAD_CACHE_MIB OPS DIR} followed by the harness's options.
 */
record DurableTask(Flow flow, String engine, Durability durability, DatasetSpec dataset, int cacheMiB,
        int loadCacheMiB, List<Operation> ops, Path dir) {

    static final String FLAG = "--child";
    /** How many arguments the task takes, the flag included. */
    static final int ARGUMENTS = 9;

    enum Flow {
        /** Load, checkpoint, reopen (timed), check, then time every op at every thread count. */
        WORKLOAD,
        /** The raw append + fdatasync line: no engine, only appends. */
        RAW,
        /** Write records one put at a time, sync, report them acknowledged, and wait to be killed. */
        RECOVERY_LOAD,
        /** Reopen what a killed loader left (timed) and verify every acknowledged record. */
        RECOVERY_OPEN
    }

    DurableTask {
        if (ops.isEmpty() && (flow == Flow.WORKLOAD || flow == Flow.RAW)) {
            throw new IllegalArgumentException("ops: a " + flow + " child needs at least one op");
        }
    }

    List<String> toArgs() {
        return List.of(FLAG, flow.name(), engine, durability.name(), dataset.toString(), Integer.toString(cacheMiB),
                Integer.toString(loadCacheMiB), ops.isEmpty() ? "-" : DurableOptions.labels(ops), dir.toString());
    }

    /** Parses the first {@link #ARGUMENTS} of {@code args}, which start with {@link #FLAG}. */
    static DurableTask parse(List<String> args) {
        if (args.size() < ARGUMENTS || !args.getFirst().equals(FLAG)) {
            throw new IllegalArgumentException("child task: expected " + FLAG
                    + " FLOW ENGINE DURABILITY SHAPE:KEYS CACHE_MIB LOAD_CACHE_MIB OPS DIR, found " + args);
        }
        List<Operation> ops = args.get(7).equals("-") ? List.of()
                : HarnessOptions.split(args.get(7)).stream().map(Operation::byLabel).toList();
        return new DurableTask(Flow.valueOf(args.get(1)), args.get(2), Durability.valueOf(args.get(3)),
                DatasetSpec.parse("child dataset", args.get(4)), HarnessOptions.positive("child cache", args.get(5)),
                HarnessOptions.positive("child load cache", args.get(6)), ops, Path.of(args.get(8)));
    }

    /** The engine's settings for this task. */
    DurableEngine.Settings settings() {
        return settings(cacheMiB);
    }

    /**
     * The engine's settings while a workload child loads its data set: the big scenario loads with a larger cache
     * than it reads with, because Cairn's writes dirty whole 512 KiB frames and a round-robin load over 256 buckets
     * keeps ~300 of them changing at once, more than a 64 MiB cache holds; its reads are what it measures.
     */
    DurableEngine.Settings loadSettings() {
        return settings(loadCacheMiB);
    }

    private DurableEngine.Settings settings(int mib) {
        DurableEngine.Settings settings = new DurableEngine.Settings(durability, (long) mib << 20, false);
        return flow == Flow.RECOVERY_LOAD || flow == Flow.RECOVERY_OPEN ? settings.holdingLog() : settings;
    }
}
