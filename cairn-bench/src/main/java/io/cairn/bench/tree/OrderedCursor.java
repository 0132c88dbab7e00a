package io.cairn.bench.tree;

import java.util.Arrays;

/**
 * A forward cursor over a peer's sorted keys, and the two listings every peer runs on it. Keeping the listing logic
 * here means every peer lists, rolls up and seeks past rolled-up prefixes in exactly the same way.
 */
interface OrderedCursor {

    /** Positions the cursor at the first key greater than or equal to {@code from}. */
    void seek(byte[] from) throws Exception;

    boolean valid() throws Exception;

    byte[] key() throws Exception;

    byte[] value() throws Exception;

    void next() throws Exception;

    /** Up to {@code limit} records whose keys start with {@code prefix}. */
    static void list(OrderedCursor cursor, byte[] prefix, int limit, ScanSink sink) throws Exception {
        int emitted = 0;
        for (cursor.seek(prefix); emitted < limit && cursor.valid(); cursor.next()) {
            byte[] key = cursor.key();
            if (!Bytes.startsWith(key, prefix)) {
                return;
            }
            sink.key(key, cursor.value());
            emitted++;
        }
    }

    /**
     * Delimiter listing: a key with a {@code delimiter} after the prefix is reported once as its common prefix, and the
     * cursor then seeks to the successor of that prefix, skipping the whole rolled-up subtree in one step.
     */
    static void listDir(OrderedCursor cursor, byte[] prefix, byte delimiter, int limit, ScanSink sink) throws Exception {
        int emitted = 0;
        cursor.seek(prefix);
        while (emitted < limit && cursor.valid()) {
            byte[] key = cursor.key();
            if (!Bytes.startsWith(key, prefix)) {
                return;
            }
            int at = Bytes.indexOf(key, delimiter, prefix.length);
            emitted++;
            if (at < 0) {
                sink.key(key, cursor.value());
                cursor.next();
                continue;
            }
            byte[] common = Arrays.copyOf(key, at + 1);
            sink.commonPrefix(common);
            byte[] after = Bytes.successor(common);
            if (after == null) {
                return;
            }
            cursor.seek(after);
        }
    }
}
