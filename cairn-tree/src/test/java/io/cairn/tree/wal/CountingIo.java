package io.cairn.tree.wal;

import io.cairn.stack.ForwardingStorageFile;
import io.cairn.stack.ForwardingStorageIo;
import io.cairn.stack.StorageFile;
import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A seam that counts file forces and shapes their cost: each force can be made to take at least a given time (a
 * slow disk, so a test sees how many forces a workload issued whatever the disk under it), or be skipped (under a
 * {@link io.cairn.stack.testkit.FaultyStorageIo}, which simulates durability itself, so fault drivers running
 * thousands of cases skip the real fdatasync without changing crash semantics).
 */
final class CountingIo extends ForwardingStorageIo {
    private final AtomicLong forces = new AtomicLong();
    private final long delayNanos;
    private final boolean realForces;

    private CountingIo(StorageIo delegate, long delayNanos, boolean realForces) {
        super(delegate);
        this.delayNanos = delayNanos;
        this.realForces = realForces;
    }

    /** Real forces, each taking at least {@code forceDelay}. */
    static CountingIo slowForces(Duration forceDelay) {
        return new CountingIo(StorageIo.fileSystem(), forceDelay.toNanos(), true);
    }

    /**
     * Forces (file and directory) counted but not made, each taking at least {@code forceDelay}: a slow disk under
     * a fault-injecting seam.
     */
    static CountingIo slowSkippedForces(Duration forceDelay) {
        return new CountingIo(StorageIo.fileSystem(), forceDelay.toNanos(), false);
    }

    /** Forces (file and directory) counted but not made: for use under a fault-injecting seam. */
    static CountingIo skippedForces() {
        return new CountingIo(StorageIo.fileSystem(), 0, false);
    }

    long forces() {
        return forces.get();
    }

    @Override
    protected StorageFile wrap(StorageFile file) {
        return new ForwardingStorageFile(file) {
            @Override
            public void force() throws IOException {
                forces.incrementAndGet();
                if (delayNanos > 0) {
                    LockSupport.parkNanos(delayNanos);
                }
                if (realForces) {
                    super.force();
                }
            }
        };
    }

    @Override
    public void syncDirectory(Path directory) throws IOException {
        if (realForces) {
            super.syncDirectory(directory);
        }
    }
}
