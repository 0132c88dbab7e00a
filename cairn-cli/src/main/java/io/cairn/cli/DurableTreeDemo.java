package io.cairn.cli;

import io.cairn.tree.Tree;
import io.cairn.tree.TreeStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The durable tree in the demo: a child process loads the paths under {@code /usr} into a tree on disk in atomic
 * batches, printing an acknowledgement after each; it is killed with SIGKILL mid-load; the tree is reopened and shows
 * that every acknowledged path survived and what recovery replayed from the write-ahead log.
 */
final class DurableTreeDemo implements DemoSection {
    private static final int BATCH = 200;
    private static final long RUN_MILLIS = 1500;

    @Override
    public String title() {
        return "durable tree: kill -9 a process loading /usr into a tree on disk, then reopen it";
    }

    @Override
    public void run(Context context) throws Exception {
        PrintStream out = context.out();
        Path dir = context.dataDir().resolve("usr-tree");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Writer.class.getName());
        command.add(dir.toString());
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long acknowledged = 0;
        String lastKey = null;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String first = lines.readLine();
            if (first == null || !first.startsWith("open")) {
                out.println("  (the writer process did not start: " + first + ")");
                return;
            }
            Thread.sleep(RUN_MILLIS);
            child.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook, no close, no flush
            child.waitFor(1, TimeUnit.MINUTES);
            for (String line; (line = lines.readLine()) != null;) { // drain what it printed before dying
                String[] f = line.split("\t", 2);
                acknowledged = Long.parseLong(f[0]);
                lastKey = f[1];
            }
        }
        out.printf("  a child process loaded /usr into %s in atomic batches of %d (SYNC: each acknowledged%n"
                + "  only once its log record was forced), and was killed with SIGKILL after %d ms,%n"
                + "  having acknowledged %,d paths%n", dir.getFileName(), BATCH, RUN_MILLIS, acknowledged);
        long started = System.nanoTime();
        try (Tree tree = Tree.open(dir)) {
            long millis = (System.nanoTime() - started) / 1_000_000;
            TreeStats stats = tree.stats();
            out.printf("  reopened in %d ms: the last checkpoint, then %,d log records replayed%n", millis,
                    stats.durable().replayedRecords());
            out.printf("  %,d paths recovered (every acknowledged one, and any batch forced but not yet acknowledged)%n",
                    stats.keys());
            if (lastKey != null) {
                byte[] v = tree.get(lastKey);
                out.printf("  last acknowledged path: %s -> %s%n", lastKey,
                        v == null ? "MISSING (a bug)" : new String(v, StandardCharsets.UTF_8));
            }
        }
    }

    /** The child: loads the paths under /usr until killed, one atomic batch per line of output. */
    static final class Writer {
        private Writer() {}

        public static void main(String[] args) throws IOException {
            List<String> paths = new ArrayList<>();
            Files.walkFileTree(Path.of("/usr"), new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path path, BasicFileAttributes attrs) {
                    paths.add(path.toString().substring(1));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path path, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
            PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                    StandardCharsets.UTF_8);
            try (Tree tree = Tree.open(Path.of(args[0]))) {
                out.println("open");
                for (int from = 0; from < paths.size(); from += BATCH) {
                    List<String> batch = paths.subList(from, Math.min(paths.size(), from + BATCH));
                    tree.atomic(b -> batch.forEach(p -> b.put(p.getBytes(StandardCharsets.UTF_8),
                            ("loaded by pid " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8))));
                    out.println((from + batch.size()) + "\t" + batch.getLast());
                }
            }
        }
    }
}
