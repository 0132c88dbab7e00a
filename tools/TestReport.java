import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What {@code ./cairn test} shows of a Maven build: run as a single-file program by the launcher (no build
 * needed, so it works when compilation fails). {@code filter} reads Maven's output on standard input and prints
 * one line per module built, one test summary line per module, compiler warnings as a count, errors in full, and
 * a closing "N passed, N failed, N skipped" line. {@code failures ROOT SINCE} prints each test that failed in this
 * run (Surefire reports written after epoch millisecond SINCE): its name and the first line of its message.
 */
public class TestReport {
    private static final Pattern BUILDING = Pattern.compile("^\\[INFO\\] Building (.+?) \\S+ +\\[(\\d+)/(\\d+)\\]$");
    private static final Pattern TOTALS = Pattern.compile(
            "^\\[(?:INFO|WARNING|ERROR)\\] Tests run: (\\d+), Failures: (\\d+), Errors: (\\d+), Skipped: (\\d+)$");
    private static final Pattern CLASS_FAILED = Pattern.compile(
            "^\\[ERROR\\] Tests run: .*<<< FAILURE! -- in (\\S+)$");
    private static final Pattern COMPILER_WARNING = Pattern.compile("^\\[WARNING\\] /.*\\.java:\\[\\d+,\\d+\\].*");

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("filter")) {
            filter();
        } else if (args.length == 3 && args[0].equals("failures")) {
            failures(Path.of(args[1]), Long.parseLong(args[2]));
        } else {
            System.err.println("usage: TestReport filter < maven-output | TestReport failures ROOT SINCE_MILLIS");
            System.exit(2);
        }
    }

    private static void filter() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String module = "";
        int warnings = 0;
        long run = 0;
        long failed = 0;
        long skipped = 0;
        boolean inErrorTail = false;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            Matcher m;
            if ((m = BUILDING.matcher(line)).matches()) {
                warnings = flushWarnings(module, warnings);
                module = m.group(1);
                System.out.println("[" + m.group(2) + "/" + m.group(3) + "] " + module);
            } else if ((m = TOTALS.matcher(line)).matches()) {
                long r = Long.parseLong(m.group(1));
                long f = Long.parseLong(m.group(2)) + Long.parseLong(m.group(3));
                long s = Long.parseLong(m.group(4));
                run += r;
                failed += f;
                skipped += s;
                System.out.printf("      tests: %d passed, %d failed, %d skipped%n", r - f - s, f, s);
            } else if ((m = CLASS_FAILED.matcher(line)).matches()) {
                System.out.println("      FAILED " + m.group(1));
            } else if (COMPILER_WARNING.matcher(line).matches()) {
                warnings++;
            } else if (line.startsWith("[ERROR]") && !inErrorTail) {
                if (line.contains("-> [Help 1]")) {
                    inErrorTail = true; // what follows is Maven's advice on how to rerun it
                    String reason = line.replace("-> [Help 1]", "").strip();
                    if (!reason.equals("[ERROR]")) { // why the build failed, when Maven says it on this line
                        System.out.println("      " + reason);
                    }
                } else if (!line.startsWith("[ERROR] Tests run:") && !line.startsWith("[ERROR] Failures:")
                        && !line.matches("^\\[ERROR\\]\\s*$") && !line.startsWith("[ERROR]   ")) {
                    System.out.println("      " + line);
                }
            } else if (line.startsWith("[INFO] BUILD ") || line.startsWith("[INFO] Total time:")) {
                warnings = flushWarnings(module, warnings);
                System.out.println(line.substring("[INFO] ".length()));
            }
        }
        flushWarnings(module, warnings);
        System.out.printf("tests: %d passed, %d failed, %d skipped%n", run - failed - skipped, failed, skipped);
    }

    private static int flushWarnings(String module, int warnings) {
        if (warnings > 0) {
            System.out.println("      " + warnings + " compiler warning" + (warnings == 1 ? "" : "s")
                    + " in " + module + " (the full log: .cairn-build/test.log)");
        }
        return 0;
    }

    private static void failures(Path root, long since) throws Exception {
        List<Path> reports;
        try (Stream<Path> files = Files.find(root, 4, (path, attributes) -> path.getFileName().toString()
                .matches("TEST-.*\\.xml") && path.getParent().getFileName().toString().equals("surefire-reports")
                && attributes.lastModifiedTime().toMillis() >= since)) {
            reports = files.sorted().toList();
        }
        List<String> lines = new ArrayList<>();
        for (Path report : reports) {
            NodeList cases = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile())
                    .getElementsByTagName("testcase");
            for (int i = 0; i < cases.getLength(); i++) {
                Element testcase = (Element) cases.item(i);
                for (String kind : new String[] {"failure", "error"}) {
                    NodeList problems = testcase.getElementsByTagName(kind);
                    if (problems.getLength() > 0) {
                        Element problem = (Element) problems.item(0);
                        String message = problem.getAttribute("message");
                        if (message.isEmpty()) {
                            message = problem.getAttribute("type");
                        }
                        lines.add(testcase.getAttribute("classname") + "." + testcase.getAttribute("name") + ": "
                                + message.strip().lines().findFirst().orElse(""));
                    }
                }
            }
        }
        if (!lines.isEmpty()) {
            System.out.println();
            System.out.println("Failed tests (details in each module's target/surefire-reports):");
            lines.forEach(line -> System.out.println("  " + line));
        }
    }
}
