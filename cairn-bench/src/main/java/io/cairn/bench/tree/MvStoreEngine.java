package io.cairn.bench.tree;

import io.cairn.stack.Durability;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * H2's MVStore: one {@link MVMap} of byte arrays in unsigned order, a page cache of the settings' size. SYNC turns
 * the store's background auto-commit off and follows every write with {@code commit()} (a new chunk) and
 * {@code sync()} (a force of the file); ASYNC leaves auto-commit on (a background thread writes a chunk at least
 * every second, never forcing it). MVMap is thread-safe; commits serialise inside the store.
 */
final class MvStoreEngine implements DurableEngine {
    private final MVStore store;
    private final MVMap<byte[], byte[]> map;
    private final boolean forceEachWrite;

    MvStoreEngine(Path dir, Settings settings) throws Exception {
        forceEachWrite = settings.durability() == Durability.SYNC;
        MVStore.Builder builder = new MVStore.Builder()
                .fileName(Files.createDirectories(dir.resolve("mvstore")).resolve("kv.mv").toString())
                .cacheSize((int) Math.max(1, settings.cacheBytes() >> 20));
        store = (forceEachWrite ? builder.autoCommitDisabled() : builder).open();
        map = store.openMap("kv", new MVMap.Builder<byte[], byte[]>().keyType(UnsignedBytes.TYPE)
                .valueType(UnsignedBytes.TYPE));
    }

    /** Byte arrays ordered by {@link Arrays#compareUnsigned}, stored as a var-int length and the bytes. */
    private static final class UnsignedBytes extends BasicDataType<byte[]> {
        static final UnsignedBytes TYPE = new UnsignedBytes();

        @Override
        public int getMemory(byte[] bytes) {
            return 24 + bytes.length;
        }

        @Override
        public void write(WriteBuffer buffer, byte[] bytes) {
            buffer.putVarInt(bytes.length).put(bytes);
        }

        @Override
        public byte[] read(ByteBuffer buffer) {
            byte[] bytes = new byte[DataUtils.readVarInt(buffer)];
            buffer.get(bytes);
            return bytes;
        }

        @Override
        public int compare(byte[] a, byte[] b) {
            return Arrays.compareUnsigned(a, b);
        }

        @Override
        public byte[][] createStorage(int size) {
            return new byte[size][];
        }
    }

    @Override
    public void load(byte[][] keys, byte[][] values) {
        for (int i = 0; i < keys.length; i++) {
            map.put(keys[i], values[i]);
        }
        store.commit();
    }

    @Override
    public byte[] get(byte[] key) {
        return map.get(key);
    }

    @Override
    public void put(byte[] key, byte[] value) {
        map.put(key, value);
        durable();
    }

    @Override
    public void delete(byte[] key) {
        map.remove(key);
        durable();
    }

    /** Both changes, then one commit and one sync under SYNC. */
    @Override
    public void rename(byte[] source, byte[] target) {
        map.put(target, map.get(source));
        map.remove(source);
        durable();
    }

    private void durable() {
        if (forceEachWrite) {
            store.commit();
            store.sync();
        }
    }

    @Override
    public void list(byte[] prefix, int limit, ScanSink sink) throws Exception {
        OrderedCursor.list(new Seeker(), prefix, limit, sink);
    }

    @Override
    public void listDir(byte[] prefix, byte delimiter, int limit, ScanSink sink) throws Exception {
        OrderedCursor.listDir(new Seeker(), prefix, delimiter, limit, sink);
    }

    /** The page cache is on the heap; the process's resident memory shows it. */
    @Override
    public long reportedMemoryBytes() {
        return -1;
    }

    @Override
    public void sync() {
        store.commit();
        store.sync();
    }

    @Override
    public void checkpoint() {
        sync();
    }

    @Override
    public void close() {
        store.close();
    }

    /** A seek opens a new cursor at the bound, a descent of the B-tree. */
    private final class Seeker implements OrderedCursor {
        private Cursor<byte[], byte[]> cursor;
        private byte[] key;

        @Override
        public void seek(byte[] from) {
            cursor = map.cursor(from);
            next();
        }

        @Override
        public boolean valid() {
            return key != null;
        }

        @Override
        public byte[] key() {
            return key;
        }

        @Override
        public byte[] value() {
            return cursor.getValue();
        }

        @Override
        public void next() {
            key = cursor.hasNext() ? cursor.next() : null;
        }
    }
}
