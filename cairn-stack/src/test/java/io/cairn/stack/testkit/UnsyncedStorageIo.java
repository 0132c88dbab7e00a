package io.cairn.stack.testkit;

import io.cairn.stack.ForwardingStorageFile;
import io.cairn.stack.ForwardingStorageIo;
import io.cairn.stack.StorageFile;
import io.cairn.stack.StorageIo;
import java.nio.file.Path;

/**
 * The real file system with fdatasync and directory fsync skipped. Under a {@link FaultyStorageIo} (see {@link
 * FaultyStorageIo#withoutRealSyncs}) the faulty layer still counts forces and decides what a simulated power loss
 * keeps, so crash semantics are unchanged; on its own it is the io of tests that write thousands of records and
 * never cut the power, so that they do not wait for the disk.
 */
public final class UnsyncedStorageIo extends ForwardingStorageIo {
    public UnsyncedStorageIo() {
        super(StorageIo.fileSystem());
    }

    @Override
    protected StorageFile wrap(StorageFile file) {
        return new ForwardingStorageFile(file) {
            @Override
            public void force() {
                // skipped: durability is simulated (or not needed) by the test
            }
        };
    }

    @Override
    public void syncDirectory(Path directory) {
        // as force()
    }
}
