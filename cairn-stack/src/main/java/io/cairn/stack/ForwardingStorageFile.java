package io.cairn.stack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Objects;

/** A {@link StorageFile} that forwards every call to a delegate; see {@link ForwardingStorageIo}. */
public class ForwardingStorageFile implements StorageFile {
    private final StorageFile delegate;

    protected ForwardingStorageFile(StorageFile delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public Path path() {
        return delegate.path();
    }

    @Override
    public void read(long position, ByteBuffer dst) throws IOException {
        delegate.read(position, dst);
    }

    @Override
    public void write(long position, ByteBuffer src) throws IOException {
        delegate.write(position, src);
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public void truncate(long size) throws IOException {
        delegate.truncate(size);
    }

    @Override
    public void force() throws IOException {
        delegate.force();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
