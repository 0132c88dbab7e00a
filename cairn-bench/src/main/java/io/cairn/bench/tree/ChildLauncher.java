package io.cairn.bench.tree;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Starts the child JVM of one engine and reads its report: a fixed heap, {@code --enable-native-access=ALL-UNNAMED},
 * the engine's own JVM flags, and the engine's own class path: the harness's class path without any peer's jars,
 * plus the jars of this engine's peer from {@code target/peers/<engine>/} (laid out by the build,
 * {@code src/assembly/peers.xml}), so no peer sees another's (conflicting) dependencies. The child's stdout is
 * echoed to stderr, prefixed with the engine, and its '@' lines are folded into a {@link ChildReport}.
 */
final class ChildLauncher {
    /** JVM flags an engine's child needs beyond the common ones. */
    private static final Map<String, List<String>> ENGINE_FLAGS = Map.of(
            "lmdb", List.of("--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED"));

    /** Sees each '@' line before the report takes it in; may stop the child (e.g. SIGKILL it). */
    interface LineListener {
        void accept(String line, ChildReport soFar, Process child) throws Exception;
    }

    /** What a child left behind: its report and its exit status (137 after a SIGKILL). */
    record Outcome(ChildReport report, int exitCode) {}

    private final String heap;
    private final List<String> jvmArgs;
    private final Path peersDir;

    ChildLauncher(String heap, List<String> jvmArgs, Path peersDir) {
        this.heap = heap;
        this.jvmArgs = List.copyOf(jvmArgs);
        this.peersDir = peersDir;
    }

    /** A launcher for the peers' jars of the build this class was loaded from ({@code target/peers}). */
    static ChildLauncher forThisBuild(String heap, List<String> jvmArgs) {
        Path peers;
        try {
            Path source = Path.of(ChildLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            peers = source.getParent().resolve("peers");
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the harness's own jar", e);
        }
        if (!Files.isDirectory(peers)) {
            throw new IllegalStateException("no peer jars at " + peers + ": build cairn-bench with 'mvn package' first");
        }
        return new ChildLauncher(heap, jvmArgs, peers);
    }

    /**
     * The class path of {@code engine}'s child: {@code parent} without every jar that any peer directory holds (by
     * file name), then the jars of the directory named after the engine, if there is one.
     */
    static String classPath(List<String> parent, Path peersDir, String engine) throws IOException {
        Set<String> peerJars = new HashSet<>();
        List<String> own = new ArrayList<>();
        try (Stream<Path> peers = Files.list(peersDir)) {
            for (Path peer : peers.sorted().toList()) {
                try (Stream<Path> jars = Files.list(peer)) {
                    for (Path jar : jars.sorted().toList()) {
                        peerJars.add(jar.getFileName().toString());
                        if (peer.getFileName().toString().equals(engine)) {
                            own.add(jar.toString());
                        }
                    }
                }
            }
        }
        List<String> entries = new ArrayList<>();
        for (String entry : parent) {
            if (!peerJars.contains(Path.of(entry).getFileName().toString())) {
                entries.add(entry);
            }
        }
        entries.addAll(own);
        return String.join(File.pathSeparator, entries);
    }

    /** The JVM flags every child gets (an engine may need more: {@link #command}). */
    List<String> commonFlags() {
        List<String> flags = new ArrayList<>(List.of("-Xmx" + heap, "--enable-native-access=ALL-UNNAMED"));
        flags.addAll(jvmArgs);
        return flags;
    }

    /** The full command line of {@code engine}'s child running {@code mainClass} with {@code args}. */
    List<String> command(String engine, String mainClass, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ENGINE_FLAGS.getOrDefault(engine, List.of()));
        command.addAll(commonFlags());
        command.addAll(List.of("-cp", classPath(List.of(System.getProperty("java.class.path").split(File.pathSeparator)),
                peersDir, engine), mainClass));
        command.addAll(args);
        return command;
    }

    /** Runs {@code engine}'s child to its end (reading its output to the last line) and returns what it reported. */
    Outcome run(String engine, String label, String mainClass, List<String> args, LineListener listener)
            throws Exception {
        Process child = new ProcessBuilder(command(engine, mainClass, args))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ChildReport report = new ChildReport();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                System.err.println("  [" + label + "] " + line);
                if (line.startsWith(ChildReport.MARK)) {
                    listener.accept(line, report, child);
                    report.accept(line);
                }
            }
        }
        return new Outcome(report, child.waitFor());
    }
}
