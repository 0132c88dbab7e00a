package io.cairn.tree;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two million keys of the reference's objstore stress shape spread over hundreds of frames: every key is read
 * back, listings by bucket and delimiter are exact, and the shape (depth, fill) is printed.
 */
class LargeTreeTest {
    private static final int BUCKETS = 256;
    private static final int FILES_PER_BUCKET = 8_192; // 256 x 8,192 = 2,097,152 keys

    /** {@code bucket-{b:03}/tenant-{b%32:02}/path/sub/file-{f:08}.bin} (built by hand: String.format is slow). */
    private static byte[] key(int b, int f) {
        byte[] k = "bucket-000/tenant-00/path/sub/file-00000000.bin".getBytes(UTF_8);
        digits(k, 7, 3, b);
        digits(k, 18, 2, b % 32);
        digits(k, 35, 8, f);
        return k;
    }

    /** {@code {"size":%08d,"etag":"%08d","class":"STD"}}: 49 bytes, distinct per key. */
    private static byte[] value(int b, int f) {
        byte[] v = "{\"size\":00000000,\"etag\":\"00000000\",\"class\":\"STD\"}".getBytes(UTF_8);
        digits(v, 8, 8, f);
        digits(v, 25, 8, b * 31 + f);
        return v;
    }

    private static void digits(byte[] into, int at, int width, int n) {
        for (int i = at + width - 1; i >= at; i--, n /= 10) {
            into[i] = (byte) ('0' + n % 10);
        }
    }

    @Test
    void twoMillionObjstoreKeysAreStoredListedAndReadBack() {
        try (Tree tree = Tree.inMemory()) {
            long t0 = System.nanoTime();
            // insert in an interleaved order so every bucket grows at once, like a real workload
            for (int f = 0; f < FILES_PER_BUCKET; f++) {
                for (int b = 0; b < BUCKETS; b++) {
                    tree.put(key(b, f), value(b, f));
                }
            }
            long t1 = System.nanoTime();
            for (int b = 0; b < BUCKETS; b++) {
                for (int f = 0; f < FILES_PER_BUCKET; f++) {
                    assertArrayEquals(value(b, f), tree.get(key(b, f)), () -> "key lost");
                }
            }
            long t2 = System.nanoTime();
            TreeStats stats = tree.stats();
            System.out.printf("2M objstore keys: insert %.1f s, get %.1f s, %s, %.1f bytes/key%n",
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, stats, (double) stats.memoryBytes() / stats.keys());
            assertEquals((long) BUCKETS * FILES_PER_BUCKET, stats.keys());
            assertTrue(stats.frames() > 100, "spans many frames: " + stats.frames());
            // lifts gather the bucket routing in the root frame: a lookup crosses at most one Blob
            assertEquals(2, stats.maxFrameDepth(), "frame depth: " + stats);
            assertTrue(stats.maxDepth() <= 14, "node depth: " + stats);
            assertTrue(stats.fill() > 0.45, "frames are reasonably full: " + stats.fill());

            assertEquals(FILES_PER_BUCKET, tree.prefixCount("bucket-007/".getBytes(UTF_8), Long.MAX_VALUE));
            List<ScanEntry> dirs = tree.scan("bucket-00".getBytes(UTF_8)).delimiter((byte) '/').toList();
            assertEquals(10, dirs.size());
            assertEquals("bucket-003/", dirs.get(3).keyString());
            assertTrue(dirs.get(3).isCommonPrefix());
            List<ScanEntry> page = tree.scan("bucket-100/tenant-04/path/sub/".getBytes(UTF_8))
                    .startAfter(key(100, 4999)).limit(100).toList();
            assertEquals(100, page.size());
            assertArrayEquals(key(100, 5000), page.get(0).key());
            assertArrayEquals(value(100, 5099), page.get(99).value());
        }
    }
}
