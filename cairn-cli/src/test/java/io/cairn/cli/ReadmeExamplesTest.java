package io.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java code block of README.md and docs/getting-started.md compiles and runs as shown: its import lines
 * become the imports of a class whose {@code main} is the rest of the block, compiled with {@link JavaCompiler}
 * against the modules' class path and run in a fresh directory in a child JVM (the examples create files in the
 * working directory). The lines with a {@code // prints: ...} comment say, in order, exactly what it prints. A block
 * whose first line is {@code // compiles only: WHY} (it needs a running group, say) is compiled, not run.
 */
class ReadmeExamplesTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final String PRINTS = "// prints: ";
    private static final String COMPILES_ONLY = "// compiles only: ";
    /** The documents whose Java blocks are checked, by their path under the repository. */
    private static final List<String> DOCUMENTS = List.of("README.md", "docs/getting-started.md");

    @TempDir
    Path dir;

    static Path readme() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("cairn-cli"))) {
                return p.resolve("README.md");
            }
        }
        throw new IllegalStateException("README.md not found above " + here);
    }

    @TestFactory
    List<DynamicTest> everyJavaBlockCompilesAndRuns() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String document : DOCUMENTS) {
            Matcher blocks = JAVA_BLOCK.matcher(Files.readString(readme().resolveSibling(document),
                    StandardCharsets.UTF_8));
            int first = tests.size();
            for (int n = 1; blocks.find(); n++) {
                String block = blocks.group(1);
                String name = document + " Java block " + n;
                String className = (document.equals("README.md") ? "ReadmeExample" : "GettingStartedExample") + n;
                tests.add(DynamicTest.dynamicTest(name, () -> compileAndRun(name, className, block)));
            }
            assertFalse(tests.size() == first, document + " has Java code blocks");
        }
        return tests;
    }

    private void compileAndRun(String name, String className, String block) throws Exception {
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (String line : block.lines().toList()) {
            if (line.startsWith("import ")) {
                imports.append(line).append('\n');
            } else {
                body.append("        ").append(line).append('\n');
            }
            int prints = line.indexOf(PRINTS);
            if (prints >= 0) {
                expected.append(line.substring(prints + PRINTS.length())).append('\n');
            }
        }
        Path source = dir.resolve(className + ".java");
        Files.writeString(source, imports + "\npublic class " + className + " {\n"
                + "    public static void main(String[] args) throws Exception {\n" + body + "    }\n}\n");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        boolean compiled = javac.getTask(diagnostics, null, null, List.of("-d", dir.toString(), "-cp",
                System.getProperty("java.class.path"), "-proc:none"), null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjects(source.toFile())).call();
        assertTrue(compiled, name + " does not compile:\n" + diagnostics
                + "\n" + Files.readString(source));

        if (block.startsWith(COMPILES_ONLY)) {
            return;
        }
        Path work = Files.createDirectory(dir.resolve("run-" + className));
        Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", dir + File.pathSeparator
                + System.getProperty("java.class.path"), className)
                .directory(work.toFile()).redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(2, TimeUnit.MINUTES), name + " did not finish");
        assertEquals(0, run.exitValue(), name + " failed:\n" + output);
        assertEquals(expected.toString(), output, name + " printed");
    }
}
