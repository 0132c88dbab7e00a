package io.cairn.bench.tree;

import io.cairn.stack.Durability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import jetbrains.exodus.ArrayByteIterable;
import jetbrains.exodus.ByteIterable;
import jetbrains.exodus.env.Cursor;
import jetbrains.exodus.env.Environment;
import jetbrains.exodus.env.EnvironmentConfig;
import jetbrains.exodus.env.EnvironmentImpl;
import jetbrains.exodus.env.Environments;
import jetbrains.exodus.env.Store;
import jetbrains.exodus.env.StoreConfig;
import jetbrains.exodus.env.Transaction;

/**
 * JetBrains Xodus: one store without duplicates, one transaction per put, delete or rename. SYNC sets
 * {@code exodus.log.durableWrite=true} (each commit forces the log; it is off by default); ASYNC leaves it off. The
 * log cache is sized by the settings (by default Xodus takes half the heap). Keys compare as unsigned bytes.
 */
final class XodusEngine implements DurableEngine {
    private static final int LOAD_BATCH = 10_000;

    private final Environment env;
    private final Store store;

    XodusEngine(Path dir, Settings settings) throws Exception {
        EnvironmentConfig config = new EnvironmentConfig()
                .setLogDurableWrite(settings.durability() == Durability.SYNC)
                .setMemoryUsage(settings.cacheBytes());
        env = Environments.newInstance(Files.createDirectories(dir.resolve("xodus")).toFile(), config);
        store = env.computeInTransaction(txn -> env.openStore("kv", StoreConfig.WITHOUT_DUPLICATES, txn));
    }

    private static ByteIterable of(byte[] bytes) {
        return new ArrayByteIterable(bytes);
    }

    private static byte[] bytes(ByteIterable iterable) {
        return Arrays.copyOf(iterable.getBytesUnsafe(), iterable.getLength());
    }

    @Override
    public void load(byte[][] keys, byte[][] values) {
        for (int start = 0; start < keys.length; start += LOAD_BATCH) {
            int from = start;
            env.executeInTransaction(txn -> {
                for (int i = from; i < Math.min(keys.length, from + LOAD_BATCH); i++) {
                    store.put(txn, of(keys[i]), of(values[i]));
                }
            });
        }
    }

    @Override
    public byte[] get(byte[] key) {
        return env.computeInReadonlyTransaction(txn -> {
            ByteIterable value = store.get(txn, of(key));
            return value == null ? null : bytes(value);
        });
    }

    @Override
    public void put(byte[] key, byte[] value) {
        env.executeInTransaction(txn -> store.put(txn, of(key), of(value)));
    }

    @Override
    public void delete(byte[] key) {
        env.executeInTransaction(txn -> store.delete(txn, of(key)));
    }

    @Override
    public void rename(byte[] source, byte[] target) {
        env.executeInTransaction(txn -> {
            ByteIterable value = store.get(txn, of(source));
            store.delete(txn, of(source));
            store.put(txn, of(target), value);
        });
    }

    @Override
    public void list(byte[] prefix, int limit, ScanSink sink) throws Exception {
        Transaction txn = env.beginReadonlyTransaction();
        try (Cursor cursor = store.openCursor(txn)) {
            OrderedCursor.list(new Seeker(cursor), prefix, limit, sink);
        } finally {
            txn.abort();
        }
    }

    @Override
    public void listDir(byte[] prefix, byte delimiter, int limit, ScanSink sink) throws Exception {
        Transaction txn = env.beginReadonlyTransaction();
        try (Cursor cursor = store.openCursor(txn)) {
            OrderedCursor.listDir(new Seeker(cursor), prefix, delimiter, limit, sink);
        } finally {
            txn.abort();
        }
    }

    /** The log cache is on the heap; the process's resident memory shows it. */
    @Override
    public long reportedMemoryBytes() {
        return -1;
    }

    @Override
    public void sync() {
        ((EnvironmentImpl) env).flushAndSync();
    }

    @Override
    public void checkpoint() {
        sync();
    }

    @Override
    public void close() {
        env.close();
    }

    private static final class Seeker implements OrderedCursor {
        private final Cursor cursor;
        private boolean valid;

        Seeker(Cursor cursor) {
            this.cursor = cursor;
        }

        @Override
        public void seek(byte[] from) {
            valid = from.length == 0 ? cursor.getNext() : cursor.getSearchKeyRange(of(from)) != null;
        }

        @Override
        public boolean valid() {
            return valid;
        }

        @Override
        public byte[] key() {
            return bytes(cursor.getKey());
        }

        @Override
        public byte[] value() {
            return bytes(cursor.getValue());
        }

        @Override
        public void next() {
            valid = cursor.getNext();
        }
    }
}
