package io.cairn.tree.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Churn in a frame nearly full of live data (create and delete of fresh keys) must not rewrite the frame every
 * few writes: compacting it frees only the little the churn left dead, so the frame spills instead and later
 * compactions each free a good part of a frame. A rewrite is seen as a frame's bump pointer going back.
 */
class CompactionPolicyTest {
    @Test
    void churnInAFullFrameDoesNotRewriteItEveryFewWrites() {
        Engine art = Engine.inMemory(8192, 4096);
        try {
            int loaded = fillRootFrame(art);
            int ops = 4000;
            int rewrites = 0;
            int[] bumps = bumps(art);
            for (int i = 0; i < ops; i++) {
                byte[] k = key(1_000_000 + i);
                art.put(k, value(i));
                art.delete(k);
                int[] now = bumps(art);
                for (int f = 0; f < Math.min(now.length, bumps.length); f++) {
                    if (now[f] < bumps[f]) {
                        rewrites++;
                    }
                }
                bumps = now;
            }
            // compacting whenever 1/16 of the frame was dead rewrote it every 8 operations here (500 times)
            assertTrue(rewrites <= ops / 16, rewrites + " frame rewrites for " + ops + " create+delete pairs");
            assertEquals(loaded, art.shape().keys());
            for (int i = 0; i < loaded; i++) {
                assertArrayEquals(value(i), Engines.get(art, key(i)).value());
            }
            assertNull(Engines.get(art, key(1_000_000)));
        } finally {
            art.close();
        }
    }

    @Test
    void churnAtASpentFrameBudgetCompactsInsteadOfFailing() {
        Engine art = Engine.inMemory(8192, 1);
        try {
            int loaded = fillRootFrame(art);
            for (int i = 0; i < 2000; i++) { // a spill would need a second frame; compaction must do
                byte[] k = key(1_000_000 + i);
                art.put(k, value(i));
                art.delete(k);
            }
            assertEquals(1, art.shape().frames());
            assertEquals(loaded, art.shape().keys());
            for (int i = 0; i < loaded; i++) {
                assertArrayEquals(value(i), Engines.get(art, key(i)).value());
            }
        } finally {
            art.close();
        }
    }

    /** Fills the root frame with live data, stopping short of a spill; returns the keys loaded. */
    private static int fillRootFrame(Engine art) {
        int loaded = 0;
        while (art.root().free() > Edits.writeNeed(key(loaded).length, value(loaded).length) + 256) {
            art.put(key(loaded), value(loaded));
            loaded++;
        }
        assertNull(art.table().get(1), "the load stayed in one frame");
        return loaded;
    }

    private static int[] bumps(Engine art) {
        int n = 0;
        while (art.table().get(n) != null) {
            n++;
        }
        int[] bumps = new int[n];
        for (int f = 0; f < n; f++) {
            bumps[f] = art.table().get(f).bump();
        }
        return bumps;
    }

    private static byte[] key(int i) {
        return String.format("bucket-%02d/path/sub/file-%07d.bin", i % 8, i / 8).getBytes(UTF_8);
    }

    private static byte[] value(int i) {
        return ("{\"size\":" + i + ",\"etag\":\"" + Integer.toHexString(i * 31) + "\"}").getBytes(UTF_8);
    }
}
