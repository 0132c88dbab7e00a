package io.cairn.tree;

import java.io.UncheckedIOException;

/**
 * {@link Database#atomic} handed its batch to the write-ahead log, but forcing the log failed: the batch is either
 * durable as a whole or absent as a whole, and only reopening the database tells which (the database is failed
 * until then). Every other exception from {@code atomic} means the batch was definitely not applied.
 */
public final class OutcomeUnknownException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    private final long sequence;

    OutcomeUnknownException(long sequence, UncheckedIOException cause) {
        super("batch " + sequence + " reached the write-ahead log but forcing it failed: after a reopen it is"
                + " present or absent as a whole", cause.getCause());
        this.sequence = sequence;
    }

    /** The batch's sequence in the change feed, if it survived. */
    public long sequence() {
        return sequence;
    }
}
