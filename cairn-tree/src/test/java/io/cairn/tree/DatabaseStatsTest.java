package io.cairn.tree;

import static io.cairn.tree.DatabaseTest.b;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Database#stats} and {@link Database#prometheusText}, parsed back by a strict exposition-format parser. */
class DatabaseStatsTest {
    @TempDir
    Path dir;

    @Test
    void statsCoverEveryTreeAndTheStore() throws IOException {
        try (Database db = Database.open(dir, TreeOptions.defaults().changeRetention(ChangeRetention.records(100)))) {
            db.createTree("a");
            db.createTree("b");
            for (int i = 0; i < 500; i++) {
                db.openTree("a").put(b("k" + i), b("v" + i));
            }
            db.openTree("b").put(b("x"), b("y"));
            db.checkpoint();
            DatabaseStats s = db.stats();
            assertEquals(List.of("a", "b"), List.copyOf(s.trees().keySet()));
            assertEquals(500, s.trees().get("a").keys());
            assertEquals(1, s.trees().get("b").keys());
            assertEquals(db.lastSequence(), s.feed().lastSequence());
            assertEquals(db.lastSequence(), s.durable().walLastSequence());
            assertEquals(s.feed().lastSequence() - s.feed().oldestPosition(), s.feed().retainedRecords());
            assertTrue(s.feed().retainedRecords() >= 100, "retention keeps 100 records: " + s.feed());
            assertEquals(Files.size(dir.resolve("frames.stack")), s.disk().frameFileBytes());
            assertEquals(Files.size(dir.resolve("manifest.stack")), s.disk().manifestBytes());
            long walOnDisk;
            try (Stream<Path> segments = Files.list(dir.resolve("wal"))) {
                walOnDisk = segments.mapToLong(p -> p.toFile().length()).sum();
            }
            assertTrue(s.disk().walBytes() > 0 && s.disk().walBytes() <= walOnDisk, s.disk() + " vs " + walOnDisk);
            assertEquals(s.disk().frameFileBytes() + s.disk().manifestBytes() + s.disk().walBytes(),
                    s.disk().totalBytes());
            assertTrue(s.durable().checkpoints() >= 2, "the new store's first and this one");
        }
    }

    @Test
    void prometheusTextParsesStrictlyAndCarriesTheFigures() throws IOException {
        try (Database db = Database.open(dir)) {
            String odd = "we\"ird\\name\nwith lines";
            db.createTree("plain");
            db.createTree(odd);
            for (int i = 0; i < 100; i++) {
                db.openTree("plain").put(b("k" + i), b("v"));
            }
            db.openTree(odd).put(b("x"), b("y"));
            db.checkpoint();
            Map<String, Family> families = parse(db.prometheusText());
            DatabaseStats s = db.stats();
            assertEquals(2.0, families.get("cairn_trees").value(Map.of()));
            assertEquals(100.0, families.get("cairn_tree_keys").value(Map.of("tree", "plain")));
            assertEquals(1.0, families.get("cairn_tree_keys").value(Map.of("tree", odd)), "label escaping");
            assertEquals("counter", families.get("cairn_wal_records_total").type);
            assertEquals("counter", families.get("cairn_checkpoints_total").type);
            assertEquals("gauge", families.get("cairn_wal_last_sequence").type);
            assertEquals((double) s.durable().walLastSequence(), families.get("cairn_wal_last_sequence")
                    .value(Map.of()));
            assertEquals((double) s.disk().frameFileBytes(), families.get("cairn_disk_bytes")
                    .value(Map.of("file", "frames")));
            for (Family f : families.values()) {
                assertTrue(f.name.startsWith("cairn_"), f.name);
                assertEquals(f.type.equals("counter"), f.name.endsWith("_total"), f.name + " is a " + f.type);
                assertFalse(f.samples.isEmpty(), f.name + " has no sample");
            }
        }
    }

    // ------------------------------------------------------------------ a strict parser of the text format

    private record Family(String name, String help, String type, Map<Map<String, String>, Double> samples) {
        double value(Map<String, String> labels) {
            Double v = samples.get(labels);
            if (v == null) {
                fail(name + " has no sample " + labels + ": " + samples);
            }
            return v;
        }
    }

    /** A label value without its escapes (the pattern admits only \\, \" and \n). */
    private static String unescape(String escaped) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '\\') {
                char next = escaped.charAt(++i);
                out.append(next == 'n' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME
            + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)\\})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile(
            "([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");

    /**
     * Parses the exposition text, failing on anything the format does not allow: a family's HELP then TYPE line
     * once, before its samples, which are contiguous; sample names of a declared family; labels quoted with only
     * the three escapes; values that parse as numbers; no duplicate series; a final line feed.
     */
    private static Map<String, Family> parse(String text) {
        assertTrue(text.endsWith("\n"), "the text ends with a line feed");
        Map<String, Family> families = new LinkedHashMap<>();
        String help = null;
        String helpName = null;
        Family current = null;
        for (String line : text.substring(0, text.length() - 1).split("\n", -1)) {
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                assertFalse(families.containsKey(m.group(1)), "family " + m.group(1) + " declared twice");
                helpName = m.group(1);
                help = m.group(2);
            } else if ((m = TYPE.matcher(line)).matches()) {
                assertEquals(helpName, m.group(1), "TYPE follows its family's HELP");
                current = new Family(m.group(1), help, m.group(2), new HashMap<>());
                families.put(current.name, current);
                helpName = null;
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                assertTrue(current != null && current.name.equals(m.group(1)),
                        "sample of an undeclared or interrupted family: " + line);
                Map<String, String> labels = new HashMap<>();
                if (m.group(3) != null) {
                    Matcher l = LABEL.matcher(m.group(3));
                    int at = 0;
                    while (l.find() && l.start() == at) {
                        String value = unescape(l.group(2));
                        assertTrue(labels.put(l.group(1), value) == null, "label twice: " + line);
                        at = l.end();
                        if (at < m.group(3).length()) {
                            assertEquals(',', m.group(3).charAt(at), "labels are comma-separated: " + line);
                            at++;
                        }
                    }
                    assertEquals(m.group(3).length(), at, "malformed labels: " + line);
                }
                double value = Double.parseDouble(m.group(4));
                assertTrue(current.samples.put(labels, value) == null, "series twice: " + line);
            } else {
                fail("not a line of the exposition format: " + line);
            }
        }
        return families;
    }
}
