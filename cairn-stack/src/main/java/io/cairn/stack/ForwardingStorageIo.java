package io.cairn.stack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A {@link StorageIo} that forwards every call to a delegate. Decorators of the seam (sync counters, metrics,
 * fault injection) extend it and override only what they change; {@link #wrap} decorates each opened file,
 * typically with a {@link ForwardingStorageFile}.
 */
public class ForwardingStorageIo implements StorageIo {
    private final StorageIo delegate;

    protected ForwardingStorageIo(StorageIo delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** Decorates a file the delegate opened; the default returns it unchanged. */
    protected StorageFile wrap(StorageFile file) {
        return file;
    }

    @Override
    public StorageFile open(Path path, OpenMode mode) throws IOException {
        return wrap(delegate.open(path, mode));
    }

    @Override
    public StorageFile openLocked(Path path, OpenMode mode) throws IOException {
        return wrap(delegate.openLocked(path, mode));
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
