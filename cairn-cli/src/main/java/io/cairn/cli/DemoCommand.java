package io.cairn.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn demo}: Cairn's main job on an embedded default. Each layer shows itself on real data in a data
 * directory ({@code ./cairn-data/demo} under the working directory unless {@code --dir} says otherwise), which is
 * wiped at the start so the demo is repeatable; only a directory the demo created is ever wiped ({@link DemoFiles}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Show every layer of Cairn at work on an embedded data directory.")
final class DemoCommand implements Callable<Integer> {

    /** The sections, in the order the layers stack up. */
    static final List<DemoSection> SECTIONS = List.of(new StackDemo(), new AllocDemo(), new TreeDemo(),
            new DurableTreeDemo(), new DictDemo(),
            new FuzzyDemo());

    @Option(names = "--dir", description = {"Data directory (default: ${DEFAULT-VALUE}): a new or empty directory, "
            + "or one an earlier demo created (it holds a " + DemoFiles.MARKER + " file), which is emptied first.",
            "Any other directory or file is refused, never wiped."},
            defaultValue = "cairn-data/demo")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Path dataDir = dir.toAbsolutePath();
        DemoFiles.prepare(dataDir);
        System.out.println("Cairn demo — data directory: " + dataDir);
        for (DemoSection section : SECTIONS) {
            System.out.println();
            System.out.println("== " + section.title() + " ==");
            section.run(new DemoSection.Context(System.out, dataDir));
        }
        System.out.println();
        System.out.println("Demo finished. Files are kept in " + dataDir);
        return 0;
    }
}
