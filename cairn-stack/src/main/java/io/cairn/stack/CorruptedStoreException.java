package io.cairn.stack;

import java.io.IOException;

/**
 * A store's bytes are impossible: bad magic, failed checksum, or a structure that cannot be valid. Cairn never
 * repairs user data silently and never returns wrong data: it throws this instead, naming the file and the
 * expected and actual values.
 */
public class CorruptedStoreException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorruptedStoreException(String message) {
        super(message);
    }

    public CorruptedStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
