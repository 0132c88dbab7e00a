package io.cairn.stack;

import java.nio.file.Path;

/**
 * What {@link BStack#check} found in a stack file without changing it, and so what a writable open would do.
 *
 * @param path            the file
 * @param fileSize        its size in bytes
 * @param format          the format its magic names, or {@code null} for an empty file
 * @param formatVersion   the magic's version as {@code major.minor.patch}, or empty for an empty file
 * @param committedLength the header's {@code clen} (unsigned on disk; read as a signed long)
 * @param journalTarget   the 0.4 journal's {@code wipPtr} (a physical offset; 0 = disarmed; always 0 for 0.2)
 * @param journalMode     the 0.4 journal's {@code wipAux} (its mode while armed; always 0 for 0.2)
 * @param recoveredLength the length an open would give the stack
 * @param recovery        what open would do, in words ("consistent" when nothing)
 */
public record BStackCheck(Path path, long fileSize, StackFormat format, String formatVersion, long committedLength,
        long journalTarget, long journalMode, long recoveredLength, String recovery) {

    /** The file is empty: a writable open writes the header of an empty stack. */
    public boolean needsHeader() {
        return fileSize == 0;
    }

    /** The journal is armed: an interrupted 0.4 write that open will finish or undo. */
    public boolean journalArmed() {
        return journalTarget != 0 || journalMode == BStackFormatV04.MODE_MULTI_WRITE;
    }

    /** The header and the file size agree and no journal is armed: open changes nothing. */
    public boolean isConsistent() {
        return !needsHeader() && !journalArmed() && fileSize == format.headerSize() + committedLength;
    }

    /** The payload bytes on disk past the header (the committed ones and anything past them). */
    public long payloadOnDisk() {
        return needsHeader() ? 0 : fileSize - format.headerSize();
    }

    /** Bytes past the committed length that open would cut off (a torn push or pop, or a journal's stage). */
    public long phantomBytes() {
        return Math.max(0, payloadOnDisk() - Math.max(recoveredLength, journalArmed() ? committedLength : 0));
    }

    /** Whether {@code clen} claims more bytes than the file holds, so open would lower it. */
    public boolean clenBeyondFile() {
        return !needsHeader() && Long.compareUnsigned(committedLength, payloadOnDisk()) > 0;
    }
}
