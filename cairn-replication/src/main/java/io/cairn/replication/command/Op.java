package io.cairn.replication.command;

import java.util.Arrays;
import java.util.Objects;

/**
 * One operation on one tree, as a client asked for it: replicated as is and evaluated on every replica at apply
 * time, so a condition's answer is the same everywhere.
 *
 * @param kind      what to do
 * @param key       the key (the source of a rename, the prefix of {@link Kind#ASSERT_PREFIX_EMPTY})
 * @param other     the value of a put, the target of a rename, else null
 * @param version   the expected version of a conditional operation or guard, else 0
 * @param overwrite whether a rename may replace an existing target
 */
public record Op(Kind kind, byte[] key, byte[] other, long version, boolean overwrite) {

    /** The operations, with their codes in the log entry format ({@link CommandFormat}). */
    public enum Kind {
        PUT(1, true), PUT_IF_ABSENT(2, true), COMPARE_AND_PUT(3, true), DELETE(4, false),
        DELETE_IF_VERSION(5, false), RENAME(6, true), ASSERT_VERSION(7, false), ASSERT_ABSENT(8, false),
        ASSERT_PREFIX_EMPTY(9, false);

        final int code;
        /** Whether the operation carries {@code other} (a value or a rename target). */
        final boolean hasOther;

        Kind(int code, boolean hasOther) {
            this.code = code;
            this.hasOther = hasOther;
        }

        boolean hasVersion() {
            return this == COMPARE_AND_PUT || this == DELETE_IF_VERSION || this == ASSERT_VERSION;
        }

        static Kind of(int code) {
            for (Kind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            return null;
        }
    }

    /** Checks what the tree would: the operands are present and within the key and value lengths. */
    public Op {
        Objects.requireNonNull(kind, "kind");
        String keyName = kind == Kind.RENAME ? "source" : kind == Kind.ASSERT_PREFIX_EMPTY ? "prefix" : "key";
        bounded(keyName, key, CommandFormat.MAX_KEY);
        if (kind.hasOther) {
            bounded(kind == Kind.RENAME ? "target" : "value", other,
                    kind == Kind.RENAME ? CommandFormat.MAX_KEY : CommandFormat.MAX_VALUE);
        } else if (other != null) {
            throw new IllegalArgumentException(kind + " takes no value or target");
        }
    }

    private static void bounded(String name, byte[] b, int max) {
        if (b == null) {
            throw new NullPointerException(name + " must not be null");
        }
        if (b.length > max) {
            throw new IllegalArgumentException(name + " length " + b.length + " exceeds the maximum of " + max
                    + " bytes");
        }
    }

    public static Op put(byte[] key, byte[] value) {
        return new Op(Kind.PUT, key, value, 0, false);
    }

    public static Op putIfAbsent(byte[] key, byte[] value) {
        return new Op(Kind.PUT_IF_ABSENT, key, value, 0, false);
    }

    public static Op compareAndPut(byte[] key, long expectedVersion, byte[] value) {
        return new Op(Kind.COMPARE_AND_PUT, key, value, expectedVersion, false);
    }

    public static Op delete(byte[] key) {
        return new Op(Kind.DELETE, key, null, 0, false);
    }

    public static Op deleteIfVersion(byte[] key, long version) {
        return new Op(Kind.DELETE_IF_VERSION, key, null, version, false);
    }

    public static Op rename(byte[] source, byte[] target, boolean overwrite) {
        return new Op(Kind.RENAME, source, target, 0, overwrite);
    }

    public static Op assertVersion(byte[] key, long version) {
        return new Op(Kind.ASSERT_VERSION, key, null, version, false);
    }

    public static Op assertAbsent(byte[] key) {
        return new Op(Kind.ASSERT_ABSENT, key, null, 0, false);
    }

    public static Op assertPrefixEmpty(byte[] prefix) {
        return new Op(Kind.ASSERT_PREFIX_EMPTY, prefix, null, 0, false);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Op op && kind == op.kind && version == op.version && overwrite == op.overwrite
                && Arrays.equals(key, op.key) && Arrays.equals(other, op.other);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, Arrays.hashCode(key), Arrays.hashCode(other), version, overwrite);
    }

    @Override
    public String toString() {
        return kind + "(" + Arrays.toString(key) + (other != null ? ", " + Arrays.toString(other) : "")
                + (kind.hasVersion() ? ", v" + version : "") + (overwrite ? ", overwrite" : "") + ")";
    }
}
