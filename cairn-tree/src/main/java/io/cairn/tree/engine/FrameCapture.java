package io.cairn.tree.engine;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The frames a checkpoint captured, as they were at the capture, written out later without stopping writers:
 * copy-on-write, as snapshots keep their frames ({@link SnapshotFrames}).
 *
 * <p>The capture (every writer gate closed) only marks the changed frames pending and watches them. Afterwards,
 * with writers running, {@link #writeImages} takes one frame at a time: if a writer has changed it since the
 * capture, the writer handed this capture a copy first ({@link #preserve}, called under the writer's latch before
 * its first change), and the copy is written; otherwise the frame is copied optimistically into one scratch buffer
 * (its version read, the bytes copied, the version validated: a failed validation means a writer got there, so the
 * copy it made is taken instead). So a checkpoint stops writers only for the capture (O(changed frames), no copying),
 * and it needs memory for one scratch buffer plus a copy of each captured frame a writer changes before it is
 * written; both come from the cache's buffers, so they count against its budget.
 *
 * <p>Captured frames stay resident until their image is written ({@link Frame#pending}); then their slot is
 * noted and the cache may evict them if they are clean.
 */
public final class FrameCapture implements FrameWatcher {

    /** Where a captured image goes. */
    @FunctionalInterface
    public interface ImageSink {
        /**
         * Writes the image of frame {@code id} (its bytes up to the bump pointer, which the caller may seal) and
         * returns the frame-file slot that now holds it.
         */
        long write(int id, MemorySegment image) throws IOException;
    }

    private final FrameCache cache;
    private final List<Frame> frames;
    /** Copies writers made (frame id → cache buffer index), until written. */
    private final Map<Integer, Integer> copies = new HashMap<>();
    /** Frames already written: a writer that latched one just before it stopped being watched makes no copy. */
    private final Set<Integer> done = new HashSet<>();
    private boolean closed;

    private FrameCapture(FrameCache cache, List<Frame> frames) {
        this.cache = cache;
        this.frames = frames;
    }

    /** Captures {@code dirty} frames (every writer shut out): pending from now on, watched until written. */
    static FrameCapture of(FrameCache cache, List<Frame> dirty) {
        FrameCapture c = new FrameCapture(cache, dirty);
        for (Frame f : dirty) {
            cache.captured(f);
            f.watch(c);
        }
        return c;
    }

    /** Ids of the captured frames, ascending. */
    public List<Integer> ids() {
        List<Integer> ids = new ArrayList<>(frames.size());
        for (Frame f : frames) {
            ids.add(f.id);
        }
        return ids;
    }

    /** Called by a writer that just latched {@code live}, before it changes anything: keeps its image. */
    @Override
    public synchronized void preserve(Frame live) {
        if (closed || done.contains(live.id) || copies.containsKey(live.id)) {
            return;
        }
        int i = cache.borrowCopy();
        MemorySegment.copy(live.seg, 0, cache.copyBuffer(i), 0, live.bump());
        copies.put(live.id, i);
    }

    /**
     * Hands each captured frame's image, as it was at the capture, to {@code sink}, one at a time, and notes the
     * slot it went to: the frame may be evicted from then on (if it is clean).
     */
    public void writeImages(ImageSink sink) throws IOException {
        int scratch = cache.borrowCopy();
        try {
            MemorySegment buffer = cache.copyBuffer(scratch);
            for (Frame f : frames) {
                long slot = sink.write(f.id, imageOf(f, buffer));
                f.unwatch(this);
                Integer copy;
                synchronized (this) {
                    done.add(f.id);
                    copy = copies.remove(f.id);
                }
                if (copy != null) {
                    cache.returnCopy(copy);
                }
                cache.written(f, slot);
            }
        } finally {
            cache.returnCopy(scratch);
            cache.trim();
        }
    }

    /** The image of {@code f} at the capture: the copy a writer made, or the frame itself copied into scratch. */
    private MemorySegment imageOf(Frame f, MemorySegment scratch) {
        for (;;) {
            Integer copy = copyOf(f);
            if (copy != null) {
                return cache.copyBuffer(copy);
            }
            long v = f.stableVersion(); // resident: a pending frame is never evicted
            if (copyOf(f) != null) {
                continue; // a writer changed it before that version: its copy is the capture
            }
            try {
                int bump = Math.clamp(f.bump(), FrameFormat.HEADER_SIZE, f.size);
                MemorySegment.copy(f.seg, 0, scratch, 0, bump);
            } catch (IndexOutOfBoundsException | IllegalStateException torn) {
                continue;
            }
            if (f.validate(v)) {
                return scratch;
            }
        }
    }

    private synchronized Integer copyOf(Frame f) {
        return copies.get(f.id);
    }

    /** Stops watching (a failed checkpoint leaves frames unwritten) and returns every copy's buffer. */
    public void close() {
        List<Integer> left;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            left = new ArrayList<>(copies.values());
            copies.clear();
        }
        for (Frame f : frames) {
            f.unwatch(this);
        }
        for (int i : left) {
            cache.returnCopy(i);
        }
    }
}
