package io.cairn.bench.tree;

import io.cairn.tree.Scan;
import io.cairn.tree.ScanEntry;
import io.cairn.tree.Tree;
import io.cairn.tree.TreeOptions;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Cairn's tree, concurrent without any lock of the harness's, in memory ({@link #memory}: off-heap frames) or in a
 * directory ({@link #durable}: {@code Tree.open} with the settings' durability and cache; the durable harness's engine
 * "cairn"). As "cairn" it lists through {@link io.cairn.tree.Scan#visit} (records read in place from the scan's
 * buffer, as the on-heap peers hand out the arrays they hold); as "cairn-copy" through iteration, which copies every
 * key and value into arrays the caller may keep, to show what that costs.
 */
final class CairnEngine implements DurableEngine {
    /** Puts per atomic batch when a file-backed tree is bulk-loaded: one log record and one force per batch. */
    private static final int LOAD_BATCH = 1_000;

    private final Tree tree;
    private final boolean copying;

    private CairnEngine(Tree tree, boolean copying) {
        this.tree = tree;
        this.copying = copying;
    }

    static CairnEngine memory(boolean copying) {
        return new CairnEngine(Tree.inMemory(), copying);
    }

    /**
     * The settings' cache is the tree's {@code cacheBytes}, {@code frameSize} the frame size of a new store; holding
     * the log turns off the checkpoints the log's
     * growth would start (those a cache filling with changed frames needs still run).
     */
    static CairnEngine durable(Path dir, Settings settings, int frameSize) throws IOException {
        TreeOptions options = TreeOptions.defaults().durability(settings.durability())
                .cacheBytes(settings.cacheBytes()).frameSize(frameSize);
        if (settings.holdLog()) {
            options = options.checkpointEvery(Long.MAX_VALUE);
        }
        return new CairnEngine(Tree.open(dir.resolve("cairn"), options), false);
    }

    /** A memory tree takes single puts; a file-backed one atomic batches, as the peers' loads batch too. */
    @Override
    public void load(byte[][] keys, byte[][] values) {
        if (!tree.isDurable()) {
            for (int i = 0; i < keys.length; i++) {
                tree.put(keys[i], values[i]);
            }
            return;
        }
        for (int start = 0; start < keys.length; start += LOAD_BATCH) {
            int from = start;
            tree.atomic(batch -> {
                for (int i = from; i < Math.min(keys.length, from + LOAD_BATCH); i++) {
                    batch.put(keys[i], values[i]);
                }
            });
        }
    }

    @Override
    public byte[] get(byte[] key) {
        return tree.get(key);
    }

    @Override
    public void put(byte[] key, byte[] value) {
        tree.put(key, value);
    }

    @Override
    public void delete(byte[] key) {
        tree.delete(key);
    }

    @Override
    public void rename(byte[] source, byte[] target) {
        tree.rename(source, target, false);
    }

    @Override
    public void list(byte[] prefix, int limit, ScanSink sink) {
        listing(tree.scan(prefix).limit(limit), sink);
    }

    /** The tree rolls up natively: each common prefix skips its subtree inside the engine. */
    @Override
    public void listDir(byte[] prefix, byte delimiter, int limit, ScanSink sink) {
        listing(tree.scan(prefix).delimiter(delimiter).limit(limit), sink);
    }

    private void listing(Scan scan, ScanSink sink) {
        if (copying) {
            for (ScanEntry entry : scan) {
                if (entry.isCommonPrefix()) {
                    sink.commonPrefix(entry.key());
                } else {
                    sink.key(entry.key(), entry.value());
                }
            }
            return;
        }
        scan.visit(view -> {
            if (view.isCommonPrefix()) {
                sink.commonPrefix(view.array(), view.keyOffset(), view.keyLength());
            } else {
                sink.key(view.array(), view.keyOffset(), view.keyLength(), view.valueOffset(), view.valueLength());
            }
            return true;
        });
    }

    /** The tree's own account of its frames (TreeStats memoryBytes: off-heap bytes of its frames). */
    @Override
    public long reportedMemoryBytes() {
        return tree.stats().memoryBytes();
    }

    @Override
    public void sync() {
        tree.sync();
    }

    @Override
    public void checkpoint() {
        tree.checkpoint();
    }

    @Override
    public void close() {
        tree.close();
    }
}
