package io.cairn.stack;

import static io.cairn.stack.BStackFormatV04.MODE_COPY;
import static io.cairn.stack.BStackFormatV04.MODE_REPEAT;
import static io.cairn.stack.BStackFormatV04.MODE_SET;
import static io.cairn.stack.BStackFormatV04.MODE_SPLICE_GROW;
import static io.cairn.stack.BStackFormatV04.MODE_SPLICE_SHRINK;
import static io.cairn.stack.BStackFormatV04.STAGE_WORD;

import java.io.IOException;

/**
 * What an interrupted write left in a stack file, and how to finish or undo it: the reference's recovery table
 * for 0.4 files, and the length rule both formats share. Planning only reads; {@link #apply} writes. Open runs it,
 * and so do {@link BStack#recover()} and the deferred replay after a failed write (on the file as it is then).
 *
 * <table>
 * <caption>the 0.4 recovery table (all arithmetic unsigned)</caption>
 * <tr><th>header</th><th>action</th></tr>
 * <tr><td>disarmed (wipPtr 0, mode not MultiWrite), or any 0.1/0.2 file</td><td>length = min(clen, payload on
 *     disk); cut the file and rewrite clen if they disagree (a torn push or stage, or a torn pop)</td></tr>
 * <tr><td>wipPtr 0, MultiWrite</td><td>clamp clen to the file; if the stage parses as blocks {@code s <= e <= clen}
 *     ending exactly at the end of the file, copy each into place; else roll back</td></tr>
 * <tr><td>Set</td><td>if the stage is non-empty and {@code [target, target + stage)} lies within clen, copy it
 *     there; else roll back</td></tr>
 * <tr><td>Repeat</td><td>stage {@code k pattern}: if the pattern is non-empty and {@code k * |pattern|} fits from
 *     the target within clen, write k copies</td></tr>
 * <tr><td>Copy</td><td>stage {@code src n}: if {@code n > 0} and both ranges lie within clen and are disjoint,
 *     copy</td></tr>
 * <tr><td>SpliceGrow/Shrink</td><td>{@code a = target}, {@code pe} = payload on disk; grow: {@code clen' = (pe + a)
 *     / 2}, shrink: {@code clen' = pe + a - clen}; if {@code a <= clen}, {@code clen' >= a}, the direction matches
 *     and {@code max(clen, clen') + (clen' - a) == pe}, copy the new tail into {@code [a, clen')} and take clen'</td></tr>
 * <tr><td>wipPtr set, MultiWrite or unknown mode</td><td>roll back</td></tr>
 * </table>
 * Every armed row ends the same way: replay, force, commit the final length and disarm in one 24-byte header
 * write, force, cut the file to it, force. Every replay copies staged (immutable) bytes into a disjoint target, so
 * a crash during recovery just runs it again. An armed header whose clen exceeds the file is not something a crash
 * leaves (the stage lies past clen and is forced before the arm): it is reported as corruption, never repaired by
 * inventing bytes.
 */
final class Recovery {
    /** A replay's writes. */
    @FunctionalInterface
    private interface Replay {
        void apply(StorageFile file) throws IOException;
    }

    /** A durability barrier (a force, unless the stack forces nothing). */
    @FunctionalInterface
    interface Barrier {
        void force() throws IOException;
    }

    private final StackHeader header;
    private final long finalLength;
    private final Replay replay;
    private final boolean finishJournal;
    private final String description;

    private Recovery(StackHeader header, long finalLength, Replay replay, boolean finishJournal, String description) {
        this.header = header;
        this.finalLength = finalLength;
        this.replay = replay;
        this.finishJournal = finishJournal;
        this.description = description;
    }

    /** Plans the recovery of a file with this header, reading its stage where the mode needs it. */
    static Recovery plan(StackHeader header, StorageFile file) throws IOException {
        if (!header.armed()) {
            return lengthRule(header);
        }
        if (header.wipPtr() == 0) {
            return multiWrite(header, file);
        }
        long payload = header.payloadOnDisk();
        if (Long.compareUnsigned(header.clen(), payload) > 0) {
            throw new CorruptedStoreException(header.path(), BStackFormatV04.CLEN_OFFSET,
                    "BStack committed length beside an armed journal (" + BStackFormatV04.modeName(header.wipAux())
                            + ")", "at most the " + payload + " payload bytes on disk",
                    Long.toUnsignedString(header.clen()));
        }
        long mode = header.wipAux();
        if (mode == MODE_SET) {
            return set(header);
        } else if (mode == MODE_REPEAT) {
            return repeat(header, file);
        } else if (mode == MODE_COPY) {
            return copy(header, file);
        } else if (mode == MODE_SPLICE_GROW || mode == MODE_SPLICE_SHRINK) {
            return splice(header);
        }
        return rollBack(header, "an armed journal with a target cannot be replayed");
    }

    /** The length open gives the stack. */
    long finalLength() {
        return finalLength;
    }

    /** Whether recovery copies staged bytes into the payload (a read-only open cannot). */
    boolean replays() {
        return replay != null;
    }

    /** Whether applying this writes to the file at all. */
    boolean changesFile() {
        return finishJournal || header.payloadOnDisk() != finalLength || header.clen() != finalLength;
    }

    /** What recovery does, in words, for reports. */
    String description() {
        return description;
    }

    /** Brings the file to rest at {@link #finalLength()}: replay, commit, cut, each step behind a barrier. */
    void apply(StorageFile file, Barrier barrier) throws IOException {
        int headerSize = header.format().headerSize();
        if (replay != null) {
            replay.apply(file);
            barrier.force();
        }
        if (finishJournal) {
            RangeIo.writeLongs(file, BStackFormatV04.CLEN_OFFSET, finalLength, 0, 0);
            barrier.force();
            file.truncate(headerSize + finalLength);
            barrier.force();
        } else if (changesFile()) {
            file.truncate(headerSize + finalLength);
            RangeIo.writeLongs(file, header.format().clenOffset(), finalLength);
            barrier.force();
        }
    }

    // ---------------------------------------------------------------- the rows of the table

    private static Recovery lengthRule(StackHeader h) {
        long length = h.boundedLength();
        String what;
        if (h.payloadOnDisk() == h.clen()) {
            what = "consistent";
        } else if (h.payloadOnDisk() > length) {
            what = "cut " + (h.payloadOnDisk() - length) + " bytes past the committed length (an interrupted push, "
                    + "pop or journal stage)";
        } else {
            what = "lower the length to the " + length + " bytes on disk (clen " + Long.toUnsignedString(h.clen())
                    + " claims more: an interrupted pop or a cut file)";
        }
        return new Recovery(h, length, null, false, what);
    }

    private static Recovery rollBack(StackHeader h, String why) {
        return new Recovery(h, h.clen(), null, true, "roll back an interrupted "
                + BStackFormatV04.modeName(h.wipAux()) + " write: " + why);
    }

    private static Recovery rollForward(StackHeader h, long finalLength, Replay replay, String what) {
        return new Recovery(h, finalLength, replay, true, "roll forward an interrupted "
                + BStackFormatV04.modeName(h.wipAux()) + " write: " + what);
    }

    private static long stageLength(StackHeader h) {
        return h.payloadOnDisk() - h.clen();
    }

    /** The target's logical offset, or -1 if the pointer lies inside the header. */
    private static long target(StackHeader h) {
        return Long.compareUnsigned(h.wipPtr(), BStackFormatV04.HEADER_SIZE) < 0 ? -1
                : h.wipPtr() - BStackFormatV04.HEADER_SIZE;
    }

    /** Whether {@code [start, start + n)} lies within {@code [0, limit)}, all unsigned. */
    private static boolean within(long start, long n, long limit) {
        return Long.compareUnsigned(n, limit) <= 0 && Long.compareUnsigned(start, limit - n) <= 0;
    }

    private static Recovery set(StackHeader h) {
        long stage = stageLength(h);
        long target = target(h);
        if (stage == 0 || target < 0 || !within(target, stage, h.clen())) {
            return rollBack(h, "no staged bytes, or a target outside the payload");
        }
        long from = BStackFormatV04.HEADER_SIZE + h.clen();
        return rollForward(h, h.clen(), file -> RangeIo.move(file, from, h.wipPtr(), stage),
                "copy the " + stage + " staged bytes to offset " + target);
    }

    private static Recovery repeat(StackHeader h, StorageFile file) throws IOException {
        long stage = stageLength(h);
        long target = target(h);
        if (stage < STAGE_WORD || target < 0) {
            return rollBack(h, "no complete stage, or a target inside the header");
        }
        long stageAt = BStackFormatV04.HEADER_SIZE + h.clen();
        long count = RangeIo.readLong(file, stageAt);
        long patternLength = stage - STAGE_WORD;
        if (patternLength == 0 || Long.compareUnsigned(count, Long.divideUnsigned(-1L, patternLength)) > 0
                || !within(target, count * patternLength, h.clen())) {
            return rollBack(h, "an empty pattern, or copies that do not fit the payload");
        }
        long patternAt = stageAt + STAGE_WORD;
        Replay replay;
        if (patternLength <= RangeIo.CHUNK) {
            replay = f -> {
                byte[] pattern = new byte[(int) patternLength];
                f.read(patternAt, java.nio.ByteBuffer.wrap(pattern));
                RangeIo.fill(f, h.wipPtr(), pattern, count);
            };
        } else { // a long pattern is copied from the stage copy by copy, in bounded memory
            replay = f -> {
                for (long i = 0; i < count; i++) {
                    RangeIo.move(f, patternAt, h.wipPtr() + i * patternLength, patternLength);
                }
            };
        }
        return rollForward(h, h.clen(), replay, "write " + Long.toUnsignedString(count) + " copies of the "
                + patternLength + "-byte pattern from offset " + target);
    }

    private static Recovery copy(StackHeader h, StorageFile file) throws IOException {
        long target = target(h);
        if (stageLength(h) < 2 * STAGE_WORD || target < 0) {
            return rollBack(h, "no complete stage, or a target inside the header");
        }
        long stageAt = BStackFormatV04.HEADER_SIZE + h.clen();
        long src = RangeIo.readLong(file, stageAt);
        long n = RangeIo.readLong(file, stageAt + STAGE_WORD);
        boolean disjoint = Long.compareUnsigned(target, src) >= 0 ? Long.compareUnsigned(target - src, n) >= 0
                : Long.compareUnsigned(src - target, n) >= 0;
        if (n == 0 || !within(src, n, h.clen()) || !within(target, n, h.clen()) || !disjoint) {
            return rollBack(h, "a source or target outside the payload, or overlapping ranges");
        }
        return rollForward(h, h.clen(), f -> RangeIo.move(f, BStackFormatV04.HEADER_SIZE + src, h.wipPtr(), n),
                "copy " + n + " bytes from offset " + src + " to offset " + target);
    }

    private static Recovery splice(StackHeader h) {
        long a = target(h);
        long clen = h.clen();
        long onDisk = h.payloadOnDisk();
        boolean grow = h.wipAux() == MODE_SPLICE_GROW;
        if (a < 0) {
            return rollBack(h, "a splice point inside the header");
        }
        long newLength;
        if (grow) { // onDisk == 2 * clen' - a
            if (Long.compareUnsigned(onDisk, -1L - a) > 0) {
                return rollBack(h, "sizes that overflow");
            }
            newLength = (onDisk + a) >>> 1;
        } else { // onDisk == clen + (clen' - a)
            if (Long.compareUnsigned(onDisk, -1L - a) > 0 || Long.compareUnsigned(onDisk + a, clen) < 0) {
                return rollBack(h, "sizes that overflow");
            }
            newLength = onDisk + a - clen;
        }
        long stagedAt = Long.compareUnsigned(clen, newLength) > 0 ? clen : newLength;
        long m = Long.compareUnsigned(newLength, a) > 0 ? newLength - a : 0;
        boolean direction = grow ? Long.compareUnsigned(newLength, clen) > 0 : Long.compareUnsigned(newLength, clen) < 0;
        boolean consistent = Long.compareUnsigned(a, clen) <= 0 && Long.compareUnsigned(newLength, a) >= 0
                && direction && Long.compareUnsigned(stagedAt, -1L - m) <= 0 && stagedAt + m == onDisk;
        if (!consistent) {
            return rollBack(h, "a file size that does not match a splice at offset " + a);
        }
        long from = BStackFormatV04.HEADER_SIZE + stagedAt;
        return rollForward(h, newLength, f -> RangeIo.move(f, from, h.wipPtr(), m),
                "copy the " + m + "-byte new tail to offset " + a + "; length " + newLength);
    }

    private static Recovery multiWrite(StackHeader h, StorageFile file) throws IOException {
        long clen = h.boundedLength();
        StackHeader clamped = new StackHeader(h.path(), h.format(), h.version(), h.fileSize(), clen, 0, h.wipAux());
        int blocks = walkBlocks(file, clamped, false);
        if (blocks < 0) {
            return rollBack(clamped, "the staged blocks do not parse to the end of the file");
        }
        if (blocks == 0) {
            return new Recovery(clamped, clen, null, true, "disarm an interrupted MultiWrite that staged nothing");
        }
        return rollForward(clamped, clen, f -> walkBlocks(f, clamped, true), "copy " + blocks
                + " staged blocks into place");
    }

    /**
     * Walks the MultiWrite stage {@code (s e data)*} from {@code H + clen} to the end of the file; copies each block
     * into {@code [s, e)} when {@code apply}. Returns how many blocks there are, or -1 if the stage is malformed: a
     * partial header, {@code e < s} or {@code e > clen}, data past the end, or trailing bytes.
     */
    private static int walkBlocks(StorageFile file, StackHeader h, boolean apply) throws IOException {
        long end = h.fileSize();
        long cursor = BStackFormatV04.HEADER_SIZE + h.clen();
        int blocks = 0;
        while (cursor < end) {
            if (end - cursor < 2 * STAGE_WORD) {
                return -1;
            }
            long s = RangeIo.readLong(file, cursor);
            long e = RangeIo.readLong(file, cursor + STAGE_WORD);
            long data = cursor + 2 * STAGE_WORD;
            if (Long.compareUnsigned(e, s) < 0 || Long.compareUnsigned(e, h.clen()) > 0
                    || Long.compareUnsigned(e - s, end - data) > 0) {
                return -1;
            }
            if (apply) {
                RangeIo.move(file, data, BStackFormatV04.HEADER_SIZE + s, e - s);
            }
            cursor = data + (e - s);
            blocks = blocks == Integer.MAX_VALUE ? blocks : blocks + 1;
        }
        return blocks;
    }
}
