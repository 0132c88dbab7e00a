package io.cairn.tree.engine;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * Where a file-backed store's frames come from when the cache loads them: the frame file. Implemented by the
 * storage package, so the engine knows nothing of files.
 */
public interface FrameSource {

    /**
     * Reads the image of frame {@code id} from {@code slot} into {@code into} (a frame-sized buffer) and checks it
     * (magic, version, frame id, size, bump pointer, CRC32C).
     *
     * @throws io.cairn.stack.CorruptedStoreException if the slot does not hold a sound image of that frame
     */
    void read(int id, long slot, MemorySegment into) throws IOException;
}
