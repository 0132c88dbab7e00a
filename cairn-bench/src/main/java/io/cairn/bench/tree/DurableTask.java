package io.cairn.bench.tree;

import io.cairn.bench.tree.HarnessOptions.DatasetSpec;
import io.cairn.stack.Durability;
import java.nio.file.Path;
import java.util.List;

/**
 * What one child JVM of the durable harness does, as the parent passes it on the child's command line:
 * {@code --child FLOW ENGINE DURABILITY SHAPE:KEYS CACHE_MIB OPS DIR} followed by the harness's options.
 */
record DurableTask(Flow flow, String engine, Durability durability, DatasetSpec dataset, int cacheMiB,
        List<Operation> ops, Path dir) {

    static final String FLAG = "--child";
    /** How many arguments the task takes, the flag included. */
    static final int ARGUMENTS = 8;

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
                ops.isEmpty() ? "-" : DurableOptions.labels(ops), dir.toString());
    }

    /** Parses the first {@link #ARGUMENTS} of {@code args}, which start with {@link #FLAG}. */
    static DurableTask parse(List<String> args) {
        if (args.size() < ARGUMENTS || !args.getFirst().equals(FLAG)) {
            throw new IllegalArgumentException("child task: expected " + FLAG
                    + " FLOW ENGINE DURABILITY SHAPE:KEYS CACHE_MIB OPS DIR, found " + args);
        }
        List<Operation> ops = args.get(6).equals("-") ? List.of()
                : HarnessOptions.split(args.get(6)).stream().map(Operation::byLabel).toList();
        return new DurableTask(Flow.valueOf(args.get(1)), args.get(2), Durability.valueOf(args.get(3)),
                DatasetSpec.parse("child dataset", args.get(4)), HarnessOptions.positive("child cache", args.get(5)),
                ops, Path.of(args.get(7)));
    }

    /** The engine's settings for this task. */
    DurableEngine.Settings settings() {
        DurableEngine.Settings settings = new DurableEngine.Settings(durability, (long) cacheMiB << 20, false);
        return flow == Flow.RECOVERY_LOAD || flow == Flow.RECOVERY_OPEN ? settings.holdingLog() : settings;
    }
}
