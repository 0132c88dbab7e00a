package io.cairn.tree;

import io.cairn.stack.testkit.UnsyncedStorageIo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.stack.Durability;
import io.cairn.stack.testkit.Linearizability;
import io.cairn.stack.testkit.Linearizability.Call;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The concurrency contract of the tree, checked: {@code get}, {@code put}, {@code putIfAbsent},
 * {@code compareAndPut}, {@code delete} and {@code rename} on a few keys from several threads are linearizable. The
 * checker itself is tested on hand-made histories first, so a pass means something.
 */
class LinearizabilityTest {

    /** A register: the state is the value; a write sets it, a read must see it. */
    private static Call<Integer> write(long from, long to, int value) {
        return new Call<>(from, to, s -> value, "write " + value);
    }

    private static Call<Integer> read(long from, long to, int value) {
        return new Call<>(from, to, s -> s == value ? s : null, "read " + value);
    }

    @Test
    void theCheckerAcceptsOverlappingOperationsInEitherOrder() {
        // the read overlaps the write: it may see the old or the new value
        assertTrue(Linearizability.check(0, List.of(write(0, 10, 1), read(5, 15, 0))));
        assertTrue(Linearizability.check(0, List.of(write(0, 10, 1), read(5, 15, 1))));
    }

    @Test
    void theCheckerRejectsAReadOfAValueBeforeItsWriteOrAfterItWasOverwritten() {
        assertFalse(Linearizability.check(0, List.of(read(0, 5, 1), write(10, 20, 1))), "read from the future");
        assertFalse(Linearizability.check(0, List.of(write(0, 5, 1), write(10, 15, 2), read(20, 25, 1))),
                "stale read after a later write returned");
        // two readers that disagree about the order of two overlapping writes
        assertFalse(Linearizability.check(0, List.of(write(0, 100, 1), write(0, 100, 2),
                read(10, 20, 1), read(30, 40, 2), read(50, 60, 1), read(70, 80, 2))));
    }

    @Test
    void memoryTreePointOperationsAreLinearizable() throws Exception {
        TreeLinearizability.check(Tree::inMemory, 400, 1);
    }

    @Test
    void memoryTreeWithSmallFramesIsLinearizable() throws Exception {
        TreeLinearizability.check(() -> Tree.inMemory(TreeOptions.defaults().frameSize(4096)), 200, 2);
    }

    @Test
    void fileBackedTreePointOperationsAreLinearizable(@TempDir Path dir) throws Exception {
        java.util.concurrent.atomic.AtomicInteger round = new java.util.concurrent.atomic.AtomicInteger();
        for (Durability durability : new Durability[] {Durability.SYNC, Durability.ASYNC}) {
            TreeLinearizability.check(() -> {
                try {
                    return Tree.open(dir.resolve("round-" + round.incrementAndGet()),
                            TreeOptions.defaults().durability(durability).io(new UnsyncedStorageIo()).frameSize(4096));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, 100, 3);
        }
    }

    /**
     * The file-backed tree with a cache of 8 of its 4 KiB frames, the checked keys among 3,000 others: a reader of
     * those keeps evicting frames (the checked keys' too) while the history runs, and checkpoints run whenever dirty
     * frames fill the cache.
     */
    @Test
    void fileBackedTreeIsLinearizableWhileItsFramesAreEvicted(@TempDir Path dir) throws Exception {
        TreeOptions tiny = TreeOptions.defaults().durability(Durability.NONE).io(new UnsyncedStorageIo()).frameSize(4096)
                .cacheBytes(8 * 4096);
        java.util.concurrent.atomic.AtomicInteger round = new java.util.concurrent.atomic.AtomicInteger();
        TreeLinearizability.check(() -> {
            try {
                return Tree.open(dir.resolve("round-" + round.incrementAndGet()), tiny);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, 40, 4, 3_000);
        // the setup does what it is for: the filler spans many times the cache, and reading it evicts
        try (Tree t = Tree.open(dir.resolve("setup"), tiny)) {
            TreeLinearizability.fill(t, 3_000);
            long before = t.stats().durable().cache().evictions();
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            Thread reader = Thread.ofPlatform().start(() -> TreeLinearizability.readFiller(t, 3_000, done));
            Thread.sleep(200);
            done.set(true);
            reader.join();
            TreeStats s = t.stats();
            assertTrue(s.frames() > 4 * 8, "the tree spans many times its cache: " + s);
            assertTrue(s.durable().cache().evictions() > before + 100, "reading it evicts: " + s.durable().cache());
        }
    }
}
