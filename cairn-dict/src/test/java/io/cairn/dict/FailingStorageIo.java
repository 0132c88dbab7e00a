package io.cairn.dict;

import io.cairn.stack.StorageFile;
import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Fails the Nth write (after writing half of it, a torn write) or the Nth force through the real file system.
 *
 * <p>cairn-stack's {@code FaultyStorageIo} cannot be used here: its test-jar's package {@code io.cairn.stack}
 * is split from the named module when this module's tests are compiled as a patch of {@code io.cairn.dict}.
 */
final class FailingStorageIo implements StorageIo {
    private final StorageIo delegate = StorageIo.fileSystem();
    private final int failWriteAt;
    private final int failForceAt;
    private int writes;
    private int forces;

    /** Fails write number {@code failWriteAt} or force number {@code failForceAt} (1-based; 0 = never). */
    FailingStorageIo(int failWriteAt, int failForceAt) {
        this.failWriteAt = failWriteAt;
        this.failForceAt = failForceAt;
    }

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
                if (++writes == failWriteAt) {
                    file.write(position, src.slice(src.position(), src.remaining() / 2));
                    throw new IOException("injected torn write " + writes + " to " + path);
                }
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
            public void force() throws IOException {
                if (++forces == failForceAt) {
                    throw new IOException("injected force failure " + forces + " of " + path);
                }
                file.force();
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
    public void syncDirectory(Path directory) throws IOException {
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
