package io.cairn.tree;

import io.cairn.tree.engine.ScanBuffer;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * The entry a {@link ScanVisitor} is looking at, read in place from the scan's buffer: nothing is copied unless the
 * visitor asks for a copy. The raw form is the buffer's {@link #array()} with offsets and lengths, which the JDK's
 * byte sinks take as they are ({@code OutputStream.write(array, offset, length)}, {@code ByteBuffer.put},
 * {@code CRC32C.update}, {@code new String(...)}); {@link #key()} and {@link #value()} are read-only segment slices.
 * The same view moves on to the next entry after the call returns, and once the scan is over it refuses every read
 * ({@link IllegalStateException}), so a view kept by mistake cannot show stale bytes.
 */
public final class ScanView {
    private ScanBuffer buffer;
    private int index;

    ScanView() {}

    void show(ScanBuffer buffer, int index) {
        this.buffer = buffer;
        this.index = index;
    }

    private ScanBuffer buffer() {
        if (buffer == null) {
            throw new IllegalStateException("a ScanView is valid only during the visit that received it");
        }
        return buffer;
    }

    public boolean isCommonPrefix() {
        return buffer().isCommonPrefix(index);
    }

    /**
     * The scan's buffer, valid during this visit: the key at {@link #keyOffset()}, the value (if any) right after it
     * at {@link #valueOffset()}. It holds copies private to this scan: writing into it changes nothing but what this
     * visitor reads back, and it is overwritten by the scan's next chunk.
     */
    public byte[] array() {
        return buffer().array();
    }

    public int keyOffset() {
        return buffer().keyOffset(index);
    }

    /** The key's (or common prefix's) length in bytes. */
    public int keyLength() {
        return buffer().keyLength(index);
    }

    public int valueOffset() {
        return keyOffset() + keyLength();
    }

    /** The value's length in bytes; -1 for a common prefix or a keys-only scan. */
    public int valueLength() {
        return Math.max(buffer().valueLength(index), -1);
    }

    /** The key, or the common prefix including its delimiter: a read-only slice valid during this visit. */
    public MemorySegment key() {
        return buffer().readOnly().asSlice(keyOffset(), keyLength());
    }

    /** The value as a read-only slice valid during this visit; null for a common prefix or a keys-only scan. */
    public MemorySegment value() {
        int length = valueLength();
        return length < 0 ? null : buffer().readOnly().asSlice(valueOffset(), length);
    }

    /** The key's version; 0 for a common prefix. */
    public long version() {
        return buffer().version(index);
    }

    /** A copy of the key. */
    public byte[] keyBytes() {
        return buffer().key(index);
    }

    /** A copy of the value; null for a common prefix or a keys-only scan. */
    public byte[] valueBytes() {
        return buffer().value(index);
    }

    /** The key decoded as UTF-8. */
    public String keyString() {
        ScanBuffer b = buffer();
        return new String(b.array(), b.keyOffset(index), b.keyLength(index), StandardCharsets.UTF_8);
    }

    /** The entry as a {@link ScanEntry} the caller may keep (copies key and value). */
    public ScanEntry toEntry() {
        return ScanEntry.of(buffer(), index);
    }

    @Override
    public String toString() {
        return buffer == null ? "ScanView[released]" : toEntry().toString();
    }
}
