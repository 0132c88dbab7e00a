package io.cairn.stack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The 0.1/0.2 write protocol ({@link BStackFormatV02}): the 16-byte header has no room for a journal, so an in-place
 * write is a plain write then one force, and a power failure during it can leave a mix of old and new bytes. A
 * failed write is undone at once from the old bytes kept in memory, and the handle stays usable; if the undo fails
 * too, the handle fails.
 */
final class LegacyWriter extends StackWriter {
    /** Largest range a single {@code byte[]} may hold: an in-place write keeps the old bytes in one. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    LegacyWriter(StorageFile file, StackState state, Durability durability) {
        super(file, state, StackFormat.V0_2, durability);
    }

    @Override
    void overwrite(long offset, byte[] data) throws IOException {
        overwriteAll(List.of(new Piece(offset, ByteBuffer.wrap(data))));
    }

    @Override
    void overwriteAll(List<Piece> pieces) throws IOException {
        List<Piece> old = new ArrayList<>(pieces.size());
        for (Piece piece : pieces) {
            old.add(new Piece(piece.offset(), ByteBuffer.wrap(read(piece.offset(), piece.data().remaining()))));
        }
        int written = 0;
        try {
            for (Piece piece : pieces) {
                written++;
                file.write(headerSize + piece.offset(), piece.data().duplicate());
            }
        } catch (IOException e) {
            try {
                for (Piece undo : old.subList(0, written)) {
                    file.write(headerSize + undo.offset(), undo.data().duplicate());
                }
            } catch (IOException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
                throw state.fail(e);
            }
            throw e;
        }
        commitForce();
    }

    @Override
    void fill(long offset, byte[] pattern, long count) throws IOException {
        long total = checkArraySize(count * pattern.length);
        byte[] data = new byte[(int) total];
        for (int at = 0; at < total; at += pattern.length) {
            System.arraycopy(pattern, 0, data, at, pattern.length);
        }
        overwrite(offset, data);
    }

    @Override
    void copy(long from, long to, long n) throws IOException {
        overwrite(to, read(from, (int) checkArraySize(n)));
    }

    @Override
    void replaceTail(byte[] oldTail, byte[] newTail) throws IOException {
        long keep = state.length() - oldTail.length;
        commitLength(keep, keep + newTail.length, List.of(new Piece(keep, ByteBuffer.wrap(newTail))), oldTail);
    }

    @Override
    boolean recoverPending() {
        return false;
    }

    @Override
    IOException lengthChangeFailed(IOException cause, long keep, long oldLength, byte[] overwritten) {
        try {
            if (overwritten != null && overwritten.length > 0) {
                file.write(headerSize + keep, ByteBuffer.wrap(overwritten));
            }
            if (file.size() < headerSize + oldLength) {
                throw new IOException("cannot restore " + (headerSize + oldLength - file.size()) + " truncated bytes");
            }
            file.truncate(headerSize + oldLength);
            writeClen(oldLength);
            forceIfSync();
            return cause;
        } catch (IOException rollbackFailure) {
            cause.addSuppressed(rollbackFailure);
            return state.fail(cause);
        }
    }

    /** A 0.2 in-place write keeps the old bytes in one array, so its range must fit one. */
    private static long checkArraySize(long n) {
        if (n < 0 || n > MAX_ARRAY) {
            throw new IllegalArgumentException("a 0.2 stack overwrites at most " + MAX_ARRAY + " bytes at once (it"
                    + " keeps the old bytes in memory for rollback): " + n);
        }
        return n;
    }
}
