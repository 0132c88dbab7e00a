package io.cairn.cli;

import io.cairn.stack.CorruptedStoreException;
import io.cairn.tree.Change;
import io.cairn.tree.CompactReport;
import io.cairn.tree.ChangeBatch;
import io.cairn.tree.ChangeRecord;
import io.cairn.tree.Database;
import io.cairn.tree.DatabaseStats;
import io.cairn.tree.ImageInfo;
import io.cairn.tree.TreeOptions;
import io.cairn.tree.TreeStats;
import io.cairn.tree.VacuumReport;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cairn db DIR ...}: a database of named trees from the command line. Commands that only read open it
 * read-only (a shared lock, no file written); the others open it for writing and close it cleanly. Exit codes: 0
 * done, 1 failure, 2 usage, 3 a negative answer (no such tree, damage found by {@code check}).
 */
@Command(name = "db", mixinStandardHelpOptions = true,
        description = "Manage a database: named trees in one directory, images, the change feed.",
        subcommands = {DbCommand.Ls.class, DbCommand.Create.class, DbCommand.Drop.class, DbCommand.Stat.class,
                DbCommand.Check.class, DbCommand.Compact.class, DbCommand.Gc.class, DbCommand.Vacuum.class,
                DbCommand.Export.class, DbCommand.Install.class,
                DbCommand.Changes.class})
final class DbCommand extends CommandGroup {
    @Parameters(index = "0", paramLabel = "DIR", description = "The database's directory.")
    Path dir;

    Database openReadOnly() throws IOException {
        requireDirectory();
        return Database.openReadOnly(dir);
    }

    /** Opens an existing database for writing (never creating one by mistake). */
    Database openExisting() throws IOException {
        requireDirectory();
        return Database.open(dir);
    }

    private void requireDirectory() throws IOException {
        InputFiles.directory(dir, "database directory", false);
    }

    /** DIR for a command that creates the database if it is missing. */
    Path creatable() throws IOException {
        return InputFiles.directory(dir, "database directory", true);
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the trees, sorted by name.",
            footerHeading = "%nJSON fields (--json):%n", footer = {"  trees: [{name, keys}]"})
    static final class Ls implements Callable<Integer> {
        @ParentCommand
        DbCommand db;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() throws IOException {
            try (Database d = db.openReadOnly()) {
                JsonWriter w = json.enabled ? json.writer(System.out).beginObject().name("trees").beginArray() : null;
                for (String name : d.treeNames()) {
                    if (w != null) {
                        long keys = d.openTree(name).prefixCount(new byte[0], Long.MAX_VALUE);
                        w.beginObject().field("name", name).field("keys", keys).endObject();
                    } else {
                        System.out.println(name);
                    }
                }
                if (w != null) {
                    w.endArray().endObject().end();
                }
            }
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an empty tree NAME (and DIR if missing).")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        DbCommand db;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws IOException {
            try (Database d = Database.open(db.creatable())) {
                d.createTree(name);
            }
            System.out.println("created tree " + name);
            return 0;
        }
    }

    @Command(name = "drop", mixinStandardHelpOptions = true,
            description = "Drop tree NAME and everything in it (exit 3 if there is none).")
    static final class Drop implements Callable<Integer> {
        @ParentCommand
        DbCommand db;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() throws IOException {
            try (Database d = db.openExisting()) {
                if (!d.dropTree(name)) {
                    System.err.println("cairn: no tree " + name + " in " + db.dir);
                    return TreeCommand.NOT_FOUND;
                }
            }
            System.out.println("dropped tree " + name);
            return 0;
        }
    }

    @Command(name = "stat", mixinStandardHelpOptions = true,
            description = "Show every tree's shape and the database's log, checkpoint, feed and disk figures.",
            footerHeading = "%nJSON fields (--json):%n",
            footer = {"  trees: [{name, keys, frames, maxDepth, fill}], lastSequence, oldestPosition,",
                    "  checkpointSequence, walBytes, frameFileBytes, manifestBytes, diskBytes, memoryBytes"})
    static final class Stat implements Callable<Integer> {
        @ParentCommand
        DbCommand db;

        @Mixin
        JsonOption json;

        @Option(names = "--prometheus", description = "Print the Prometheus text exposition format instead.")
        boolean prometheus;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (prometheus && json.enabled) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--json and --prometheus are two output formats: give one");
            }
            try (Database d = db.openReadOnly()) {
                if (prometheus) {
                    System.out.print(d.prometheusText());
                    return 0;
                }
                DatabaseStats s = d.stats();
                if (json.enabled) {
                    JsonWriter w = json.writer(System.out).beginObject().name("trees").beginArray();
                    s.trees().forEach((name, t) -> w.beginObject().field("name", name).field("keys", t.keys())
                            .field("frames", t.frames()).field("maxDepth", t.maxDepth()).field("fill", t.fill())
                            .endObject());
                    w.endArray().field("lastSequence", s.feed().lastSequence())
                            .field("oldestPosition", s.feed().oldestPosition())
                            .field("checkpointSequence", s.durable().checkpointSequence())
                            .field("walBytes", s.disk().walBytes()).field("frameFileBytes", s.disk().frameFileBytes())
                            .field("manifestBytes", s.disk().manifestBytes())
                            .field("diskBytes", s.disk().totalBytes()).field("memoryBytes", s.memoryBytes())
                            .endObject().end();
                    return 0;
                }
                PrintStream out = System.out;
                out.printf("trees:               %,d%n", s.trees().size());
                for (Map.Entry<String, TreeStats> e : s.trees().entrySet()) {
                    TreeStats t = e.getValue();
                    out.printf("  %s: %,d keys, %,d frames (node depth max %d, fill %.0f%%)%n", e.getKey(), t.keys(),
                            t.frames(), t.maxDepth(), 100 * t.fill());
                }
                DatabaseStats.Feed feed = s.feed();
                if (feed.retainedRecords() == 0) {
                    out.printf("feed:                no records retained (changes --after %d serves what comes "
                            + "next)%n", feed.lastSequence());
                } else {
                    out.printf("feed:                sequences %,d..%,d retained (changes --after %d or later)%n",
                            feed.oldestPosition() + 1, feed.lastSequence(), feed.oldestPosition());
                }
                out.printf("checkpoint covers:   sequence %,d%n", s.durable().checkpointSequence());
                out.printf("on disk:             %,d bytes (frames %,d, manifest %,d, log %,d)%n",
                        s.disk().totalBytes(), s.disk().frameFileBytes(), s.disk().manifestBytes(),
                        s.disk().walBytes());
                out.printf("frame memory:        %,d bytes%n", s.memoryBytes());
            }
            return 0;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Read every tree, the manifest and the log without writing; exit 3 if damaged.",
                    "A progress bar is drawn on a terminal."},
            footerHeading = "%nJSON fields (--json):%n",
            footer = {"  clean   false when the database is damaged", "  damage  what is damaged, in words, or null",
                    "  trees   the trees of a clean database, or null", "  keys    their keys, or null"})
    static final class Check implements Callable<Integer> {
        @ParentCommand
        DbCommand db;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() throws IOException {
            try (Database d = db.openReadOnly()) {
                DatabaseStats s;
                try (Progress progress = Progress.staged(" frames")) { // cleared before the answer is printed
                    s = d.stats(progress); // walks every frame of every tree
                }
                long keys = s.trees().values().stream().mapToLong(TreeStats::keys).sum();
                if (json.enabled) {
                    json.writer(System.out).beginObject().field("clean", true).field("damage", (String) null)
                            .field("trees", s.trees().size()).field("keys", keys).endObject().end();
                } else {
                    System.out.printf("clean: %,d trees, %,d keys%n", s.trees().size(), keys);
                }
                return 0;
            } catch (CorruptedStoreException e) {
                return damaged(e);
            } catch (UncheckedIOException e) {
                if (e.getCause() instanceof CorruptedStoreException c) {
                    return damaged(c);
                }
                throw e;
            }
        }

        private int damaged(CorruptedStoreException e) {
            if (json.enabled) {
                json.writer(System.out).beginObject().field("clean", false).field("damage", e.getMessage())
                        .field("trees", (String) null).field("keys", (String) null).endObject().end();
            } else {
                System.out.println("damaged: " + e.getMessage());
            }
            return TreeCommand.NOT_FOUND;
        }
    }

    /**
     * A maintenance command: opens the database for writing, runs, and prints what it did as one line of text or
     * as a JSON object of the same figures.
     */
    abstract static class Maintenance implements Callable<Integer> {
        @ParentCommand
        DbCommand db;

        @Mixin
        JsonOption json;

        /** What the command did: its figures in order (the JSON fields) and its line of text. */
        record Report(Map<String, Long> figures, String text) {}

        abstract Report run(Database d);

        @Override
        public Integer call() throws IOException {
            try (Database d = db.openExisting()) {
                Report r = run(d);
                if (json.enabled) {
                    JsonWriter w = json.writer(System.out).beginObject();
                    r.figures().forEach(w::field);
                    w.endObject().end();
                } else {
                    System.out.println(r.text());
                }
            }
            return 0;
        }

        static Map<String, Long> figures(Object... namesAndValues) {
            Map<String, Long> out = new java.util.LinkedHashMap<>();
            for (int i = 0; i < namesAndValues.length; i += 2) {
                out.put((String) namesAndValues[i], ((Number) namesAndValues[i + 1]).longValue());
            }
            return out;
        }
    }

    @Command(name = "compact", mixinStandardHelpOptions = true,
            description = {"Rewrite every tree whose records fit in fewer frames into full frames (deletes leave"
                    + " frames partly empty); keys, values and versions stay. Run vacuum afterwards to return the"
                    + " freed slots to the file system."},
            footerHeading = "%nJSON fields (--json):%n", footer = {"  trees, framesBefore, framesAfter, framesFreed"})
    static final class Compact extends Maintenance {
        @Override
        Report run(Database d) {
            CompactReport r = d.compact();
            return new Report(figures("trees", r.trees(), "framesBefore", r.framesBefore(), "framesAfter",
                    r.framesAfter(), "framesFreed", r.framesFreed()), String.format(Locale.ROOT,
                    "compacted %,d trees; frames %,d -> %,d (%,d freed)", r.trees(), r.framesBefore(),
                    r.framesAfter(), r.framesFreed()));
        }
    }

    @Command(name = "gc", mixinStandardHelpOptions = true,
            description = {"Release frames no tree reaches (what a crash during compact can leave behind)."},
            footerHeading = "%nJSON fields (--json):%n", footer = {"  framesReleased"})
    static final class Gc extends Maintenance {
        @Override
        Report run(Database d) {
            long released = d.gc();
            return new Report(figures("framesReleased", released),
                    String.format(Locale.ROOT, "released %,d frames no tree reached", released));
        }
    }

    @Command(name = "vacuum", mixinStandardHelpOptions = true,
            description = "Move frames from the end of the frame file into free slots and cut the file.",
            footerHeading = "%nJSON fields (--json):%n",
            footer = {"  framesMoved, fileBytesBefore, fileBytesAfter, bytesReturned"})
    static final class Vacuum extends Maintenance {
        @Override
        Report run(Database d) {
            VacuumReport r = d.vacuum();
            return new Report(figures("framesMoved", r.framesMoved(), "fileBytesBefore", r.fileBytesBefore(),
                    "fileBytesAfter", r.fileBytesAfter(), "bytesReturned", r.bytesReturned()),
                    String.format(Locale.ROOT, "moved %,d frames; frame file %,d -> %,d bytes (%,d returned)",
                            r.framesMoved(), r.fileBytesBefore(), r.fileBytesAfter(), r.bytesReturned()));
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Write a consistent image of the database (or of the trees named) to FILE: a new name or a "
                    + "regular file outside DIR, replaced atomically.", "A progress bar is drawn on a terminal."},
            footerHeading = "%nJSON fields (--json):%n", footer = {IMAGE_FIELDS})
    static final class Export implements Callable<Integer> {
        @ParentCommand
        DbCommand db;

        @Mixin
        JsonOption json;

        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Option(names = "--tree", paramLabel = "NAME", description = "Only this tree (repeatable).")
        List<String> trees;

        @Override
        public Integer call() throws IOException {
            try (Database d = db.openReadOnly(); Progress progress = Progress.staged("")) {
                print("exported", d.exportImage(file, trees, progress), json);
            }
            return 0;
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = {"Build the database in DIR (missing or empty) from the image FILE, checked whole first.",
                    "A progress bar is drawn on a terminal."},
            footerHeading = "%nJSON fields (--json):%n", footer = {IMAGE_FIELDS})
    static final class Install implements Callable<Integer> {
        @ParentCommand
        DbCommand db;

        @Mixin
        JsonOption json;

        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() throws IOException {
            try (Progress progress = Progress.staged("")) {
                print("installed", Database.installImage(InputFiles.existing(file, "a database image"),
                        db.creatable(), TreeOptions.defaults(), progress), json);
            }
            return 0;
        }
    }

    private static final String IMAGE_FIELDS = "  sequence, trees: [{name, records}], records, bytes";

    private static void print(String what, ImageInfo info, JsonOption json) {
        if (json.enabled) {
            JsonWriter w = json.writer(System.out).beginObject().field("sequence", info.sequence()).name("trees")
                    .beginArray();
            info.trees().forEach((name, records) -> w.beginObject().field("name", name).field("records", records)
                    .endObject());
            w.endArray().field("records", info.records()).field("bytes", info.bytes()).endObject().end();
            return;
        }
        System.out.printf("%s %,d records of %,d trees at sequence %,d (%,d bytes)%n", what, info.records(),
                info.trees().size(), info.sequence(), info.bytes());
    }

    @Command(name = "changes", mixinStandardHelpOptions = true,
            description = "Print the change feed's records after sequence SEQ, in commit order.",
            footerHeading = "%nJSON fields (--json):%n",
            footer = {"  after, lastSequence, records: [{sequence, payload (hex, an envelope's) or null,",
                    "  changes: [{op (put, delete, rename, create, drop), tree (id), key, target, value, name,",
                    "  version}]}] (fields an op does not have are absent)"})
    static final class Changes implements Callable<Integer> {
        @ParentCommand
        DbCommand db;

        @Mixin
        TreeCommand.HexOption hex;

        @Mixin
        JsonOption json;

        @Option(names = "--after", paramLabel = "SEQ", required = true, description = "Records after this one.")
        long after;

        @Option(names = "--limit", paramLabel = "N", description = "At most N records (default 1,000).")
        int limit = 1_000;

        @Override
        public Integer call() throws IOException {
            TreeCommand.Store keys = new TreeCommand.Store(db.dir, null, hex.enabled);
            try (Database d = db.openReadOnly()) {
                ChangeBatch batch = d.changesAfter(after, limit, Long.MAX_VALUE);
                if (json.enabled) {
                    JsonWriter w = json.writer(System.out).beginObject().field("after", batch.after())
                            .field("lastSequence", batch.lastSequence()).name("records").beginArray();
                    for (ChangeRecord r : batch.records()) {
                        w.beginObject().field("sequence", r.sequence()).field("payload", r.envelope() == null ? null
                                : java.util.HexFormat.of().formatHex(r.envelope().payload())).name("changes")
                                .beginArray();
                        r.changes().forEach(c -> json(w, c, keys));
                        w.endArray().endObject();
                    }
                    w.endArray().endObject().end();
                    return 0;
                }
                for (ChangeRecord r : batch.records()) {
                    for (Change c : r.changes()) {
                        System.out.println(r.sequence() + "\t" + text(c, keys));
                    }
                }
            }
            return 0;
        }

        private static String text(Change c, TreeCommand.Store k) {
            return switch (c) {
                case Change.Put p -> "put\t" + p.treeId() + "\t" + k.text(p.key()) + "\t" + k.text(p.value()) + "\t@"
                        + p.version();
                case Change.Delete x -> "delete\t" + x.treeId() + "\t" + k.text(x.key());
                case Change.Rename r -> "rename\t" + r.treeId() + "\t" + k.text(r.source()) + "\t"
                        + k.text(r.target()) + "\t@" + r.version();
                case Change.CreateTree t -> "create\t" + t.treeId() + "\t" + t.name();
                case Change.DropTree t -> "drop\t" + t.treeId();
            };
        }

        private static void json(JsonWriter w, Change c, TreeCommand.Store k) {
            w.beginObject();
            switch (c) {
                case Change.Put p -> w.field("op", "put").field("tree", p.treeId()).field("key", k.text(p.key()))
                        .field("value", k.text(p.value())).field("version", p.version());
                case Change.Delete x -> w.field("op", "delete").field("tree", x.treeId()).field("key", k.text(x.key()));
                case Change.Rename r -> w.field("op", "rename").field("tree", r.treeId())
                        .field("key", k.text(r.source())).field("target", k.text(r.target()))
                        .field("value", k.text(r.value())).field("version", r.version());
                case Change.CreateTree t -> w.field("op", "create").field("tree", t.treeId()).field("name", t.name());
                case Change.DropTree t -> w.field("op", "drop").field("tree", t.treeId());
            }
            w.endObject();
        }
    }
}
