package io.cairn.bench.alloc;

import io.cairn.stack.StorageFile;
import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** The production I/O seam, counting durable syncs ({@code force} calls) for the allocator benchmarks. */
public final class CountingStorageIo implements StorageIo {
    private final StorageIo delegate = StorageIo.fileSystem();
    private final AtomicLong forces = new AtomicLong();

    /** Forces issued so far through every file this seam opened. */
    public long forces() {
        return forces.get();
    }

    @Override
    public StorageFile open(Path path, OpenMode mode) throws IOException {
        StorageFile inner = delegate.open(path, mode);
        return new StorageFile() {
            @Override
            public Path path() {
                return inner.path();
            }

            @Override
            public void read(long position, ByteBuffer dst) throws IOException {
                inner.read(position, dst);
            }

            @Override
            public void write(long position, ByteBuffer src) throws IOException {
                inner.write(position, src);
            }

            @Override
            public long size() throws IOException {
                return inner.size();
            }

            @Override
            public void truncate(long size) throws IOException {
                inner.truncate(size);
            }

            @Override
            public void force() throws IOException {
                forces.incrementAndGet();
                inner.force();
            }

            @Override
            public void lock(boolean shared) throws IOException {
                inner.lock(shared);
            }

            @Override
            public void close() throws IOException {
                inner.close();
            }
        };
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        forces.incrementAndGet();
        delegate.syncDirectory(directory);
    }

    @Override
    public void atomicMove(Path source, Path target) throws IOException {
        delegate.atomicMove(source, target);
    }

    @Override
    public boolean deleteIfExists(Path path) throws IOException {
        return delegate.deleteIfExists(path);
    }
}
