package io.cairn.tree;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** Everything a database holds, as comparable text: tree name → hex key → "hex value @version". */
final class DatabaseContents {
    private DatabaseContents() {}

    static Map<String, Map<String, String>> of(Database db) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (String name : db.treeNames()) {
            out.put(name, of(db.openTree(name).scan(new byte[0])));
        }
        return out;
    }

    /** "tree:key" → value as UTF-8 text, and "tree:" → "" for each tree: what the fault tests' models hold. */
    static TreeMap<String, String> asText(Database db) {
        TreeMap<String, String> out = new TreeMap<>();
        for (String tree : db.treeNames()) {
            out.put(tree + ":", "");
            for (ScanEntry e : db.openTree(tree).scan(new byte[0])) {
                out.put(tree + ":" + e.keyString(), new String(e.value(), UTF_8));
            }
        }
        return out;
    }

    static Map<String, Map<String, String>> of(DatabaseSnapshot snapshot) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (String name : snapshot.treeNames()) {
            out.put(name, of(snapshot.tree(name).scan(new byte[0])));
        }
        return out;
    }

    static Map<String, String> of(Scan scan) {
        Map<String, String> out = new TreeMap<>();
        HexFormat hex = HexFormat.of();
        for (ScanEntry e : scan) {
            out.put(hex.formatHex(e.key()), hex.formatHex(e.value()) + " @" + e.version());
        }
        return out;
    }
}
