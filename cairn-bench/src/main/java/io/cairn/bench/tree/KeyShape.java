package io.cairn.bench.tree;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The key shapes of the reference benchmarks (holt.md §5). Key {@code i} is a pure function of {@code i} (and the
 * seed for kv), so every engine's child JVM loads the same data; indices at or above the data set size give fresh
 * keys of the same shape (for create+delete). Path shapes spread keys round-robin over their directories: key
 * {@code i} is file {@code i / directories} of directory {@code i % directories}.
 */
public enum KeyShape {
    /** 32 buckets, a ~60-byte JSON value. */
    OBJSTORE("objstore", 32, "", "bucket-%1$02d/path/sub/file-%2$04d.bin", "bucket-%1$02d/"),
    /** 16 directories, a 32-byte packed inode as value. */
    FS("fs", 16, "/usr/local/share/", "/usr/local/share/category-%1$d/file-%2$04d", "/usr/local/share/category-%1$d/"),
    /** 32 random bytes, 64 random bytes of value; listings use a one-byte prefix. */
    KV("kv", 256, null, null, null) {
        @Override
        byte[] key(long i, long seed) {
            byte[] key = new byte[32];
            new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i).nextBytes(key);
            return key;
        }

        @Override
        byte[] directoryPrefix(int d) {
            return new byte[] {(byte) d};
        }

        @Override
        byte[] parentPrefix(int d) {
            return directoryPrefix(d);
        }
    },
    /** The stress object-store shape: 256 buckets, each in tenant {@code b % 32}. */
    OBJSTORE_STRESS("objstore-stress", 256, "", "bucket-%1$03d/tenant-%3$02d/path/sub/file-%2$08d.bin",
            "bucket-%1$03d/"),
    /** The stress file-system shape: 512 directories. */
    FS_STRESS("fs-stress", 512, "/usr/local/share/", "/usr/local/share/category-%1$03d/file-%2$08d",
            "/usr/local/share/category-%1$03d/");

    final String label;
    /** How many distinct listing prefixes the shape has (buckets, directories or first bytes). */
    final int directories;
    /** The parent of the directory level, listed with a delimiter (null for kv). */
    private final String parent;
    /** Format of a key; arguments: directory, file number, directory mod 32 (the tenant). */
    private final String keyFormat;
    /** Format of a directory prefix; argument: directory. */
    private final String directoryFormat;

    KeyShape(String label, int directories, String parent, String keyFormat, String directoryFormat) {
        this.label = label;
        this.directories = directories;
        this.parent = parent;
        this.keyFormat = keyFormat;
        this.directoryFormat = directoryFormat;
    }

    static KeyShape byLabel(String label) {
        for (KeyShape shape : values()) {
            if (shape.label.equals(label)) {
                return shape;
            }
        }
        throw new IllegalArgumentException("key shape: unknown '" + label + "', expected objstore, fs, kv,"
                + " objstore-stress or fs-stress");
    }

    byte[] key(long i, long seed) {
        long directory = i % directories;
        return utf8(String.format(Locale.ROOT, keyFormat, directory, i / directories, directory % 32));
    }

    /** The prefix "list" reads: one bucket or directory. */
    byte[] directoryPrefix(int d) {
        return utf8(String.format(Locale.ROOT, directoryFormat, d));
    }

    /**
     * The prefix "list_dir" reads: the parent of the bucket/directory level (the root for object stores,
     * {@code /usr/local/share/} for file systems), so its children are rolled-up subtrees; one byte for kv.
     */
    byte[] parentPrefix(int d) {
        return utf8(parent);
    }

    /** A value shaped like the reference's for this key shape. */
    byte[] value(SplittableRandom random) {
        return switch (this) {
            case OBJSTORE, OBJSTORE_STRESS -> utf8(String.format(Locale.ROOT, "{\"size\":%08d,\"etag\":\"%08x\",\"class\":\"STD\"}",
                    random.nextInt(100_000_000), random.nextInt()));
            case FS, FS_STRESS -> randomBytes(random, 32);
            case KV -> randomBytes(random, 64);
        };
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
