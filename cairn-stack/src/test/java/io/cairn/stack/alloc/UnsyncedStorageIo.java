package io.cairn.stack.alloc;

import io.cairn.stack.ForwardingStorageFile;
import io.cairn.stack.ForwardingStorageIo;
import io.cairn.stack.StorageFile;
import io.cairn.stack.StorageIo;
import java.nio.file.Path;

/**
 * The real file system with {@code force()} a no-op, as the delegate under {@link io.cairn.stack.testkit.FaultyStorageIo}:
 * the faulty layer still counts forces and decides what a simulated power loss keeps, so crash semantics are
 * unchanged while the fault driver's thousands of runs skip the real fdatasync.
 */
final class UnsyncedStorageIo extends ForwardingStorageIo {

    UnsyncedStorageIo() {
        super(StorageIo.fileSystem());
    }

    @Override
    protected StorageFile wrap(StorageFile file) {
        return new ForwardingStorageFile(file) {
            @Override
            public void force() {
                // Durability is simulated by the FaultyStorageIo above this one.
            }
        };
    }

    @Override
    public void syncDirectory(Path directory) {
        // As force(): simulated above.
    }
}
