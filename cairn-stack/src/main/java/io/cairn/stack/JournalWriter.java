package io.cairn.stack;

import static io.cairn.stack.BStackFormatV04.HEADER_SIZE;
import static io.cairn.stack.BStackFormatV04.MODE_COPY;
import static io.cairn.stack.BStackFormatV04.MODE_MULTI_WRITE;
import static io.cairn.stack.BStackFormatV04.MODE_REPEAT;
import static io.cairn.stack.BStackFormatV04.MODE_SET;
import static io.cairn.stack.BStackFormatV04.MODE_SPLICE_GROW;
import static io.cairn.stack.BStackFormatV04.MODE_SPLICE_SHRINK;
import static io.cairn.stack.BStackFormatV04.STAGE_WORD;
import static io.cairn.stack.BStackFormatV04.WIP_PTR_OFFSET;
import static io.cairn.stack.BStackFormatV04.isAtomicWrite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * The 0.4 write protocol ({@link BStackFormatV04}), as the reference writes it: every in-place and length-changing
 * write is crash-atomic through the write-in-progress journal.
 *
 * <p>A write that fits one 256-byte block of the file is written directly, then forced. Any other in-place write
 * stages what recovery needs at the end of the file, forces, arms the journal, forces, writes in place, forces,
 * disarms, forces, and cuts the stage; a length-changing tail replacement (Splice) commits its new length in the
 * disarming header write. A crash before the arm's force leaves a disarmed header and a longer file (recovery cuts
 * it: the state before); after it, recovery replays the stage (the state after). The forces are ordering barriers
 * ({@link #barrier()}): kept under ASYNC, skipped only under NONE.
 *
 * <p>A failed write moves the handle to INTERRUPTED instead of undoing anything in memory: the file then holds
 * exactly what a crash at that point would leave, and the next write, or {@link BStack#recover()}, runs the
 * recovery open would. A failed force fails the handle.
 */
final class JournalWriter extends StackWriter {

    JournalWriter(StorageFile file, StackState state, Durability durability) {
        super(file, state, StackFormat.V0_4, durability);
    }

    @FunctionalInterface
    private interface Step {
        void run() throws IOException;
    }

    @Override
    void overwrite(long offset, byte[] data) throws IOException {
        if (isAtomicWrite(offset, data.length)) {
            direct(() -> file.write(HEADER_SIZE + offset, ByteBuffer.wrap(data)));
            return;
        }
        journaled(HEADER_SIZE + offset, MODE_SET, () -> stage(ByteBuffer.wrap(data)),
                () -> file.write(HEADER_SIZE + offset, ByteBuffer.wrap(data)));
    }

    @Override
    void overwriteAll(List<Piece> pieces) throws IOException {
        int staged = 0;
        for (Piece piece : pieces) {
            staged = Math.addExact(staged, 2 * STAGE_WORD + piece.data().remaining());
        }
        ByteBuffer blocks = ByteBuffer.allocate(staged).order(ByteOrder.LITTLE_ENDIAN);
        for (Piece piece : pieces) {
            blocks.putLong(piece.offset()).putLong(piece.end()).put(piece.data().duplicate());
        }
        journaled(0, MODE_MULTI_WRITE, () -> stage(blocks.flip()), () -> {
            for (Piece piece : pieces) {
                file.write(HEADER_SIZE + piece.offset(), piece.data().duplicate());
            }
        });
    }

    @Override
    void fill(long offset, byte[] pattern, long count) throws IOException {
        long total = count * pattern.length;
        if (isAtomicWrite(offset, total)) {
            direct(() -> RangeIo.fill(file, HEADER_SIZE + offset, pattern, count));
            return;
        }
        ByteBuffer stage = ByteBuffer.allocate(STAGE_WORD + pattern.length).order(ByteOrder.LITTLE_ENDIAN);
        stage.putLong(count).put(pattern).flip();
        journaled(HEADER_SIZE + offset, MODE_REPEAT, () -> stage(stage),
                () -> RangeIo.fill(file, HEADER_SIZE + offset, pattern, count));
    }

    @Override
    void copy(long from, long to, long n) throws IOException {
        if (isAtomicWrite(to, n)) {
            byte[] bytes = read(from, (int) n);
            direct(() -> file.write(HEADER_SIZE + to, ByteBuffer.wrap(bytes)));
        } else if (to >= from + n || from >= to + n) {
            ByteBuffer stage = ByteBuffer.allocate(2 * STAGE_WORD).order(ByteOrder.LITTLE_ENDIAN);
            stage.putLong(from).putLong(n).flip();
            journaled(HEADER_SIZE + to, MODE_COPY, () -> stage(stage),
                    () -> RangeIo.move(file, HEADER_SIZE + from, HEADER_SIZE + to, n));
        } else { // overlapping: the source goes to the stage first, and the stage is replayed as a Set
            long stageAt = HEADER_SIZE + state.length();
            journaled(HEADER_SIZE + to, MODE_SET, () -> RangeIo.move(file, HEADER_SIZE + from, stageAt, n),
                    () -> RangeIo.move(file, stageAt, HEADER_SIZE + to, n));
        }
    }

    @Override
    void replaceTail(byte[] oldTail, byte[] newTail) throws IOException {
        long length = state.length();
        long keep = length - oldTail.length;
        if (oldTail.length == newTail.length) {
            overwrite(keep, newTail);
        } else if (oldTail.length == 0 || newTail.length == 0) {
            commitLength(keep, keep + newTail.length, List.of(new Piece(keep, ByteBuffer.wrap(newTail))), null);
        } else {
            splice(keep, newTail);
        }
    }

    /**
     * A length-changing tail replacement at {@code a} with the new tail {@code dn}: stage {@code dn} at {@code S =
     * max(clen, clen')}, force, arm (Grow or Shrink) at {@code a}, force, write {@code dn} at {@code a}, force,
     * commit {@code clen'} and disarm in one header write, force, cut to {@code clen'}. The new length is not
     * stored until the commit: recovery derives it from the file size.
     */
    private void splice(long a, byte[] dn) throws IOException {
        long clen = state.length();
        long newLength = a + dn.length;
        long stagedAt = Math.max(clen, newLength);
        step(() -> file.write(HEADER_SIZE + stagedAt, ByteBuffer.wrap(dn)));
        barrier();
        step(() -> RangeIo.writeLongs(file, WIP_PTR_OFFSET, HEADER_SIZE + a,
                newLength > clen ? MODE_SPLICE_GROW : MODE_SPLICE_SHRINK));
        barrier();
        step(() -> file.write(HEADER_SIZE + a, ByteBuffer.wrap(dn)));
        barrier();
        step(() -> RangeIo.writeLongs(file, BStackFormatV04.CLEN_OFFSET, newLength, 0, MODE_SET));
        barrier();
        state.setLength(newLength);
        step(() -> file.truncate(HEADER_SIZE + newLength));
    }

    @Override
    boolean recoverPending() throws IOException {
        if (state.phase() != StackState.Phase.INTERRUPTED) {
            return false;
        }
        Recovery recovery = Recovery.plan(StackHeader.read(file, file.size()), file);
        recovery.apply(file, this::barrier); // a failed write leaves the handle interrupted, to try again
        state.recovered(recovery.finalLength());
        return true;
    }

    @Override
    IOException lengthChangeFailed(IOException cause, long keep, long oldLength, byte[] overwritten) {
        return state.interrupt(cause);
    }

    // ---------------------------------------------------------------- the protocol's steps

    /** A write inside one atomic block: written, then forced if the durability says so. */
    private void direct(Step write) throws IOException {
        step(write);
        commitForce();
    }

    /**
     * The journal: {@code stage} writes what recovery needs at the end of the file, force, arm ({@code wipPtr},
     * {@code mode}) in one 16-byte header write, force, {@code inPlace}, force, disarm, force, cut the stage.
     */
    private void journaled(long wipPtr, long mode, Step stage, Step inPlace) throws IOException {
        long clen = state.length();
        step(stage);
        barrier();
        step(() -> RangeIo.writeLongs(file, WIP_PTR_OFFSET, wipPtr, mode));
        barrier();
        step(inPlace);
        barrier();
        step(() -> RangeIo.writeLongs(file, WIP_PTR_OFFSET, 0, MODE_SET));
        barrier();
        step(() -> file.truncate(HEADER_SIZE + clen));
    }

    /** Writes {@code bytes} where the stage goes: right after the committed payload, where the file ends. */
    private void stage(ByteBuffer bytes) throws IOException {
        file.write(HEADER_SIZE + state.length(), bytes);
    }

    /** Runs one write of the protocol; if it fails, the handle is interrupted and the file left to recovery. */
    private void step(Step write) throws IOException {
        try {
            write.run();
        } catch (IOException e) {
            throw state.interrupt(e);
        }
    }
}
