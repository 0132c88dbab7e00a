package io.cairn.bench.alloc;

import io.cairn.stack.ForwardingStorageFile;
import io.cairn.stack.ForwardingStorageIo;
import io.cairn.stack.StorageFile;
import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** The production I/O seam, counting durable syncs ({@code force} calls) for the allocator benchmarks. */
public final class CountingStorageIo extends ForwardingStorageIo {
    private final AtomicLong forces = new AtomicLong();

    public CountingStorageIo() {
        super(StorageIo.fileSystem());
    }

    /** Forces issued so far through every file this seam opened (directory syncs included). */
    public long forces() {
        return forces.get();
    }

    @Override
    protected StorageFile wrap(StorageFile file) {
        return new ForwardingStorageFile(file) {
            @Override
            public void force() throws IOException {
                forces.incrementAndGet();
                super.force();
            }
        };
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        forces.incrementAndGet();
        super.syncDirectory(directory);
    }
}
