package io.cairn.bench.tree;

import io.cairn.stack.Durability;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * LMDB through lmdbjava 0.9 with its fastest buffers (direct {@link ByteBuffer}s read through {@code Unsafe}, hence
 * the child's {@code --add-opens}): one write transaction per put, delete or rename (LMDB forces the data and then
 * the meta page at each commit under SYNC; ASYNC opens the environment with {@code MDB_NOSYNC}); reads in a
 * per-thread read transaction that is reset after each call and renewed for the next, as LMDB advises. Keys are
 * ordered by LMDB's own memcmp. There is no cache to size: the file is memory-mapped and the OS page cache holds it
 * (it shows in the process's file-backed resident memory).
 */
final class LmdbEngine implements DurableEngine {
    /** Address space reserved for the map; the file grows only as pages are used. */
    private static final long MAP_BYTES = 64L << 30;
    private static final int LOAD_BATCH = 10_000;

    private final Env<ByteBuffer> env;
    private final Dbi<ByteBuffer> dbi;
    private final ThreadLocal<Buffers> buffers;
    private final List<Txn<ByteBuffer>> readTxns = new CopyOnWriteArrayList<>();

    LmdbEngine(Path dir, Settings settings) throws Exception {
        Path home = Files.createDirectories(dir.resolve("lmdb"));
        EnvFlags[] flags = settings.durability() == Durability.SYNC ? new EnvFlags[0]
                : new EnvFlags[] {EnvFlags.MDB_NOSYNC};
        env = Env.create().setMapSize(MAP_BYTES).setMaxDbs(1).setMaxReaders(256).open(home.toFile(), flags);
        dbi = env.openDbi("kv", DbiFlags.MDB_CREATE);
        buffers = ThreadLocal.withInitial(() -> new Buffers(env.getMaxKeySize()));
    }

    /** A thread's direct buffers for keys and values, and its read transaction (created reset). */
    private final class Buffers {
        final ByteBuffer key;
        ByteBuffer value = ByteBuffer.allocateDirect(256);
        final Txn<ByteBuffer> read;

        Buffers(int maxKey) {
            key = ByteBuffer.allocateDirect(maxKey);
            read = env.txnRead();
            read.reset();
            readTxns.add(read);
        }

        ByteBuffer key(byte[] bytes) {
            return key.clear().put(bytes).flip();
        }

        ByteBuffer value(byte[] bytes) {
            if (value.capacity() < bytes.length) {
                value = ByteBuffer.allocateDirect(Math.max(bytes.length, 2 * value.capacity()));
            }
            return value.clear().put(bytes).flip();
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    @Override
    public void load(byte[][] keys, byte[][] values) {
        Buffers own = buffers.get();
        for (int start = 0; start < keys.length; start += LOAD_BATCH) {
            try (Txn<ByteBuffer> txn = env.txnWrite()) {
                for (int i = start; i < Math.min(keys.length, start + LOAD_BATCH); i++) {
                    dbi.put(txn, own.key(keys[i]), own.value(values[i]));
                }
                txn.commit();
            }
        }
    }

    @Override
    public byte[] get(byte[] key) {
        Buffers own = buffers.get();
        own.read.renew();
        try {
            ByteBuffer value = dbi.get(own.read, own.key(key));
            return value == null ? null : bytes(value);
        } finally {
            own.read.reset();
        }
    }

    @Override
    public void put(byte[] key, byte[] value) {
        Buffers own = buffers.get();
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            dbi.put(txn, own.key(key), own.value(value));
            txn.commit();
        }
    }

    @Override
    public void delete(byte[] key) {
        Buffers own = buffers.get();
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            dbi.delete(txn, own.key(key));
            txn.commit();
        }
    }

    @Override
    public void rename(byte[] source, byte[] target) {
        Buffers own = buffers.get();
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            byte[] value = bytes(dbi.get(txn, own.key(source)));
            dbi.delete(txn, own.key(source));
            dbi.put(txn, own.key(target), own.value(value));
            txn.commit();
        }
    }

    @Override
    public void list(byte[] prefix, int limit, ScanSink sink) throws Exception {
        Buffers own = buffers.get();
        own.read.renew();
        try (Cursor<ByteBuffer> cursor = dbi.openCursor(own.read)) {
            OrderedCursor.list(new Seeker(cursor, own), prefix, limit, sink);
        } finally {
            own.read.reset();
        }
    }

    @Override
    public void listDir(byte[] prefix, byte delimiter, int limit, ScanSink sink) throws Exception {
        Buffers own = buffers.get();
        own.read.renew();
        try (Cursor<ByteBuffer> cursor = dbi.openCursor(own.read)) {
            OrderedCursor.listDir(new Seeker(cursor, own), prefix, delimiter, limit, sink);
        } finally {
            own.read.reset();
        }
    }

    /** The map is the OS page cache's; the process's file-backed resident memory shows it. */
    @Override
    public long reportedMemoryBytes() {
        return -1;
    }

    @Override
    public void sync() {
        env.sync(true);
    }

    @Override
    public void checkpoint() {
        env.sync(true);
    }

    @Override
    public void close() {
        for (Txn<ByteBuffer> txn : readTxns) {
            txn.close();
        }
        dbi.close();
        env.close();
    }

    private static final class Seeker implements OrderedCursor {
        private final Cursor<ByteBuffer> cursor;
        private final Buffers buffers;
        private boolean valid;

        Seeker(Cursor<ByteBuffer> cursor, Buffers buffers) {
            this.cursor = cursor;
            this.buffers = buffers;
        }

        @Override
        public void seek(byte[] from) {
            valid = from.length == 0 ? cursor.first() : cursor.get(buffers.key(from), GetOp.MDB_SET_RANGE);
        }

        @Override
        public boolean valid() {
            return valid;
        }

        @Override
        public byte[] key() {
            return bytes(cursor.key());
        }

        @Override
        public byte[] value() {
            return bytes(cursor.val());
        }

        @Override
        public void next() {
            valid = cursor.next();
        }
    }
}
