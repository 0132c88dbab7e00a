package io.cairn.stack;

import java.util.Objects;

/**
 * How a {@link BStack} is opened: durability, read-only, and the I/O seam.
 *
 * @param durability whether mutations are forced before they return ({@link Durability#SYNC} by default)
 * @param readOnly   open with a shared lock and reject every mutation
 * @param io         the I/O seam ({@link StorageIo#fileSystem()} by default)
 */
public record BStackOptions(Durability durability, boolean readOnly, StorageIo io) {

    public BStackOptions {
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(io, "io");
    }

    /** Durable, read-write, on the local file system. */
    public static BStackOptions defaults() {
        return new BStackOptions(Durability.SYNC, false, StorageIo.fileSystem());
    }

    public BStackOptions withDurability(Durability value) {
        return new BStackOptions(value, readOnly, io);
    }

    public BStackOptions withReadOnly(boolean value) {
        return new BStackOptions(durability, value, io);
    }

    public BStackOptions withIo(StorageIo value) {
        return new BStackOptions(durability, readOnly, value);
    }
}
