package io.cairn.bench.tree;

import io.cairn.stack.Durability;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * RocksDB in one of two configurations. {@link #memory} is the "in-memory" one of the reference benchmarks (holt.md
 * §5): WAL off, a 64 MiB memtable, no compression, a 64 MiB LRU block cache; data beyond the memtable is flushed to
 * SST files in the work directory (on disk, normally served from the page cache). {@link #durable} has the WAL on,
 * {@code sync=true} on every write under SYNC and the WAL without sync under ASYNC, the same memtable and compression,
 * a block cache of the settings' size that also holds index and filter blocks (so the cache bounds them), and a
 * 10-bit Bloom filter. RocksDB is thread-safe; every call uses the shared read/write options.
 */
final class RocksDbEngine implements DurableEngine {
    private static final long MEMTABLE_BYTES = 64L << 20;
    /** Memtable size that keeps the recovery scenario's records in the WAL only (nothing flushed before the kill). */
    private static final long HELD_LOG_MEMTABLE_BYTES = 2L << 30;

    private final LRUCache cache;
    private final Options options;
    private final WriteOptions writeOptions;
    /** The bulk load's writes skip the WAL; {@link #checkpoint} flushes them before anyone relies on them. */
    private final WriteOptions loadOptions;
    private final ReadOptions readOptions;
    private final RocksDB db;

    private RocksDbEngine(Path dir, long cacheBytes, long memtableBytes, BlockBasedTableConfig table,
            WriteOptions writeOptions) throws Exception {
        cache = new LRUCache(cacheBytes);
        options = new Options()
                .setCreateIfMissing(true)
                .setWriteBufferSize(memtableBytes)
                .setCompressionType(CompressionType.NO_COMPRESSION)
                .setTableFormatConfig(table.setBlockCache(cache));
        this.writeOptions = writeOptions;
        loadOptions = new WriteOptions().setDisableWAL(true);
        readOptions = new ReadOptions();
        db = RocksDB.open(options, Files.createDirectories(dir.resolve("rocksdb")).toString());
    }

    static RocksDbEngine memory(Path workDir) throws Exception {
        RocksDB.loadLibrary();
        return new RocksDbEngine(workDir, 64L << 20, MEMTABLE_BYTES, new BlockBasedTableConfig(),
                new WriteOptions().setDisableWAL(true));
    }

    static RocksDbEngine durable(Path dir, Settings settings) throws Exception {
        RocksDB.loadLibrary();
        return new RocksDbEngine(dir, settings.cacheBytes(),
                settings.holdLog() ? HELD_LOG_MEMTABLE_BYTES : MEMTABLE_BYTES,
                new BlockBasedTableConfig().setCacheIndexAndFilterBlocks(true)
                        .setPinL0FilterAndIndexBlocksInCache(true).setFilterPolicy(new BloomFilter(10)),
                new WriteOptions().setSync(settings.durability() == Durability.SYNC));
    }

    @Override
    public void load(byte[][] keys, byte[][] values) throws Exception {
        final int batchSize = 1_000;
        for (int start = 0; start < keys.length; start += batchSize) {
            try (WriteBatch batch = new WriteBatch()) {
                for (int i = start; i < Math.min(keys.length, start + batchSize); i++) {
                    batch.put(keys[i], values[i]);
                }
                db.write(loadOptions, batch);
            }
        }
    }

    @Override
    public byte[] get(byte[] key) throws Exception {
        return db.get(readOptions, key);
    }

    @Override
    public void put(byte[] key, byte[] value) throws Exception {
        db.put(writeOptions, key, value);
    }

    @Override
    public void delete(byte[] key) throws Exception {
        db.delete(writeOptions, key);
    }

    /** One write batch: both changes in one WAL record, one sync under SYNC. */
    @Override
    public void rename(byte[] source, byte[] target) throws Exception {
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(target, get(source));
            batch.delete(source);
            db.write(writeOptions, batch);
        }
    }

    @Override
    public void list(byte[] prefix, int limit, ScanSink sink) throws Exception {
        try (RocksIterator iterator = db.newIterator(readOptions)) {
            OrderedCursor.list(new Cursor(iterator), prefix, limit, sink);
        }
    }

    @Override
    public void listDir(byte[] prefix, byte delimiter, int limit, ScanSink sink) throws Exception {
        try (RocksIterator iterator = db.newIterator(readOptions)) {
            OrderedCursor.listDir(new Cursor(iterator), prefix, delimiter, limit, sink);
        }
    }

    /** Memtables plus block cache plus SST index/filter readers (the SST data itself sits in files). */
    @Override
    public long reportedMemoryBytes() throws Exception {
        return db.getLongProperty("rocksdb.cur-size-all-mem-tables")
                + db.getLongProperty("rocksdb.block-cache-usage")
                + db.getLongProperty("rocksdb.estimate-table-readers-mem");
    }

    @Override
    public void sync() throws Exception {
        db.syncWal();
    }

    /** Flushes the memtables (the bulk load's writes skipped the WAL) and compacts everything into one level. */
    @Override
    public void checkpoint() throws Exception {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush);
        }
        db.compactRange();
    }

    @Override
    public void close() {
        db.close();
        readOptions.close();
        loadOptions.close();
        writeOptions.close();
        options.close();
        cache.close();
    }

    private record Cursor(RocksIterator iterator) implements OrderedCursor {
        @Override
        public void seek(byte[] from) {
            iterator.seek(from);
        }

        @Override
        public boolean valid() {
            return iterator.isValid();
        }

        @Override
        public byte[] key() {
            return iterator.key();
        }

        @Override
        public byte[] value() {
            return iterator.value();
        }

        @Override
        public void next() {
            iterator.next();
        }
    }
}
