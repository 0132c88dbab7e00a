package io.cairn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ./cairn test} shows (tools/TestReport.java, run as the launcher runs it): one line per module and
 * its test totals, compiler warnings as a count, why the build failed, and each failed test with its message.
 */
class TestReportTest {
    @TempDir
    Path dir;

    private static final String MAVEN_OUTPUT = """
            [INFO] Building cairn-stack 0.1.0-SNAPSHOT                                 [1/2]
            [WARNING] /src/A.java:[3,5] [removal] something in something has been deprecated
            [WARNING] /src/B.java:[7,1] [SuppressFBWarnings] justification() not found
            [INFO] Tests run: 12, Failures: 0, Errors: 0, Skipped: 1
            [INFO] Building cairn-dict 0.1.0-SNAPSHOT                                  [2/2]
            [ERROR] Failed to execute goal on project cairn-dict: Could not resolve dependencies for project \
            io.cairn:cairn-dict:jar:0.1.0-SNAPSHOT -> [Help 1]
            [ERROR]\s
            [ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.
            [INFO] BUILD FAILURE
            """;

    private String run(String input, String... args) throws IOException, InterruptedException {
        Path root = ReadmeExamplesTest.readme().getParent();
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                root.resolve("tools").resolve("TestReport.java").toString()));
        command.addAll(List.of(args));
        Path in = Files.writeString(dir.resolve("maven.log"), input);
        Process process = new ProcessBuilder(command).redirectInput(in.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(1, TimeUnit.MINUTES));
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    @Test
    void theBuildIsOneLinePerModuleWithItsTotalsAndWhyItFailed() throws Exception {
        assertEquals("""
                [1/2] cairn-stack
                      tests: 11 passed, 0 failed, 1 skipped
                      2 compiler warnings in cairn-stack (the full log: .cairn-build/test.log)
                [2/2] cairn-dict
                      [ERROR] Failed to execute goal on project cairn-dict: Could not resolve dependencies for \
                project io.cairn:cairn-dict:jar:0.1.0-SNAPSHOT
                BUILD FAILURE
                tests: 11 passed, 0 failed, 1 skipped
                """, run(MAVEN_OUTPUT, "filter"));
    }

    @Test
    void eachFailedTestIsNamedWithItsMessage() throws Exception {
        Path reports = Files.createDirectories(dir.resolve("cairn-x").resolve("target").resolve("surefire-reports"));
        Files.writeString(reports.resolve("TEST-io.cairn.x.XTest.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <testsuite name="io.cairn.x.XTest" tests="2" failures="1">
                  <testcase name="passes" classname="io.cairn.x.XTest"/>
                  <testcase name="fails" classname="io.cairn.x.XTest">
                    <failure message="expected: &lt;1&gt; but was: &lt;2&gt;&#10;more lines" type="AssertionFailedError"/>
                  </testcase>
                </testsuite>
                """);
        assertEquals("""

                Failed tests (details in each module's target/surefire-reports):
                  io.cairn.x.XTest.fails: expected: <1> but was: <2>
                """, run("", "failures", dir.toString(), "0"));
    }
}
