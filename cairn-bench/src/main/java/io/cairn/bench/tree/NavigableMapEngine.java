package io.cairn.bench.tree;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The on-heap peers: {@link ConcurrentSkipListMap} (lock-free) and {@link TreeMap}, both ordered by
 * {@link Arrays#compareUnsigned(byte[], byte[])}. TreeMap is not thread-safe, so it is guarded by a
 * {@link ReentrantReadWriteLock} (readers share it, writers exclude everyone): that is how an application would
 * share one, and it is what the 4-thread rows measure.
 */
final class NavigableMapEngine implements Engine {
    private final NavigableMap<byte[], byte[]> map;
    private final ReadWriteLock lock;

    private NavigableMapEngine(NavigableMap<byte[], byte[]> map, ReadWriteLock lock) {
        this.map = map;
        this.lock = lock;
    }

    static NavigableMapEngine concurrentSkipList() {
        return new NavigableMapEngine(new ConcurrentSkipListMap<>(Arrays::compareUnsigned), null);
    }

    static NavigableMapEngine lockedTreeMap() {
        return new NavigableMapEngine(new TreeMap<>(Arrays::compareUnsigned), new ReentrantReadWriteLock());
    }

    /** Copies the keys so the map owns them, as a store would: the heap growth then counts them. */
    @Override
    public void load(byte[][] keys, byte[][] values) {
        for (int i = 0; i < keys.length; i++) {
            put(keys[i].clone(), values[i]);
        }
    }

    @Override
    public byte[] get(byte[] key) {
        lockRead();
        try {
            return map.get(key);
        } finally {
            unlockRead();
        }
    }

    @Override
    public void put(byte[] key, byte[] value) {
        lockWrite();
        try {
            map.put(key, value);
        } finally {
            unlockWrite();
        }
    }

    @Override
    public void delete(byte[] key) {
        lockWrite();
        try {
            map.remove(key);
        } finally {
            unlockWrite();
        }
    }

    @Override
    public void rename(byte[] source, byte[] target) {
        put(target, get(source));
        delete(source);
    }

    @Override
    public void list(byte[] prefix, int limit, ScanSink sink) throws Exception {
        lockRead();
        try {
            OrderedCursor.list(new Cursor(), prefix, limit, sink);
        } finally {
            unlockRead();
        }
    }

    @Override
    public void listDir(byte[] prefix, byte delimiter, int limit, ScanSink sink) throws Exception {
        lockRead();
        try {
            OrderedCursor.listDir(new Cursor(), prefix, delimiter, limit, sink);
        } finally {
            unlockRead();
        }
    }

    @Override
    public long reportedMemoryBytes() {
        return -1;
    }

    @Override
    public void close() {
        map.clear();
    }

    private void lockRead() {
        if (lock != null) {
            lock.readLock().lock();
        }
    }

    private void unlockRead() {
        if (lock != null) {
            lock.readLock().unlock();
        }
    }

    private void lockWrite() {
        if (lock != null) {
            lock.writeLock().lock();
        }
    }

    private void unlockWrite() {
        if (lock != null) {
            lock.writeLock().unlock();
        }
    }

    /** Iterates a tail view; a seek opens a new tail view, an O(log n) descent. */
    private final class Cursor implements OrderedCursor {
        private Iterator<Map.Entry<byte[], byte[]>> entries;
        private Map.Entry<byte[], byte[]> current;

        @Override
        public void seek(byte[] from) {
            entries = map.tailMap(from, true).entrySet().iterator();
            next();
        }

        @Override
        public boolean valid() {
            return current != null;
        }

        @Override
        public byte[] key() {
            return current.getKey();
        }

        @Override
        public byte[] value() {
            return current.getValue();
        }

        @Override
        public void next() {
            current = entries.hasNext() ? entries.next() : null;
        }
    }
}
