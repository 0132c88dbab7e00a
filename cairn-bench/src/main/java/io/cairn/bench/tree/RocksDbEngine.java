package io.cairn.bench.tree;

import java.nio.file.Files;
import java.nio.file.Path;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * RocksDB in its "in-memory" configuration from the reference benchmarks (holt.md §5): WAL off, a 64 MiB memtable,
 * no compression, a 64 MiB LRU block cache. Data beyond the memtable is flushed to SST files in the work directory
 * (on disk, normally served from the page cache). RocksDB is thread-safe; every call uses the shared read/write
 * options.
 */
final class RocksDbEngine implements Engine {
    private static final long MEMTABLE_BYTES = 64L << 20;
    private static final long BLOCK_CACHE_BYTES = 64L << 20;

    private final LRUCache cache;
    private final Options options;
    private final WriteOptions writeOptions;
    private final ReadOptions readOptions;
    private final RocksDB db;

    RocksDbEngine(Path workDir) throws Exception {
        RocksDB.loadLibrary();
        Path dir = Files.createDirectories(workDir.resolve("rocksdb"));
        cache = new LRUCache(BLOCK_CACHE_BYTES);
        options = new Options()
                .setCreateIfMissing(true)
                .setWriteBufferSize(MEMTABLE_BYTES)
                .setCompressionType(CompressionType.NO_COMPRESSION)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache));
        writeOptions = new WriteOptions().setDisableWAL(true);
        readOptions = new ReadOptions();
        db = RocksDB.open(options, dir.toString());
    }

    @Override
    public void load(byte[][] keys, byte[][] values) throws Exception {
        final int batchSize = 1_000;
        for (int start = 0; start < keys.length; start += batchSize) {
            try (WriteBatch batch = new WriteBatch()) {
                for (int i = start; i < Math.min(keys.length, start + batchSize); i++) {
                    batch.put(keys[i], values[i]);
                }
                db.write(writeOptions, batch);
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

    @Override
    public void rename(byte[] source, byte[] target) throws Exception {
        put(target, get(source));
        delete(source);
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

    /** Total size of the live SST files, for the report. */
    long sstBytes() throws Exception {
        return db.getLongProperty("rocksdb.live-sst-files-size");
    }

    @Override
    public void close() {
        db.close();
        readOptions.close();
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
