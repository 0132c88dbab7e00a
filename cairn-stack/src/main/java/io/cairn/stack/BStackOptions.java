package io.cairn.stack;

import java.util.Objects;

/**
 * How a {@link BStack} is opened: durability, read-only, the I/O seam, and the format of a new file.
 *
 * @param durability whether mutations are forced before they return ({@link Durability#SYNC} by default)
 * @param readOnly   open with a shared lock and reject every mutation
 * @param io         the I/O seam ({@link StorageIo#fileSystem()} by default)
 * @param format     the format an empty or missing file is created in ({@link StackFormat#V0_4} by default); an
 *                   existing file keeps its own
 */
public record BStackOptions(Durability durability, boolean readOnly, StorageIo io, StackFormat format) {

    public BStackOptions {
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(io, "io");
        Objects.requireNonNull(format, "format");
    }

    /** Durable, read-write, on the local file system, new files in the 0.4 format. */
    public static BStackOptions defaults() {
        return new BStackOptions(Durability.SYNC, false, StorageIo.fileSystem(), StackFormat.V0_4);
    }

    public BStackOptions withDurability(Durability value) {
        return new BStackOptions(value, readOnly, io, format);
    }

    public BStackOptions withReadOnly(boolean value) {
        return new BStackOptions(durability, value, io, format);
    }

    public BStackOptions withIo(StorageIo value) {
        return new BStackOptions(durability, readOnly, value, format);
    }

    /** The format of a file this open creates ({@link StackFormat#V0_2} for readers that predate 0.4). */
    public BStackOptions withFormat(StackFormat value) {
        return new BStackOptions(durability, readOnly, io, value);
    }
}
