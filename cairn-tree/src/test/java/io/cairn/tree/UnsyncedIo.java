package io.cairn.tree;

import io.cairn.stack.ForwardingStorageFile;
import io.cairn.stack.ForwardingStorageIo;
import io.cairn.stack.StorageFile;
import io.cairn.stack.StorageIo;
import java.nio.file.Path;

/**
 * The real file system without fdatasync, as the delegate under a {@link io.cairn.stack.testkit.FaultyStorageIo}:
 * the faulty layer decides what a simulated power loss keeps (what was forced through it), so crash semantics are
 * unchanged while the tests' thousands of writes skip the disk's real forces.
 */
final class UnsyncedIo extends ForwardingStorageIo {
    UnsyncedIo() {
        super(StorageIo.fileSystem());
    }

    @Override
    protected StorageFile wrap(StorageFile file) {
        return new ForwardingStorageFile(file) {
            @Override
            public void force() {
                // simulated by the FaultyStorageIo above
            }
        };
    }

    @Override
    public void syncDirectory(Path directory) {
        // simulated by the FaultyStorageIo above (it treats directory changes as durable at once)
    }
}
