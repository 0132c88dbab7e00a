package io.cairn.stack.alloc;

import io.cairn.stack.StorageFile;
import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The real file system with {@code force()} a no-op, as the delegate under {@link io.cairn.stack.testkit.FaultyStorageIo}:
 * the faulty layer still counts forces and decides what a simulated power loss keeps, so crash semantics are
 * unchanged while the fault driver's thousands of runs skip the real fdatasync.
 */
final class UnsyncedStorageIo implements StorageIo {
    private final StorageIo delegate = StorageIo.fileSystem();

    @Override
    public StorageFile open(Path path, OpenMode mode) throws IOException {
        StorageFile file = delegate.open(path, mode);
        return new StorageFile() {
            @Override
            public Path path() {
                return file.path();
            }

            @Override
            public void read(long position, ByteBuffer dst) throws IOException {
                file.read(position, dst);
            }

            @Override
            public void write(long position, ByteBuffer src) throws IOException {
                file.write(position, src);
            }

            @Override
            public long size() throws IOException {
                return file.size();
            }

            @Override
            public void truncate(long size) throws IOException {
                file.truncate(size);
            }

            @Override
            public void force() {
                // Durability is simulated by the FaultyStorageIo above this one.
            }

            @Override
            public void lock(boolean shared) throws IOException {
                file.lock(shared);
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        };
    }

    @Override
    public void syncDirectory(Path directory) {
        // As force(): simulated above.
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
