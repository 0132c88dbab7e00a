package io.cairn.bench.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.bench.tree.DurableReport.Key;
import io.cairn.stack.Durability;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 14's targets are judged from the reports' rates and facts, with the right peer and the right threshold. */
class DurableTargetsTest {

    /** A report measuring {@code op} at 1 and 8 threads at the given ops/s. */
    private static ChildReport rates(Operation op, double oneThread, double eightThreads, String... facts) {
        ChildReport report = new ChildReport();
        report.accept(ChildReport.resultLine(1, op, new double[][] {{1e9 / oneThread}, {1}}));
        report.accept(ChildReport.resultLine(8, op, new double[][] {{1e9 / eightThreads}, {1}}));
        for (int i = 0; i < facts.length; i += 2) {
            report.accept(ChildReport.factLine(facts[i], Long.parseLong(facts[i + 1])));
        }
        return report;
    }

    private static ChildReport reads(double get, double list, double listDir, double mix, double put,
            String... facts) {
        ChildReport report = rates(Operation.GET, get, get * 2, facts);
        report.pool(rates(Operation.LIST, list, list));
        report.pool(rates(Operation.LIST_DIR, listDir, listDir));
        report.pool(rates(Operation.METADATA_MIX, mix, mix));
        report.pool(rates(Operation.PUT, put, put));
        return report;
    }

    @Test
    void noCairnNoTargets() {
        assertEquals("", DurableTargets.markdown(Map.of(new Key("rocksdb", Durability.SYNC),
                rates(Operation.PUT, 5000, 14000)), Map.of(), Map.of(), new int[] {1, 8}));
    }

    @Test
    void eachTargetComparesWithItsPeerAndThreshold() {
        Map<Key, ChildReport> workloads = new LinkedHashMap<>();
        workloads.put(new Key("raw", Durability.SYNC), rates(Operation.PUT, 5400, 7000));
        workloads.put(new Key("rocksdb", Durability.SYNC), rates(Operation.PUT, 5300, 14000));
        workloads.put(new Key("lmdb", Durability.SYNC), rates(Operation.PUT, 2000, 2500));
        workloads.put(new Key("cairn", Durability.SYNC), rates(Operation.PUT, 5100, 30000));
        // Cairn with 64 KiB frames is a configuration of Cairn: faster than every peer here, and never the peer
        workloads.put(new Key("cairn-64k", Durability.SYNC), rates(Operation.PUT, 9000, 90000));
        workloads.put(new Key("cairn-64k", Durability.ASYNC), reads(900_000, 900_000, 900_000, 900_000, 900_000));
        workloads.put(new Key("rocksdb", Durability.ASYNC), reads(100_000, 50_000, 10_000, 40_000, 200_000));
        workloads.put(new Key("lmdb", Durability.ASYNC), reads(300_000, 90_000, 20_000, 60_000, 50_000));
        workloads.put(new Key("cairn", Durability.ASYNC), reads(250_000, 100_000, 70_000, 61_000, 290_000,
                "openMs", "150", "fileBytes", "300", "dataBytes", "100"));
        Map<Key, ChildReport> big = Map.of(new Key("rocksdb", Durability.ASYNC), reads(1000, 1, 100, 1, 1),
                new Key("cairn", Durability.ASYNC), reads(2000, 1, 90, 1, 1));
        Map<Key, ChildReport> recovery = Map.of(new Key("cairn", Durability.ASYNC),
                rates(Operation.GET, 1, 1, "recoveryMs", "2500"));
        String table = DurableTargets.markdown(workloads, big, recovery, new int[] {1, 8});
        assertRow(table, "| durable put ≥ 0.9× raw append + fdatasync | 1 | 0.94× (raw) | met |");
        assertRow(table, "| durable put within 5% of the best durable peer | 1 | 0.96× (rocksdb sync) | met |");
        assertRow(table, "| durable put ≥ 4× Cairn's 1-thread durable put | 8 | 5.88× (cairn sync, 1 thread) | met |");
        assertRow(table, "| durable put ≥ 2× the best durable peer | 8 | 2.14× (rocksdb sync) | met |");
        assertRow(table, "| async put ≥ 1.5× RocksDB (WAL without sync) | 1 | 1.45× (rocksdb async) | **missed** |");
        assertRow(table, "| get ≥ 2× RocksDB | 1 | 2.50× (rocksdb async) | met |");
        assertRow(table, "| get at least LMDB's rate | 1 | 0.83× (lmdb async) | **missed** |");
        assertRow(table, "| list: the fastest | 1 | 1.11× (lmdb async) | met |");
        assertRow(table, "| list_dir ≥ 3× the best peer | 1 | 3.50× (lmdb async) | met |");
        assertRow(table, "| metadata_mix: the fastest | 1 | 1.02× (lmdb async) | met |");
        assertRow(table, "| bigger than memory: get faster than RocksDB | 8 | 2.00× (rocksdb async) | met |");
        assertRow(table, "| bigger than memory: list_dir faster than RocksDB | 1 | 0.90× (rocksdb async) | **missed** |");
        assertRow(table, "| clean reopen ≤ 200 ms | – | 150 ms | met |");
        assertRow(table, "| file bytes after a checkpoint ≤ 2× key + value bytes | – | 3.00× | **missed** |");
        assertRow(table, "| recovery after SIGKILL ≤ 3 s | – | 2,500 ms | met |");
    }

    private static void assertRow(String table, String row) {
        assertTrue(table.contains(row + "\n"), "missing row " + row + " in\n" + table);
    }
}
