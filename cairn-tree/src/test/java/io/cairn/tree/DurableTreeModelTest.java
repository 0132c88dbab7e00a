package io.cairn.tree;

import io.cairn.stack.testkit.UnsyncedStorageIo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.testkit.FaultyStorageIo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The model test of {@link TreeModelTest} on a file-backed tree that is closed and reopened, checkpointed, and
 * crashed (a simulated power loss through the I/O seam: only what was forced survives) at random moments. With
 * {@code SYNC} durability every acknowledged operation must survive every crash, so the model never forgets one.
 */
class DurableTreeModelTest {
    @TempDir
    Path dir;

    private TreeModelTest.Backing durable(TreeOptions options, int restartsPerMille) {
        FaultyStorageIo io = new FaultyStorageIo(new UnsyncedStorageIo());
        return new TreeModelTest.Backing() {
            @Override
            public Tree open() {
                try {
                    // each incarnation through a view that dies with a crash: the crashed tree's background
                    // checkpointer lives on in this JVM, and must not touch a file after its power went out
                    return Tree.open(dir, options.io(io.process()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public int restartsPerMille() {
                return restartsPerMille;
            }

            @Override
            public void crash() {
                try {
                    io.crash();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13})
    void randomOperationsWithRestartsAndCrashesMatchTheModelInSmallFrames(long seed) {
        TreeModelTest.run(seed, durable(TreeOptions.defaults().frameSize(8192), 4), 6_000);
    }

    /**
     * A cache of 8 frames (64 KiB) under a tree of many more: every operation loads frames and evicts others,
     * checkpoints run whenever dirty frames fill the cache, and snapshots, scans, batches and renames cross frames
     * that come and go.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {31, 32})
    void framesEvictedAndReloadedConstantlyMatchTheModel(long seed) {
        TreeStats last = TreeModelTest.run(seed, durable(TreeOptions.defaults().frameSize(8192).cacheBytes(8 * 8192),
                1), 6_000);
        TreeStats.Cache cache = last.durable().cache();
        assertTrue(cache.evictions() > 100 && cache.misses() > 100, "frames came and went: " + cache);
        assertTrue(last.frames() > 3 * 8, "the tree is much larger than its cache: " + last);
    }

    @Test
    void randomOperationsWithRestartsAndCrashesMatchTheModelInRealFrames() {
        TreeModelTest.run(111, durable(TreeOptions.defaults(), 3), 4_000);
    }

    @Tag("soak")
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22, 23, 24, 25, 26, 27, 28})
    void soakWithRestartsAndCrashes(long seed) {
        TreeModelTest.run(seed, durable(TreeOptions.defaults().frameSize(8192), 2),
                Integer.getInteger("cairn.soak.ops", 60_000));
    }
}
