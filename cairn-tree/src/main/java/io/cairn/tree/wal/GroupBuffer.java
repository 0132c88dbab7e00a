package io.cairn.tree.wal;

import static io.cairn.tree.wal.WalFormat.LENGTH_OFFSET;
import static io.cairn.tree.wal.WalFormat.MAGIC_OFFSET;
import static io.cairn.tree.wal.WalFormat.RECORD_HEADER_SIZE;
import static io.cairn.tree.wal.WalFormat.RECORD_MAGIC;
import static io.cairn.tree.wal.WalFormat.SEQUENCE_OFFSET;
import static io.cairn.tree.wal.WalFormat.TYPE_OFFSET;
import static io.cairn.tree.wal.WalFormat.U32;
import static io.cairn.tree.wal.WalFormat.U64;
import static io.cairn.tree.wal.WalFormat.U8;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The records of one group commit, framed and checksummed in off-heap memory, waiting to be pushed to a segment
 * in one write. The log owns two (one filling, one being written); appenders fill one under the log's lock, the
 * flush leader owns the other alone. It may also carry the point where a segment roll was requested.
 */
final class GroupBuffer implements AutoCloseable {
    private final CRC32C crc = new CRC32C();
    private Arena arena;
    private MemorySegment memory;
    /** A view of {@link #memory} for checksums and writes; its position and limit are scratch. */
    private ByteBuffer view;
    private int position;
    private long firstSequence;
    private long lastSequence;
    private int count;
    /** Where a requested roll splits this buffer (-1: none), and the first sequence of the new segment. */
    private int rollOffset = -1;
    private long rollSequence;

    GroupBuffer(int capacity) {
        allocate(capacity);
    }

    private void allocate(int capacity) {
        arena = Arena.ofShared();
        memory = arena.allocate(capacity, 8);
        view = memory.asByteBuffer();
    }

    int capacity() {
        return (int) memory.byteSize();
    }

    boolean isEmpty() {
        return count == 0;
    }

    int count() {
        return count;
    }

    int size() {
        return position;
    }

    long firstSequence() {
        return firstSequence;
    }

    long lastSequence() {
        return lastSequence;
    }

    boolean fits(int recordSize) {
        return recordSize <= memory.byteSize() - position;
    }

    /** Replaces the memory of an empty buffer with a larger one: a single record bigger than the usual capacity. */
    void growEmptyTo(int capacity) {
        assert count == 0 && rollOffset <= 0;
        arena.close();
        allocate(capacity);
    }

    /**
     * Writes a record's header for {@code sequence} and returns the memory and offset where its body of
     * {@code bodyLength} bytes goes; {@link #seal} then checksums it. The caller checked {@link #fits}.
     */
    MemorySegment begin(long sequence, byte type, int bodyLength) {
        memory.set(U32, position + MAGIC_OFFSET, RECORD_MAGIC);
        memory.set(U32, position + LENGTH_OFFSET, bodyLength);
        memory.set(U64, position + SEQUENCE_OFFSET, sequence);
        memory.set(U8, position + TYPE_OFFSET, type);
        if (count == 0) {
            firstSequence = sequence;
        }
        lastSequence = sequence;
        count++;
        return memory;
    }

    /** The offset of the body of the record {@link #begin} started. */
    long bodyOffset() {
        return position + RECORD_HEADER_SIZE;
    }

    /** Appends the CRC32C of the record that ends at {@code bodyEnd} and moves past it. */
    void seal(long bodyEnd) {
        int end = (int) bodyEnd;
        memory.set(U32, end, WalFormat.crc32c(crc, view, position, end));
        position = end + Integer.BYTES;
    }

    /** Marks that records from here on belong to a new segment starting at {@code sequence}. */
    void markRoll(long sequence) {
        rollOffset = position;
        rollSequence = sequence;
    }

    boolean hasRoll() {
        return rollOffset >= 0;
    }

    long rollSequence() {
        return rollSequence;
    }

    /** Bytes {@code [from, to)} as a buffer for one write (a fresh view; the caller owns the buffer meanwhile). */
    ByteBuffer bytes(int from, int to) {
        return view.duplicate().limit(to).position(from);
    }

    int rollOffset() {
        return rollOffset;
    }

    /** Empties the buffer after its bytes were written; a grown buffer goes back to {@code capacity}. */
    void reset(int capacity) {
        position = 0;
        count = 0;
        rollOffset = -1;
        if (memory.byteSize() != capacity) {
            arena.close();
            allocate(capacity);
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
