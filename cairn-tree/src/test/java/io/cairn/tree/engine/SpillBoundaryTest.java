package io.cairn.tree.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.CorruptedStoreException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spillover keeps path-component boundaries in the parent frame: when the subtree it moves starts with a Prefix
 * holding a '/', the bytes through that '/' stay behind, so a delimiter listing of the level above rolls every
 * entry up without entering a child frame. Proof of "without entering": every frame but the root is poisoned (its
 * root reference cleared), which makes any walk that enters one report corruption.
 *
 * <p>Key layouts put the first '/' below a bucket at the start, in the middle and at the end of the Prefix that
 * hangs under the bucket's last digit. Buckets are loaded one after another (files shuffled within a bucket), as
 * a bulk load does, with 8 KiB frames so that each bucket's subtree is a spill candidate of 35–75% of a frame.
 *
 * <p>Loaded round robin instead (every bucket grows at once), no bucket's subtree is a good spill candidate while
 * the tree is small, so early spills cut through the bucket digits; lifts must then gather the routing back into
 * the root frame as the buckets grow, and every bucket's frames hang right below it.
 */
class SpillBoundaryTest {
    private static final int FRAME_SIZE = 8192;
    private static final int BUCKETS = 12;
    private static final int FILES = 120;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "bucket-%1$03d/tenant-00/path/sub/file-%3$08d.bin", // Prefix "/tenant-00/path/sub/file-000": '/' first
        "bucket-%1$03d/tenant-%2$02d/path/sub/file-%3$08d.bin", // Prefix "/tenant-0" over three tenants
        "bucket-%1$03d.d/group/file-%3$08d.bin", // Prefix ".d/group/file-000": '/' in the middle
        "bucket-%1$03d.d/%2$d/file-%3$08d.bin", // Prefix ".d/" over three groups: '/' last, no bytes move
    })
    void bucketListingStaysInTheRootFrame(String layout) {
        Engine art = Engine.inMemory(FRAME_SIZE, 4096);
        try {
            TreeMap<String, String> model = new TreeMap<>();
            List<String> buckets = new ArrayList<>();
            Random rnd = new Random(layout.hashCode());
            for (int b = 0; b < BUCKETS; b++) {
                List<String> keys = new ArrayList<>();
                for (int i = 0; i < FILES; i++) {
                    keys.add(String.format(layout, b, i % 3, i));
                }
                Collections.shuffle(keys, rnd);
                for (String k : keys) {
                    String v = "v" + k.hashCode();
                    art.put(bytes(k), bytes(v));
                    model.put(k, v);
                }
                String first = keys.getFirst();
                buckets.add(first.substring(0, first.indexOf('/') + 1));
            }
            Shape stats = art.shape(); // cross-checks the frame headers' leaf and blob counts
            assertEquals(model.size(), stats.keys());
            assertTrue(stats.frames() >= BUCKETS / 2, "expected spills into many frames: " + stats);
            assertMatchesModel(art, model);
            assertEquals(buckets, listBuckets(art));
            assertBucketListingEntersNoChildFrame(art, buckets);

            // delete most files so child frames fall below 1/8 and merge back into their parents
            List<String> doomed = new ArrayList<>(model.keySet());
            Collections.shuffle(doomed, rnd);
            doomed = doomed.subList(0, doomed.size() * 9 / 10);
            for (String k : doomed) {
                assertTrue(art.delete(bytes(k)), k);
                model.remove(k);
            }
            Shape after = art.shape();
            assertEquals(model.size(), after.keys());
            assertTrue(after.frames() < stats.frames(), "merges should have folded frames back: " + after);
            assertMatchesModel(art, model);
            for (String k : doomed) {
                assertNull(Engines.get(art, bytes(k)), k);
            }
        } finally {
            art.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "bucket-%1$03d/tenant-00/path/sub/file-%3$08d.bin",
        "bucket-%1$03d/tenant-%2$02d/path/sub/file-%3$08d.bin",
        "bucket-%1$03d.d/group/file-%3$08d.bin",
        "bucket-%1$03d.d/%2$d/file-%3$08d.bin",
    })
    void roundRobinLoadGathersBucketRoutingInTheRootFrame(String layout) {
        int buckets = 24;
        int files = 600;
        Engine art = Engine.inMemory(2 * FRAME_SIZE, 4096); // room in the root for every bucket's routing
        try {
            TreeMap<String, String> model = new TreeMap<>();
            List<String> bucketPrefixes = new ArrayList<>();
            for (int i = 0; i < buckets * files; i++) {
                int b = i % buckets;
                String k = String.format(layout, b * 7, i % 3, i / buckets);
                String v = "v" + k.hashCode();
                art.put(bytes(k), bytes(v));
                model.put(k, v);
                if (i < buckets) {
                    bucketPrefixes.add(k.substring(0, k.indexOf('/') + 1));
                }
            }
            Shape stats = art.shape();
            assertEquals(model.size(), stats.keys());
            assertTrue(stats.frames() >= buckets, "expected every bucket to spill into frames of its own: " + stats);
            assertEquals(2, stats.maxFrameDepth(), "routing left in intermediate frames: " + stats);
            assertEquals(0, splitsOverInnerNodes(art.root(), art.root().root()),
                    "a wide node whose range frames were lifted back should be one node again");
            assertMatchesModel(art, model);
            assertEquals(bucketPrefixes, listBuckets(art));
            assertBucketListingEntersNoChildFrame(art, bucketPrefixes);
        } finally {
            art.close();
        }
    }

    /** Split nodes in frame {@code f} below {@code node} that route only to inner nodes of {@code f}. */
    private static int splitsOverInnerNodes(Frame f, int node) {
        int type = f.type(node);
        if (type == FrameFormat.T_PREFIX) {
            return splitsOverInnerNodes(f, f.target(node + FrameFormat.PREFIX_CHILD));
        }
        if (type == FrameFormat.T_SPLIT) {
            int left = f.target(node + FrameFormat.SPLIT_LEFT);
            int right = f.target(node + FrameFormat.SPLIT_RIGHT);
            int own = innerSides(f, left) && innerSides(f, right) ? 1 : 0;
            return own + splitsOverInnerNodes(f, left) + splitsOverInnerNodes(f, right);
        }
        int n = 0;
        if (Nodes.isInner(type)) {
            for (long e = Nodes.nextChild(f, node, 0); e >= 0; e = Nodes.nextChild(f, node, (int) (e >>> 32) + 1)) {
                n += splitsOverInnerNodes(f, f.target((int) e));
            }
        }
        return n;
    }

    private static boolean innerSides(Frame f, int node) {
        return f.type(node) == FrameFormat.T_SPLIT
                ? innerSides(f, f.target(node + FrameFormat.SPLIT_LEFT))
                        && innerSides(f, f.target(node + FrameFormat.SPLIT_RIGHT))
                : Nodes.isInner(f.type(node));
    }

    private static void assertMatchesModel(Engine art, TreeMap<String, String> model) {
        model.forEach((k, v) -> {
            Versioned r = Engines.get(art, bytes(k));
            assertNotNull(r, k);
            assertArrayEquals(bytes(v), r.value(), k);
        });
        List<String> scanned = new ArrayList<>();
        for (Engines.Entry e : Engines.scan(art, -1, Long.MAX_VALUE)) {
            scanned.add(e.keyString());
            assertArrayEquals(bytes(model.get(e.keyString())), e.value(), e.keyString());
        }
        assertEquals(new ArrayList<>(model.keySet()), scanned);
    }

    private static List<String> listBuckets(Engine art) {
        List<String> out = new ArrayList<>();
        for (Engines.Entry e : Engines.scan(art, '/', Long.MAX_VALUE)) {
            assertTrue(e.commonPrefix(), e.keyString());
            out.add(e.keyString());
        }
        return out;
    }

    /** Clears every child frame's root reference, lists the bucket level, then restores the frames. */
    private static void assertBucketListingEntersNoChildFrame(Engine art, List<String> buckets) {
        List<Frame> children = new ArrayList<>();
        for (int id = 0; art.table().get(id) != null; id++) {
            if (art.table().get(id) != art.root()) {
                children.add(art.table().get(id));
            }
        }
        int[] roots = new int[children.size()];
        for (int i = 0; i < roots.length; i++) {
            roots[i] = children.get(i).u16(FrameFormat.ROOT_OFFSET);
            children.get(i).putU16(FrameFormat.ROOT_OFFSET, 0);
        }
        try {
            assertEquals(buckets, assertDoesNotThrow(() -> listBuckets(art),
                    "the bucket listing entered a child frame"));
            // the poison works: a walk that does enter a child frame reports it
            assertInstanceOf(CorruptedStoreException.class,
                    assertThrows(UncheckedIOException.class, () -> Engines.scan(art, -1, Long.MAX_VALUE)).getCause());
        } finally {
            for (int i = 0; i < roots.length; i++) {
                children.get(i).putU16(FrameFormat.ROOT_OFFSET, roots[i]);
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }
}
