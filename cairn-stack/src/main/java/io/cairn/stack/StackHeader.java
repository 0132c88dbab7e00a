package io.cairn.stack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * A stack file's header as read from disk, validated by the shared magic check ({@link StackFormat#HEADER}).
 * A 0.1/0.2 header has no journal: its WIP fields read as 0.
 *
 * @param path     the file
 * @param format   which format the magic names
 * @param version  the magic's version bytes
 * @param fileSize the file's size
 * @param clen     the committed length as stored (unsigned)
 * @param wipPtr   the 0.4 journal's target pointer as stored (unsigned, physical; 0 = disarmed)
 * @param wipAux   the 0.4 journal's mode as stored
 */
record StackHeader(Path path, StackFormat format, FormatHeader.Version version, long fileSize, long clen,
        long wipPtr, long wipAux) {

    /**
     * Reads and checks the header of a non-empty file.
     *
     * @throws CorruptedStoreException if the file is shorter than its format's header or its magic is foreign
     * @throws FormatVersionException  if the magic is a BStack version other than 0.1/0.2 and 0.4
     */
    static StackHeader read(StorageFile file, long size) throws IOException {
        Path path = file.path();
        StackFormat.HEADER.checkSize(path, size, BStackFormatV02.HEADER_SIZE);
        ByteBuffer header = ByteBuffer.allocate(BStackFormatV04.HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        file.read(0, header.limit((int) Math.min(size, header.capacity())));
        FormatHeader.Version version = StackFormat.HEADER.check(path, 0, header.array(), 0);
        StackFormat format = StackFormat.of(version);
        StackFormat.HEADER.checkSize(path, size, format.headerSize());
        if (format == StackFormat.V0_2) {
            return new StackHeader(path, format, version, size, header.getLong(BStackFormatV02.CLEN_OFFSET), 0, 0);
        }
        return new StackHeader(path, format, version, size, header.getLong(BStackFormatV04.CLEN_OFFSET),
                header.getLong(BStackFormatV04.WIP_PTR_OFFSET), header.getLong(BStackFormatV04.WIP_AUX_OFFSET));
    }

    /** Payload bytes the file holds past the header (the committed payload and any stage). */
    long payloadOnDisk() {
        return fileSize - format.headerSize();
    }

    /** {@code min(clen, payloadOnDisk)}, clen compared unsigned: the length the base recovery rule gives. */
    long boundedLength() {
        return Long.compareUnsigned(clen, payloadOnDisk()) < 0 ? clen : payloadOnDisk();
    }

    /** Whether the 0.4 journal is armed: a target pointer, or a MultiWrite armed with a zero pointer. */
    boolean armed() {
        return wipPtr != 0 || wipAux == BStackFormatV04.MODE_MULTI_WRITE;
    }
}
