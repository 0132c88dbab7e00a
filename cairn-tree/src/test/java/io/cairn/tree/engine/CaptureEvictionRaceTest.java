package io.cairn.tree.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A checkpoint's capture turns dirty frames into pending ones while readers keep loading frames, and every load
 * may evict a frame. A captured frame must never be evicted before its image is written: its slot still holds the
 * image of the checkpoint before, so a reload would bring back old bytes (the writes since are lost, and the
 * checkpoint would write that old image). The capture once cleared the dirty flag before setting pending, and a
 * load in between evicted the frame (found by ConcurrentTreeTest under CI load as a lost update).
 */
class CaptureEvictionRaceTest {
    private static final int FRAME = 4096;
    private static final int CAPTURED = 48;
    private static final int CLEAN = 64;

    @Test
    void aFrameBeingCapturedIsNeverEvicted() throws Exception {
        FrameCache cache = FrameCache.bounded(FRAME, (CAPTURED + 8L) * FRAME, (id, slot, into) -> format(into, id),
                () -> { });
        try {
            List<Frame> captured = new ArrayList<>();
            for (int id = 0; id < CAPTURED; id++) {
                Frame f = new Frame(FRAME, id, cache);
                f.lock();
                cache.attach(f);
                f.format();
                f.slot = id; // an image from an earlier checkpoint
                cache.markDirty(f);
                f.unlock();
                captured.add(f);
            }
            List<Frame> clean = new ArrayList<>();
            for (int id = CAPTURED; id < CAPTURED + CLEAN; id++) {
                Frame f = new Frame(FRAME, id, cache);
                f.slot = id;
                clean.add(f);
            }
            AtomicBoolean done = new AtomicBoolean();
            Thread loader = Thread.ofPlatform().start(() -> {
                while (!done.get()) {
                    for (Frame f : clean) {
                        f.stableVersion(); // loads it, evicting whatever the clock hand finds
                    }
                }
            });
            try {
                long deadline = System.nanoTime() + 3_000_000_000L;
                int rounds = 0;
                while (System.nanoTime() < deadline) {
                    FrameCapture capture = FrameCapture.of(cache, captured);
                    for (Frame f : captured) {
                        if (f.seg == Frame.ABSENT) {
                            fail("captured frame " + f.id + " was evicted before its image was written (round "
                                    + rounds + ")");
                        }
                    }
                    capture.close();
                    for (Frame f : captured) { // written, then changed again (its latch held: resident)
                        cache.written(f, f.id);
                        f.lock();
                        cache.markDirty(f);
                        f.unlock();
                    }
                    rounds++;
                }
                assertTrue(rounds > 100, "captures ran: " + rounds);
            } finally {
                done.set(true);
                loader.join();
            }
        } finally {
            cache.close();
        }
    }

    private static void format(java.lang.foreign.MemorySegment into, int id) {
        new Frame(into, id).format();
    }
}
