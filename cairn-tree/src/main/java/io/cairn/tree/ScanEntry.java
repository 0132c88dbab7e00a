package io.cairn.tree;

import io.cairn.tree.engine.ScanBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One result of a {@link Scan}: either a stored key (with its value unless the scan is keys-only, and its version)
 * or, for a scan with a delimiter, a common prefix that stands for every key under it. A common prefix includes
 * the delimiter and has no value (null) and version 0.
 */
public final class ScanEntry {
    private final byte[] key;
    private final byte[] value;
    private final long version;
    private final boolean commonPrefix;

    private ScanEntry(byte[] key, byte[] value, long version, boolean commonPrefix) {
        this.key = key;
        this.value = value;
        this.version = version;
        this.commonPrefix = commonPrefix;
    }

    static ScanEntry key(byte[] key, byte[] value, long version) {
        return new ScanEntry(key, value, version, false);
    }

    static ScanEntry commonPrefix(byte[] prefix) {
        return new ScanEntry(prefix, null, 0, true);
    }

    /** Entry {@code i} of a scan pass, copied out of its buffer. */
    static ScanEntry of(ScanBuffer buffer, int i) {
        return buffer.isCommonPrefix(i) ? commonPrefix(buffer.key(i))
                : key(buffer.key(i), buffer.value(i), buffer.version(i));
    }

    public boolean isCommonPrefix() {
        return commonPrefix;
    }

    /** The key, or the common prefix including its delimiter. */
    public byte[] key() {
        return key;
    }

    /** The key decoded as UTF-8 (a convenience for path-shaped keys). */
    public String keyString() {
        return new String(key, StandardCharsets.UTF_8);
    }

    /** The value; null for a common prefix or a keys-only scan. */
    public byte[] value() {
        return value;
    }

    /** The key's version; 0 for a common prefix. */
    public long version() {
        return version;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScanEntry e && e.commonPrefix == commonPrefix && e.version == version
                && Arrays.equals(e.key, key) && Arrays.equals(e.value, value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key) * 31 + Long.hashCode(version);
    }

    @Override
    public String toString() {
        return (commonPrefix ? "CommonPrefix[" : "Key[") + HexFormat.of().formatHex(key)
                + (commonPrefix ? "]" : ", version=" + version + "]");
    }
}
