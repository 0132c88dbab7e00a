package io.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.tree.ChangeRetention;
import io.cairn.tree.Database;
import io.cairn.tree.TreeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn db DIR ...} and {@code cairn tree DIR --tree NAME ...} through the real command. */
class DbCommandTest {
    @TempDir
    Path dir;

    private Cli.Result db(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "db";
        all[1] = dir.resolve("db").toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return Cli.run(all);
    }

    private Cli.Result tree(String name, String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "tree";
        all[1] = dir.resolve("db").toString();
        all[2] = "--tree";
        all[3] = name;
        System.arraycopy(args, 0, all, 4, args.length);
        return Cli.run(all);
    }

    @Test
    void treesAreCreatedWrittenListedAndDropped() {
        assertEquals(0, db("create", "photos").code());
        assertEquals(0, db("create", "users").code());
        assertEquals(1, db("create", "photos").code(), "a tree of that name exists");
        assertEquals(0, tree("photos", "put", "2026/a.jpg", "A").code());
        assertEquals(0, tree("users", "put", "alice", "1").code());
        assertEquals("A\n", tree("photos", "get", "2026/a.jpg").out());
        assertEquals(3, tree("users", "get", "2026/a.jpg").code(), "each tree its own keys");
        Cli.Result missing = tree("nope", "get", "x");
        assertEquals(1, missing.code(), missing.toString());
        assertTrue(missing.err().contains("no tree"), missing.toString());
        assertFalse(missing.err().contains("Exception"), "no stack trace: " + missing);
        assertEquals("photos\nusers\n", db("ls").out());
        assertTrue(db("ls", "--json").out().contains("{\"name\":\"photos\",\"keys\":1}"), db("ls", "--json").out());
        Cli.Result several = Cli.run("tree", dir.resolve("db").toString(), "get", "x");
        assertEquals(1, several.code(), "a database of two trees needs --tree");
        assertTrue(several.err().contains("photos") && several.err().contains("users"), several.toString());
        assertEquals(0, db("drop", "users").code());
        assertEquals(3, db("drop", "users").code(), "already gone");
        assertEquals("photos\n", db("ls").out());
        assertEquals("A\n", Cli.run("tree", dir.resolve("db").toString(), "get", "2026/a.jpg").out(),
                "one tree left: tree DIR opens it");
        assertEquals("A\n", Cli.run("tree", "--db", dir.resolve("db").toString(), "--tree", "photos", "get",
                "2026/a.jpg").out(), "--db DIR is DIR");
        assertEquals(2, Cli.run("tree", "get", "2026/a.jpg").code(), "no directory: usage");
        Cli.Result both = Cli.run("tree", dir.resolve("db").toString(), "--db", dir.resolve("db").toString(), "get",
                "2026/a.jpg");
        assertEquals(2, both.code(), both.toString());
        assertTrue(both.err().contains("not both"), both.toString());
    }

    @Test
    void statCheckVacuumAndPrometheus() {
        db("create", "a");
        tree("a", "put", "k", "v");
        Cli.Result stat = db("stat");
        assertEquals(0, stat.code(), stat.toString());
        assertTrue(stat.out().contains("a: 1 keys"), stat.out());
        assertTrue(stat.out().contains("\nfeed:                no records retained (changes --after 2 serves what "
                + "comes next)\n"), "not 'sequences 3..2 retained': " + stat.out());
        assertTrue(db("stat", "--json").out().contains("\"name\":\"a\",\"keys\":1"), db("stat", "--json").out());
        Cli.Result both = db("stat", "--prometheus", "--json");
        assertEquals(2, both.code(), both.toString());
        assertTrue(both.err().startsWith("--json and --prometheus are two output formats: give one"), both.err());
        assertEquals("", both.out(), "not the Prometheus text under --json");
        Cli.Result prometheus = db("stat", "--prometheus");
        assertTrue(prometheus.out().contains("# TYPE cairn_tree_keys gauge\ncairn_tree_keys{tree=\"a\"} 1\n"),
                prometheus.out());
        assertEquals(0, db("check").code());
        assertTrue(db("check", "--json").out().contains("\"clean\":true"));
        Cli.Result vacuum = db("vacuum");
        assertEquals(0, vacuum.code(), vacuum.toString());
        assertTrue(vacuum.out().startsWith("moved "), vacuum.out());
        assertTrue(db("vacuum", "--json").out().startsWith("{\"framesMoved\":0,"), "a second vacuum moves nothing");
    }

    @Test
    void compactAndGc() {
        db("create", "a");
        tree("a", "put", "k", "v");
        Cli.Result compact = db("compact");
        assertEquals(0, compact.code(), compact.toString());
        assertEquals("compacted 0 trees; frames 1 -> 1 (0 freed)\n", compact.out(), "one frame is as full as it gets");
        assertEquals("{\"trees\":0,\"framesBefore\":1,\"framesAfter\":1,\"framesFreed\":0}\n",
                db("compact", "--json").out());
        Cli.Result gc = db("gc");
        assertEquals(0, gc.code(), gc.toString());
        assertEquals("released 0 frames no tree reached\n", gc.out());
        assertEquals("{\"framesReleased\":0}\n", db("gc", "--json").out());
        assertEquals("v\n", tree("a", "get", "k").out());
        Cli.Result missing = Cli.run("db", dir.resolve("none").toString(), "compact");
        assertEquals(1, missing.code(), missing.toString());
        assertFalse(Files.exists(dir.resolve("none")), "nothing created");
    }

    @Test
    void exportInstallAndTheFeed() throws IOException {
        db("create", "a");
        tree("a", "put", "k", "v");
        Path image = dir.resolve("db.image");
        Cli.Result exported = db("export", image.toString());
        assertEquals(0, exported.code(), exported.toString());
        assertTrue(exported.out().contains("1 records of 1 trees"), exported.out());
        String json = db("export", "--json", dir.resolve("again.image").toString()).out();
        assertTrue(json.contains("\"trees\":[{\"name\":\"a\",\"records\":1}],\"records\":1,"), json);
        Path copy = dir.resolve("copy");
        Cli.Result installed = Cli.run("db", copy.toString(), "install", image.toString());
        assertEquals(0, installed.code(), installed.toString());
        assertEquals("v\n", Cli.run("tree", copy.toString(), "--tree", "a", "get", "k").out());
        Cli.Result again = Cli.run("db", copy.toString(), "install", image.toString());
        assertEquals(1, again.code(), "a database is there already");
        assertTrue(again.err().contains("not empty"), again.toString());
        Files.write(dir.resolve("bad.image"), new byte[100]);
        Cli.Result bad = Cli.run("db", dir.resolve("other").toString(), "install", dir.resolve("bad.image").toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("corrupt"), bad.toString());
        assertFalse(Files.exists(dir.resolve("other")), "nothing installed");
        // the feed: a closed database checkpointed and retired its log, so only later changes are served
        Cli.Result expired = db("changes", "--after", "0");
        assertEquals(1, expired.code(), expired.toString());
        assertTrue(expired.err().contains("install an image"), expired.toString());
        String last = db("stat", "--json").out().replaceAll("(?s).*\"lastSequence\":(\\d+).*", "$1").strip();
        Cli.Result none = db("changes", "--after", last);
        assertEquals(0, none.code(), none.toString());
        assertEquals("", none.out());
        Cli.Result feed = db("changes", "--after", last, "--json");
        assertEquals("{\"after\":" + last + ",\"lastSequence\":" + last + ",\"records\":[]}\n", feed.out());
    }

    @Test
    void theRetainedFeedIsPrinted() throws IOException {
        Path kept = dir.resolve("kept");
        try (Database db = Database.open(kept, TreeOptions.defaults().changeRetention(ChangeRetention.records(100)))) {
            db.createTree("t").put("k".getBytes(), "v".getBytes());
            db.openTree("t").delete("k".getBytes());
        }
        Cli.Result text = Cli.run("db", kept.toString(), "changes", "--after", "0");
        assertEquals(0, text.code(), text.toString());
        assertEquals("1\tcreate\t0\tt\n2\tput\t0\tk\tv\t@1\n3\tdelete\t0\tk\n", text.out());
        Cli.Result json = Cli.run("db", kept.toString(), "changes", "--after", "1", "--limit", "1", "--json");
        assertEquals("{\"after\":1,\"lastSequence\":2,\"records\":[{\"sequence\":2,\"payload\":null,\"changes\":"
                + "[{\"op\":\"put\",\"tree\":0,\"key\":\"k\",\"value\":\"v\",\"version\":1}]}]}\n", json.out());
    }

    @Test
    void anExportReplacesOnlyARegularFileOutsideTheDatabaseAndTouchesNothingElse() throws Exception {
        db("create", "a");
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Cli.Result r = db("export", fifo.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().startsWith("cairn: " + fifo + " is not a regular file"), r.toString());
        assertTrue(Files.readAttributes(fifo, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther(),
                "the FIFO was replaced");
        Path inside = dir.resolve("db").resolve("x.image");
        r = db("export", inside.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("into the database's own directory"), r.toString());
        assertFalse(Files.exists(inside));
        Path nowhere = dir.resolve("missing").resolve("x.image");
        r = db("export", nowhere.toString());
        assertEquals("cairn: no such file: " + nowhere.getParent() + " (no such directory to write the image "
                + nowhere + " in)\n", r.err());
        Path bystander = Files.writeString(dir.resolve("notes.tmp"), "mine");
        assertEquals(0, db("export", dir.resolve("notes").toString()).code());
        assertEquals("mine", Files.readString(bystander), "a file named like a temporary file is left alone");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("db", "fifo", "notes", "notes.tmp"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
