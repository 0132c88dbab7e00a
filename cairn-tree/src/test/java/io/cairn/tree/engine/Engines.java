package io.cairn.tree.engine;

import java.util.ArrayList;
import java.util.List;

/** Test helpers over an {@link Engine}: point reads and whole-tree scans in the engine's own terms. */
final class Engines {
    private Engines() {}

    /** One scan result: a key with its value and version, or a common prefix (value null). */
    record Entry(byte[] key, byte[] value, long version, boolean commonPrefix) {
        String keyString() {
            return new String(key, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    static Versioned get(Engine engine, byte[] key) {
        return engine.get(engine.live(), key, Versioned::new);
    }

    /** A validated pass over the whole live tree, rolling up at {@code delimiter} (-1 for none), up to limit. */
    static List<Entry> scan(Engine engine, int delimiter, long limit) {
        ScanBuffer out = engine.scan(engine.live(), new byte[0], null, delimiter, false, limit);
        try {
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < out.size(); i++) {
                entries.add(new Entry(out.key(i), out.value(i), out.version(i), out.isCommonPrefix(i)));
            }
            return entries;
        } finally {
            out.release();
        }
    }
}
