package io.cairn.tree.engine;

/**
 * One operation of an atomic batch, as the API recorded it (arguments already checked and copied).
 *
 * @param kind      what to do
 * @param key       the key (a rename's source; an {@code ASSERT_PREFIX_EMPTY}'s prefix)
 * @param other     the value of a put, the target of a rename, otherwise null
 * @param version   the expected version of a conditional operation or guard
 * @param overwrite whether a rename may replace an existing target
 */
public record BatchOp(Kind kind, byte[] key, byte[] other, long version, boolean overwrite) {

    /** The operations and guards a batch can hold. */
    public enum Kind { PUT, PUT_IF_ABSENT, COMPARE_AND_PUT, DELETE, DELETE_IF_VERSION, RENAME, ASSERT_VERSION,
        ASSERT_ABSENT, ASSERT_PREFIX_EMPTY }
}
