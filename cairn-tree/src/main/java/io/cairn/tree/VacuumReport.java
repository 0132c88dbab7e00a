package io.cairn.tree;

/**
 * What {@link Database#vacuum} did.
 *
 * @param framesMoved     frame images copied from the file's tail into free slots nearer its start
 * @param fileBytesBefore the frame file's size before
 * @param fileBytesAfter  and after
 */
public record VacuumReport(long framesMoved, long fileBytesBefore, long fileBytesAfter) {

    /** Bytes returned to the file system. */
    public long bytesReturned() {
        return fileBytesBefore - fileBytesAfter;
    }
}
