package io.cairn.tree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The reference model: a sorted map in unsigned byte order, with the scan semantics spelled out naively. */
final class TreeModel {
    record Entry(byte[] value, long version) {}

    final TreeMap<byte[], Entry> map = new TreeMap<>(Arrays::compareUnsigned);

    TreeModel copy() {
        TreeModel m = new TreeModel();
        m.map.putAll(map);
        return m;
    }

    /** What a scan must return: rollups of every key under the prefix, those above startAfter, distinct, limited. */
    List<ScanEntry> scan(byte[] prefix, byte[] startAfter, int delimiter, boolean keysOnly, long limit) {
        List<ScanEntry> out = new ArrayList<>();
        byte[] lastPrefix = null;
        for (Map.Entry<byte[], Entry> e : map.tailMap(prefix, true).entrySet()) {
            byte[] k = e.getKey();
            if (!Keys.startsWith(k, prefix)) {
                break;
            }
            if (out.size() >= limit) {
                break;
            }
            int cut = -1;
            if (delimiter >= 0) {
                for (int i = prefix.length; i < k.length; i++) {
                    if ((k[i] & 0xFF) == delimiter) {
                        cut = i + 1;
                        break;
                    }
                }
            }
            byte[] shown = cut < 0 ? k : Arrays.copyOf(k, cut);
            if (startAfter != null && Arrays.compareUnsigned(shown, startAfter) <= 0) {
                continue;
            }
            if (cut >= 0) {
                if (lastPrefix == null || !Arrays.equals(lastPrefix, shown)) {
                    out.add(ScanEntry.commonPrefix(shown));
                    lastPrefix = shown;
                }
            } else {
                out.add(ScanEntry.key(k, keysOnly ? null : e.getValue().value(), e.getValue().version()));
            }
        }
        return out;
    }

    long prefixCount(byte[] prefix, long limit) {
        long n = 0;
        for (byte[] k : map.tailMap(prefix, true).keySet()) {
            if (!Keys.startsWith(k, prefix) || n >= limit) {
                break;
            }
            n++;
        }
        return n;
    }

    /** The longest key that is a prefix of the query. */
    byte[] longestPrefix(byte[] query) {
        for (int len = query.length; len >= 0; len--) {
            if (map.containsKey(Arrays.copyOf(query, len))) {
                return Arrays.copyOf(query, len);
            }
        }
        return null;
    }
}
