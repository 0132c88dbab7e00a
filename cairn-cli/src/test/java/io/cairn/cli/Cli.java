package io.cairn.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code cairn} command for tests: in this JVM with captured streams, or in a child JVM. */
final class Cli {
    private Cli() {}

    /** What a run printed and returned. */
    record Result(int code, byte[] stdout, String err) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit " + code + "\nstdout: " + out() + "\nstderr: " + err;
        }
    }

    /** {@link CairnCli#execute} in this JVM, standard input empty. */
    static Result run(String... args) {
        return run(new ByteArrayInputStream(new byte[0]), args);
    }

    /** {@link CairnCli#execute} in this JVM with {@code stdin} as standard input. */
    static Result run(InputStream stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream realOut = System.out;
        PrintStream realErr = System.err;
        InputStream realIn = System.in;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setIn(stdin);
        try {
            int code = CairnCli.execute(args);
            return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(realOut);
            System.setErr(realErr);
            System.setIn(realIn);
        }
    }

    /**
     * A shell script run by {@code sh -c} in {@code dir}, in which {@code cairn} is the real command in a child JVM
     * ({@link CairnCli#main}, this test's class path, heap {@code heap}, e.g. {@code "64m"}), so the script can
     * give it raw argument bytes, pipes and redirections: {@code "cairn stack peek f > /dev/full"}.
     */
    static Result process(Path dir, String heap, String script) throws IOException, InterruptedException {
        return processWith(dir, javaCommand(heap), script);
    }

    /**
     * As {@link #process(Path, String, String)}, with the JVM's default collector (G1 on a machine like a user's)
     * instead of the serial one: for tests of what fits in a heap, where G1's regions and humongous arrays differ.
     */
    static Result processWithTheDefaultCollector(Path dir, String heap, String script)
            throws IOException, InterruptedException {
        return processWith(dir, javaCommand(heap).replace(SERIAL_GC, ""), script);
    }

    private static Result processWith(Path dir, String java, String script) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sh", "-c", "cairn() { " + java
                + " \"$@\"; }\n" + script));
        File errFile = dir.resolve("cairn.stderr").toFile();
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(errFile).start();
        byte[] stdout = process.getInputStream().readAllBytes();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("cairn child did not finish: " + script);
        }
        return new Result(process.exitValue(), stdout,
                Files.readString(errFile.toPath(), StandardCharsets.UTF_8));
    }

    /** The shell words that start {@code cairn} in a child JVM with heap {@code heap}, this test's class path. */
    private static final String SERIAL_GC = " -XX:+UseSerialGC";

    static String javaCommand(String heap) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return "'" + java + "' -Xmx" + heap + SERIAL_GC + " -XX:TieredStopAtLevel=1 "
                + "--enable-native-access=ALL-UNNAMED -cp '" + System.getProperty("java.class.path") + "' "
                + CairnCli.class.getName();
    }
}
