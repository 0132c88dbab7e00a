package io.cairn.stack.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.cairn.stack.CorruptedStoreException;
import java.nio.file.Path;

/** The fields every {@link CorruptedStoreException} of the stack layer carries, checked in one place. */
final class CorruptionFields {
    private CorruptionFields() {
    }

    /** {@code e} names {@code path}, the bad bytes' payload {@code offset}, what was expected, and {@code found}. */
    static void assertCorruption(CorruptedStoreException e, Path path, long offset, String found) {
        assertEquals(path, e.path(), e.getMessage());
        assertEquals(offset, e.offset(), e.getMessage());
        assertNotNull(e.expected(), e.getMessage());
        assertEquals(found, e.found(), e.getMessage());
    }
}
