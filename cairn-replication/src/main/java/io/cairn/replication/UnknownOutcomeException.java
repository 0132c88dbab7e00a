package io.cairn.replication;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A write was handed to the group but no answer came back in time (no majority reachable, a leader lost
 * meanwhile): it may still be applied, or never be. A linearizable read tells which. Every other exception from a
 * write means it was not applied.
 */
public final class UnknownOutcomeException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    UnknownOutcomeException(String message, Throwable cause) {
        super(message, cause instanceof IOException io ? io : new IOException(cause));
    }
}
