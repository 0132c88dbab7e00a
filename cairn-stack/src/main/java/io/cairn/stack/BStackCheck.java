package io.cairn.stack;

import java.nio.file.Path;

/**
 * What {@link BStack#check} found in a stack file without changing it, and so what a writable open would repair.
 *
 * @param path            the file
 * @param fileSize        its size in bytes
 * @param formatVersion   the header's version bytes as {@code major.minor.patch}, or empty for an empty file
 * @param committedLength the header's {@code clen} (unsigned on disk; read as a signed long)
 * @param recoveredLength the length an open would give the stack: {@code min(clen, fileSize - 16)}
 */
public record BStackCheck(Path path, long fileSize, String formatVersion, long committedLength,
        long recoveredLength) {

    /** The file is empty: a writable open writes the header of an empty stack. */
    public boolean needsHeader() {
        return fileSize == 0;
    }

    /** The header's {@code clen} and the file size agree: open changes nothing. */
    public boolean isConsistent() {
        return fileSize == BStackFormat.HEADER_SIZE + committedLength;
    }

    /** Bytes past the committed length that open would cut off (a torn push or an interrupted pop). */
    public long phantomBytes() {
        return Math.max(0, fileSize - BStackFormat.HEADER_SIZE - recoveredLength);
    }

    /** Whether {@code clen} claims more bytes than the file holds, so open would lower it. */
    public boolean clenBeyondFile() {
        return !needsHeader() && Long.compareUnsigned(committedLength, recoveredLength) > 0;
    }
}
