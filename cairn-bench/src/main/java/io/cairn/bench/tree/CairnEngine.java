package io.cairn.bench.tree;

import io.cairn.tree.Scan;
import io.cairn.tree.ScanEntry;
import io.cairn.tree.Tree;

/**
 * Cairn's tree in memory mode: off-heap frames, concurrent without any lock of the harness's. As "cairn" it lists
 * through {@link io.cairn.tree.Scan#visit} (records read in place from the scan's buffer, as the on-heap peers hand
 * out the arrays they hold); as "cairn-copy" through iteration, which copies every key and value into arrays the
 * caller may keep, to show what that costs.
 */
final class CairnEngine implements Engine {
    private final Tree tree = Tree.inMemory();
    private final boolean copying;

    CairnEngine(boolean copying) {
        this.copying = copying;
    }

    @Override
    public void load(byte[][] keys, byte[][] values) {
        for (int i = 0; i < keys.length; i++) {
            tree.put(keys[i], values[i]);
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
    public void close() {
        tree.close();
    }
}
