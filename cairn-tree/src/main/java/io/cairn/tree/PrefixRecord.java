package io.cairn.tree;

import java.util.Arrays;
import java.util.HexFormat;

/** The answer of {@link Tree#longestPrefix}: the longest stored key that is a prefix of the query. */
public final class PrefixRecord {
    private final byte[] key;
    private final byte[] value;
    private final long version;

    PrefixRecord(byte[] key, byte[] value, long version) {
        this.key = key;
        this.value = value;
        this.version = version;
    }

    public byte[] key() {
        return key;
    }

    public byte[] value() {
        return value;
    }

    public long version() {
        return version;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PrefixRecord r && r.version == version && Arrays.equals(r.key, key)
                && Arrays.equals(r.value, value);
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(key) * 31 + Arrays.hashCode(value)) * 31 + Long.hashCode(version);
    }

    @Override
    public String toString() {
        return "PrefixRecord[key=" + HexFormat.of().formatHex(key) + ", version=" + version + "]";
    }
}
