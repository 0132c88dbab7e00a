package io.cairn.bench.tree;

import io.cairn.bench.tree.DurableReport.Key;
import io.cairn.stack.Durability;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 14's benchmark targets, judged on one durable run when Cairn ran in it (engine {@value #CAIRN}). Ratios are
 * Cairn's ops/s over the other's (above 1: Cairn faster); a target whose rows the run did not measure is left out.
 */
final class DurableTargets {
    static final String CAIRN = "cairn";

    private final Map<Key, ChildReport> workloads;
    private final StringBuilder out = new StringBuilder();

    private DurableTargets(Map<Key, ChildReport> workloads) {
        this.workloads = workloads;
    }

    /** The targets table, or "" when Cairn is not among the workload reports. */
    static String markdown(Map<Key, ChildReport> workloads, Map<Key, ChildReport> big, Map<Key, ChildReport> recovery,
            int[] threads) {
        if (workloads.keySet().stream().noneMatch(key -> key.engine().equals(CAIRN))) {
            return "";
        }
        DurableTargets targets = new DurableTargets(workloads);
        targets.out.append("\n**Targets (issue 14)**: ratio = Cairn ops/s / the other's\n\n"
                + "| target | threads | measured | verdict |\n|---|---:|---|---|\n");
        for (int t : threads) {
            targets.judge(t);
        }
        targets.stores(big, recovery, threads);
        return targets.out.toString();
    }

    private static double opsPerS(Map<Key, ChildReport> reports, Key key, int threads, Operation op) {
        ChildReport report = reports.get(key);
        return report == null ? Double.NaN : 1e9 / report.median(threads, op, Metric.WALL);
    }

    /** The fastest engine other than Cairn's configurations and the raw line in {@code durability}, or null. */
    private static Key bestPeer(Map<Key, ChildReport> reports, Durability durability, int threads, Operation op) {
        Key best = null;
        for (Key key : reports.keySet()) {
            if (key.durability() == durability && !DurableEngine.isCairn(key.engine())
                    && !key.engine().equals(DurableOptions.RAW)
                    && !Double.isNaN(opsPerS(reports, key, threads, op))
                    && (best == null || opsPerS(reports, key, threads, op) > opsPerS(reports, best, threads, op))) {
                best = key;
            }
        }
        return best;
    }

    /** One target row: Cairn's rate against {@code other}'s times {@code factor} (strictly above when fastest). */
    private void row(String target, int threads, double cairn, double other, String against, double factor,
            boolean strictly) {
        if (Double.isNaN(cairn) || Double.isNaN(other)) {
            return;
        }
        double ratio = cairn / other;
        boolean met = strictly ? ratio > factor : ratio >= factor;
        out.append(String.format(Locale.ROOT, "| %s | %d | %.2f× (%s) | %s |%n", target, threads, ratio, against,
                met ? "met" : "**missed**"));
    }

    private void judge(int t) {
        Key cairnSync = new Key(CAIRN, Durability.SYNC);
        Key cairnAsync = new Key(CAIRN, Durability.ASYNC);
        double durable = opsPerS(workloads, cairnSync, t, Operation.PUT);
        Key bestDurable = bestPeer(workloads, Durability.SYNC, t, Operation.PUT);
        if (t == 1) {
            row("durable put ≥ 0.9× raw append + fdatasync", t, durable,
                    opsPerS(workloads, new Key(DurableOptions.RAW, Durability.SYNC), t, Operation.PUT), "raw", 0.9,
                    false);
            if (bestDurable != null) {
                row("durable put within 5% of the best durable peer", t, durable,
                        opsPerS(workloads, bestDurable, t, Operation.PUT), bestDurable.toString(), 0.95, false);
            }
        } else {
            row("durable put ≥ 4× Cairn's 1-thread durable put", t, durable,
                    opsPerS(workloads, cairnSync, 1, Operation.PUT), "cairn sync, 1 thread", 4, false);
            if (bestDurable != null) {
                row("durable put ≥ 2× the best durable peer", t, durable,
                        opsPerS(workloads, bestDurable, t, Operation.PUT), bestDurable.toString(), 2, false);
            }
        }
        Key rocksdb = new Key("rocksdb", Durability.ASYNC);
        row("async put ≥ 1.5× RocksDB (WAL without sync)", t, opsPerS(workloads, cairnAsync, t, Operation.PUT),
                opsPerS(workloads, rocksdb, t, Operation.PUT), rocksdb.toString(), 1.5, false);
        double get = opsPerS(workloads, cairnAsync, t, Operation.GET);
        row("get ≥ 2× RocksDB", t, get, opsPerS(workloads, rocksdb, t, Operation.GET), rocksdb.toString(), 2, false);
        Key lmdb = new Key("lmdb", Durability.ASYNC);
        row("get at least LMDB's rate", t, get, opsPerS(workloads, lmdb, t, Operation.GET), lmdb.toString(), 1, false);
        for (Operation op : new Operation[] {Operation.LIST, Operation.LIST_DIR, Operation.METADATA_MIX}) {
            Key best = bestPeer(workloads, Durability.ASYNC, t, op);
            if (best != null) {
                boolean listDir = op == Operation.LIST_DIR;
                row(listDir ? "list_dir ≥ 3× the best peer" : op.label + ": the fastest", t,
                        opsPerS(workloads, cairnAsync, t, op), opsPerS(workloads, best, t, op), best.toString(),
                        listDir ? 3 : 1, !listDir);
            }
        }
    }

    private void stores(Map<Key, ChildReport> big, Map<Key, ChildReport> recovery, int[] threads) {
        Key cairnAsync = new Key(CAIRN, Durability.ASYNC);
        Key rocksdb = new Key("rocksdb", Durability.ASYNC);
        for (int t : threads) {
            for (Operation op : new Operation[] {Operation.GET, Operation.LIST_DIR}) {
                row("bigger than memory: " + op.label + " faster than RocksDB", t, opsPerS(big, cairnAsync, t, op),
                        opsPerS(big, rocksdb, t, op), rocksdb.toString(), 1, true);
            }
        }
        ChildReport store = workloads.get(cairnAsync);
        if (store != null && store.fact("openMs") >= 0) {
            limit("clean reopen ≤ 200 ms", store.fact("openMs"), 200, "ms");
        }
        if (store != null && store.fact("fileBytes") >= 0 && store.fact("dataBytes") > 0) {
            double ratio = (double) store.fact("fileBytes") / store.fact("dataBytes");
            out.append(String.format(Locale.ROOT, "| file bytes after a checkpoint ≤ 2× key + value bytes | – |"
                    + " %.2f× | %s |%n", ratio, ratio <= 2 ? "met" : "**missed**"));
        }
        ChildReport recovered = recovery.get(cairnAsync);
        if (recovered != null && recovered.fact("recoveryMs") >= 0) {
            limit("recovery after SIGKILL ≤ 3 s", recovered.fact("recoveryMs"), 3000, "ms");
        }
    }

    private void limit(String target, long measured, long limit, String unit) {
        out.append(String.format(Locale.ROOT, "| %s | – | %,d %s | %s |%n", target, measured, unit,
                measured <= limit ? "met" : "**missed**"));
    }
}
