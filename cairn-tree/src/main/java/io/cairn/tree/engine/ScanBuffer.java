package io.cairn.tree.engine;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The entries of one scan pass, packed into one reusable byte array: each entry's key followed by its value, with
 * their offsets and lengths beside. A pass copies every reported record out of the frames once, into this buffer;
 * readers then build {@code ScanEntry} objects from it or look at the bytes in place ({@code ScanView}) without a
 * copy per entry. Because the buffer lives as long as its {@link Walker} (pooled per tree), a steady stream of
 * scans allocates no entry storage at all.
 */
public final class ScanBuffer {
    /** The most entries one scan pass (a chunk of a scan) reports. */
    public static final int CHUNK = 256;
    /** A value length meaning the entry has no value (keys-only scan). */
    public static final int NO_VALUE = -1;
    /** A value length marking a common prefix. */
    public static final int COMMON_PREFIX = -2;
    /**
     * Storage that grew past these for a large pass (big values; a batch's prefix guard can list many keys) is not
     * kept by an idle walker, so a tree's pool of them stays small. A chunk of path-shaped records with small values
     * (256 x ~130 bytes) fits.
     */
    private static final int RETAIN_BYTES = 64 << 10;
    private static final int RETAIN_ENTRIES = 4 * CHUNK;
    /** Ints per entry in {@link #meta}: key offset, key length, value length (or a marker). */
    private static final int META = 3;

    private final Walker owner;
    byte[] bytes;
    /** {@link #bytes} as the read-only segment visitors read, made once per array rather than once per entry. */
    private MemorySegment readOnly;
    private int top;
    private int[] meta = new int[64 * META];
    private long[] versions = new long[64];
    private int size;

    ScanBuffer(Walker owner) {
        this.owner = owner;
        use(new byte[4096]);
    }

    /** Hands the buffer (and the walker that filled it) back to the tree's pool once its entries have been read. */
    public void release() {
        owner.release();
    }

    private void use(byte[] array) {
        bytes = array;
        readOnly = MemorySegment.ofArray(array).asReadOnly();
    }

    void clear() {
        top = 0;
        size = 0;
    }

    /** Drops storage that one unusually large pass made grow, so an idle thread does not pin it. */
    void trim() {
        if (bytes.length > RETAIN_BYTES) {
            use(new byte[4096]);
        }
        if (versions.length > RETAIN_ENTRIES) {
            meta = new int[64 * META];
            versions = new long[64];
        }
    }

    /** The buffer's bytes: each entry's key, then its value; valid until the buffer is released. */
    public byte[] array() {
        return bytes;
    }

    /** {@link #array()} as a read-only segment, made once per array. */
    public MemorySegment readOnly() {
        return readOnly;
    }

    public int size() {
        return size;
    }

    /**
     * Makes room for the next entry's {@code length} bytes (plus {@link Frame#WORD_SLACK}) and returns their offset in
     * {@link #bytes}; fill them, then {@link #add} the entry. The array may be replaced: read the field after this.
     */
    int reserve(int length) {
        int need = top + length + Frame.WORD_SLACK;
        if (need > bytes.length) {
            use(Arrays.copyOf(bytes, Math.max(need, bytes.length * 2)));
        }
        return top;
    }

    /** Appends the entry whose key (and then value, unless NO_VALUE/COMMON_PREFIX) sits at {@code offset}. */
    void add(int offset, int keyLength, int valueLength, long version) {
        if (size == versions.length) {
            meta = Arrays.copyOf(meta, size * 2 * META);
            versions = Arrays.copyOf(versions, size * 2);
        }
        int m = size * META;
        meta[m] = offset;
        meta[m + 1] = keyLength;
        meta[m + 2] = valueLength;
        versions[size++] = version;
        top = offset + keyLength + Math.max(valueLength, 0);
    }

    public int keyOffset(int i) {
        return meta[i * META];
    }

    public int keyLength(int i) {
        return meta[i * META + 1];
    }

    /** The value's length, or {@link #NO_VALUE} / {@link #COMMON_PREFIX}. */
    public int valueLength(int i) {
        return meta[i * META + 2];
    }

    public long version(int i) {
        return versions[i];
    }

    public boolean isCommonPrefix(int i) {
        return valueLength(i) == COMMON_PREFIX;
    }

    public byte[] key(int i) {
        int off = keyOffset(i);
        return Arrays.copyOfRange(bytes, off, off + keyLength(i));
    }

    /** A copy of entry {@code i}'s value, or null if it has none. */
    public byte[] value(int i) {
        int length = valueLength(i);
        if (length < 0) {
            return null;
        }
        int off = keyOffset(i) + keyLength(i);
        return Arrays.copyOfRange(bytes, off, off + length);
    }
}
