package io.cairn.bench.alloc;

import io.cairn.stack.ForwardingStorageFile;
import io.cairn.stack.ForwardingStorageIo;
import io.cairn.stack.StorageFile;
import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The production I/O seam, counting durable syncs ({@code force} calls) for the allocator benchmarks; optionally
 * skipping them, so a long trace measures CPU and page-cache cost while still counting what a durable run forces.
 */
public final class CountingStorageIo extends ForwardingStorageIo {
    private final AtomicLong forces = new AtomicLong();
    private final boolean skip;

    /** Counts every force and performs it. */
    public CountingStorageIo() {
        this(false);
    }

    private CountingStorageIo(boolean skip) {
        super(StorageIo.fileSystem());
        this.skip = skip;
    }

    /** Counts every force and skips it: nothing is made durable. */
    public static CountingStorageIo skippingForces() {
        return new CountingStorageIo(true);
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
                if (!skip) {
                    super.force();
                }
            }
        };
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        forces.incrementAndGet();
        if (!skip) {
            super.syncDirectory(directory);
        }
    }
}
