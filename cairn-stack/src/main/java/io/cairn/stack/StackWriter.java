package io.cairn.stack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * How one stack file format makes each kind of mutation durable, under the stack's write lock: the length changes
 * both formats share (append, then {@code clen}; or {@code clen}, then cut), and the in-place writes each format
 * does its own way ({@link LegacyWriter} for 0.2, {@link JournalWriter} for 0.4). {@link BStack} validates the
 * arguments and holds the lock; a writer only writes, forces, and moves the {@link StackState} when something
 * fails.
 */
abstract sealed class StackWriter permits LegacyWriter, JournalWriter {
    /** The buffer of a {@linkplain #appendStream streamed append}. */
    private static final int STREAM_BUFFER = 1 << 20;

    final StorageFile file;
    final StackState state;
    final int headerSize;
    private final int clenOffset;
    private final Durability durability;

    StackWriter(StorageFile file, StackState state, StackFormat format, Durability durability) {
        this.file = file;
        this.state = state;
        this.headerSize = format.headerSize();
        this.clenOffset = format.clenOffset();
        this.durability = durability;
    }

    static StackWriter of(StackFormat format, StorageFile file, StackState state, Durability durability) {
        return format == StackFormat.V0_2 ? new LegacyWriter(file, state, durability)
                : new JournalWriter(file, state, durability);
    }

    /** Bytes to write at a logical offset. */
    record Piece(long offset, ByteBuffer data) {
        long end() {
            return offset + data.remaining();
        }
    }

    // ---------------------------------------------------------------- what each format does its own way

    /** Overwrites committed bytes {@code [offset, offset + data.length)}. */
    abstract void overwrite(long offset, byte[] data) throws IOException;

    /** Overwrites several disjoint ranges of committed bytes (sorted, at least two), all or none. */
    abstract void overwriteAll(List<Piece> pieces) throws IOException;

    /** Writes {@code count} copies of {@code pattern} from {@code offset}, inside the committed bytes. */
    abstract void fill(long offset, byte[] pattern, long count) throws IOException;

    /** Copies committed bytes {@code [from, from + n)} to {@code [to, to + n)}; the ranges may overlap. */
    abstract void copy(long from, long to, long n) throws IOException;

    /** Replaces the last {@code oldTail.length} bytes (which are {@code oldTail}) with {@code newTail}. */
    abstract void replaceTail(byte[] oldTail, byte[] newTail) throws IOException;

    /**
     * Brings the file to rest after a failed write, as open would; returns whether anything was pending. Only a
     * 0.4 handle is ever interrupted.
     */
    abstract boolean recoverPending() throws IOException;

    /**
     * What to throw after a write of a length change failed: 0.2 restores the old tail from memory, 0.4 leaves the
     * file to its recovery.
     */
    abstract IOException lengthChangeFailed(IOException cause, long keep, long oldLength, byte[] overwritten);

    // ---------------------------------------------------------------- shared by both formats

    /**
     * The one way the length changes: keep {@code [0, keep)} (past the length when the caller already wrote those
     * bytes there, as a streamed append does), write {@code pieces} (each inside {@code [keep, newLength)}), and
     * commit {@code newLength} with one force. Growing writes the data (and a final zero byte if
     * no piece reaches the end: the file then has a hole that reads as zeros) before {@code clen}; shrinking
     * writes {@code clen} before cutting, so recovery's {@code min(clen, payload on disk)} finds either state.
     * {@code overwritten} holds the old bytes {@code [keep, length)} a piece rewrites, for a 0.2 rollback.
     */
    final void commitLength(long keep, long newLength, List<Piece> pieces, byte[] overwritten) throws IOException {
        long oldLength = state.length();
        try {
            long covered = keep;
            for (Piece piece : pieces) {
                file.write(headerSize + piece.offset(), piece.data().duplicate());
                covered = Math.max(covered, piece.end());
            }
            if (newLength > oldLength && covered < newLength) {
                // The file ends at the old length (the invariant at rest), so this leaves a hole of zeros.
                file.write(headerSize + newLength - 1, ByteBuffer.allocate(1));
            }
            writeClen(newLength);
            if (newLength < oldLength) {
                file.truncate(headerSize + newLength);
            }
        } catch (IOException e) {
            throw lengthChangeFailed(e, keep, oldLength, overwritten);
        }
        commitForce();
        state.setLength(newLength);
    }

    /**
     * Appends what {@code in} yields up to its end: written past the committed length through one buffer as it
     * arrives, then committed as {@link #commitLength} commits (the bytes already sit past the length, so the
     * commit keeps them). A failed or over-long stream cuts the written bytes off again and rethrows its error, the
     * handle unchanged; a failed write of the file is a failed length change.
     */
    final void appendStream(InputStream in, long maxLength) throws IOException {
        long offset = state.length();
        long end = offset;
        byte[] buffer = new byte[STREAM_BUFFER];
        while (true) {
            int n;
            try {
                n = in.read(buffer, 0, buffer.length);
                if (n > maxLength - end) {
                    throw new IllegalArgumentException("length would exceed " + maxLength + " bytes: " + end + " + " + n);
                }
            } catch (IOException | RuntimeException e) {
                cutStreamed(offset, end, e);
                throw e;
            }
            if (n < 0) {
                break;
            }
            try {
                file.write(headerSize + end, ByteBuffer.wrap(buffer, 0, n));
            } catch (IOException e) {
                throw lengthChangeFailed(e, offset, offset, null);
            }
            end += n;
        }
        if (end > offset) {
            commitLength(end, end, List.of(), null);
        }
    }

    /** Cuts the bytes a failed stream left past the committed length; if that fails, the length change failed. */
    private void cutStreamed(long offset, long end, Exception streamFailure) throws IOException {
        if (end == offset) {
            return;
        }
        try {
            file.truncate(headerSize + offset);
        } catch (IOException e) {
            e.addSuppressed(streamFailure);
            throw lengthChangeFailed(e, offset, offset, null);
        }
    }

    /**
     * Writes {@code data} back to back from {@code offset}, with no journal and no force: for ranges that no
     * committed structure references yet (see {@link BStack#writeUnjournaled}). A failure changes no state.
     */
    final void writeUnjournaled(long offset, ByteBuffer[] data) throws IOException {
        long at = headerSize + offset;
        for (ByteBuffer buffer : data) {
            int n = buffer.remaining();
            file.write(at, buffer.duplicate());
            at += n;
        }
    }

    /** Forces every write so far, whatever the durability: {@link BStack#sync()}. */
    final void sync() throws IOException {
        try {
            file.force();
        } catch (IOException e) {
            throw state.fail(e);
        }
    }

    /**
     * Forces because the mutation is done and the durability says so ({@link Durability#SYNC} only). A failed
     * force leaves the durable state unknown: the handle fails.
     */
    final void commitForce() throws IOException {
        try {
            forceIfSync();
        } catch (IOException e) {
            throw state.fail(e);
        }
    }

    /** The force of {@link #commitForce()} without failing the handle, for a rollback that reports for itself. */
    final void forceIfSync() throws IOException {
        if (durability == Durability.SYNC) {
            file.force();
        }
    }

    /**
     * Forces because later writes must not reach the disk before earlier ones: a journal's ordering point. Every
     * durability but {@link Durability#NONE} keeps it, so {@link Durability#ASYNC} relaxes when a write becomes
     * durable, never whether it is atomic; NONE keeps the order a process crash sees (the page cache) and nothing
     * a power failure would need.
     */
    final void barrier() throws IOException {
        if (durability != Durability.NONE) {
            sync();
        }
    }

    final void writeClen(long value) throws IOException {
        RangeIo.writeLongs(file, clenOffset, value);
    }

    final byte[] read(long offset, int n) throws IOException {
        byte[] out = new byte[n];
        file.read(headerSize + offset, ByteBuffer.wrap(out));
        return out;
    }
}
