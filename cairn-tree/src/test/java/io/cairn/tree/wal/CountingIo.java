package io.cairn.tree.wal;

import io.cairn.stack.ForwardingStorageFile;
import io.cairn.stack.ForwardingStorageIo;
import io.cairn.stack.StorageFile;
import io.cairn.stack.StorageIo;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A seam that counts file forces and can make each one take at least a given time (a slow disk), so a test can
 * see how many forces a workload really issued, whatever the speed of the disk under the test.
 */
final class CountingIo extends ForwardingStorageIo {
    private final AtomicLong forces = new AtomicLong();
    private final long delayNanos;

    CountingIo(StorageIo delegate, Duration forceDelay) {
        super(delegate);
        this.delayNanos = forceDelay.toNanos();
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
                super.force();
            }
        };
    }
}
