package io.cairn.dict;

import io.cairn.stack.ForwardingStorageFile;
import io.cairn.stack.ForwardingStorageIo;
import io.cairn.stack.StorageFile;
import io.cairn.stack.StorageIo;
import java.nio.file.Path;

/**
 * The file system with forces left to the {@link io.cairn.stack.testkit.FaultyStorageIo} above it: that layer
 * decides what a simulated power loss keeps (what was forced through it), so the fault tests' many stores skip the
 * disk's real fdatasyncs without changing what a crash keeps.
 */
final class NoForceIo extends ForwardingStorageIo {
    NoForceIo() {
        super(StorageIo.fileSystem());
    }

    @Override
    protected StorageFile wrap(StorageFile file) {
        return new ForwardingStorageFile(file) {
            @Override
            public void force() {
                // counted and simulated by the FaultyStorageIo above
            }
        };
    }

    @Override
    public void syncDirectory(Path directory) {
        // the FaultyStorageIo above treats directory changes as durable at once
    }
}
