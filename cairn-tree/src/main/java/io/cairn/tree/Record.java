package io.cairn.tree;

import java.util.Arrays;
import java.util.HexFormat;

/** A stored value and its version (a per-key number drawn from the tree's one increasing sequence). */
public final class Record {
    private final byte[] value;
    private final long version;

    Record(byte[] value, long version) {
        this.value = value;
        this.version = version;
    }

    /** The value bytes (a private copy). */
    public byte[] value() {
        return value;
    }

    /** The version assigned by the write that stored this value; strictly greater than any earlier write's. */
    public long version() {
        return version;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Record r && r.version == version && Arrays.equals(r.value, value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value) * 31 + Long.hashCode(version);
    }

    @Override
    public String toString() {
        return "Record[value=" + HexFormat.of().formatHex(value) + ", version=" + version + "]";
    }
}
