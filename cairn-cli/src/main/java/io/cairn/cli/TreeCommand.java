package io.cairn.cli;

import io.cairn.stack.CorruptedStoreException;
import io.cairn.replication.GroupClient;
import io.cairn.stack.Durability;
import io.cairn.tree.Record;
import io.cairn.tree.Scan;
import io.cairn.tree.ScanEntry;
import io.cairn.tree.Database;
import io.cairn.tree.Tree;
import io.cairn.tree.TreeOptions;
import io.cairn.tree.TreeStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code cairn tree DIR ...}: a file-backed tree from the command line. Commands that only read open the tree
 * read-only (a shared lock, no file written); the others open it for writing and close it cleanly (a checkpoint),
 * so every change is durable when the command returns. Keys and values are UTF-8 text, or hex with {@code --hex}.
 * Exit codes: 0 done, 1 failure, 2 usage, 3 a negative answer (key not found, problems found by {@code check}).
 */
@Command(name = "tree", mixinStandardHelpOptions = true,
        description = "Read and write a durable radix tree stored in a directory.",
        subcommands = {TreeCommand.Put.class, TreeCommand.Get.class, TreeCommand.Rm.class, TreeCommand.Mv.class,
                TreeCommand.Ls.class, TreeCommand.Count.class, TreeCommand.Stat.class, TreeCommand.Check.class,
                TreeCommand.Checkpoint.class, TreeCommand.Import.class, TreeCommand.Export.class})
final class TreeCommand extends CommandGroup {
    static final int NOT_FOUND = 3;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
            description = "The tree's directory (or a database's, with --tree).")
    Path dir;

    @Option(names = "--db", paramLabel = "DIR", description = "The database's directory, instead of the DIR above.")
    Path database;

    @Option(names = "--tree", paramLabel = "NAME", description = "The tree NAME of the database in DIR (default: "
            + "DIR's only tree).")
    String treeName;

    @Option(names = "--cluster", paramLabel = "PEERS", description = "A replicated group (cairn serve) instead of a "
            + "directory: its members id=host:port,... With put, get, rm, mv, ls: writes go through the group's "
            + "leader, reads are linearizable (the leader's read index); --tree NAME (put creates it), default the "
            + "group's only tree.")
    String cluster;

    /** The directory given, as DIR or as {@code --db DIR} (exactly one of them). */
    Path directory() {
        if (cluster != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--cluster goes with put, get, rm, mv and ls; the other commands work on a directory");
        }
        if ((dir == null) == (database == null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), dir == null
                    ? "missing the directory: give DIR or --db DIR" : "give DIR or --db DIR, not both");
        }
        return dir != null ? dir : database;
    }

    /** The {@code --hex} option of every subcommand. */
    static final class HexOption {
        @Option(names = "--hex", description = "Keys and values are hexadecimal, in and out.")
        boolean enabled;
    }

    /** What every subcommand has: the parent's directory options (DIR, --db, --tree) and {@code --hex}. */
    abstract static class Subcommand implements Callable<Integer> {
        @ParentCommand
        TreeCommand tree;

        @Mixin
        HexOption hex;

        /** The tree the command line names. */
        Store store() {
            return new Store(tree, hex);
        }

        /** The group's tree, when the command line gives {@code --cluster}; null otherwise. */
        ClusterTree cluster(boolean create) throws IOException {
            return tree.cluster == null ? null : ClusterTree.open(tree, hex.enabled, create);
        }
    }

    /** A tree handle and the database it belongs to (when {@code --tree} named one), closed together. */
    record Opened(Tree tree, Database database) implements AutoCloseable {
        @Override
        public void close() {
            tree.close();
            if (database != null) {
                database.close();
            }
        }
    }

    /** The tree's directory, its name in a database (or null) and how keys and values are written. */
    record Store(Path dir, String treeName, boolean hex) {
        Store(TreeCommand tree, HexOption hex) {
            this(tree.directory(), tree.treeName, hex.enabled);
        }

        /** What DIR must be, in words. */
        private String directoryKind() {
            return treeName == null ? "tree directory" : "database directory";
        }

        Opened openReadOnly() throws IOException {
            InputFiles.directory(dir, directoryKind(), false);
            return treeName == null ? new Opened(Tree.openReadOnly(dir), null) : inDatabase(Database.openReadOnly(dir));
        }

        Opened openWritable() throws IOException {
            return openWritable(TreeOptions.defaults());
        }

        Opened openWritable(TreeOptions options) throws IOException {
            InputFiles.directory(dir, directoryKind(), true);
            return treeName == null ? new Opened(Tree.open(dir, options), null)
                    : inDatabase(Database.open(dir, options));
        }

        private Opened inDatabase(Database db) {
            try {
                return new Opened(db.openTree(treeName), db);
            } catch (RuntimeException e) {
                db.close();
                throw e;
            }
        }

        byte[] bytes(String text) {
            return hex ? HexFormat.of().parseHex(text) : text.getBytes(StandardCharsets.UTF_8);
        }

        /**
         * {@code bytes} as a field of a KEY&lt;TAB&gt;VALUE line that {@code import} reads back as the same bytes: hex
         * with {@code --hex}, else the UTF-8 text, or null when the bytes are not text or hold a TAB or line break.
         */
        String lineField(byte[] bytes) {
            if (hex) {
                return HexFormat.of().formatHex(bytes);
            }
            String text = text(bytes);
            boolean exact = Arrays.equals(text.getBytes(StandardCharsets.UTF_8), bytes);
            return exact && text.indexOf('\t') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0 ? text : null;
        }

        String text(byte[] bytes) {
            if (!hex) {
                try {
                    return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
                } catch (CharacterCodingException e) {
                    // not text: shown as hex
                }
            }
            return HexFormat.of().formatHex(bytes);
        }
    }

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = "Store VALUE (or standard input) under KEY. Creates DIR if missing.",
            footerHeading = "%nJSON fields (--json):%n",
            footer = {"  key      the key stored", "  version  the version it got"})
    static final class Put extends Subcommand {
        @Mixin
        JsonOption json;

        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE", description = "The value; '-' or absent: "
                + "standard input.")
        String value;

        @Override
        public Integer call() throws IOException {
            if (tree.cluster != null) {
                try (ClusterTree c = cluster(true)) {
                    byte[] v = value == null || value.equals("-") ? readStdin(c.codec()) : c.codec().bytes(value);
                    print(c.client().put(c.name(), c.codec().bytes(key), v));
                }
                return 0;
            }
            Store store = store();
            byte[] v = value == null || value.equals("-") ? readStdin(store) : store.bytes(value);
            try (Opened o = store.openWritable()) {
                Tree t = o.tree();
                t.put(store.bytes(key), v);
                print(t.getRecord(store.bytes(key)).version());
            }
            return 0;
        }

        private void print(long version) {
            if (json.enabled) {
                json.writer(System.out).beginObject().field("key", key).field("version", version).endObject().end();
            } else {
                System.out.println("version " + version);
            }
        }
    }

    private static byte[] readStdin(Store store) throws IOException {
        byte[] in = System.in.readAllBytes();
        return store.hex() ? HexFormat.of().parseHex(new String(in, StandardCharsets.US_ASCII).strip()) : in;
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Print the value under KEY (exit 3 if absent).",
            footerHeading = "%nJSON fields (--json):%n", footer = {"  key, value, version"})
    static final class Get extends Subcommand {
        @Mixin
        JsonOption json;

        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Override
        public Integer call() throws IOException {
            if (tree.cluster != null) {
                try (ClusterTree c = cluster(false)) {
                    GroupClient.Entry e = c.client().get(c.name(), c.codec().bytes(key));
                    return e == null ? notFound(c.where()) : print(c.codec(), e.value(), e.version());
                }
            }
            Store store = store();
            try (Opened o = store.openReadOnly()) {
                Tree t = o.tree();
                Record r = t.getRecord(store.bytes(key));
                return r == null ? notFound(store.dir.toString()) : print(store, r.value(), r.version());
            }
        }

        private int notFound(String where) {
            System.err.println("cairn: key " + key + " not found in " + where);
            return NOT_FOUND;
        }

        private int print(Store store, byte[] value, long version) {
            if (json.enabled) {
                json.writer(System.out).beginObject().field("key", key).field("value", store.text(value))
                        .field("version", version).endObject().end();
            } else {
                System.out.println(store.text(value));
            }
            return 0;
        }
    }

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Delete KEY (exit 3 if it was absent).")
    static final class Rm extends Subcommand {
        @Parameters(index = "0", paramLabel = "KEY")
        String key;

        @Override
        public Integer call() throws IOException {
            if (tree.cluster != null) {
                try (ClusterTree c = cluster(false)) {
                    if (!c.client().delete(c.name(), c.codec().bytes(key))) {
                        System.err.println("cairn: key " + key + " not found in " + c.where());
                        return NOT_FOUND;
                    }
                }
                return 0;
            }
            Store store = store();
            try (Opened o = store.openWritable()) {
                Tree t = o.tree();
                if (!t.delete(store.bytes(key))) {
                    System.err.println("cairn: key " + key + " not found in " + store.dir);
                    return NOT_FOUND;
                }
            }
            return 0;
        }
    }

    @Command(name = "mv", mixinStandardHelpOptions = true,
            description = "Rename SRC to DST atomically (DST gets a new version).")
    static final class Mv extends Subcommand {
        @Parameters(index = "0", paramLabel = "SRC")
        String source;

        @Parameters(index = "1", paramLabel = "DST")
        String target;

        @Option(names = "--overwrite", description = "Replace DST if it exists.")
        boolean overwrite;

        @Override
        public Integer call() throws IOException {
            if (tree.cluster != null) {
                try (ClusterTree c = cluster(false)) {
                    return rename(c.where(), () -> c.client().rename(c.name(), c.codec().bytes(source),
                            c.codec().bytes(target), overwrite));
                }
            }
            Store store = store();
            try (Opened o = store.openWritable()) {
                return rename(store.dir.toString(), () -> o.tree().rename(store.bytes(source), store.bytes(target),
                        overwrite));
            }
        }

        private int rename(String where, Runnable rename) {
            try {
                rename.run();
            } catch (NoSuchElementException e) {
                System.err.println("cairn: " + source + " not found in " + where + "; nothing changed");
                return NOT_FOUND;
            } catch (IllegalStateException e) {
                System.err.println("cairn: " + target + " exists in " + where + " (use --overwrite); nothing changed");
                return 1;
            }
            return 0;
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List keys under PREFIX, in byte order.",
            footerHeading = "%nJSON fields (--json):%n",
            footer = {"  entries: [{key, prefix (true for a rolled-up common prefix), version, size}]"})
    static final class Ls extends Subcommand {
        @Mixin
        JsonOption json;

        @Parameters(index = "0", arity = "0..1", paramLabel = "PREFIX")
        String prefix = "";

        @Option(names = "--delimiter", paramLabel = "D", description = "Roll keys up at this character (e.g. /).")
        String delimiter;

        @Option(names = "--start-after", paramLabel = "K", description = "Only entries after K.")
        String startAfter;

        @Option(names = "--limit", paramLabel = "N", description = "At most N entries.")
        long limit = Long.MAX_VALUE;

        @Option(names = "--long", description = "Show versions and value sizes.")
        boolean longFormat;

        @Override
        public Integer call() throws IOException {
            int delimiterByte = delimiterByte();
            if (tree.cluster != null) {
                try (ClusterTree c = cluster(false)) {
                    Store store = c.codec();
                    List<GroupClient.Entry> entries = c.client().scan(c.name(), store.bytes(prefix),
                            startAfter == null ? null : store.bytes(startAfter), delimiterByte, limit);
                    Listing listing = new Listing(store);
                    entries.forEach(e -> listing.print(e.key(), e.commonPrefix(), e.version(), e.value()));
                    listing.end();
                }
                return 0;
            }
            Store store = store();
            try (Opened o = store.openReadOnly()) {
                Tree t = o.tree();
                Scan scan = t.scan(store.bytes(prefix)).limit(limit);
                if (delimiterByte >= 0) {
                    scan = scan.delimiter((byte) delimiterByte);
                }
                if (startAfter != null) {
                    scan = scan.startAfter(store.bytes(startAfter));
                }
                Listing listing = new Listing(store);
                for (ScanEntry e : scan) {
                    listing.print(e.key(), e.isCommonPrefix(), e.version(), e.value());
                }
                listing.end();
            }
            return 0;
        }

        /** The {@code --delimiter} byte, or -1 for none. */
        private int delimiterByte() {
            if (delimiter == null) {
                return -1;
            }
            byte[] d = delimiter.getBytes(StandardCharsets.UTF_8);
            if (d.length != 1) {
                throw new IllegalArgumentException("--delimiter must be one byte, got '" + delimiter + "'");
            }
            return d[0] & 0xFF;
        }

        /** Prints the entries one by one, as lines or as one JSON document ({@code --json}). */
        private final class Listing {
            private final Store store;
            private final PrintStream out = System.out;
            private final JsonWriter w;

            Listing(Store store) {
                this.store = store;
                this.w = json.enabled ? json.writer(out).beginObject().name("entries").beginArray() : null;
            }

            void print(byte[] key, boolean commonPrefix, long version, byte[] value) {
                if (w != null) {
                    w.beginObject().field("key", store.text(key)).field("prefix", commonPrefix)
                            .field("version", version).field("size", value == null ? 0 : value.length).endObject();
                } else if (longFormat && !commonPrefix) {
                    out.printf("%12d %8d  %s%n", version, value.length, store.text(key));
                } else {
                    out.println(store.text(key));
                }
            }

            void end() {
                if (w != null) {
                    w.endArray().endObject().end();
                }
            }
        }
    }

    @Command(name = "count", mixinStandardHelpOptions = true, description = "Count the keys under PREFIX.",
            footerHeading = "%nJSON fields (--json):%n",
            footer = {"  prefix  the prefix counted under", "  keys    how many keys it has"})
    static final class Count extends Subcommand {
        @Mixin
        JsonOption json;

        @Parameters(index = "0", arity = "0..1", paramLabel = "PREFIX")
        String prefix = "";

        @Override
        public Integer call() throws IOException {
            Store store = store();
            try (Opened o = store.openReadOnly()) {
                Tree t = o.tree();
                long keys = t.prefixCount(store.bytes(prefix), Long.MAX_VALUE);
                if (json.enabled) {
                    json.writer(System.out).beginObject().field("prefix", prefix).field("keys", keys).endObject()
                            .end();
                } else {
                    System.out.println(keys);
                }
            }
            return 0;
        }
    }

    @Command(name = "stat", mixinStandardHelpOptions = true, description = "Show the tree's shape and storage figures.",
            footerHeading = "%nJSON fields (--json):%n",
            footer = {"  keys, frames, maxDepth, maxFrameDepth, fill, memoryBytes, walBytes, walLastSequence,",
                    "  checkpointSequence, replayedRecords, recoveryMillis"})
    static final class Stat extends Subcommand {
        @Mixin
        JsonOption json;

        @Override
        public Integer call() throws IOException {
            Store store = store();
            try (Opened o = store.openReadOnly()) {
                Tree t = o.tree();
                TreeStats s = t.stats();
                TreeStats.Durable d = s.durable();
                if (json.enabled) {
                    json.writer(System.out).beginObject().field("keys", s.keys()).field("frames", s.frames())
                            .field("maxDepth", s.maxDepth()).field("maxFrameDepth", s.maxFrameDepth())
                            .field("fill", s.fill()).field("memoryBytes", s.memoryBytes())
                            .field("walBytes", d.walBytes()).field("walLastSequence", d.walLastSequence())
                            .field("checkpointSequence", d.checkpointSequence())
                            .field("replayedRecords", d.replayedRecords())
                            .field("recoveryMillis", d.recoveryNanos() / 1_000_000).endObject().end();
                    return 0;
                }
                PrintStream out = System.out;
                out.printf("keys:                %,d%n", s.keys());
                out.printf("frames:              %,d (frame depth %d, node depth max %d, fill %.0f%%)%n", s.frames(),
                        s.maxFrameDepth(), s.maxDepth(), 100 * s.fill());
                out.printf("frame memory:        %,d bytes%n", s.memoryBytes());
                out.printf("log:                 %,d bytes, last sequence %,d%n", d.walBytes(), d.walLastSequence());
                out.printf("checkpoint covers:   sequence %,d%n", d.checkpointSequence());
                out.printf("open replayed:       %,d records in %,d ms%n", d.replayedRecords(),
                        d.recoveryNanos() / 1_000_000);
            }
            return 0;
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Read every frame, the manifest and the log without writing; exit 3 if damaged.",
                    "A progress bar is drawn on a terminal."},
            footerHeading = "%nJSON fields (--json):%n",
            footer = {"  clean            false when the store is damaged",
                    "  damage           what is damaged, in words, or null",
                    "  keys             the keys of a clean store, or null",
                    "  frames           its frames, or null",
                    "  replayedRecords  the log records the open replayed, or null"})
    static final class Check extends Subcommand {
        @Mixin
        JsonOption json;

        @Override
        public Integer call() throws IOException {
            Store store = store();
            try (Opened o = store.openReadOnly()) {
                Tree t = o.tree();
                TreeStats s;
                try (Progress progress = Progress.staged(" frames")) { // cleared before the answer is printed
                    s = t.stats(progress); // walks every frame and cross-checks the headers' counts
                }
                if (json.enabled) {
                    json.writer(System.out).beginObject().field("clean", true).field("damage", (String) null)
                            .field("keys", s.keys()).field("frames", s.frames())
                            .field("replayedRecords", s.durable().replayedRecords()).endObject().end();
                } else {
                    System.out.printf("clean: %,d keys in %,d frames, %,d log records replayed%n", s.keys(),
                            s.frames(), s.durable().replayedRecords());
                }
                return 0;
            } catch (CorruptedStoreException e) {
                return damaged(e);
            } catch (java.io.UncheckedIOException e) {
                if (e.getCause() instanceof CorruptedStoreException c) {
                    return damaged(c);
                }
                throw e;
            }
        }

        private int damaged(CorruptedStoreException e) {
            if (json.enabled) {
                JsonWriter w = json.writer(System.out).beginObject().field("clean", false)
                        .field("damage", e.getMessage());
                for (String unknown : new String[] {"keys", "frames", "replayedRecords"}) {
                    w.name(unknown).value((String) null);
                }
                w.endObject().end();
            } else {
                System.out.println("damaged: " + e.getMessage());
            }
            return NOT_FOUND;
        }
    }

    @Command(name = "checkpoint", mixinStandardHelpOptions = true,
            description = "Write the changed frames and retire the log they cover.",
            footerHeading = "%nJSON fields (--json):%n",
            footer = {"  checkpointSequence  the last log record the checkpoint covers"})
    static final class Checkpoint extends Subcommand {
        @Mixin
        JsonOption json;

        @Override
        public Integer call() throws IOException {
            Store store = store();
            try (Opened o = store.openWritable()) {
                Tree t = o.tree();
                t.checkpoint();
                long sequence = t.stats().durable().checkpointSequence();
                if (json.enabled) {
                    json.writer(System.out).beginObject().field("checkpointSequence", sequence).endObject().end();
                } else {
                    System.out.println("checkpoint covers sequence " + sequence);
                }
            }
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Store the KEY<TAB>VALUE lines of FILE ('-': standard input), or with --from-dir the "
                    + "files under a directory. Creates DIR if missing.",
                    "With --from-dir SRC every file under SRC (symbolic links not followed, directories not "
                            + "stored) becomes a key, its path relative to SRC with '/' between names, after "
                            + "--prefix; its value is 'file|link|other SIZE MTIME' (the metadata an object store "
                            + "keeps), or its bytes with --contents. Every key and value is checked before the "
                            + "tree is opened, so a name or file too long changes nothing.",
                    "Records go in atomic batches of " + Import.BATCH + ", forced at the end: an interrupted "
                            + "import keeps a prefix of its batches. A progress bar is drawn on a terminal."},
            footerHeading = "%nJSON fields (--json):%n", footer = {"  records  how many records were imported"})
    static final class Import extends Subcommand {
        static final int BATCH = 1_000;

        @Mixin
        JsonOption json;

        @Parameters(index = "0", arity = "0..1", paramLabel = "FILE")
        String file;

        @Option(names = "--from-dir", paramLabel = "SRC", description = "Import the files under SRC instead.")
        Path fromDir;

        @Option(names = "--prefix", paramLabel = "P", defaultValue = "",
                description = "With --from-dir: prepended to every key (e.g. 'photos/').")
        String prefix;

        @Option(names = "--contents", description = "With --from-dir: values are the files' bytes (at most "
                + Tree.MAX_VALUE_BYTES + " each), not their metadata.")
        boolean contents;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if ((file == null) == (fromDir == null)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "give either FILE or --from-dir SRC, not " + (file == null ? "neither" : "both"));
            }
            if (fromDir == null && (contents || !prefix.isEmpty())) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--contents and --prefix go with --from-dir");
            }
            Store store = store();
            long n = fromDir != null ? importDirectory(store) : importLines(store);
            if (json.enabled) {
                json.writer(System.out).beginObject().field("records", n).endObject().end();
            } else {
                System.out.println("imported " + n + " records");
            }
            return 0;
        }

        private long importLines(Store store) throws IOException {
            long n = 0;
            try (BufferedReader in = file.equals("-")
                    ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                    : Files.newBufferedReader(InputFiles.existing(Path.of(file), "a KEY<TAB>VALUE file"),
                            StandardCharsets.UTF_8);
                    Opened o = store.openWritable(TreeOptions.defaults().durability(Durability.ASYNC));
                    Progress progress = Progress.start("import", -1, " records", 1)) {
                Tree t = o.tree();
                String line;
                long lineNumber = 0;
                while ((line = in.readLine()) != null) {
                    lineNumber++;
                    int tab = line.indexOf('\t');
                    if (tab < 0) {
                        throw new IllegalArgumentException(file + " line " + lineNumber + " has no TAB; the " + n
                                + " records before it are imported, nothing after it");
                    }
                    t.put(store.bytes(line.substring(0, tab)), store.bytes(line.substring(tab + 1)));
                    progress.stepTo(++n);
                }
                t.sync();
            }
            return n;
        }

        private long importDirectory(Store store) throws IOException {
            if (tree.dir.toAbsolutePath().normalize().startsWith(fromDir.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("--from-dir " + fromDir + " holds the tree's own directory "
                        + tree.dir + ": import from a directory outside it");
            }
            List<DirectoryEntry> entries = DirectoryEntry.walk(fromDir, prefix, contents);
            try (Opened o = store.openWritable(TreeOptions.defaults().durability(Durability.ASYNC));
                    Progress progress = Progress.start("import", entries.size(), " files", 1)) {
                Tree t = o.tree();
                for (int from = 0; from < entries.size(); from += BATCH) {
                    List<DirectoryEntry> batch = entries.subList(from, Math.min(entries.size(), from + BATCH));
                    List<byte[]> values = new ArrayList<>(batch.size());
                    for (DirectoryEntry entry : batch) {
                        values.add(entry.value(fromDir));
                    }
                    t.atomic(b -> {
                        for (int i = 0; i < batch.size(); i++) {
                            b.put(batch.get(i).key(), values.get(i));
                        }
                    });
                    progress.stepTo(from + batch.size());
                }
                t.sync();
            }
            return entries.size();
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = {"Print the keys under PREFIX as KEY<TAB>VALUE lines, streaming: what import reads.",
                    "A key or value that is not UTF-8 text, or holds a TAB or a line break, would not read back "
                            + "the same: the export stops there (exit 1) and asks for --hex.",
                    "A progress bar is drawn on a terminal when the lines go to a file or a pipe."})
    static final class Export extends Subcommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "PREFIX")
        String prefix = "";

        @Override
        public Integer call() throws IOException {
            Store store = store();
            try (Opened o = store.openReadOnly(); Progress progress = Progress.beside("export", " records")) {
                Tree t = o.tree();
                PrintStream out = System.out;
                long[] exported = {0};
                t.scan(store.bytes(prefix)).visit(v -> {
                    String key = store.lineField(v.keyBytes());
                    String value = store.lineField(v.valueBytes());
                    if (key == null || value == null) {
                        out.flush();
                        throw new IllegalArgumentException("the " + (key == null ? "key " : "value of key ")
                                + HexFormat.of().formatHex(v.keyBytes()) + " (hex) in " + store.dir
                                + " is not one line of UTF-8 text without TAB; the export stopped before it: "
                                + "export with --hex (and import with --hex)");
                    }
                    out.print(key);
                    out.print('\t');
                    out.println(value);
                    progress.stepTo(++exported[0]);
                    return true;
                });
            }
            return 0;
        }
    }
}
